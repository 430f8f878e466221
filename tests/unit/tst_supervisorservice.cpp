// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "CaseStore.h"
#include "Clock.h"
#include "Database.h"
#include "Operators.h"
#include "ReceivingService.h"
#include "SupervisorService.h"
#include "TableDump.h"
#include "UnitCondition.h"

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
const QDateTime DefaultNow(QDate(2026, 1, 15), QTime(18, 0), Qt::UTC); // noon in Chicago
const QString Phone = QStringLiteral("SKU-PHONE");
const QString Tab = QStringLiteral("SKU-TAB");

const QHash<QString, QString> &caseNumbers()
{
    static const QHash<QString, QString> numbers{
        {QStringLiteral("A"), QStringLiteral("2026-0002-0001")},
        {QStringLiteral("B"), QStringLiteral("2026-0002-0002")},
        {QStringLiteral("C"), QStringLiteral("2026-0002-0003")},
        {QStringLiteral("D"), QStringLiteral("2026-0002-0004")},
        {QStringLiteral("K"), QStringLiteral("2026-0002-0005")},
        {QStringLiteral("S"), QStringLiteral("2026-0002-0006")},
        {QStringLiteral("E"), QStringLiteral("2026-0002-0007")},
        {QStringLiteral("F"), QStringLiteral("2026-0002-0008")},
        {QStringLiteral("L"), QStringLiteral("2026-0002-0009")},
        {QStringLiteral("M"), QStringLiteral("2026-0002-0010")},
    };
    return numbers;
}

QString cn(const QString &alias)
{
    return caseNumbers().value(alias, alias);
}

CaseRecord::Item item(int line, const QString &sku, const QString &serial = {}, int quantity = 1)
{
    return CaseRecord::Item{line, sku, QStringLiteral("Unit"), serial, quantity};
}

// A: a serial line and a serial-less SKU-TAB line; due soon, known by TRK-A-0001, account ACC-100.
// B: SN-B1 and SN-AB.  C: SN-AB (ambiguous with B) and a serial-less line of two SKUs.  D: destruction.
// K: closed.  S: one serial line, no serial-less line.  E: due within 14 days, nothing received.
// F: due far ahead.  L: overdue, nothing received.  M: serial-less lines of two SKUs.
QList<CaseRecord> fixtures()
{
    const auto make = [](const QString &alias, const QString &customer, QDate due,
                         QList<CaseRecord::Item> items) {
        CaseRecord r;
        r.caseNumber = cn(alias);
        r.disposition = QStringLiteral("trade_in");
        r.status = QStringLiteral("open");
        r.customerName = customer;
        r.orderDate = QDate(2025, 12, 1);
        r.dueDate = due;
        r.items = std::move(items);
        r.updatedAt = QStringLiteral("2026-01-01T00:00:00.000Z");
        return r;
    };
    QList<CaseRecord> out;
    CaseRecord a = make(QStringLiteral("A"), QStringLiteral("Acme Networks"), QDate(2026, 1, 20),
                        {item(1, Phone, QStringLiteral("SN-A1")), item(2, Tab)});
    a.customerAccount = QStringLiteral("ACC-100");
    a.trackingNumbers = {QStringLiteral("TRK-A-0001")};
    out << a;
    out << make(QStringLiteral("B"), QStringLiteral("Bayou Data"), QDate(2026, 6, 1),
                {item(1, Phone, QStringLiteral("SN-B1")), item(2, Phone, QStringLiteral("SN-AB"))});
    out << make(QStringLiteral("C"), QStringLiteral("Cedar Credit Union"), QDate(2026, 6, 1),
                {item(1, Phone, QStringLiteral("SN-AB")), item(2, Phone)});
    CaseRecord d = make(QStringLiteral("D"), QStringLiteral("Delta Shred"), QDate(2026, 1, 18),
                        {item(1, Phone, QStringLiteral("SN-D1")), item(2, Tab)});
    d.disposition = QStringLiteral("destruction");
    out << d;
    CaseRecord k = make(QStringLiteral("K"), QStringLiteral("Kilo Closed"), QDate(2026, 1, 18),
                        {item(1, Phone, QStringLiteral("SN-K1")), item(2, Tab)});
    k.status = QStringLiteral("closed");
    out << k;
    out << make(QStringLiteral("S"), QStringLiteral("Sierra Serials"), QDate(2026, 6, 1),
                {item(1, Phone, QStringLiteral("SN-S1"))});
    out << make(QStringLiteral("E"), QStringLiteral("Echo Soon"), QDate(2026, 1, 29),
                {item(1, Phone), item(2, Tab, {}, 2)});
    out << make(QStringLiteral("F"), QStringLiteral("Foxtrot Later"), QDate(2026, 3, 1), {item(1, Phone)});
    out << make(QStringLiteral("L"), QStringLiteral("Lima Late"), QDate(2026, 1, 10), {item(1, Phone)});
    out << make(QStringLiteral("M"), QStringLiteral("Mike Mixed"), QDate(2026, 6, 1),
                {item(1, Phone), item(2, Tab)});
    return out;
}

qint64 count(Database &db, const QByteArray &sql)
{
    Statement s = db.prepare(sql.constData());
    return s.next() ? s.int64(0) : -1;
}

QString text(Database &db, const QByteArray &sql)
{
    Statement s = db.prepare(sql.constData());
    return s.next() ? s.text(0) : QStringLiteral("<none>");
}

// Every row a refused action must leave as it was.
QString everything(Database &db)
{
    return dumpTables(db, {"cases", "receipts", "exceptions", "outbox", "boxes", "station_state", "settings",
                           "audit_log", "audit_head"});
}

QJsonObject lastAuditDetails(Database &db, QString *action = nullptr, QString *actor = nullptr)
{
    Statement s = db.prepare("SELECT action, actor, details FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!s.next())
        return {};
    if (action)
        *action = s.text(0);
    if (actor)
        *actor = s.text(1);
    return QJsonDocument::fromJson(s.utf8(2)).object();
}

QJsonObject payloadOf(Database &db, const QByteArray &where)
{
    Statement s =
        db.prepare(("SELECT payload FROM outbox WHERE " + where + " ORDER BY id DESC LIMIT 1").constData());
    return s.next() ? QJsonDocument::fromJson(s.utf8(0)).object() : QJsonObject();
}

QString kindName(SupervisorError::Kind k)
{
    switch (k) {
    case SupervisorError::Denied:
        return QStringLiteral("Denied");
    case SupervisorError::NotFound:
        return QStringLiteral("NotFound");
    case SupervisorError::Invalid:
        return QStringLiteral("Invalid");
    case SupervisorError::Conflict:
        return QStringLiteral("Conflict");
    }
    return {};
}
} // namespace

