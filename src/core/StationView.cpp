// SPDX-License-Identifier: GPL-3.0-or-later
#include "StationView.h"
#include "Database.h"

BoxSnapshot StationView::snapshot(Database &db, const QString &stationId, const QDate &today)
{
    BoxSnapshot s;
    s.stationId = stationId;
    std::optional<qint64> caseId;
    {
        Statement q = db.prepare(
            "SELECT st.operator_id, o.name, o.role, b.id, b.label, c.id, c.case_number, c.customer_name, "
            "c.phase, "
            "       c.disposition, c.status, c.due_date, r.serial "
            "FROM station_state st "
            "LEFT JOIN operators o ON o.badge = st.operator_id "
            "LEFT JOIN boxes b ON b.id = st.active_box_id AND b.closed_at IS NULL "
            "LEFT JOIN cases c ON c.id = b.case_id "
            "LEFT JOIN receipts r ON r.id = st.pending_receipt_id AND r.voided = 0 AND r.pending_sku = 1 "
            "WHERE st.station_id = ?1");
        if (!q.bind(1, stationId).next())
            return s;
        s.operatorId = q.text(0);
        s.operatorName = q.text(1);
        s.operatorRole = q.text(2);
        if (!q.isNull(3)) {
            s.boxId = q.int64(3);
            s.boxLabel = q.text(4);
        }
        if (!q.isNull(5)) {
            caseId = q.int64(5);
            s.caseNumber = q.text(6);
            s.customer = q.text(7);
            s.phase = int(q.int64(8));
            s.disposition = q.text(9);
            s.caseStatus = q.text(10);
            s.dueDate = QDate::fromString(q.text(11), Qt::ISODate);
            s.daysLeft = s.dueDate.isValid() ? int(today.daysTo(s.dueDate)) : 0;
            s.late = s.dueDate.isValid() && today > s.dueDate;
        }
        s.pendingSerial = q.text(12);
    }
    if (!caseId)
        return s;
    Statement l =
        db.prepare("SELECT e.line, e.sku, e.description, e.serial, e.quantity, "
                   "(SELECT count(*) FROM receipts r WHERE r.case_id = e.case_id AND r.line = e.line "
                   " AND r.voided = 0) "
                   "FROM expected_items e WHERE e.case_id = ?1 ORDER BY e.line");
    l.bind(1, *caseId);
    while (l.next()) {
        BoxSnapshot::Line line{int(l.int64(0)), l.text(1),       l.text(2),
                               l.text(3),       int(l.int64(4)), int(l.int64(5))};
        s.expectedUnits += line.quantity;
        s.receivedUnits += std::min(line.received, line.quantity);
        s.lines.append(line);
    }
    return s;
}
