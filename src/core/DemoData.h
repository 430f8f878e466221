// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QString>

class Database;

// Deterministic demo and benchmark data: a handful of realistic TMIP cases (every situation the dock meets)
// and, on request, bulk cases holding up to millions of expected serials.
class DemoData
{
public:
    struct Options
    {
        QDate today;            // dates are set relative to it, so "late" and "due soon" stay true
        qint64 bulkSerials = 0; // extra expected serials in synthetic cases of ten lines
        bool operators = true;  // also register the demo badges
    };
    struct Summary
    {
        int cases = 0;
        qint64 serials = 0;
        int operators = 0;
    };

    // Writes everything in one transaction (idempotent: cases are upserted, badges added once).
    static Summary write(Database &db, const Options &options);
    // Why demo data must not go into this database (it holds cases demo-data did not make: real work,
    // where demo badges with known PINs have no place), or an empty string.
    static QString refusal(Database &db);
    // A serial of the bulk set, for benchmarks: index 0 .. bulkSerials-1.
    static QString bulkSerial(qint64 index);
    static QString bulkCaseNumber(qint64 caseIndex);
};