class TestSupervisorService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void resolve_data();
    void resolve();
    void resolveTwiceIsConflict();
    void partialClosure_data();
    void partialClosure();
    void partialClosureKeepsWhatWasQueued();
    void dueSoon_data();
    void dueSoon();
    void search_data();
    void search();
    void caseDetail();
    void settings_data();
    void settings();
    void settingsListOnlyWhatStationsRead();
    void condition_data();
    void condition();
    void exceptionFilters();
    void exceptionDetail();
    void exceptionNamesWhoScanned();
    void openBoxes();
    void isSupervisor();

private:
    void scan(const QStringList &scans);
    qint64 lastException();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    FixedClock m_clock{DefaultNow};
    std::unique_ptr<ReceivingService> m_receiving;
    std::unique_ptr<SupervisorService> m_sup;
};

void TestSupervisorService::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(QTimeZone(QByteArrayLiteral("America/Chicago")).isValid());
}

void TestSupervisorService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock.set(DefaultNow);
    m_db = std::make_unique<Database>();
    m_db->open(TestStore::location(m_dir->filePath(QStringLiteral("r.db"))));
    {
        Transaction tx(*m_db);
        CaseStore store(*m_db);
        for (const CaseRecord &r : fixtures())
            store.upsert(r);
        tx.commit();
    }
    QString why;
    Operators ops(*m_db);
    QVERIFY2(
        ops.add(Dock, QStringLiteral("Dana Dock"), Operators::Role::Dock, {}, QStringLiteral("test"), &why),
        qPrintable(why));
    QVERIFY2(ops.add(QStringLiteral("DOCK-2"), QStringLiteral("Dev Dock"), Operators::Role::Dock, {},
                     QStringLiteral("test"), &why),
             qPrintable(why));
    QVERIFY2(ops.add(Sup, QStringLiteral("Sam Super"), Operators::Role::Supervisor, {},
                     QStringLiteral("test"), &why),
             qPrintable(why));
    m_receiving = std::make_unique<ReceivingService>(*m_db, m_clock, ReceivingService::Options{});
    m_receiving->signIn(Station, Dock);
    m_sup = std::make_unique<SupervisorService>(*m_db, m_clock);
    m_sup->setStationId(QStringLiteral("SUP-DESK"));
}

void TestSupervisorService::cleanup()
{
    m_sup.reset();
    m_receiving.reset();
    m_db.reset();
    m_dir.reset();
}

// Scans at the station; "@S2:" in front scans at station S2 instead; a case alias opens its box.
void TestSupervisorService::scan(const QStringList &scans)
{
    for (QString s : scans) {
        QString station = Station;
        if (s.startsWith(QLatin1String("@S2:"))) {
            station = QStringLiteral("S2");
            s = s.mid(4);
        }
        ScanEvent e;
        e.raw = cn(s).toUtf8();
        e.sourceId = QStringLiteral("test");
        const Verdict v = m_receiving->scan(e, station);
        QVERIFY2(v.outcome != Outcome::NotRecorded && v.outcome != Outcome::Invalid, qPrintable(v.message));
        m_clock.set(m_clock.nowUtc().addSecs(1));
    }
}

qint64 TestSupervisorService::lastException()
{
    return count(*m_db, "SELECT max(id) FROM exceptions");
}

void TestSupervisorService::resolve_data()
{
    QTest::addColumn<QStringList>("scans");
    QTest::addColumn<QString>("exceptionKind"); // the kind of the newest exception the scans leave
    QTest::addColumn<QString>("resolution");
    QTest::addColumn<QString>("caseAlias");
    QTest::addColumn<QString>("sku");
    QTest::addColumn<QString>("actor");
    QTest::addColumn<QString>("note");
    QTest::addColumn<QString>("error");         // empty: succeeds
    QTest::addColumn<QStringList>("newEvents"); // kind:state of outbox rows the resolution adds
    QTest::addColumn<int>("line");              // the line the unit is received on (assign), else 0

    const QString n = QStringLiteral("checked the unit");
    const QStringList none;
    // assign_to_case
    QTest::newRow("unmatched assigned to a serial-less line by the given SKU")
        << QStringList{"NEW-1"} << "unmatched"
        << "assign_to_case"
        << "A" << Tab << Sup << n << "" << QStringList{"receipt:pending"} << 2;
    QTest::newRow("unmatched assigned without SKU: the case's only open serial-less SKU")
        << QStringList{"NEW-1"} << "unmatched"
        << "assign_to_case"
        << "A"
        << "" << Sup << n << "" << QStringList{"receipt:pending"} << 2;
    QTest::newRow("assignment completing the case queues its closure after the receipt")
        << QStringList{"A", "SN-A1", ":done", "NEW-1"} << "unmatched"
        << "assign_to_case"
        << "A" << Tab << Sup << n << "" << QStringList{"receipt:pending", "closure:pending"} << 2;
    QTest::newRow("unit in a box still open: its receipt is held with the box")
        << QStringList{"S", "NEW-1"} << "unexpected"
        << "assign_to_case"
        << "A" << Tab << Sup << n << "" << QStringList{"receipt:held"} << 2;
    QTest::newRow("ambiguous unit assigned to the case that expects its serial")
        << QStringList{"SN-AB"} << "ambiguous"
        << "assign_to_case"
        << "C"
        << "" << Sup << n << "" << QStringList{"receipt:pending"} << 1;
    QTest::newRow("closed-case unit assigned to an open case")
        << QStringList{"SN-K1"} << "case_closed"
        << "assign_to_case"
        << "M"
        << "" << Sup << n << "" << QStringList{"receipt:pending"} << 1;
    QTest::newRow("destruction-case unit assigned to an open trade-in case")
        << QStringList{"SN-D1"} << "destruction_case"
        << "assign_to_case"
        << "M" << Phone << Sup << n << "" << QStringList{"receipt:pending"} << 1;
    QTest::newRow("unit without SKU, case with several open SKUs: give the SKU")
        << QStringList{"NEW-1"} << "unmatched"
        << "assign_to_case"
        << "M"
        << "" << Sup << n << "Invalid" << none << 0;
    QTest::newRow("assign to a closed case is refused") << QStringList{"NEW-1"} << "unmatched"
                                                        << "assign_to_case"
                                                        << "K" << Tab << Sup << n << "Conflict" << none << 0;
    QTest::newRow("assign to a destruction case is refused")
        << QStringList{"NEW-1"} << "unmatched"
        << "assign_to_case"
        << "D" << Tab << Sup << n << "Conflict" << none << 0;
    QTest::newRow("assign to an unknown case")
        << QStringList{"NEW-1"} << "unmatched"
        << "assign_to_case"
        << "2099-0000-0000" << Tab << Sup << n << "NotFound" << none << 0;
    QTest::newRow("assign without a case") << QStringList{"NEW-1"} << "unmatched"
                                           << "assign_to_case"
                                           << "" << Tab << Sup << n << "Invalid" << none << 0;
    QTest::newRow("assign where no line of that SKU is open")
        << QStringList{"NEW-1"} << "unmatched"
        << "assign_to_case"
        << "S" << Tab << Sup << n << "Conflict" << none << 0;
    QTest::newRow("assign to a line already filled")
        << QStringList{"A", "NEW-5", Tab, ":done", "NEW-2"} << "unmatched"
        << "assign_to_case"
        << "A" << Tab << Sup << n << "Conflict" << none << 0;
    QTest::newRow("assign a cross-case unit (already on its case) is refused")
        << QStringList{"A", "SN-B1"} << "cross_case"
        << "assign_to_case"
        << "C" << Phone << Sup << n << "Conflict" << none << 0;
    QTest::newRow("assign a second unit of an already received serial is refused")
        << QStringList{"A", "SN-A1", ":done", "S", "SN-A1"} << "already_received"
        << "assign_to_case"
        << "M" << Phone << Sup << n << "Conflict" << none << 0;
    // confirm_cross_case
    QTest::newRow("cross-case unit confirmed: nothing new upstream")
        << QStringList{"A", "SN-B1"} << "cross_case"
        << "confirm_cross_case"
        << ""
        << "" << Sup << n << "" << none << 0;
    QTest::newRow("confirm on an exception that is not cross-case")
        << QStringList{"NEW-1"} << "unmatched"
        << "confirm_cross_case"
        << ""
        << "" << Sup << n << "Invalid" << none << 0;
    // not_tmip, return_to_sender
    QTest::newRow("unmatched unit is not TMIP") << QStringList{"NEW-1"} << "unmatched"
                                                << "not_tmip"
                                                << ""
                                                << "" << Sup << n << "" << none << 0;
    QTest::newRow("destruction-case unit returned to sender") << QStringList{"SN-D1"} << "destruction_case"
                                                              << "return_to_sender"
                                                              << ""
                                                              << "" << Sup << n << "" << none << 0;
    QTest::newRow("second unit of a received serial returned to sender")
        << QStringList{"A", "SN-A1", ":done", "S", "SN-A1"} << "already_received"
        << "return_to_sender"
        << ""
        << "" << Sup << n << "" << none << 0;
    QTest::newRow("cross-case unit cannot become not TMIP: its receipt may be upstream")
        << QStringList{"A", "SN-B1"} << "cross_case"
        << "not_tmip"
        << ""
        << "" << Sup << n << "Conflict" << none << 0;
    // who and why
    QTest::newRow("dock worker is refused") << QStringList{"NEW-1"} << "unmatched"
                                            << "not_tmip"
                                            << ""
                                            << "" << Dock << n << "Denied" << none << 0;
    QTest::newRow("dock worker cannot assign either") << QStringList{"NEW-1"} << "unmatched"
                                                      << "assign_to_case"
                                                      << "A" << Tab << Dock << n << "Denied" << none << 0;
    QTest::newRow("unknown operator is refused") << QStringList{"NEW-1"} << "unmatched"
                                                 << "not_tmip"
                                                 << ""
                                                 << ""
                                                 << "NOBODY" << n << "Denied" << none << 0;
    QTest::newRow("no operator is refused") << QStringList{"NEW-1"} << "unmatched"
                                            << "not_tmip"
                                            << ""
                                            << ""
                                            << "" << n << "Denied" << none << 0;
    QTest::newRow("a note is required") << QStringList{"NEW-1"} << "unmatched"
                                        << "not_tmip"
                                        << ""
                                        << "" << Sup << "   "
                                        << "Invalid" << none << 0;
    QTest::newRow("unknown resolution") << QStringList{"NEW-1"} << "unmatched"
                                        << "scrap"
                                        << ""
                                        << "" << Sup << n << "Invalid" << none << 0;
    QTest::newRow("an undone scan's exception is cancelled: conflict")
        << QStringList{"S", "NEW-1", ":undo"} << "unexpected"
        << "not_tmip"
        << ""
        << "" << Sup << n << "Conflict" << none << 0;
}

