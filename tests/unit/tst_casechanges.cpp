// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseChanges.h"
#include "CaseStore.h"
#include "Clock.h"
#include "Database.h"
#include "ExceptionQueue.h"
#include "Operators.h"
#include "ReceivingService.h"
#include "SupervisorService.h"
#include "TableDump.h"

#include "TestStore.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {
const QString Station = QStringLiteral("S1");
const QString Dock = QStringLiteral("DOCK-1");
const QString Sup = QStringLiteral("SUP-1");
const QDateTime Now(QDate(2026, 1, 15), QTime(18, 0), Qt::UTC);
const QString P = QStringLiteral("2026-0300-0001"); // the reproduction
const QString Q = QStringLiteral("2026-0300-0002"); // a serial-less line of SKU-X
const QString R = QStringLiteral("2026-0300-0003"); // two serial lines, one removed later
const QString O = QStringLiteral("2026-0300-0004"); // another open case
const QString SkuX = QStringLiteral("SKU-X");

CaseRecord::Item item(int line, const QString &sku, const QString &serial = {}, int quantity = 1)
{
    return CaseRecord::Item{line, sku, QStringLiteral("Unit"), serial, quantity};
}

CaseRecord record(const QString &number, QList<CaseRecord::Item> items, int version = 1)
{
    CaseRecord r;
    r.caseNumber = number;
    r.disposition = QStringLiteral("trade_in");
    r.status = QStringLiteral("open");
    r.customerName = QStringLiteral("Customer");
    r.orderDate = QDate(2025, 12, 1);
    r.dueDate = QDate(2026, 6, 1);
    r.items = std::move(items);
    r.updatedAt = QStringLiteral("2026-01-0%1T00:00:00.000Z").arg(version);
    return r;
}

qint64 count(Database &db, const QByteArray &sql)
{
    Statement s = db.prepare(sql.constData());
    return s.next() ? s.int64(0) : -1;
}

// Every row a refusal or a dry run must leave as it was.
QString everything(Database &db)
{
    return dumpTables(db, {"cases", "expected_items", "case_tracking", "receipts", "exceptions", "outbox",
                           "boxes", "case_forms", "audit_log", "audit_head"});
}

TradeInFormImport form(const QString &caseNumber, QList<TradeInFormImport::Line> lines)
{
    TradeInFormImport f;
    f.caseNumber = caseNumber;
    f.caseCell = QStringLiteral("cell C3");
    f.sheetName = QStringLiteral("Trade-In");
    f.fileName = QStringLiteral("/tmp/trade-in.xlsx");
    f.sha256 = QStringLiteral("ab12");
    int row = 8;
    for (TradeInFormImport::Line &l : lines) {
        l.sheet = f.sheetName;
        l.row = row++;
        l.serialColumn = QStringLiteral("D");
    }
    f.lines = lines;
    return f;
}

TradeInFormImport::Line formLine(int line, const QString &sku, const QString &serial = {}, int quantity = 1)
{
    return TradeInFormImport::Line{line, sku, QStringLiteral("Unit"), serial, quantity, {}, 0, {}};
}
} // namespace

class TestCaseChanges : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void placeReceipts_data();
    void placeReceipts();
    void reproductionAssignsInOneCall();
    void reproductionRescanIsMatched();
    void rescanInTheOpenBoxDropsTheReport();
    void skuBoundUnitTakesItsNewSerialLine();
    void removedLineKeepsTheReceipt();
    void rematchMarksOnlyOneOpenLine();
    void rematchClearsStaleMarks();
    void importJsonRematches();
    void formPreviewEqualsApplyAndDryRunChangesNothing();
    void formRefusalsChangeNothing_data();
    void formRefusalsChangeNothing();
    void formIsKept();

private:
    Verdict scan(const QString &raw);
    void upsert(const CaseRecord &r);
    qint64 exceptionOf(const QString &serial, const QString &kind);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    FixedClock m_clock{Now};
    std::unique_ptr<ReceivingService> m_receiving;
    std::unique_ptr<SupervisorService> m_sup;
};

