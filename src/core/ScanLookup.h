// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanClassifier.h"
#include "SerialMatch.h"

#include <QHash>

#include <optional>

class Database;

// What the store knows about one scanned code, read in one query: whether it is a badge, a known tracking
// number or an expected serial, its live receipt, and the case lines that expect it with each case's totals.
// The classifier's questions and the serial's facts are answered from that row set, so a serial scan costs
// one look-up instead of five (a round trip each on the depot's PostgreSQL). A question about another code
// (a carrier number inside the scan, the SKU of the box's case) is its own indexed query.
class ScanLookup : public ScanFacts
{
public:
    // One case line that lists the code, with its case's totals read in the same query.
    struct Expected
    {
        SerialFacts::Expected line;
        qint64 caseExpectedUnits = 0; // CaseLines::Totals of the line's case, before this scan
        qint64 caseReceivedOnLines = 0;
    };
    struct Found
    {
        bool badge = false;
        bool tracking = false;
        std::optional<SerialFacts::LiveReceipt> live;
        QList<Expected> expected; // by case number
    };

    ScanLookup(Database &db, std::optional<qint64> activeCase) : m_db(db), m_activeCase(activeCase) {}

    // Everything about `upper` (read once per code and scan).
    const Found &find(const QString &upper);

    bool isBadge(const QString &upper) override { return find(upper).badge; }
    bool isKnownTracking(const QString &upper) override;
    bool isKnownSerial(const QString &upper) override { return !find(upper).expected.isEmpty(); }
    bool isSkuOfActiveCase(const QString &upper) override;

private:
    Database &m_db;
    std::optional<qint64> m_activeCase;
    QHash<QString, Found> m_found;
};