void TestSupervisorService::resolve()
{
    QFETCH(QStringList, scans);
    QFETCH(QString, exceptionKind);
    QFETCH(QString, resolution);
    QFETCH(QString, caseAlias);
    QFETCH(QString, sku);
    QFETCH(QString, actor);
    QFETCH(QString, note);
    QFETCH(QString, error);
    QFETCH(QStringList, newEvents);
    QFETCH(int, line);

    scan(scans);
    const qint64 id = lastException();
    QVERIFY(id > 0);
    QCOMPARE(text(*m_db, "SELECT kind FROM exceptions WHERE id = " + QByteArray::number(id)), exceptionKind);
    const qint64 outboxBefore = count(*m_db, "SELECT coalesce(max(id), 0) FROM outbox");
    const qint64 auditBefore = count(*m_db, "SELECT count(*) FROM audit_log");
    const QString before = everything(*m_db);
    const QString serial = text(*m_db, "SELECT serial FROM exceptions WHERE id = " + QByteArray::number(id));
    const QByteArray unmatchedReport = "SELECT state FROM outbox WHERE kind = 'unmatched' AND receipt_id = "
                                       "(SELECT receipt_id FROM exceptions WHERE id = " +
                                       QByteArray::number(id) + ")";
    const QString reportBefore = text(*m_db, unmatchedReport);

    QString got;
    try {
        m_sup->resolveException(id, resolution, note, actor, cn(caseAlias), sku);
    } catch (const SupervisorError &e) {
        got = kindName(e.kind);
        QVERIFY2(!e.message().isEmpty(), "a refusal says why");
    }
    QCOMPARE(got, error);
    if (!error.isEmpty()) {
        QCOMPARE(everything(*m_db), before); // nothing changes
        return;
    }

    // The exception, the audit trail and the outbox.
    const QByteArray where = " FROM exceptions WHERE id = " + QByteArray::number(id);
    QCOMPARE(text(*m_db, "SELECT status" + where), QStringLiteral("resolved"));
    QCOMPARE(text(*m_db, "SELECT resolution" + where), resolution);
    QCOMPARE(text(*m_db, "SELECT resolver" + where), Sup);
    QCOMPARE(text(*m_db, "SELECT notes" + where), note.trimmed());
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log"), auditBefore + 1);
    QString action, auditActor;
    const QJsonObject details = lastAuditDetails(*m_db, &action, &auditActor);
    QCOMPARE(action, QStringLiteral("exception_resolved"));
    QCOMPARE(auditActor, Sup);
    QCOMPARE(details.value(QLatin1String("resolution")).toString(), resolution);
    QCOMPARE(details.value(QLatin1String("note")).toString(), note);
    QVERIFY(AuditLog::verify(*m_db).ok);

    QStringList events;
    Statement ev = m_db->prepare("SELECT kind || ':' || state FROM outbox WHERE id > ?1 ORDER BY id");
    ev.bind(1, outboxBefore);
    while (ev.next())
        events << ev.text(0);
    QCOMPARE(events, newEvents);
    if (resolution != QLatin1String("assign_to_case"))
        return;

    // A held unmatched report of the unit is replaced by its receipt; one already on its way stays.
    QCOMPARE(text(*m_db, unmatchedReport),
             reportBefore == QLatin1String("held") ? QStringLiteral("cancelled") : reportBefore);
    const QString caseNumber = cn(caseAlias);
    const QJsonObject receipt =
        payloadOf(*m_db, "kind = 'receipt' AND id > " + QByteArray::number(outboxBefore));
    QCOMPARE(receipt.value(QLatin1String("serial")).toString(), serial);
    QCOMPARE(receipt.value(QLatin1String("line")).toInt(), line);
    QCOMPARE(receipt.value(QLatin1String("station_id")).toString(), Station);
    QCOMPARE(receipt.value(QLatin1String("operator_id")).toString(), Dock);
    QCOMPARE(receipt.value(QLatin1String("condition")).toString(), QStringLiteral("working"));
    QVERIFY(!receipt.value(QLatin1String("receipt_id")).toString().isEmpty());
    QVERIFY(receipt.contains(QLatin1String("tracking_number")));
    QVERIFY(receipt.contains(QLatin1String("late")));
    QCOMPARE(text(*m_db, "SELECT case_number FROM outbox WHERE kind = 'receipt' ORDER BY id DESC LIMIT 1"),
             caseNumber);
    QCOMPARE(
        text(*m_db, "SELECT c.case_number FROM exceptions x JOIN cases c ON c.id = x.case_id WHERE x.id = " +
                        QByteArray::number(id)),
        caseNumber);
    const QJsonObject detail = m_sup->caseDetail(caseNumber);
    bool onLine = false;
    for (const QJsonValue v : detail.value(QLatin1String("lines")).toArray()) {
        const QJsonObject l = v.toObject();
        if (l.value(QLatin1String("line")).toInt() == line)
            onLine = l.value(QLatin1String("received_serials")).toArray().contains(serial);
    }
    QVERIFY2(onLine, "the unit fills the line");
    if (newEvents.contains(QStringLiteral("closure:pending"))) {
        const QJsonObject closure = payloadOf(*m_db, "kind = 'closure'");
        QCOMPARE(closure.value(QLatin1String("kind")).toString(), QStringLiteral("complete"));
        QCOMPARE(closure.value(QLatin1String("received")).toArray(),
                 (QJsonArray{QStringLiteral("SN-A1"), serial}));
        QCOMPARE(closure.value(QLatin1String("missing_lines")).toArray(), QJsonArray());
        QVERIFY(count(*m_db, "SELECT max(id) FROM outbox WHERE kind = 'closure'") >
                count(*m_db, "SELECT max(id) FROM outbox WHERE kind = 'receipt'"));
    }
    if (newEvents.contains(QStringLiteral("receipt:held"))) {
        // Closing the box releases it with the box's other events.
        scan({QStringLiteral(":done")});
        QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE state = 'held'"), 0);
    }
}