void TestCaseChanges::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestCaseChanges::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock.set(Now);
    m_db = std::make_unique<Database>();
    m_db->open(TestStore::location(m_dir->filePath(QStringLiteral("r.db"))));
    upsert(record(
        P, {item(1, SkuX, QStringLiteral("PE1100000001")), item(2, SkuX, QStringLiteral("PE1100000002"))}));
    upsert(record(Q, {item(1, SkuX, {}, 2)}));
    upsert(record(
        R, {item(1, SkuX, QStringLiteral("RS1100000001")), item(2, SkuX, QStringLiteral("RS1100000002"))}));
    upsert(record(O, {item(1, SkuX, QStringLiteral("OS1100000001"))}));
    QString why;
    Operators ops(*m_db);
    QVERIFY2(
        ops.add(Dock, QStringLiteral("Dana Dock"), Operators::Role::Dock, {}, QStringLiteral("test"), &why),
        qPrintable(why));
    QVERIFY2(ops.add(Sup, QStringLiteral("Sam Super"), Operators::Role::Supervisor, {},
                     QStringLiteral("test"), &why),
             qPrintable(why));
    m_receiving = std::make_unique<ReceivingService>(*m_db, m_clock, ReceivingService::Options{});
    m_receiving->signIn(Station, Dock);
    m_sup = std::make_unique<SupervisorService>(*m_db, m_clock);
    m_sup->setStationId(QStringLiteral("SUP-DESK"));
}

void TestCaseChanges::cleanup()
{
    m_sup.reset();
    m_receiving.reset();
    m_db.reset();
    m_dir.reset();
}

void TestCaseChanges::upsert(const CaseRecord &r)
{
    Transaction tx(*m_db);
    CaseStore store(*m_db);
    store.upsert(r, CaseStore::Origin::Import);
    store.rematch();
    tx.commit();
}

Verdict TestCaseChanges::scan(const QString &raw)
{
    ScanEvent e;
    e.raw = raw.toUtf8();
    e.sourceId = QStringLiteral("test");
    const Verdict v = m_receiving->scan(e, Station);
    m_clock.set(m_clock.nowUtc().addSecs(1));
    return v;
}

qint64 TestCaseChanges::exceptionOf(const QString &serial, const QString &kind)
{
    Statement s = m_db->prepare("SELECT id FROM exceptions WHERE serial = ?1 AND kind = ?2 ORDER BY id DESC");
    return s.bind(1, serial).bind(2, kind).next() ? s.int64(0) : -1;
}

void TestCaseChanges::placeReceipts_data()
{
    QTest::addColumn<QList<CaseRecord::Item>>("lines");
    QTest::addColumn<QList<CaseChanges::Receipt>>("receipts");
    QTest::addColumn<QList<int>>("placed"); // 0: on no line

    const QList<CaseRecord::Item> serialLess{item(1, SkuX, {}, 2)};
    QTest::newRow("kept on its serial-less line")
        << serialLess << QList<CaseChanges::Receipt>{{1, "A1", SkuX, 1}, {2, "A2", SkuX, 1}}
        << QList<int>{1, 1};
    QTest::newRow("no room for the third")
        << serialLess
        << QList<CaseChanges::Receipt>{{1, "A1", SkuX, 1}, {2, "A2", SkuX, 1}, {3, "A3", SkuX, 1}}
        << QList<int>{1, 1, 0};
    QTest::newRow("the line listing its serial takes it")
        << QList<CaseRecord::Item>{item(1, SkuX), item(2, SkuX, QStringLiteral("A2"))}
        << QList<CaseChanges::Receipt>{{1, "A1", SkuX, 1}, {2, "A2", SkuX, 1}} << QList<int>{1, 2};
    QTest::newRow("its line gone, another of its SKU has room")
        << QList<CaseRecord::Item>{item(3, SkuX, {}, 1)} << QList<CaseChanges::Receipt>{{1, "A1", SkuX, 1}}
        << QList<int>{3};
    QTest::newRow("its line gone, only another SKU")
        << QList<CaseRecord::Item>{item(3, QStringLiteral("SKU-Y"), {}, 1)}
        << QList<CaseChanges::Receipt>{{1, "A1", SkuX, 1}} << QList<int>{0};
    QTest::newRow("its serial line now lists another serial")
        << QList<CaseRecord::Item>{item(1, SkuX, QStringLiteral("B1"))}
        << QList<CaseChanges::Receipt>{{1, "A1", SkuX, 1}} << QList<int>{0};
}

