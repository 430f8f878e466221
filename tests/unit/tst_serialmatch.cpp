// SPDX-License-Identifier: GPL-3.0-or-later
#include "SerialMatch.h"

#include <QTest>

namespace {
// The box the station has open: "none", "label" (a box without a case) or "case" (a box of case 1).
// Expected lines as "CASEID:STATUS:DISPOSITION", e.g. "2:open:trade_in"; case numbers follow the ids.
SerialFacts facts(const QString &box, bool boxOpenTradeIn, const QString &live, const QStringList &expected,
                  bool serialLessLine, int skuLine)
{
    SerialFacts f;
    if (box != QLatin1String("none"))
        f.boxId = 100;
    if (box == QLatin1String("case"))
        f.boxCaseId = 1;
    f.boxHasOpenTradeIn = boxOpenTradeIn;
    if (live == QLatin1String("here"))
        f.live =
            SerialFacts::LiveReceipt{7, 100, QStringLiteral("BOX"), QStringLiteral("2026-01-02T10:00:00Z")};
    else if (live == QLatin1String("elsewhere"))
        f.live =
            SerialFacts::LiveReceipt{7, 200, QStringLiteral("OTHER"), QStringLiteral("2026-01-02T10:00:00Z")};
    else if (live == QLatin1String("nowexpected")) // held as an exception a case change marked
        f.live = SerialFacts::LiveReceipt{7, 200, QStringLiteral("OTHER"),
                                          QStringLiteral("2026-01-02T10:00:00Z"), true};
    else if (live == QLatin1String("nobox"))
        f.live = SerialFacts::LiveReceipt{7, std::nullopt, QString(), QStringLiteral("2026-01-02T10:00:00Z")};
    int line = 1;
    for (const QString &e : expected) {
        const QStringList p = e.split(QLatin1Char(':'));
        const qint64 id = p.at(0).toLongLong();
        f.expected.append(
            SerialFacts::Expected{id, line++, QStringLiteral("SKU-%1").arg(id),
                                  QStringLiteral("2026-0001-%1").arg(id, 4, 10, QLatin1Char('0')), p.at(1),
                                  p.at(2), QStringLiteral("2026-03-01")});
    }
    f.boxHasOpenSerialLessLine = serialLessLine;
    if (skuLine > 0)
        f.serialLessLineForSku = skuLine;
    return f;
}
} // namespace

class TestSerialMatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decide_data();
    void decide();
};

