// SPDX-License-Identifier: GPL-3.0-or-later
#include "SerialMatch.h"

SerialDecision SerialMatch::decide(const SerialFacts &f)
{
    SerialDecision d;
    const auto live = [&f, &d]() {
        d.outcome = f.boxId && f.live->boxId == f.boxId ? Outcome::Duplicate : Outcome::AlreadyReceived;
        return d;
    };
    if (f.live && !f.live->nowExpected)
        return live();

    qsizetype ownBox = -1, onlyOpen = -1, destruction = -1, closed = -1;
    int openTradeIn = 0;
    for (qsizetype i = 0; i < f.expected.size(); ++i) {
        const SerialFacts::Expected &e = f.expected.at(i);
        const bool open = e.status == QLatin1String("open");
        if (open && e.disposition == QLatin1String("trade_in")) {
            ++openTradeIn;
            if (onlyOpen < 0)
                onlyOpen = i;
            if (f.boxCaseId && e.caseId == *f.boxCaseId)
                ownBox = i;
        } else if (open) {
            destruction = destruction < 0 ? i : destruction;
        } else {
            closed = closed < 0 ? i : closed;
        }
    }

    if (ownBox >= 0) {
        d.outcome = Outcome::Matched;
        d.expectedIndex = ownBox;
        d.rematch = f.live.has_value();
        return d;
    }
    if (openTradeIn == 1) {
        d.outcome = f.boxCaseId ? Outcome::CrossCase : Outcome::Matched;
        d.expectedIndex = onlyOpen;
        d.rematch = f.live.has_value();
        return d;
    }
    if (f.live)
        return live();
    if (openTradeIn > 1) {
        d.outcome = Outcome::Ambiguous;
        d.openCases = openTradeIn;
        return d;
    }
    if (destruction >= 0 || closed >= 0) {
        d.outcome = destruction >= 0 ? Outcome::DestructionCase : Outcome::CaseClosed;
        d.expectedIndex = destruction >= 0 ? destruction : closed;
        return d;
    }

    // Unknown serial.
    if (f.boxHasOpenTradeIn && f.boxHasOpenSerialLessLine) {
        if (f.serialLessLineForSku) {
            d.outcome = Outcome::MatchedBySku;
            d.skuLine = f.serialLessLineForSku;
        } else {
            d.outcome = Outcome::AwaitingSku;
        }
        return d;
    }
    d.outcome = f.boxCaseId ? Outcome::Unexpected : Outcome::Unmatched;
    return d;
}