void TestCaseChanges::placeReceipts()
{
    QFETCH(QList<CaseRecord::Item>, lines);
    QFETCH(QList<CaseChanges::Receipt>, receipts);
    QFETCH(QList<int>, placed);
    QList<int> got;
    for (const std::optional<int> &l : CaseChanges::placeReceipts(lines, receipts))
        got.append(l.value_or(0));
    QCOMPARE(got, placed);
}

// The reproduction up to the re-import: the unit scanned as unexpected is marked now expected, in
// the queue (filter, JSON) and one call receives it on its line; the case completes with one closure.
void TestCaseChanges::reproductionAssignsInOneCall()
{
    QCOMPARE(scan(P).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("PE1100000001")).outcome, Outcome::Matched);
    QCOMPARE(scan(QStringLiteral("PE1100000009")).outcome, Outcome::Unexpected);
    const qint64 x = exceptionOf(QStringLiteral("PE1100000009"), QStringLiteral("unexpected"));
    QVERIFY(x > 0);
    ExceptionQueue::Filter f;
    f.nowExpected = true;
    QCOMPARE(ExceptionQueue(*m_db).list(f).size(), 0);

    upsert(record(
        P, {item(1, SkuX, QStringLiteral("PE1100000001")), item(2, SkuX, QStringLiteral("PE1100000009"))},
        2));
    const QJsonArray marked = ExceptionQueue(*m_db).list(f);
    QCOMPARE(marked.size(), 1);
    QCOMPARE(marked[0][QLatin1String("id")].toInteger(), x);
    QCOMPARE(marked[0][QLatin1String("now_expected")].toObject(),
             (QJsonObject{{QStringLiteral("case_number"), P}, {QStringLiteral("line"), 2}}));

    QVERIFY_THROWS_EXCEPTION(SupervisorError, m_sup->assignNowExpected(x, Dock));
    const QJsonObject done = m_sup->assignNowExpected(x, Sup);
    QCOMPARE(done[QLatin1String("line")].toInteger(), 2);
    QVERIFY(done[QLatin1String("case_complete")].toBool());
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions WHERE status = 'open'"), 0);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE kind = 'closure' AND state <> 'cancelled'"), 1);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE kind = 'unmatched' AND state = 'cancelled'"), 1);
    QCOMPARE(ExceptionQueue(*m_db).list(f).size(), 0);
}

// ... and rescanned into a box of its case instead: matched, its exception (and the already_received one of
// a rescan before the change) resolve as rematched, the held unmatched report is dropped.
void TestCaseChanges::reproductionRescanIsMatched()
{
    QCOMPARE(scan(P).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("PE1100000001")).outcome, Outcome::Matched);
    QCOMPARE(scan(QStringLiteral("PE1100000009")).outcome, Outcome::Unexpected);
    QCOMPARE(scan(QStringLiteral(":done")).outcome, Outcome::BoxClosed);
    upsert(record(
        P, {item(1, SkuX, QStringLiteral("PE1100000001")), item(2, SkuX, QStringLiteral("PE1100000009"))},
        2));
    QCOMPARE(scan(P).outcome, Outcome::BoxOpened);
    const Verdict v = scan(QStringLiteral("PE1100000009"));
    QCOMPARE(v.outcome, Outcome::Matched);
    QCOMPARE(v.line, 2);
    QVERIFY(v.caseComplete);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions WHERE status = 'open'"), 0);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions WHERE resolution = 'rematched'"), 1);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM receipts WHERE serial = 'PE1100000009' AND voided = 0"), 1);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE kind = 'closure' AND state <> 'cancelled'"), 1);
    // The unmatched report left with its box: the receipt says it supersedes it.
    Statement report =
        m_db->prepare("SELECT idempotency_key FROM outbox WHERE kind = 'unmatched' AND state = "
                      "'pending'");
    QVERIFY(report.next());
    const QString key = report.text(0);
    report.reset();
    Statement receipt = m_db->prepare("SELECT payload FROM outbox WHERE kind = 'receipt' ORDER BY id DESC");
    QVERIFY(receipt.next());
    QCOMPARE(
        QJsonDocument::fromJson(receipt.utf8(0)).object()[QLatin1String("supersedes_unmatched")].toString(),
        key);
}

