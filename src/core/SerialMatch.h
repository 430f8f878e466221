// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Verdict.h"

#include <QList>
#include <QString>

#include <optional>

// What the store knows about one scanned serial at one station, gathered by ReceivingService before deciding.
struct SerialFacts
{
    // The serial's first live (not voided) receipt anywhere.
    struct LiveReceipt
    {
        qint64 receiptId = 0;
        std::optional<qint64> boxId;
        QString boxLabel;   // for the message only
        QString receivedAt; // for the message only
        // Off every case line and held by an open exception a case change marked "now expected"
        // (CaseChanges::rematch): a rescan may receive it on that line.
        bool nowExpected = false;
    };
    // One case line that lists the serial.
    struct Expected
    {
        qint64 caseId = 0;
        int line = 0;
        QString sku;
        QString caseNumber;
        QString status;      // open | closed | cancelled
        QString disposition; // trade_in | destruction
        QString dueDate;
    };

    std::optional<LiveReceipt> live;
    QList<Expected> expected;        // by case number
    std::optional<qint64> boxId;     // the station's open box
    std::optional<qint64> boxCaseId; // that box's case
    bool boxHasOpenTradeIn = false;  // the box's case is an open trade-in case
    // Only asked when the serial is unknown and the box's case is an open trade-in case:
    bool boxHasOpenSerialLessLine = false;   // of any SKU
    std::optional<int> serialLessLineForSku; // of the SKU read beside the serial, when one was
};

// What a serial scan does. `outcome` is the verdict's; the rest says which case line or how many cases.
struct SerialDecision
{
    Outcome outcome = Outcome::Unmatched;
    // Matched / CrossCase: the line to receive on; DestructionCase / CaseClosed: the case that turned it
    // away.
    qsizetype expectedIndex = -1;
    int openCases = 0;          // Ambiguous: how many open trade-in cases expect it
    std::optional<int> skuLine; // MatchedBySku: the serial-less line of the SKU read beside it
    bool rematch = false;       // Matched / CrossCase of a unit whose live receipt is "now expected"
};

// Decides a serial scan from its facts, in this order: a live receipt in this box (duplicate) or elsewhere
// (already received), unless that receipt is "now expected" and the serial's one open line takes it (matched
// or cross-case with `rematch`); the box's own case, else the one open trade-in case that expects it
// (matched, or cross-case when the box has another case); several open trade-in cases (ambiguous); a
// destruction case, then a closed or cancelled case; an unknown serial in a box whose open trade-in case has
// an open serial-less line (bound at once to the line of a SKU read beside it, else awaiting its SKU); else
// unexpected in a box with a case, unmatched without one. Pure: no I/O, no clock; tested by table
// (tst_serialmatch).
class SerialMatch
{
public:
    static SerialDecision decide(const SerialFacts &facts);
};