void TestSupervisorService::resolveTwiceIsConflict()
{
    scan({QStringLiteral("NEW-1")});
    const qint64 id = lastException();
    m_sup->resolveException(id, QStringLiteral("not_tmip"), QStringLiteral("general returns"), Sup);
    const QString before = everything(*m_db);
    for (const QString &r : SupervisorService::resolutions()) {
        try {
            m_sup->resolveException(id, r, QStringLiteral("again"), Sup, cn(QStringLiteral("A")), Tab);
            QFAIL("resolving a resolved exception must be refused");
        } catch (const SupervisorError &e) {
            QCOMPARE(kindName(e.kind), QStringLiteral("Conflict"));
            QVERIFY(e.message().contains(Sup));
        }
    }
    QCOMPARE(everything(*m_db), before);
    try {
        m_sup->resolveException(9999, QStringLiteral("not_tmip"), QStringLiteral("x"), Sup);
        QFAIL("an unknown exception must be refused");
    } catch (const SupervisorError &e) {
        QCOMPARE(kindName(e.kind), QStringLiteral("NotFound"));
    }
}

void TestSupervisorService::partialClosure_data()
{
    QTest::addColumn<QStringList>("scans");
    QTest::addColumn<QString>("caseAlias");
    QTest::addColumn<QString>("actor");
    QTest::addColumn<QString>("note");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QStringList>("received");
    QTest::addColumn<QList<int>>("missing");

    QTest::newRow("open case with one of two lines received")
        << QStringList{"A", "SN-A1", ":done"} << "A" << Sup << "customer kept the tablet"
        << "" << QStringList{"SN-A1"} << QList<int>{2};
    QTest::newRow("open case with nothing received")
        << QStringList{} << "E" << Sup << "customer cancelled the shipment"
        << "" << QStringList{} << QList<int>{1, 2};
    QTest::newRow("a box of the case still open: close it first")
        << QStringList{"A", "SN-A1"} << "A" << Sup << "rest lost in transit"
        << "Conflict" << QStringList{} << QList<int>{};
    QTest::newRow("a unit of the case still in another case's open box")
        << QStringList{"S", "SN-A1"} << "A" << Sup << "rest lost in transit"
        << "Conflict" << QStringList{} << QList<int>{};
    QTest::newRow("the case's box closed, a box of another case open")
        << QStringList{"A", "SN-A1", "S"} << "A" << Sup << "rest lost in transit"
        << "" << QStringList{"SN-A1"} << QList<int>{2};
    QTest::newRow("a closed case") << QStringList{} << "K" << Sup << "x"
                                   << "Conflict" << QStringList{} << QList<int>{};
    QTest::newRow("a complete case") << QStringList{"S", "SN-S1", ":done"} << "S" << Sup << "x"
                                     << "Conflict" << QStringList{} << QList<int>{};
    QTest::newRow("an unknown case") << QStringList{} << "2099-0000-0000" << Sup << "x"
                                     << "NotFound" << QStringList{} << QList<int>{};
    QTest::newRow("a dock worker") << QStringList{} << "A" << Dock << "x"
                                   << "Denied" << QStringList{} << QList<int>{};
    QTest::newRow("without a note") << QStringList{} << "A" << Sup << ""
                                    << "Invalid" << QStringList{} << QList<int>{};
}

