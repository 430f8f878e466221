// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseLines.h"
#include "Database.h"

#include <QHash>

// The live receipts on line e of its case: the one definition of a line's progress. Portable SQL (SQLite and
// PostgreSQL): an explicit integer comparison for the flag.
#define RS_RECEIVED_ON_LINE                                                                                  \
    "(SELECT count(*) FROM receipts r WHERE r.case_id = e.case_id AND r.line = e.line AND r.voided = 0)"

CaseLines::CaseLines(Database &db) : m_db(db) {}

QList<CaseLines::Line> CaseLines::lines(qint64 caseId, bool withSerials)
{
    QList<Line> out;
    Statement s =
        m_db.prepare("SELECT e.line, e.sku, e.description, e.serial, e.quantity, " RS_RECEIVED_ON_LINE
                     " FROM expected_items e WHERE e.case_id = ?1 ORDER BY e.line");
    s.bind(1, caseId);
    while (s.next())
        out.append(
            Line{int(s.int64(0)), s.text(1), s.text(2), s.text(3), int(s.int64(4)), int(s.int64(5)), {}});
    s.reset();
    if (!withSerials || out.isEmpty())
        return out;
    QHash<int, qsizetype> index;
    for (qsizetype i = 0; i < out.size(); ++i)
        index.insert(out.at(i).line, i);
    Statement r = m_db.prepare("SELECT line, serial FROM receipts WHERE case_id = ?1 AND line IS NOT NULL "
                               "AND voided = 0 ORDER BY line, id");
    r.bind(1, caseId);
    while (r.next()) {
        const auto it = index.constFind(int(r.int64(0)));
        if (it != index.constEnd())
            out[*it].receivedSerials.append(r.text(1));
    }
    return out;
}

QList<CaseLines::OpenLine> CaseLines::openLines(qint64 caseId)
{
    QList<OpenLine> out;
    Statement s = m_db.prepare("SELECT e.line, e.sku, e.serial FROM expected_items e WHERE e.case_id = ?1 "
                               "AND e.quantity > " RS_RECEIVED_ON_LINE " ORDER BY e.line");
    s.bind(1, caseId);
    while (s.next())
        out.append(OpenLine{int(s.int64(0)), s.text(1), s.isNull(2) ? QString() : s.text(2)});
    return out;
}

QList<int> CaseLines::missingLines(qint64 caseId)
{
    QList<int> out;
    for (const OpenLine &l : openLines(caseId))
        out.append(l.line);
    return out;
}

std::optional<CaseLines::OpenLine> CaseLines::openLineForSerial(qint64 caseId, const QString &serial)
{
    for (const OpenLine &l : openLines(caseId)) {
        if (!l.serial.isEmpty() && l.serial == serial)
            return l;
    }
    return std::nullopt;
}

QList<CaseLines::OpenLine> CaseLines::openSerialLessLines(qint64 caseId, const QString &sku)
{
    QList<OpenLine> out;
    for (const OpenLine &l : openLines(caseId)) {
        if (l.serial.isEmpty() && (sku.isEmpty() || l.sku == sku))
            out.append(l);
    }
    return out;
}

std::optional<int> CaseLines::openSerialLessLine(qint64 caseId, const QString &sku)
{
    const QList<OpenLine> open = openSerialLessLines(caseId, sku);
    if (open.isEmpty())
        return std::nullopt;
    return open.front().line;
}

CaseLines::Totals CaseLines::totals(qint64 caseId)
{
    Statement s = m_db.prepare("SELECT " RS_CASE_EXPECTED_UNITS("?1") ", " RS_CASE_RECEIVED_ON_LINES("?1"));
    s.bind(1, caseId).next();
    return Totals{s.int64(0), s.int64(1)};
}

QStringList CaseLines::receivedSerials(qint64 caseId)
{
    QStringList out;
    Statement r = m_db.prepare("SELECT serial FROM receipts WHERE case_id = ?1 AND line IS NOT NULL "
                               "AND voided = 0 ORDER BY line, id");
    r.bind(1, caseId);
    while (r.next())
        out.append(r.text(0));
    return out;
}

void CaseLines::lockCase(qint64 caseId)
{
    if (!m_db.isPostgres())
        return;
    Statement s = m_db.prepare("SELECT id FROM cases WHERE id = ?1 FOR UPDATE");
    s.bind(1, caseId).exec();
}
