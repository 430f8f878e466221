// SPDX-License-Identifier: GPL-3.0-or-later
#include "UpstreamEvents.h"
#include "Database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace {
QString newKey()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}
} // namespace

UpstreamEvents::UpstreamEvents(Database &db) : m_db(db) {}

QString UpstreamEvents::trackingNumber(const QString &boxLabel, const QString &boxCaseNumber)
{
    return boxLabel == boxCaseNumber ? QString() : boxLabel;
}

QString UpstreamEvents::queueReceipt(qint64 receiptId, const QString &caseNumber,
                                     const QString &trackingNumber, std::optional<qint64> heldInBox,
                                     const QString &now)
{
    Statement r =
        m_db.prepare("SELECT serial, sku, line, received_at, station_id, operator_id, condition, late "
                     "FROM receipts WHERE id = ?1");
    r.bind(1, receiptId).next();
    const Receipt receipt{receiptId,      r.text(0),
                          r.text(1),      r.isNull(2) ? std::nullopt : std::optional<int>(int(r.int64(2))),
                          r.text(3),      r.text(4),
                          r.text(5),      r.text(6),
                          r.int64(7) != 0};
    r.reset();
    return queueReceipt(receipt, caseNumber, trackingNumber, heldInBox, now);
}

QString UpstreamEvents::queueReceipt(const Receipt &r, const QString &caseNumber,
                                     const QString &trackingNumber, std::optional<qint64> heldInBox,
                                     const QString &now)
{
    const QString key = newKey();
    const QJsonObject p{
        {QStringLiteral("receipt_id"), key},
        {QStringLiteral("serial"), r.serial},
        {QStringLiteral("sku"), orNull(r.sku)},
        {QStringLiteral("line"), r.line ? QJsonValue(qint64(*r.line)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("received_at"), r.receivedAt},
        {QStringLiteral("station_id"), r.stationId},
        {QStringLiteral("operator_id"), orNull(r.operatorId)},
        {QStringLiteral("condition"), r.condition},
        {QStringLiteral("tracking_number"), orNull(trackingNumber)},
        {QStringLiteral("late"), r.late}};
    if (!r.supersedesUnmatched.isEmpty()) {
        QJsonObject withReport = p;
        withReport.insert(QStringLiteral("supersedes_unmatched"), r.supersedesUnmatched);
        insert(key, "receipt", caseNumber, r.id, heldInBox, json(withReport), now);
        return key;
    }
    insert(key, "receipt", caseNumber, r.id, heldInBox, json(p), now);
    return key;
}

QString UpstreamEvents::queueUnmatched(const Unmatched &u, std::optional<qint64> heldInBox,
                                       const QString &now)
{
    const QString key = newKey();
    const QJsonObject p{{QStringLiteral("report_id"), key},
                        {QStringLiteral("serial"), u.serial},
                        {QStringLiteral("sku"), orNull(u.sku)},
                        {QStringLiteral("case_number"), orNull(u.caseNumber)},
                        {QStringLiteral("tracking_number"), orNull(u.trackingNumber)},
                        {QStringLiteral("received_at"), now},
                        {QStringLiteral("station_id"), u.stationId},
                        {QStringLiteral("notes"), orNull(u.notes)}};
    insert(key, "unmatched", u.caseNumber, u.receiptId, heldInBox, json(p), now);
    return key;
}

QString UpstreamEvents::queueClosure(const Closure &c, std::optional<qint64> heldInBox, const QString &now)
{
    const QString key = newKey();
    QJsonArray missing;
    for (int l : c.missingLines)
        missing.append(l);
    const QJsonObject p{{QStringLiteral("closure_id"), key},
                        {QStringLiteral("kind"), c.kind},
                        {QStringLiteral("received"), QJsonArray::fromStringList(c.received)},
                        {QStringLiteral("missing_lines"), missing},
                        {QStringLiteral("closed_at"), now},
                        {QStringLiteral("station_id"), c.stationId},
                        {QStringLiteral("approved_by"), orNull(c.approvedBy)}};
    insert(key, "closure", c.caseNumber, std::nullopt, heldInBox, json(p), now);
    return key;
}

void UpstreamEvents::insert(const QString &key, const char *kind, const QString &caseNumber,
                            std::optional<qint64> receiptId, std::optional<qint64> heldInBox,
                            const QString &payload, const QString &now)
{
    Statement s =
        m_db.prepare("INSERT INTO outbox (idempotency_key, kind, case_number, receipt_id, box_id, payload, "
                     "state, next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
    s.bind(1, key).bind(2, QString::fromLatin1(kind)).bind(3, caseNumber);
    receiptId ? s.bind(4, *receiptId) : s.bindNull(4);
    heldInBox ? s.bind(5, *heldInBox) : s.bindNull(5);
    s.bind(6, payload)
        .bind(7, heldInBox ? QStringLiteral("held") : QStringLiteral("pending"))
        .bind(8, now)
        .send();
}