void TestSupervisorService::partialClosure()
{
    QFETCH(QStringList, scans);
    QFETCH(QString, caseAlias);
    QFETCH(QString, actor);
    QFETCH(QString, note);
    QFETCH(QString, error);
    QFETCH(QStringList, received);
    QFETCH(QList<int>, missing);

    scan(scans);
    const QString before = everything(*m_db);
    QString got;
    try {
        m_sup->approvePartialClosure(cn(caseAlias), note, actor);
    } catch (const SupervisorError &e) {
        got = kindName(e.kind);
    }
    QCOMPARE(got, error);
    if (!error.isEmpty()) {
        QCOMPARE(everything(*m_db), before);
        return;
    }
    const QJsonObject p = payloadOf(*m_db, "kind = 'closure'");
    QCOMPARE(p.value(QLatin1String("kind")).toString(), QStringLiteral("partial"));
    QCOMPARE(p.value(QLatin1String("received")).toArray(), QJsonArray::fromStringList(received));
    QJsonArray m;
    for (int l : missing)
        m.append(l);
    QCOMPARE(p.value(QLatin1String("missing_lines")).toArray(), m);
    QCOMPARE(p.value(QLatin1String("approved_by")).toString(), Sup);
    QCOMPARE(p.value(QLatin1String("station_id")).toString(), QStringLiteral("SUP-DESK"));
    QCOMPARE(p.value(QLatin1String("closed_at")).toString(), isoUtc(m_clock.nowUtc()));
    QVERIFY(!p.value(QLatin1String("closure_id")).toString().isEmpty());
    QCOMPARE(text(*m_db, "SELECT state FROM outbox WHERE kind = 'closure'"), QStringLiteral("pending"));
    QCOMPARE(text(*m_db, "SELECT case_number FROM outbox WHERE kind = 'closure'"), cn(caseAlias));
    QCOMPARE(text(*m_db, ("SELECT status FROM cases WHERE case_number = '" + cn(caseAlias) + "'").toUtf8()),
             QStringLiteral("closed"));
    QString action;
    const QJsonObject details = lastAuditDetails(*m_db, &action);
    QCOMPARE(action, QStringLiteral("case_partial_closure"));
    QCOMPARE(details.value(QLatin1String("note")).toString(), note);
    QCOMPARE(details.value(QLatin1String("missing_lines")).toArray(), m);
    QVERIFY(AuditLog::verify(*m_db).ok);
    // A second approval is a conflict: the case is closed now.
    try {
        m_sup->approvePartialClosure(cn(caseAlias), note, actor);
        QFAIL("a closed case cannot be closed again");
    } catch (const SupervisorError &e) {
        QCOMPARE(kindName(e.kind), QStringLiteral("Conflict"));
    }
}

void TestSupervisorService::partialClosureKeepsWhatWasQueued()
{
    // SN-A1 is received and sent (pending); NEW-9 waits in box S, held, unrelated to case A.
    scan({QStringLiteral("A"), QStringLiteral("SN-A1"), QStringLiteral("S"), QStringLiteral("NEW-9")});
    const QString outboxBefore = dumpTable(*m_db, "outbox");
    m_sup->approvePartialClosure(cn(QStringLiteral("A")), QStringLiteral("customer kept the tablet"), Sup);
    QVERIFY(dumpTable(*m_db, "outbox").startsWith(outboxBefore)); // earlier events untouched, one appended
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox"), 3);
    QCOMPARE(text(*m_db, "SELECT state FROM outbox WHERE kind = 'receipt'"), QStringLiteral("pending"));
    QCOMPARE(text(*m_db, "SELECT state FROM outbox WHERE kind = 'unmatched'"), QStringLiteral("held"));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE state = 'cancelled'"), 0);
    // Undoing in the other box touches neither the case's receipt nor its closure.
    scan({QStringLiteral(":undo")});
    QCOMPARE(text(*m_db, "SELECT state FROM outbox WHERE kind = 'closure'"), QStringLiteral("pending"));
    QCOMPARE(text(*m_db, "SELECT state FROM outbox WHERE kind = 'receipt'"), QStringLiteral("pending"));
}

void TestSupervisorService::dueSoon_data()
{
    QTest::addColumn<QStringList>("scans");
    QTest::addColumn<int>("days");
    QTest::addColumn<QStringList>("cases"); // aliases, soonest first
    QTest::addColumn<QList<int>>("daysLeft");

    // Today is 2026-01-15 in Chicago. L is overdue, A due 01-20, E due 01-29, F due 03-01; D is destruction,
    // K closed, the rest due in June.
    QTest::newRow("14 days") << QStringList{} << 14 << QStringList{"L", "A", "E"} << QList<int>{-5, 5, 14};
    QTest::newRow("a case with a receipt is not listed")
        << QStringList{"A", "SN-A1"} << 14 << QStringList{"L", "E"} << QList<int>{-5, 14};
    QTest::newRow("an undone receipt does not count")
        << QStringList{"A", "SN-A1", ":undo"} << 14 << QStringList{"L", "A", "E"} << QList<int>{-5, 5, 14};
    QTest::newRow("a unit waiting for its SKU is not a receipt yet")
        << QStringList{"E", "NEW-1"} << 14 << QStringList{"L", "A", "E"} << QList<int>{-5, 5, 14};
    QTest::newRow("0 days: only what is due today or late")
        << QStringList{} << 0 << QStringList{"L"} << QList<int>{-5};
    QTest::newRow("50 days") << QStringList{} << 50 << QStringList{"L", "A", "E", "F"}
                             << QList<int>{-5, 5, 14, 45};
}

void TestSupervisorService::dueSoon()
{
    QFETCH(QStringList, scans);
    QFETCH(int, days);
    QFETCH(QStringList, cases);
    QFETCH(QList<int>, daysLeft);
    scan(scans);
    const QJsonArray got = m_sup->casesDueSoon(days);
    QStringList numbers;
    QList<int> left;
    for (const QJsonValue v : got) {
        numbers << v.toObject().value(QLatin1String("case_number")).toString();
        left << v.toObject().value(QLatin1String("days_left")).toInt();
        QCOMPARE(v.toObject().value(QLatin1String("late")).toBool(), left.back() < 0);
    }
    QStringList expected;
    for (const QString &a : std::as_const(cases))
        expected << cn(a);
    QCOMPARE(numbers, expected);
    QCOMPARE(left, daysLeft);
}

void TestSupervisorService::search_data()
{
    QTest::addColumn<QStringList>("scans");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("cases");
    QTest::addColumn<QString>("matchedBy"); // of the first hit

    QTest::newRow("case number") << QStringList{} << cn(QStringLiteral("B")) << QStringList{"B"}
                                 << "case_number";
    QTest::newRow("case number, scanned with spaces around")
        << QStringList{} << "  " + cn(QStringLiteral("C")) + " " << QStringList{"C"} << "case_number";
    QTest::newRow("part of a case number")
        << QStringList{} << "0002-001" << QStringList{"M"} << "case_number";
    QTest::newRow("expected serial") << QStringList{} << "SN-B1" << QStringList{"B"} << "serial";
    QTest::newRow("expected serial, lower case") << QStringList{} << "sn-b1" << QStringList{"B"} << "serial";
    QTest::newRow("serial on two cases") << QStringList{} << "SN-AB" << QStringList{"B", "C"} << "serial";
    QTest::newRow("serial received at the dock on a serial-less line")
        << QStringList{"A", "NEW-7", Tab} << "NEW-7" << QStringList{"A"} << "serial";
    QTest::newRow("tracking number") << QStringList{} << "TRK-A-0001" << QStringList{"A"}
                                     << "tracking_number";
    QTest::newRow("customer name") << QStringList{} << "bayou" << QStringList{"B"} << "customer";
    QTest::newRow("customer account") << QStringList{} << "ACC-100" << QStringList{"A"} << "customer";
    QTest::newRow("LIKE wildcards are literal") << QStringList{} << "%" << QStringList{} << "";
    QTest::newRow("nothing") << QStringList{} << "ZZZ-NOTHING" << QStringList{} << "";
    QTest::newRow("empty") << QStringList{} << "  " << QStringList{} << "";
}

