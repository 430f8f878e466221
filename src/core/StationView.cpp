// SPDX-License-Identifier: GPL-3.0-or-later
#include "StationView.h"
#include "CaseLines.h"
#include "Database.h"
#include "StationState.h"

BoxSnapshot StationView::snapshot(Database &db, const QString &stationId, const QDate &today)
{
    BoxSnapshot s;
    s.stationId = stationId;
    const StationState st = StationState::load(db, stationId);
    s.operatorId = st.operatorId;
    s.operatorName = st.operatorName;
    s.operatorRole = st.operatorRole;
    s.boxId = st.boxId;
    s.boxLabel = st.boxLabel;
    s.pendingSerial = st.pendingSerial;
    if (!st.caseId)
        return s;
    s.caseNumber = st.caseNumber;
    s.customer = st.customer;
    s.phase = st.phase;
    s.disposition = st.disposition;
    s.caseStatus = st.caseStatus;
    s.dueDate = QDate::fromString(st.dueDate, Qt::ISODate);
    s.daysLeft = s.dueDate.isValid() ? int(today.daysTo(s.dueDate)) : 0;
    s.late = s.dueDate.isValid() && today > s.dueDate;
    for (const CaseLines::Line &l : CaseLines(db).lines(*st.caseId)) {
        const BoxSnapshot::Line line{l.line, l.sku, l.description, l.serial, l.quantity, l.received};
        s.expectedUnits += line.quantity;
        s.receivedUnits += std::min(line.received, line.quantity);
        s.lines.append(line);
    }
    return s;
}