// Rescanned while the unexpected unit's box is still open: its unmatched report never left, so it is dropped
// and the receipt supersedes nothing.
void TestCaseChanges::rescanInTheOpenBoxDropsTheReport()
{
    QCOMPARE(scan(P).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("PE1100000009")).outcome, Outcome::Unexpected);
    upsert(record(
        P, {item(1, SkuX, QStringLiteral("PE1100000001")), item(2, SkuX, QStringLiteral("PE1100000009"))},
        2));
    const Verdict v = scan(QStringLiteral("PE1100000009"));
    QCOMPARE(v.outcome, Outcome::Matched);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE kind = 'unmatched' AND state = 'cancelled'"), 1);
    Statement receipt = m_db->prepare("SELECT payload FROM outbox WHERE kind = 'receipt' ORDER BY id DESC");
    QVERIFY(receipt.next());
    QVERIFY(
        !QJsonDocument::fromJson(receipt.utf8(0)).object().contains(QLatin1String("supersedes_unmatched")));
    receipt.reset();
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions WHERE status = 'open'"), 0);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE kind = 'closure'"), 0);
}

// Rule: a line that gains the serial of a unit bound to a serial-less line of the case by SKU takes that
// receipt; the serial-less line is open again.
void TestCaseChanges::skuBoundUnitTakesItsNewSerialLine()
{
    QCOMPARE(scan(Q).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("QS1100000001")).outcome, Outcome::AwaitingSku);
    QCOMPARE(scan(SkuX).outcome, Outcome::MatchedBySku);
    Transaction tx(*m_db);
    const CaseChanges::Result res = CaseChanges(*m_db).apply(
        record(Q, {item(1, SkuX, {}, 1), item(2, SkuX, QStringLiteral("QS1100000001"))}, 2),
        CaseChanges::Context{
            CaseChanges::Source::Upstream, {}, QStringLiteral("2026-01-15T18:00:00.000Z"), {}});
    tx.commit();
    QCOMPARE(res.added, QList<int>{2});
    QCOMPARE(res.changed, QList<int>{1});
    QCOMPARE(res.moved.size(), 1);
    QCOMPARE(res.moved[0].serial, QStringLiteral("QS1100000001"));
    QCOMPARE(res.moved[0].fromLine, 1);
    QCOMPARE(res.moved[0].toLine, 2);
    QCOMPARE(count(*m_db, "SELECT line FROM receipts WHERE serial = 'QS1100000001' AND voided = 0"), 2);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions"), 0);
    Statement a =
        m_db->prepare("SELECT details FROM audit_log WHERE action = 'case_changed' ORDER BY id DESC");
    QVERIFY(a.next());
    const QJsonObject d = QJsonDocument::fromJson(a.utf8(0)).object();
    QCOMPARE(d[QLatin1String("source")].toString(), QStringLiteral("upstream"));
    QCOMPARE(d[QLatin1String("lines_before")].toInteger(), 1);
    QCOMPARE(d[QLatin1String("lines_after")].toInteger(), 2);
    QCOMPARE(d[QLatin1String("receipts_moved")].toArray().size(), 1);
}