void TestSupervisorService::search()
{
    QFETCH(QStringList, scans);
    QFETCH(QString, text);
    QFETCH(QStringList, cases);
    QFETCH(QString, matchedBy);
    scan(scans);
    const QJsonArray got = m_sup->searchCases(text);
    QStringList numbers;
    for (const QJsonValue v : got)
        numbers << v.toObject().value(QLatin1String("case_number")).toString();
    QStringList expected;
    for (const QString &a : std::as_const(cases))
        expected << cn(a);
    QCOMPARE(numbers, expected);
    if (!got.isEmpty())
        QCOMPARE(got.first().toObject().value(QLatin1String("matched_by")).toString(), matchedBy);
}

void TestSupervisorService::caseDetail()
{
    scan({QStringLiteral("A"), QStringLiteral("SN-A1")});
    const QJsonObject d = m_sup->caseDetail(cn(QStringLiteral("A")).toLower());
    QCOMPARE(d.value(QLatin1String("case_number")).toString(), cn(QStringLiteral("A")));
    const QJsonArray lines = d.value(QLatin1String("lines")).toArray();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0].toObject().value(QLatin1String("status")).toString(), QStringLiteral("received"));
    QCOMPARE(lines[1].toObject().value(QLatin1String("status")).toString(), QStringLiteral("missing"));
    QCOMPARE(d.value(QLatin1String("days_left")).toInt(), 5);
    const QJsonArray receipts = d.value(QLatin1String("receipts")).toArray();
    QCOMPARE(receipts.size(), 1);
    QCOMPARE(receipts[0].toObject().value(QLatin1String("serial")).toString(), QStringLiteral("SN-A1"));
    QCOMPARE(receipts[0].toObject().value(QLatin1String("upstream")).toString(), QStringLiteral("held"));
    try {
        m_sup->caseDetail(QStringLiteral("2099-0000-0000"));
        QFAIL("unknown case");
    } catch (const SupervisorError &e) {
        QCOMPARE(kindName(e.kind), QStringLiteral("NotFound"));
    }
}

void TestSupervisorService::settings_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("actor");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("stored");

    // The station id is each station's own (station.id in its configuration): a row here would give every
    // station on the database the same id, so the settings table refuses it however well formed.
    QTest::newRow("station id") << "station_id"
                                << "DOCK-2" << Sup << "Invalid"
                                << "";
    QTest::newRow("station id with dots and underscores") << "station_id"
                                                          << "bay_3.east" << Sup << "Invalid"
                                                          << "";
    QTest::newRow("volume 0") << "volume"
                              << "0" << Sup << ""
                              << "0";
    QTest::newRow("volume 100") << "volume"
                                << "100" << Sup << ""
                                << "100";
    QTest::newRow("volume 101") << "volume"
                                << "101" << Sup << "Invalid"
                                << "";
    QTest::newRow("volume -1") << "volume"
                               << "-1" << Sup << "Invalid"
                               << "";
    QTest::newRow("volume not a number") << "volume"
                                         << "loud" << Sup << "Invalid"
                                         << "";
    QTest::newRow("volume with a fraction") << "volume"
                                            << "50.5" << Sup << "Invalid"
                                            << "";
    QTest::newRow("idle minutes 1") << "idle_minutes"
                                    << "1" << Sup << ""
                                    << "1";
    QTest::newRow("idle minutes 240") << "idle_minutes"
                                      << " 240 " << Sup << ""
                                      << "240";
    QTest::newRow("idle minutes 0") << "idle_minutes"
                                    << "0" << Sup << "Invalid"
                                    << "";
    // One range for the idle sign-out, the configuration's and the settings table's: 1 to 480 (a shift).
    QTest::newRow("idle minutes 480") << "idle_minutes"
                                      << "480" << Sup << ""
                                      << "480";
    QTest::newRow("idle minutes 481") << "idle_minutes"
                                      << "481" << Sup << "Invalid"
                                      << "";
    QTest::newRow("idle minutes beyond 64 bits") << "idle_minutes"
                                                 << "18446744073709551617" << Sup << "Invalid"
                                                 << "";
    QTest::newRow("box idle minutes") << "box_idle_minutes"
                                      << "45" << Sup << ""
                                      << "45";
    QTest::newRow("box idle minutes 1440") << "box_idle_minutes"
                                           << "1440" << Sup << ""
                                           << "1440";
    QTest::newRow("box idle minutes 1441") << "box_idle_minutes"
                                           << "1441" << Sup << "Invalid"
                                           << "";
    QTest::newRow("supervisor minutes 1") << "supervisor_minutes"
                                          << "1" << Sup << ""
                                          << "1";
    QTest::newRow("supervisor minutes 60") << "supervisor_minutes"
                                           << "60" << Sup << ""
                                           << "60";
    QTest::newRow("supervisor minutes 0") << "supervisor_minutes"
                                          << "0" << Sup << "Invalid"
                                          << "";
    QTest::newRow("supervisor minutes 61") << "supervisor_minutes"
                                           << "61" << Sup << "Invalid"
                                           << "";
    QTest::newRow("language es") << "language"
                                 << "es" << Sup << ""
                                 << "es";
    QTest::newRow("language fr") << "language"
                                 << "fr" << Sup << "Invalid"
                                 << "";
    // Scanners are each station's hardware, set in its configuration ([scanner.NAME]); no station ever read
    // them from here, so the settings table refuses them.
    QTest::newRow("scanner type") << "scanner.dock.type"
                                  << "evdev" << Sup << "Invalid"
                                  << "";
    QTest::newRow("scanner device") << "scanner.dock.device"
                                    << "/dev/input/event3" << Sup << "Invalid"
                                    << "";
    QTest::newRow("scanner value with a newline") << "scanner.dock.device"
                                                  << "/dev/a\n/dev/b" << Sup << "Invalid"
                                                  << "";
    QTest::newRow("wedge gap") << "scanner.wedge.max_inter_key_ms"
                               << "20" << Sup << "Invalid"
                               << "";
    QTest::newRow("a configuration key") << "backup.interval_minutes"
                                         << "60" << Sup << "Invalid"
                                         << "";
    QTest::newRow("unknown key") << "colour"
                                 << "red" << Sup << "Invalid"
                                 << "";
    QTest::newRow("unknown scanner field") << "scanner.dock.colour"
                                           << "red" << Sup << "Invalid"
                                           << "";
    QTest::newRow("dock worker") << "volume"
                                 << "50" << Dock << "Denied"
                                 << "";
    QTest::newRow("unknown operator") << "volume"
                                      << "50"
                                      << "BADGE-0000"
                                      << "Denied"
                                      << "";
}

