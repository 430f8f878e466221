// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CaseRecord.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

class Database;

// The one way a case's lines change (upstream pull, import-cases, demo-data, a Trade-In Form): it diffs the
// stored lines against the new ones and never loses a receipt. A received unit keeps its receipt: on the
// line that now lists its serial, else on its own line while that line is still serial-less for its SKU,
// else on another serial-less line of its SKU with room; a unit left without a line keeps its receipt off
// the lines and becomes an open `unexpected` exception saying which line went away. Every change is a
// `case_changed` audit row. rematch() then marks open exceptions whose serial a case now expects.
// Writes in the caller's transaction; a preview is the same calls in a transaction that is rolled back.
class CaseChanges
{
public:
    enum class Source { Upstream, ImportCases, DemoData, ImportForm };
    static QString sourceName(Source source); // upstream | import-cases | demo-data | import-form

    struct Context
    {
        Source source = Source::Upstream;
        QString actor; // the audit row's actor; empty: the source's name
        QString now;   // UTC ISO-8601 with ms
        QString why;   // e.g. "the Trade-In Form trade-in.xlsx": named in an orphaned unit's exception
    };

    enum class Change { Inserted, Updated, Unchanged };
    struct Moved
    {
        QString serial;
        int fromLine = 0;
        int toLine = 0;
    };
    struct Orphaned
    {
        QString serial;
        int line = 0;
        qint64 receiptId = 0;
        qint64 exceptionId = 0;
    };
    struct Result
    {
        Change change = Change::Unchanged;
        qint64 caseId = 0;
        int linesBefore = 0;
        int linesAfter = 0;
        QList<int> added, changed, removed; // line numbers
        QList<Moved> moved;
        QList<Orphaned> orphaned;
        QJsonObject
        toJson() const; // lines_before/after, lines_added/changed/removed, receipts_moved/orphaned
    };

    // A live receipt on one of the case's lines, and where placeReceipts() puts it (nullopt: on no line).
    struct Receipt
    {
        qint64 id = 0;
        QString serial;
        QString sku;
        int line = 0;
    };
    // Pure: the line each receipt (in receipt order) holds under the new lines, by the rules above.
    static QList<std::optional<int>> placeReceipts(const QList<CaseRecord::Item> &newLines,
                                                   const QList<Receipt> &receipts);

    explicit CaseChanges(Database &db);

    // Inserts or changes the case. Unchanged when the stored copy is as new or newer, unless `force` (a
    // Trade-In Form changes the lines of the stored case without a newer upstream time).
    Result apply(const CaseRecord &record, const Context &context, bool force = false);
    // Marks every open unexpected / unmatched / already_received / ambiguous exception (case_closed: when
    // its own case expects it again) whose serial exactly one open trade-in case now expects on an open line
    // as "now expected: case, line", and clears marks that no longer hold. Set-based: two UPDATEs whatever
    // the number of exceptions. Returns how many exceptions got a new or different mark.
    int rematch();
    // A rescan received a "now expected" unit on its line (ReceivingService): its old receipt (off the lines)
    // is voided, the open exceptions of that receipt resolve as `rematched`, a held unmatched report is
    // dropped. Returns the key of the unit's unmatched report that has left (or may have left) the station,
    // for the new receipt's `supersedes_unmatched`; empty when none.
    QString rematched(qint64 oldReceiptId, qint64 caseId, const QString &operatorId, const QString &now);
    // The stored case as a record (lines in line order); nullopt when unknown.
    std::optional<CaseRecord> load(const QString &caseNumber);

private:
    Database &m_db;
};