void TestSerialMatch::decide_data()
{
    QTest::addColumn<QString>("box");
    QTest::addColumn<bool>("boxOpenTradeIn");
    QTest::addColumn<QString>("live");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("serialLessLine");
    QTest::addColumn<int>("skuLine");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<int>("expectedIndex");
    QTest::addColumn<int>("openCases");
    QTest::addColumn<int>("decidedSkuLine");

    const QStringList none;
    // A live receipt comes first, whatever the cases say.
    QTest::newRow("live receipt in this box: duplicate")
        << "case" << true << "here" << QStringList{"1:open:trade_in"} << false << -1 << "duplicate" << -1 << 0
        << -1;
    QTest::newRow("live receipt in another box: already received")
        << "case" << true << "elsewhere" << QStringList{"1:open:trade_in"} << false << -1
        << "already_received" << -1 << 0 << -1;
    QTest::newRow("live receipt without a box, station has none: already received")
        << "none" << false << "nobox" << none << false << -1 << "already_received" << -1 << 0 << -1;
    QTest::newRow("live receipt without a box, station has one: already received")
        << "label" << false << "nobox" << none << false << -1 << "already_received" << -1 << 0 << -1;
    // A live receipt a case change made "now expected" (issue #12): the serial's open line takes the unit.
    QTest::newRow("now expected, box of its case: matched")
        << "case" << true << "nowexpected" << QStringList{"1:open:trade_in"} << false << -1 << "matched" << 0
        << 0 << -1;
    QTest::newRow("now expected, box of another case: cross case")
        << "case" << true << "nowexpected" << QStringList{"2:open:trade_in"} << false << -1 << "cross_case"
        << 0 << 0 << -1;
    QTest::newRow("now expected, but its case closed since: already received")
        << "case" << true << "nowexpected" << QStringList{"1:closed:trade_in"} << false << -1
        << "already_received" << -1 << 0 << -1;
    // The box's own case.
    QTest::newRow("own case's line: matched")
        << "case" << true << "" << QStringList{"1:open:trade_in"} << false << -1 << "matched" << 0 << 0 << -1;
    QTest::newRow("own case wins over another open case")
        << "case" << true << "" << QStringList{"2:open:trade_in", "1:open:trade_in"} << false << -1
        << "matched" << 1 << 0 << -1;
    QTest::newRow("own case wins over a destruction case")
        << "case" << true << "" << QStringList{"3:open:destruction", "1:open:trade_in"} << false << -1
        << "matched" << 1 << 0 << -1;
    // The one open trade-in case.
    QTest::newRow("no box, one open case: matched") << "none" << false << "" << QStringList{"2:open:trade_in"}
                                                    << false << -1 << "matched" << 0 << 0 << -1;
    QTest::newRow("box without a case, one open case: matched")
        << "label" << false << "" << QStringList{"2:open:trade_in"} << false << -1 << "matched" << 0 << 0
        << -1;
    QTest::newRow("box of another case: cross case") << "case" << true << "" << QStringList{"2:open:trade_in"}
                                                     << false << -1 << "cross_case" << 0 << 0 << -1;
    QTest::newRow("one open case beside closed ones: it is taken")
        << "none" << false << "" << QStringList{"4:closed:trade_in", "2:open:trade_in", "5:open:destruction"}
        << false << -1 << "matched" << 1 << 0 << -1;
    // Several.
    QTest::newRow("two open cases, neither the box's: ambiguous")
        << "case" << true << "" << QStringList{"2:open:trade_in", "3:open:trade_in"} << false << -1
        << "ambiguous" << -1 << 2 << -1;
    QTest::newRow("three open cases without a box: ambiguous")
        << "none" << false << "" << QStringList{"2:open:trade_in", "3:open:trade_in", "4:open:trade_in"}
        << false << -1 << "ambiguous" << -1 << 3 << -1;
    // No open trade-in case.
    QTest::newRow("destruction case") << "none" << false << "" << QStringList{"2:open:destruction"} << false
                                      << -1 << "destruction_case" << 0 << 0 << -1;
    QTest::newRow("destruction before closed, whatever the order")
        << "none" << false << "" << QStringList{"2:closed:trade_in", "3:open:destruction"} << false << -1
        << "destruction_case" << 1 << 0 << -1;
    QTest::newRow("first destruction case named")
        << "none" << false << "" << QStringList{"2:open:destruction", "3:open:destruction"} << false << -1
        << "destruction_case" << 0 << 0 << -1;
    QTest::newRow("closed case") << "case" << true << "" << QStringList{"2:closed:trade_in"} << false << -1
                                 << "case_closed" << 0 << 0 << -1;
    QTest::newRow("cancelled case") << "none" << false << "" << QStringList{"2:cancelled:trade_in"} << false
                                    << -1 << "case_closed" << 0 << 0 << -1;
    QTest::newRow("first closed case named")
        << "none" << false << "" << QStringList{"2:cancelled:trade_in", "3:closed:destruction"} << false << -1
        << "case_closed" << 0 << 0 << -1;
    QTest::newRow("the box's own closed case is still closed")
        << "case" << false << "" << QStringList{"1:closed:trade_in"} << false << -1 << "case_closed" << 0 << 0
        << -1;
    // Unknown serials.
    QTest::newRow("unknown, open serial-less line, no SKU read: awaiting SKU")
        << "case" << true << "" << none << true << -1 << "awaiting_sku" << -1 << 0 << -1;
    QTest::newRow("unknown, SKU read beside it has a line: matched by SKU")
        << "case" << true << "" << none << true << 3 << "matched_by_sku" << -1 << 0 << 3;
    QTest::newRow("unknown, no open serial-less line: unexpected")
        << "case" << true << "" << none << false << -1 << "unexpected" << -1 << 0 << -1;
    QTest::newRow("unknown, box's case not an open trade-in: unexpected")
        << "case" << false << "" << none << true << 3 << "unexpected" << -1 << 0 << -1;
    QTest::newRow("unknown, box without a case: unmatched")
        << "label" << false << "" << none << false << -1 << "unmatched" << -1 << 0 << -1;
    QTest::newRow("unknown, no box: unmatched")
        << "none" << false << "" << none << false << -1 << "unmatched" << -1 << 0 << -1;
}

void TestSerialMatch::decide()
{
    QFETCH(QString, box);
    QFETCH(bool, boxOpenTradeIn);
    QFETCH(QString, live);
    QFETCH(QStringList, expected);
    QFETCH(bool, serialLessLine);
    QFETCH(int, skuLine);
    QFETCH(QString, outcome);
    QFETCH(int, expectedIndex);
    QFETCH(int, openCases);
    QFETCH(int, decidedSkuLine);

    const SerialDecision d =
        SerialMatch::decide(facts(box, boxOpenTradeIn, live, expected, serialLessLine, skuLine));
    QCOMPARE(outcomeName(d.outcome), outcome);
    QCOMPARE(int(d.expectedIndex), expectedIndex);
    QCOMPARE(d.openCases, openCases);
    QCOMPARE(d.skuLine.value_or(-1), decidedSkuLine);
}

QTEST_GUILESS_MAIN(TestSerialMatch)
#include "tst_serialmatch.moc"