void TestSupervisorService::settings()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, actor);
    QFETCH(QString, error);
    QFETCH(QString, stored);

    m_sup->setSetting(QStringLiteral("volume"), QStringLiteral("30"), Sup);
    const QString before = everything(*m_db);
    const QJsonObject settingsBefore = m_sup->settings();
    QString got;
    try {
        m_sup->setSetting(key, value, actor);
    } catch (const SupervisorError &e) {
        got = kindName(e.kind);
    }
    QCOMPARE(got, error);
    if (!error.isEmpty()) {
        QCOMPARE(everything(*m_db), before);
        QCOMPARE(m_sup->settings(), settingsBefore);
        return;
    }
    QCOMPARE(m_sup->settings().value(key).toString(), stored);
    QCOMPARE(text(*m_db, ("SELECT updated_by FROM settings WHERE key = '" + key + "'").toUtf8()), Sup);
    QString action;
    const QJsonObject details = lastAuditDetails(*m_db, &action);
    QCOMPARE(action, QStringLiteral("setting_changed"));
    QCOMPARE(details.value(QLatin1String("new")).toString(), stored);
    QVERIFY(details.contains(QLatin1String("old")));
    QVERIFY(AuditLog::verify(*m_db).ok);
    for (const QString &k : SupervisorService::knownSettings())
        QVERIFY2(m_sup->settings().contains(k), qPrintable(k));
}

// Rows written by older code for keys no station reads (station_id, scanners) are neither shown nor kept
// offered: the page and receiving-cli list exactly the keys a supervisor may set.
void TestSupervisorService::settingsListOnlyWhatStationsRead()
{
    m_db->prepare("INSERT INTO settings (key, value, updated_at) VALUES ('station_id', 'OLD', 'x'), "
                  "('scanner.dock.device', '/dev/input/event3', 'x'), ('idle_minutes', '20', 'x')")
        .exec();
    const QJsonObject o = m_sup->settings();
    QStringList keys = o.keys();
    keys.sort();
    QStringList known = SupervisorService::knownSettings();
    QCOMPARE(known, (QStringList{QStringLiteral("idle_minutes"), QStringLiteral("box_idle_minutes"),
                                 QStringLiteral("supervisor_minutes"), QStringLiteral("volume"),
                                 QStringLiteral("language"), QStringLiteral("depot.name"),
                                 QStringLiteral("depot.address")}));
    known.sort();
    QCOMPARE(keys, known);
    QCOMPARE(o.value(QLatin1String("idle_minutes")).toString(), QStringLiteral("20"));
    QVERIFY(o.value(QLatin1String("volume")).isNull());
}

void TestSupervisorService::condition_data()
{
    QTest::addColumn<QStringList>("scans");
    QTest::addColumn<QString>(
        "serial"); // the unit whose newest receipt is changed; "#999" an unknown receipt
    QTest::addColumn<QString>("condition");
    QTest::addColumn<QString>("note");
    QTest::addColumn<QString>("station");
    QTest::addColumn<QString>("actor");
    QTest::addColumn<QString>("error");

    const QStringList openBox{"A", "SN-A1"};
    QTest::newRow("damaged unit in the open box") << openBox << "SN-A1"
                                                  << "damaged"
                                                  << "cracked case" << Station << Dock << "";
    QTest::newRow("not working unit in the open box") << openBox << "SN-A1"
                                                      << "not_working"
                                                      << "no power" << Station << Dock << "";
    QTest::newRow("back to working needs no note") << openBox << "SN-A1"
                                                   << "working"
                                                   << "" << Station << Dock << "";
    QTest::newRow("a supervisor may too") << openBox << "SN-A1"
                                          << "damaged"
                                          << "dent" << Station << Sup << "";
    QTest::newRow("unmatched unit in an unknown box (held report)")
        << QStringList{"1Z999AA10123456784", "NEW-1"} << "NEW-1"
        << "damaged"
        << "bent" << Station << Dock << "";
    QTest::newRow("damaged without a note") << openBox << "SN-A1"
                                            << "damaged"
                                            << " " << Station << Dock << "Invalid";
    QTest::newRow("not working without a note") << openBox << "SN-A1"
                                                << "not_working"
                                                << "" << Station << Dock << "Invalid";
    QTest::newRow("unknown condition") << openBox << "SN-A1"
                                       << "broken"
                                       << "x" << Station << Dock << "Invalid";
    QTest::newRow("box closed: the receipt went upstream") << QStringList{"A", "SN-A1", ":done"} << "SN-A1"
                                                           << "damaged"
                                                           << "x" << Station << Dock << "Conflict";
    QTest::newRow("unit received with no box: already pending") << QStringList{"SN-B1"} << "SN-B1"
                                                                << "damaged"
                                                                << "x" << Station << Dock << "Conflict";
    QTest::newRow("undone receipt") << QStringList{"A", "SN-A1", ":undo"} << "SN-A1"
                                    << "damaged"
                                    << "x" << Station << Dock << "Conflict";
    QTest::newRow("another station's open box") << QStringList{"@S2:S", "@S2:SN-S1"} << "SN-S1"
                                                << "damaged"
                                                << "x" << Station << Dock << "Conflict";
    QTest::newRow("unknown receipt") << openBox << "#999"
                                     << "damaged"
                                     << "x" << Station << Dock << "NotFound";
    QTest::newRow("unknown operator") << openBox << "SN-A1"
                                      << "damaged"
                                      << "x" << Station << "NOBODY"
                                      << "Denied";
}

void TestSupervisorService::condition()
{
    QFETCH(QStringList, scans);
    QFETCH(QString, serial);
    QFETCH(QString, condition);
    QFETCH(QString, note);
    QFETCH(QString, station);
    QFETCH(QString, actor);
    QFETCH(QString, error);

    scan(scans);
    const qint64 receipt =
        serial.startsWith(QLatin1Char('#'))
            ? serial.mid(1).toLongLong()
            : count(*m_db, ("SELECT max(id) FROM receipts WHERE serial = '" + serial + "'").toUtf8());
    const QString before = everything(*m_db);
    const QString otherEvents =
        dumpTable(*m_db, "outbox WHERE receipt_id IS DISTINCT FROM " + QByteArray::number(receipt));
    QString got;
    try {
        setUnitCondition(*m_db, m_clock, station, receipt, condition, note, actor);
    } catch (const SupervisorError &e) {
        got = kindName(e.kind);
    }
    QCOMPARE(got, error);
    if (!error.isEmpty()) {
        QCOMPARE(everything(*m_db), before);
        return;
    }
    const QByteArray id = QByteArray::number(receipt);
    QCOMPARE(text(*m_db, "SELECT condition FROM receipts WHERE id = " + id), condition);
    // The held event carries the new condition, same idempotency key; nothing else moves.
    const QJsonObject p = payloadOf(*m_db, "receipt_id = " + id);
    if (p.contains(QLatin1String("condition")))
        QCOMPARE(p.value(QLatin1String("condition")).toString(), condition);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE receipt_id = " + id + " AND state <> 'held'"),
             0);
    QCOMPARE(dumpTable(*m_db, "outbox WHERE receipt_id IS DISTINCT FROM " + id), otherEvents);
    QString action, auditActor;
    const QJsonObject details = lastAuditDetails(*m_db, &action, &auditActor);
    QCOMPARE(action, QStringLiteral("unit_condition"));
    QCOMPARE(auditActor, actor);
    QCOMPARE(details.value(QLatin1String("new")).toString(), condition);
    QCOMPARE(details.value(QLatin1String("eligible")).toBool(), condition == QLatin1String("working"));
    if (!note.trimmed().isEmpty())
        QCOMPARE(details.value(QLatin1String("note")).toString(), note.trimmed());
    QVERIFY(AuditLog::verify(*m_db).ok);
    // Closing the box sends the condition upstream with the receipt.
    scan({QStringLiteral(":done")});
    if (!p.isEmpty() && p.contains(QLatin1String("condition")))
        QCOMPARE(payloadOf(*m_db, "receipt_id = " + id).value(QLatin1String("condition")).toString(),
                 condition);
}

