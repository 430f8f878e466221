// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class Database;

// A case's Totals as two scalar subqueries on the case id expression `caseId` (a string literal), for a query
// that reads them beside other columns (ScanLookup). CaseLines::totals is the same two.
#define RS_CASE_EXPECTED_UNITS(caseId)                                                                       \
    "(SELECT COALESCE(sum(x.quantity), 0) FROM expected_items x WHERE x.case_id = " caseId ")"
#define RS_CASE_RECEIVED_ON_LINES(caseId)                                                                    \
    "(SELECT count(*) FROM receipts y WHERE y.case_id = " caseId " AND y.line IS NOT NULL AND y.voided = 0)"

// How far a case's expected lines are filled: the only place that counts live (not voided) receipts against
// lines. A receipt fills a line when it carries the line's number; voided receipts count nowhere. The scan,
// the supervisor's assignment, the case detail and the receive screen all ask here, so "open", "missing" and
// "complete" mean the same everywhere. Reads only; runs in the caller's transaction when there is one.
class CaseLines
{
public:
    struct Line
    {
        int line = 0;
        QString sku;
        QString description;
        QString serial; // empty: a serial-less line ("serial at dock")
        int quantity = 1;
        int received = 0;            // live receipts on the line (may exceed the quantity)
        QStringList receivedSerials; // only from lines(caseId, true): in receipt order
        bool complete() const { return received >= quantity; }
    };
    // A line that still expects units.
    struct OpenLine
    {
        int line = 0;
        QString sku;
        QString serial;
    };
    struct Totals
    {
        qint64 expectedUnits = 0;   // the quantities of every line
        qint64 receivedOnLines = 0; // live receipts on any line
        bool complete() const { return expectedUnits > 0 && receivedOnLines == expectedUnits; }
    };

    explicit CaseLines(Database &db);

    // Every line in line order with its live receipt count (and, when asked, the serials received on it).
    QList<Line> lines(qint64 caseId, bool withSerials = false);
    // Lines with fewer live receipts than their quantity, in line order.
    QList<OpenLine> openLines(qint64 caseId);
    // The numbers of those lines: what a closing box or a partial closure reports missing.
    QList<int> missingLines(qint64 caseId);
    // The open line that lists `serial`, if any.
    std::optional<OpenLine> openLineForSerial(qint64 caseId, const QString &serial);
    // Open serial-less lines of `sku` in line order; an empty `sku` means any SKU.
    QList<OpenLine> openSerialLessLines(qint64 caseId, const QString &sku);
    // The first of them.
    std::optional<int> openSerialLessLine(qint64 caseId, const QString &sku);
    Totals totals(qint64 caseId);
    // Holds the case's row until the transaction ends, so stations receiving units of one case at once count
    // each other's receipts (one `complete`, one closure; a serial-less line filled once). PostgreSQL only:
    // SQLite's writer lock already covers the whole database.
    void lockCase(qint64 caseId);
    // The serials received on the case's lines, by line then receipt: a closure's "received".
    QStringList receivedSerials(qint64 caseId);

private:
    Database &m_db;
};
