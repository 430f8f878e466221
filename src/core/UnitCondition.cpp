// SPDX-License-Identifier: GPL-3.0-or-later
#include "UnitCondition.h"
#include "AuditLog.h"
#include "Clock.h"
#include "Database.h"
#include "Operators.h"
#include "SupervisorService.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

void setUnitCondition(Database &db, const Clock &clock, const QString &stationId, qint64 receiptId,
                      const QString &condition, const QString &note, const QString &operatorId)
{
    static const QStringList conditions{QStringLiteral("working"), QStringLiteral("damaged"),
                                        QStringLiteral("not_working")};
    if (!conditions.contains(condition))
        throw SupervisorError(
            SupervisorError::Invalid,
            QCoreApplication::translate("SupervisorService",
                                        "\"%1\" is not a condition; use working, damaged or not_working.")
                .arg(condition));
    const QString text = note.trimmed();
    if (condition != QLatin1String("working") && text.isEmpty())
        throw SupervisorError(
            SupervisorError::Invalid,
            QCoreApplication::translate("SupervisorService",
                                        "Say what is wrong with the unit in a note: a %1 unit is not "
                                        "eligible for trade-in credit.")
                .arg(condition == QLatin1String("damaged")
                         ? QCoreApplication::translate("SupervisorService", "damaged")
                         : QCoreApplication::translate("SupervisorService", "not working")));
    if (text.size() > 2000)
        throw SupervisorError(
            SupervisorError::Invalid,
            QCoreApplication::translate("SupervisorService",
                                        "The note is longer than 2000 characters. Shorten it."));
    const QString now = isoUtc(clock.nowUtc());
    Transaction tx(db);
    const std::optional<Operators::Operator> op = Operators(db).byBadge(operatorId);
    if (!op)
        throw SupervisorError(SupervisorError::Denied,
                              QCoreApplication::translate("SupervisorService",
                                                          "Sign in first: %1 is not a registered operator.")
                                  .arg(operatorId.trimmed().toUpper()));
    QString serial, previous;
    {
        Statement r = db.prepare("SELECT r.serial, r.condition, r.voided, r.box_id, b.closed_at IS NULL, "
                                 "       st.active_box_id IS NOT DISTINCT FROM r.box_id "
                                 "FROM receipts r LEFT JOIN boxes b ON b.id = r.box_id "
                                 "LEFT JOIN station_state st ON st.station_id = ?2 WHERE r.id = ?1");
        if (!r.bind(1, receiptId).bind(2, stationId).next())
            throw SupervisorError(
                SupervisorError::NotFound,
                QCoreApplication::translate("SupervisorService", "There is no receipt #%1.").arg(receiptId));
        serial = r.text(0);
        previous = r.text(1);
        if (r.int64(2) != 0)
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService",
                                            "The scan of %1 was undone; there is no unit to describe.")
                    .arg(serial));
        if (r.isNull(3) || r.int64(4) == 0 || r.int64(5) == 0)
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService",
                                            "Unit %1 is not in this station's open box: its receipt has gone "
                                            "upstream and can no longer be changed here. Ask a supervisor.")
                    .arg(serial));
    }
    {
        // The open box's events are held; one that is not (it cannot be, but a supervisor may have queued
        // one) would already be on its way, and nothing upstream is ever taken back.
        Statement sent = db.prepare("SELECT 1 FROM outbox WHERE receipt_id = ?1 AND state NOT IN ('held', "
                                    "'cancelled') LIMIT 1");
        if (sent.bind(1, receiptId).next())
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService",
                                            "Unit %1's receipt is already on its way upstream and can no "
                                            "longer be changed.")
                    .arg(serial));
    }
    Statement up = db.prepare("UPDATE receipts SET condition = ?2 WHERE id = ?1");
    up.bind(1, receiptId).bind(2, condition).exec();
    // The held receipt event carries the condition upstream: rewrite it in place, key unchanged.
    QList<QPair<qint64, QByteArray>> events;
    {
        Statement ev = db.prepare("SELECT id, payload FROM outbox WHERE receipt_id = ?1 AND kind = 'receipt' "
                                  "AND state = 'held'");
        ev.bind(1, receiptId);
        while (ev.next())
            events.append({ev.int64(0), ev.utf8(1)});
    }
    for (const auto &[id, payload] : std::as_const(events)) {
        QJsonObject p = QJsonDocument::fromJson(payload).object();
        p.insert(QStringLiteral("condition"), condition);
        Statement w = db.prepare("UPDATE outbox SET payload = ?2 WHERE id = ?1");
        w.bind(1, id).bind(2, QJsonDocument(p).toJson(QJsonDocument::Compact)).exec();
    }
    QJsonObject details{{QStringLiteral("receipt_id"), receiptId},
                        {QStringLiteral("old"), previous},
                        {QStringLiteral("new"), condition},
                        {QStringLiteral("eligible"), condition == QLatin1String("working")}};
    if (!text.isEmpty())
        details.insert(QStringLiteral("note"), text);
    AuditLog::append(
        db, AuditLog::Entry{now, stationId, op->badge, QStringLiteral("unit_condition"), serial,
                            QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
    tx.commit();
}