void TestSupervisorService::exceptionFilters()
{
    scan({QStringLiteral("NEW-1")}); // unmatched, 2026-01-15 18:00
    m_clock.set(DefaultNow.addSecs(3 * 3600));
    scan({QStringLiteral("SN-AB"), QStringLiteral("SN-D1")}); // ambiguous, destruction_case at 21:00
    m_clock.set(DefaultNow.addSecs(5 * 3600));
    const auto kinds = [](const QJsonArray &a) {
        QStringList k;
        for (const QJsonValue v : a)
            k << v.toObject().value(QLatin1String("kind")).toString();
        return k;
    };
    SupervisorService::ExceptionFilter f;
    QCOMPARE(kinds(m_sup->exceptions(f)), (QStringList{"destruction_case", "ambiguous", "unmatched"}));
    f.kind = QStringLiteral("ambiguous");
    QCOMPARE(kinds(m_sup->exceptions(f)), (QStringList{"ambiguous"}));
    f.kind.clear();
    f.minAgeHours = 3;
    QCOMPARE(kinds(m_sup->exceptions(f)), (QStringList{"unmatched"}));
    QCOMPARE(m_sup->exceptions(f).first().toObject().value(QLatin1String("age_hours")).toDouble(), 5.0);
    f.minAgeHours = 6;
    QCOMPARE(kinds(m_sup->exceptions(f)), QStringList());
    f.minAgeHours = 0;
    m_sup->resolveException(lastException(), QStringLiteral("return_to_sender"),
                            QStringLiteral("shred elsewhere"), Sup);
    QCOMPARE(kinds(m_sup->exceptions(f)), (QStringList{"ambiguous", "unmatched"}));
    f.includeClosed = true;
    QCOMPARE(kinds(m_sup->exceptions(f)), (QStringList{"destruction_case", "ambiguous", "unmatched"}));
}

// An already_received exception points at the first receipt (Dana's); the queue names who scanned it again.
void TestSupervisorService::exceptionNamesWhoScanned()
{
    scan({QStringLiteral("A"), QStringLiteral("SN-A1"), QStringLiteral(":done")});
    m_receiving->signIn(QStringLiteral("S2"), QStringLiteral("DOCK-2"));
    scan({QStringLiteral("@S2:S"), QStringLiteral("@S2:SN-A1")});
    const QJsonArray open = m_sup->exceptions({});
    QCOMPARE(open.size(), 1);
    const QJsonObject x = open[0].toObject();
    QCOMPARE(x.value(QLatin1String("kind")).toString(), QStringLiteral("already_received"));
    QCOMPARE(x.value(QLatin1String("station_id")).toString(), QStringLiteral("S2"));
    QCOMPARE(x.value(QLatin1String("operator_id")).toString(), QStringLiteral("DOCK-2"));
}

void TestSupervisorService::exceptionDetail()
{
    scan({QStringLiteral("A"), QStringLiteral("SN-A1"), QStringLiteral(":done"), QStringLiteral("S"),
          QStringLiteral("SN-S1"), QStringLiteral("SN-A1")}); // already_received in box S
    const QJsonObject d = m_sup->exceptionDetail(lastException());
    QCOMPARE(d.value(QLatin1String("exception")).toObject().value(QLatin1String("kind")).toString(),
             QStringLiteral("already_received"));
    const QJsonArray serialHistory = d.value(QLatin1String("serial_history")).toArray();
    QCOMPARE(serialHistory.size(), 1);
    QCOMPARE(serialHistory[0].toObject().value(QLatin1String("box")).toString(), cn(QStringLiteral("A")));
    const QJsonArray boxHistory = d.value(QLatin1String("box_history")).toArray();
    QCOMPARE(boxHistory.size(), 1);
    QCOMPARE(boxHistory[0].toObject().value(QLatin1String("serial")).toString(), QStringLiteral("SN-S1"));
    QCOMPARE(d.value(QLatin1String("box")).toObject().value(QLatin1String("label")).toString(),
             cn(QStringLiteral("S")));
    try {
        m_sup->exceptionDetail(4242);
        QFAIL("unknown exception");
    } catch (const SupervisorError &e) {
        QCOMPARE(kindName(e.kind), QStringLiteral("NotFound"));
    }
}

void TestSupervisorService::openBoxes()
{
    QCOMPARE(m_sup->openBoxes(), QJsonArray());
    scan({QStringLiteral("A"), QStringLiteral("SN-A1"), QStringLiteral("@S2:1Z999AA10123456784")});
    const QJsonArray boxes = m_sup->openBoxes();
    QCOMPARE(boxes.size(), 2);
    const QJsonObject a = boxes[0].toObject();
    QCOMPARE(a.value(QLatin1String("station_id")).toString(), Station);
    QCOMPARE(a.value(QLatin1String("case_number")).toString(), cn(QStringLiteral("A")));
    QCOMPARE(a.value(QLatin1String("operator_id")).toString(), Dock);
    QCOMPARE(a.value(QLatin1String("units")).toInt(), 1);
    QCOMPARE(a.value(QLatin1String("held_events")).toInt(), 1);
    QVERIFY(!a.value(QLatin1String("last_scan_at")).isNull());
    const QJsonObject b = boxes[1].toObject();
    QCOMPARE(b.value(QLatin1String("station_id")).toString(), QStringLiteral("S2"));
    QVERIFY(b.value(QLatin1String("case_number")).isNull());
    QVERIFY(b.value(QLatin1String("last_scan_at")).isNull());
    scan({QStringLiteral(":done")});
    QCOMPARE(m_sup->openBoxes().size(), 1);
}

void TestSupervisorService::isSupervisor()
{
    QVERIFY(m_sup->isSupervisor(Sup));
    QVERIFY(m_sup->isSupervisor(Sup.toLower()));
    QVERIFY(!m_sup->isSupervisor(Dock));
    QVERIFY(!m_sup->isSupervisor(QStringLiteral("NOBODY")));
    QVERIFY(!m_sup->isSupervisor(QString()));
}

QTEST_GUILESS_MAIN(TestSupervisorService)
#include "tst_supervisorservice.moc"
