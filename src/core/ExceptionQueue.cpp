// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExceptionQueue.h"
#include "Database.h"

#include <QJsonObject>

ExceptionQueue::ExceptionQueue(Database &db) : m_db(db) {}

QJsonArray ExceptionQueue::list(bool includeClosed)
{
    QJsonArray out;
    Statement s = m_db.prepare(
        "SELECT x.id, x.kind, x.status, x.serial, x.receipt_id, b.label, c.case_number, x.station_id, "
        "       x.created_at, x.resolution, x.resolver, x.notes, x.resolved_at, r.operator_id "
        "FROM exceptions x LEFT JOIN boxes b ON b.id = x.box_id LEFT JOIN cases c ON c.id = x.case_id "
        "LEFT JOIN receipts r ON r.id = x.receipt_id "
        "WHERE ?1 OR x.status = 'open' ORDER BY x.id DESC");
    s.bind(1, includeClosed);
    const auto v = [&s](int col) {
        return s.isNull(col) ? QJsonValue(QJsonValue::Null) : QJsonValue(s.text(col));
    };
    while (s.next()) {
        out.append(QJsonObject{
            {QStringLiteral("id"), s.int64(0)},
            {QStringLiteral("kind"), s.text(1)},
            {QStringLiteral("status"), s.text(2)},
            {QStringLiteral("serial"), v(3)},
            {QStringLiteral("receipt_id"),
             s.isNull(4) ? QJsonValue(QJsonValue::Null) : QJsonValue(s.int64(4))},
            {QStringLiteral("box"), v(5)},
            {QStringLiteral("case_number"), v(6)},
            {QStringLiteral("station_id"), v(7)},
            {QStringLiteral("created_at"), v(8)},
            {QStringLiteral("resolution"), v(9)},
            {QStringLiteral("resolver"), v(10)},
            {QStringLiteral("notes"), v(11)},
            {QStringLiteral("resolved_at"), v(12)},
            {QStringLiteral("operator_id"), v(13)},
        });
    }
    return out;
}
