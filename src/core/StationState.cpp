// SPDX-License-Identifier: GPL-3.0-or-later
#include "StationState.h"
#include "AuditLog.h"
#include "CaseLines.h"
#include "Database.h"
#include "UpstreamEvents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

bool StationState::boxHasOpenTradeIn() const
{
    return caseId && caseStatus == QLatin1String("open") && disposition == QLatin1String("trade_in");
}

void StationState::clearBox()
{
    boxId.reset();
    boxLabel.clear();
    caseId.reset();
    caseNumber.clear();
    customer.clear();
    phase = 0;
    caseStatus.clear();
    disposition.clear();
    dueDate.clear();
}

#define RS_STATION_STATE_SELECT                                                                              \
    "SELECT s.operator_id, o.name, o.role, b.id, b.label, c.id, c.case_number, c.customer_name, c.phase, "   \
    "       c.status, c.disposition, c.due_date, r.id, r.serial "                                            \
    "FROM station_state s "                                                                                  \
    "LEFT JOIN operators o ON o.badge = s.operator_id "                                                      \
    "LEFT JOIN boxes b ON b.id = s.active_box_id AND b.closed_at IS NULL "                                   \
    "LEFT JOIN cases c ON c.id = b.case_id "                                                                 \
    "LEFT JOIN receipts r ON r.id = s.pending_receipt_id AND r.voided = 0 AND r.pending_sku = 1 "

StationState StationState::load(Database &db, const QString &stationId, CaseLock lock)
{
    StationState st;
    st.id = stationId;
    // PostgreSQL only (SQLite's writer lock already covers the whole database): the case row is locked by a
    // sub-select, as FOR UPDATE may not name the nullable side of an outer join. Waiting for that lock, the
    // statement still answers from the snapshot it started with; what depends on other stations' receipts is
    // read by the scan's later statements, which see whatever committed before the lock was granted.
    Statement s =
        lock == CaseLock::BoxCase && db.isPostgres()
            ? db.prepare(RS_STATION_STATE_SELECT
                         "LEFT JOIN LATERAL (SELECT l.id FROM cases l WHERE l.id = b.case_id FOR UPDATE) "
                         "lk ON true "
                         "WHERE s.station_id = ?1")
            : db.prepare(RS_STATION_STATE_SELECT "WHERE s.station_id = ?1");
    if (!s.bind(1, stationId).next())
        return st;
    st.operatorId = s.text(0);
    st.operatorName = s.text(1);
    st.operatorRole = s.text(2);
    if (!s.isNull(3)) {
        st.boxId = s.int64(3);
        st.boxLabel = s.text(4);
    }
    if (!s.isNull(5)) {
        st.caseId = s.int64(5);
        st.caseNumber = s.text(6);
        st.customer = s.text(7);
        st.phase = int(s.int64(8));
        st.caseStatus = s.text(9);
        st.disposition = s.text(10);
        st.dueDate = s.text(11);
    }
    if (!s.isNull(12)) {
        st.pendingReceiptId = s.int64(12);
        st.pendingSerial = s.text(13);
    }
    return st;
}

void StationState::save(Database &db, const QString &now) const
{
    Statement s = db.prepare("INSERT INTO station_state (station_id, active_box_id, pending_receipt_id, "
                             "operator_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                             "ON CONFLICT(station_id) DO UPDATE SET active_box_id = excluded.active_box_id, "
                             "pending_receipt_id = excluded.pending_receipt_id, "
                             "operator_id = excluded.operator_id, updated_at = excluded.updated_at");
    s.bind(1, id);
    boxId ? s.bind(2, *boxId) : s.bindNull(2);
    pendingReceiptId ? s.bind(3, *pendingReceiptId) : s.bindNull(3);
    s.bind(4, operatorId).bind(5, now).send();
}

StationState::ClosedBox StationState::closeBox(Database &db, const QString &now)
{
    ClosedBox closed;
    closed.label = boxLabel;
    closed.caseNumber = caseNumber;
    if (pendingReceiptId) {
        // A unit still waiting for its SKU when the box closes can no longer be bound: it is unexpected.
        Statement up =
            db.prepare("UPDATE receipts SET outcome = 'unexpected', pending_sku = 0 WHERE id = ?1");
        up.bind(1, *pendingReceiptId).exec();
        closed.unboundSerial = pendingSerial;
        closed.unboundException =
            recordException(db, now, QStringLiteral("unexpected"), pendingReceiptId, caseId, pendingSerial);
        UpstreamEvents(db).queueUnmatched(
            UpstreamEvents::Unmatched{*pendingReceiptId, pendingSerial, QString(), caseNumber,
                                      UpstreamEvents::trackingNumber(boxLabel, caseNumber), id,
                                      QStringLiteral("Unit left without a SKU when its box closed.")},
            boxId, now);
        pendingReceiptId.reset();
    }
    Statement close = db.prepare("UPDATE boxes SET closed_at = ?2 WHERE id = ?1");
    close.bind(1, *boxId).bind(2, now).send();
    Statement release = db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = ?2 "
                                   "WHERE box_id = ?1 AND state = 'held'");
    release.bind(1, *boxId).bind(2, now).send();
    if (caseId)
        closed.missingLines = CaseLines(db).missingLines(*caseId);
    QJsonArray missing;
    for (int x : std::as_const(closed.missingLines))
        missing.append(x);
    audit(db, now, QStringLiteral("box_closed"), boxLabel,
          QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("missing_lines"), missing}})
                                .toJson(QJsonDocument::Compact)));
    clearBox();
    save(db, now);
    return closed;
}

qint64 StationState::recordException(Database &db, const QString &now, const QString &kind,
                                     std::optional<qint64> receiptId, std::optional<qint64> caseId,
                                     const QString &serial) const
{
    Statement s = db.prepare("INSERT INTO exceptions (kind, receipt_id, box_id, case_id, serial, station_id, "
                             "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, kind);
    receiptId ? s.bind(2, *receiptId) : s.bindNull(2);
    boxId ? s.bind(3, *boxId) : s.bindNull(3);
    caseId ? s.bind(4, *caseId) : s.bindNull(4);
    s.bind(5, serial).bind(6, id).bind(7, now).exec();
    return db.lastInsertId();
}

void StationState::audit(Database &db, const QString &now, const QString &action, const QString &subject,
                         const QString &details) const
{
    AuditLog::append(db, AuditLog::Entry{now, id, operatorId, action, subject, details});
}