// Rule: a received unit whose line disappeared keeps its receipt and becomes an open unexpected exception
// saying so; the case's progress no longer counts it.
void TestCaseChanges::removedLineKeepsTheReceipt()
{
    QCOMPARE(scan(R).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("RS1100000001")).outcome, Outcome::Matched);
    const qint64 receipts = count(*m_db, "SELECT count(*) FROM receipts");
    Transaction tx(*m_db);
    const CaseChanges::Result res = CaseChanges(*m_db).apply(
        record(R, {item(2, SkuX, QStringLiteral("RS1100000002"))}, 2),
        CaseChanges::Context{
            CaseChanges::Source::Upstream, {}, QStringLiteral("2026-01-15T18:00:00.000Z"), {}});
    tx.commit();
    QCOMPARE(res.removed, QList<int>{1});
    QCOMPARE(res.orphaned.size(), 1);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM receipts"), receipts);
    QCOMPARE(
        count(*m_db,
              "SELECT count(*) FROM receipts WHERE serial = 'RS1100000001' AND voided = 0 AND line IS NULL"),
        1);
    Statement x = m_db->prepare("SELECT kind, status, notes FROM exceptions WHERE serial = 'RS1100000001'");
    QVERIFY(x.next());
    QCOMPARE(x.text(0), QStringLiteral("unexpected"));
    QCOMPARE(x.text(1), QStringLiteral("open"));
    QVERIFY2(x.text(2).contains(QLatin1String("line 1 of case 2026-0300-0003")), qPrintable(x.text(2)));
}

// Exactly one open line of an open trade-in case: a serial two open cases expect stays unmarked, and a
// case_closed unit is marked only when its own case expects it again.
void TestCaseChanges::rematchMarksOnlyOneOpenLine()
{
    QCOMPARE(scan(O).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("ZZ1100000001")).outcome, Outcome::Unexpected);
    upsert(record(
        P, {item(1, SkuX, QStringLiteral("PE1100000001")), item(2, SkuX, QStringLiteral("ZZ1100000001"))},
        2));
    upsert(record(
        R, {item(1, SkuX, QStringLiteral("RS1100000001")), item(2, SkuX, QStringLiteral("ZZ1100000001"))},
        2));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions WHERE now_expected_case_id IS NOT NULL"), 0);
    CaseRecord r = record(R, {item(1, SkuX, QStringLiteral("RS1100000001"))}, 3);
    upsert(r);
    QCOMPARE(count(*m_db, "SELECT now_expected_line FROM exceptions WHERE serial = 'ZZ1100000001'"), 2);

    // A closed case's unit: marked only when the case is open again.
    CaseRecord closed = record(O, {item(1, SkuX, QStringLiteral("OS1100000001"))}, 2);
    closed.status = QStringLiteral("closed");
    upsert(closed);
    QCOMPARE(scan(QStringLiteral("OS1100000001")).outcome, Outcome::CaseClosed);
    QCOMPARE(
        count(*m_db,
              "SELECT count(*) FROM exceptions WHERE kind = 'case_closed' AND now_expected_case_id IS NOT "
              "NULL"),
        0);
    closed.status = QStringLiteral("open");
    closed.updatedAt = QStringLiteral("2026-01-03T00:00:00.000Z");
    upsert(closed);
    QCOMPARE(
        count(*m_db,
              "SELECT count(*) FROM exceptions WHERE kind = 'case_closed' AND now_expected_case_id IS NOT "
              "NULL"),
        1);
}

void TestCaseChanges::rematchClearsStaleMarks()
{
    QCOMPARE(scan(P).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("PE1100000009")).outcome, Outcome::Unexpected);
    upsert(record(
        P, {item(1, SkuX, QStringLiteral("PE1100000001")), item(2, SkuX, QStringLiteral("PE1100000009"))},
        2));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions WHERE now_expected_case_id IS NOT NULL"), 1);
    upsert(record(P, {item(1, SkuX, QStringLiteral("PE1100000001"))}, 3));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions WHERE now_expected_case_id IS NOT NULL"), 0);
}

