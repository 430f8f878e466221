// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanLookup.h"
#include "CaseLines.h"
#include "Database.h"

const ScanLookup::Found &ScanLookup::find(const QString &upper)
{
    if (const auto it = m_found.constFind(upper); it != m_found.constEnd())
        return *it;
    // One row per case line expecting the code (or one row when none does), each with the code's live receipt
    // (the unique live serial: at most one). Portable SQL; the flags are integers on both engines.
    Statement s = m_db.prepare(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM operators WHERE badge = ?1) THEN 1 ELSE 0 END, "
        "       CASE WHEN EXISTS (SELECT 1 FROM case_tracking WHERE tracking_number = ?1) THEN 1 ELSE 0 END, "
        "       r.id, r.box_id, b.label, r.received_at, "
        "       e.case_id, e.line, e.sku, c.case_number, c.status, c.disposition, c.due_date, "
        "       " RS_CASE_EXPECTED_UNITS("e.case_id") ", " RS_CASE_RECEIVED_ON_LINES(
            "e.case_id") ", "
                         "       CASE WHEN r.line IS NULL AND EXISTS (SELECT 1 FROM exceptions x WHERE "
                         "x.receipt_id = r.id AND x.status = 'open' AND x.now_expected_case_id IS NOT NULL) "
                         "THEN 1 ELSE 0 END "
                         "FROM (SELECT 1 AS one) k "
                         "LEFT JOIN receipts r ON r.serial = ?1 AND r.voided = 0 "
                         "LEFT JOIN boxes b ON b.id = r.box_id "
                         "LEFT JOIN expected_items e ON e.serial = ?1 "
                         "LEFT JOIN cases c ON c.id = e.case_id "
                         "ORDER BY c.case_number, e.line, r.id");
    s.bind(1, upper);
    Found f;
    bool first = true;
    while (s.next()) {
        if (first) {
            f.badge = s.int64(0) != 0;
            f.tracking = s.int64(1) != 0;
            if (!s.isNull(2))
                f.live = SerialFacts::LiveReceipt{
                    s.int64(2), s.isNull(3) ? std::nullopt : std::optional<qint64>(s.int64(3)),
                    s.isNull(4) ? QString() : s.text(4), s.text(5), s.int64(15) != 0};
            first = false;
        }
        if (s.isNull(6))
            continue;
        const qint64 caseId = s.int64(6);
        const int line = int(s.int64(7));
        if (!f.expected.isEmpty() && f.expected.back().line.caseId == caseId &&
            f.expected.back().line.line == line)
            continue; // the same line beside a second live receipt (none since the unique live serial)
        f.expected.append(Expected{
            SerialFacts::Expected{caseId, line, s.text(8), s.text(9), s.text(10), s.text(11), s.text(12)},
            s.int64(13), s.int64(14)});
    }
    return *m_found.insert(upper, std::move(f));
}

bool ScanLookup::isKnownTracking(const QString &upper)
{
    return find(upper).tracking;
}

bool ScanLookup::isSkuOfActiveCase(const QString &upper)
{
    if (!m_activeCase)
        return false;
    Statement s = m_db.prepare("SELECT 1 FROM expected_items WHERE case_id = ?1 AND sku = ?2 LIMIT 1");
    return s.bind(1, *m_activeCase).bind(2, upper).next();
}
