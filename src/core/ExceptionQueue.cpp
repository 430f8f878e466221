// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExceptionQueue.h"
#include "Database.h"

namespace {
// operator_id is who made the scan: the operator of the box it arose in (an already_received exception points
// at the first receipt, made by someone else), else the receipt's.
constexpr const char *Select =
    "SELECT x.id, x.kind, x.status, x.serial, x.receipt_id, b.label, c.case_number, x.station_id, "
    "       x.created_at, x.resolution, x.resolver, x.notes, x.resolved_at, "
    "       COALESCE(b.operator_id, r.operator_id), r.sku, ne.case_number, x.now_expected_line "
    "FROM exceptions x LEFT JOIN boxes b ON b.id = x.box_id LEFT JOIN cases c ON c.id = x.case_id "
    "LEFT JOIN receipts r ON r.id = x.receipt_id LEFT JOIN cases ne ON ne.id = x.now_expected_case_id ";

QJsonObject row(const Statement &s)
{
    const auto v = [&s](int col) {
        return s.isNull(col) ? QJsonValue(QJsonValue::Null) : QJsonValue(s.text(col));
    };
    return QJsonObject{
        {QStringLiteral("id"), s.int64(0)},
        {QStringLiteral("kind"), s.text(1)},
        {QStringLiteral("status"), s.text(2)},
        {QStringLiteral("serial"), v(3)},
        {QStringLiteral("receipt_id"), s.isNull(4) ? QJsonValue(QJsonValue::Null) : QJsonValue(s.int64(4))},
        {QStringLiteral("box"), v(5)},
        {QStringLiteral("case_number"), v(6)},
        {QStringLiteral("station_id"), v(7)},
        {QStringLiteral("created_at"), v(8)},
        {QStringLiteral("resolution"), v(9)},
        {QStringLiteral("resolver"), v(10)},
        {QStringLiteral("notes"), v(11)},
        {QStringLiteral("resolved_at"), v(12)},
        {QStringLiteral("operator_id"), v(13)},
        {QStringLiteral("sku"),
         s.isNull(14) || s.text(14).isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s.text(14))},
        // The case line that now expects this unit (CaseChanges::rematch), while the exception is open.
        {QStringLiteral("now_expected"),
         s.isNull(15) || s.text(2) != QLatin1String("open")
             ? QJsonValue(QJsonValue::Null)
             : QJsonValue(QJsonObject{{QStringLiteral("case_number"), s.text(15)},
                                      {QStringLiteral("line"), s.int64(16)}})},
    };
}
} // namespace

ExceptionQueue::ExceptionQueue(Database &db) : m_db(db) {}

QJsonArray ExceptionQueue::list(bool includeClosed)
{
    Filter f;
    f.includeClosed = includeClosed;
    return list(f);
}

QJsonArray ExceptionQueue::list(const Filter &filter)
{
    QJsonArray out;
    Statement s = m_db.prepare(
        (QByteArray(Select) + "WHERE (?1 OR x.status = 'open') AND (CAST(?2 AS TEXT) IS NULL OR x.kind = ?2) "
                              "AND (CAST(?3 AS TEXT) IS NULL OR x.created_at <= ?3) "
                              "AND (CAST(?4 AS INTEGER) = 0 OR x.now_expected_case_id IS NOT NULL) "
                              "ORDER BY x.id DESC")
            .constData());
    s.bind(1, filter.includeClosed);
    s.bind(2, filter.kind.isEmpty() ? QString() : filter.kind);
    s.bind(3, filter.createdBefore.isEmpty() ? QString() : filter.createdBefore);
    s.bind(4, filter.nowExpected);
    while (s.next())
        out.append(row(s));
    return out;
}

std::optional<QJsonObject> ExceptionQueue::byId(qint64 id)
{
    Statement s = m_db.prepare((QByteArray(Select) + "WHERE x.id = ?1").constData());
    if (!s.bind(1, id).next())
        return std::nullopt;
    return row(s);
}