void TestCaseChanges::importJsonRematches()
{
    QCOMPARE(scan(QStringLiteral("NB1100000001")).outcome, Outcome::Unmatched); // no box
    CaseRecord n = record(QStringLiteral("2026-0300-0009"), {item(1, SkuX, QStringLiteral("NB1100000001"))});
    const QByteArray json =
        QJsonDocument(QJsonObject{{QStringLiteral("cases"), QJsonArray{n.toJson()}}}).toJson();
    QString why;
    const auto summary = CaseStore(*m_db).importJson(json, Sup, &why);
    QVERIFY2(summary, qPrintable(why));
    QCOMPARE(summary->nowExpected, 1);
    QCOMPARE(
        count(*m_db, "SELECT count(*) FROM exceptions WHERE kind = 'unmatched' AND now_expected_line = 1"),
        1);
}

void TestCaseChanges::formPreviewEqualsApplyAndDryRunChangesNothing()
{
    QCOMPARE(scan(P).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("PE1100000001")).outcome, Outcome::Matched);
    QCOMPARE(scan(QStringLiteral("PE1100000009")).outcome, Outcome::Unexpected);
    const TradeInFormImport f = form(
        P, {formLine(2, SkuX, QStringLiteral("pe1100000009")), formLine(3, QStringLiteral("SKU-Y"), {}, 2)});
    const QString before = everything(*m_db);
    QJsonObject preview = m_sup->importForm(f, true, Sup);
    QCOMPARE(everything(*m_db), before);
    QVERIFY(preview[QLatin1String("dry_run")].toBool());
    QCOMPARE(preview[QLatin1String("lines_removed")].toArray(), QJsonArray{1});
    QCOMPARE(preview[QLatin1String("lines_changed")].toArray(), QJsonArray{2});
    QCOMPARE(preview[QLatin1String("lines_added")].toArray(), QJsonArray{3});
    QCOMPARE(preview[QLatin1String("receipts_orphaned")].toArray().size(), 1);
    QCOMPARE(preview[QLatin1String("now_expected")].toArray().size(), 1);
    QJsonObject done = m_sup->importForm(f, false, Sup);
    QVERIFY(!done[QLatin1String("dry_run")].toBool());
    preview.remove(QStringLiteral("dry_run"));
    done.remove(QStringLiteral("dry_run"));
    // The preview cannot know the ids the real run gives new rows (PostgreSQL's sequences move on rollback).
    for (QJsonObject *o : {&preview, &done}) {
        QJsonArray orphans;
        for (const QJsonValue v : (*o)[QLatin1String("receipts_orphaned")].toArray()) {
            QJsonObject x = v.toObject();
            x.remove(QStringLiteral("exception_id"));
            orphans.append(x);
        }
        o->insert(QStringLiteral("receipts_orphaned"), orphans);
        QJsonArray marks;
        for (const QJsonValue v : (*o)[QLatin1String("now_expected")].toArray()) {
            QJsonObject x = v.toObject();
            x.remove(QStringLiteral("exception_id"));
            marks.append(x);
        }
        o->insert(QStringLiteral("now_expected"), marks);
    }
    QCOMPARE(done, preview);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM expected_items e JOIN cases c ON c.id = e.case_id "
                          "WHERE c.case_number = '2026-0300-0001'"),
             2);
}

void TestCaseChanges::formRefusalsChangeNothing_data()
{
    QTest::addColumn<QString>("operatorId");
    QTest::addColumn<QString>("caseNumber");
    QTest::addColumn<QList<TradeInFormImport::Line>>("lines");
    QTest::addColumn<QString>("sentence");

    const QList<TradeInFormImport::Line> ok{formLine(1, SkuX, QStringLiteral("PE1100000001"))};
    QTest::newRow("dock worker") << Dock << P << ok << QStringLiteral("Only a supervisor");
    QTest::newRow("unknown case") << Sup << QStringLiteral("2026-0399-0001") << ok
                                  << QStringLiteral(
                                         "Sheet 'Trade-In', cell C3: case 2026-0399-0001 is not known");
    QTest::newRow("serial on another open case")
        << Sup << P << QList<TradeInFormImport::Line>{formLine(1, SkuX, QStringLiteral("OS1100000001"))}
        << QStringLiteral(
               "Sheet 'Trade-In', row 8, column D: serial OS1100000001 is already expected on open case "
               "2026-0300-0004, line 1.");
    QTest::newRow("serial twice") << Sup << P
                                  << QList<TradeInFormImport::Line>{formLine(1, SkuX, QStringLiteral("PE1")),
                                                                    formLine(2, SkuX, QStringLiteral("PE1"))}
                                  << QStringLiteral(
                                         "Sheet 'Trade-In', row 9, column D: serial PE1 is also on row 8.");
    QTest::newRow("line twice") << Sup << P
                                << QList<TradeInFormImport::Line>{formLine(1, SkuX), formLine(1, SkuX)}
                                << QStringLiteral("Sheet 'Trade-In', row 9: line 1 is also on row 8.");
    QTest::newRow("no SKU") << Sup << P << QList<TradeInFormImport::Line>{formLine(1, QString())}
                            << QStringLiteral("Sheet 'Trade-In', row 8: line 1 needs a SKU.");
    QTest::newRow("no lines") << Sup << P << QList<TradeInFormImport::Line>{}
                              << QStringLiteral("Sheet 'Trade-In' lists no equipment lines.");
}

void TestCaseChanges::formRefusalsChangeNothing()
{
    QFETCH(QString, operatorId);
    QFETCH(QString, caseNumber);
    QFETCH(QList<TradeInFormImport::Line>, lines);
    QFETCH(QString, sentence);
    QCOMPARE(scan(P).outcome, Outcome::BoxOpened);
    QCOMPARE(scan(QStringLiteral("PE1100000001")).outcome, Outcome::Matched);
    const QString before = everything(*m_db);
    for (bool dryRun : {true, false}) {
        try {
            m_sup->importForm(form(caseNumber, lines), dryRun, operatorId);
            QFAIL("accepted");
        } catch (const SupervisorError &e) {
            QVERIFY2(e.message().startsWith(sentence), qPrintable(e.message()));
        }
        QCOMPARE(everything(*m_db), before);
    }
}

void TestCaseChanges::formIsKept()
{
    m_sup->importForm(form(P, {formLine(1, SkuX, QStringLiteral("PE1100000001")), formLine(2, SkuX, {}, 3),
                               formLine(4, SkuX, QStringLiteral("PE1100000004"))}),
                      false, Sup);
    Statement s =
        m_db->prepare("SELECT f.file_name, f.sha256, f.sheet, f.imported_by, f.imported_at, f.lines "
                      "FROM case_forms f JOIN cases c ON c.id = f.case_id WHERE c.case_number = ?1");
    QVERIFY(s.bind(1, P).next());
    QCOMPARE(s.text(0), QStringLiteral("trade-in.xlsx"));
    QCOMPARE(s.text(1), QStringLiteral("ab12"));
    QCOMPARE(s.text(2), QStringLiteral("Trade-In"));
    QCOMPARE(s.text(3), Sup);
    QCOMPARE(s.text(4), QStringLiteral("2026-01-15T18:00:00.000Z"));
    QCOMPARE(QJsonDocument::fromJson(s.utf8(5)).array().size(), 3);
    s.reset();
    QCOMPARE(count(*m_db, "SELECT quantity FROM expected_items e JOIN cases c ON c.id = e.case_id "
                          "WHERE c.case_number = '2026-0300-0001' AND e.line = 2"),
             3);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log WHERE action = 'form_imported'"), 1);
}

QTEST_GUILESS_MAIN(TestCaseChanges)
#include "tst_casechanges.moc"
