// SPDX-License-Identifier: GPL-3.0-or-later
// The supervisor pages' controller and models: every request runs on the worker thread (a GUI application
// here, so the ThreadGuard would abort on any disk access from the GUI thread), results arrive as models and
// properties, the acting operator is the one signed in at the station and the role is enforced in C++.
#include "CasesModel.h"
#include "Clock.h"
#include "Database.h"
#include "DemoData.h"
#include "ExceptionsModel.h"
#include "ReceivingService.h"
#include "ScanWorker.h"
#include "StationController.h"
#include "SupervisorController.h"
#include "SupervisorWorker.h"
#include "TestStore.h"
#include "VerdictSound.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {
const QString Station = QStringLiteral("DOCK-T");

ScanEvent scanOf(const char *text)
{
    ScanEvent e;
    e.raw = text;
    e.sourceId = QStringLiteral("test");
    e.timestampMs = QDateTime::currentMSecsSinceEpoch();
    return e;
}

// Lets the test body write its fixtures on the GUI thread; the controller under test never may.
struct AllowGuiThreadIo
{
    AllowGuiThreadIo() { qApp->setProperty("rs_allow_gui_thread_io", true); }
    ~AllowGuiThreadIo() { qApp->setProperty("rs_allow_gui_thread_io", false); }
};
} // namespace

class TestSupervisorController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void jsonModelRolesAreCamelCase();
    void exceptionsModelPassesTheModelTester();
    void casesModelHighlightsDueSoon();
    void exceptionsLoadOnTheWorkerThread();
    void exceptionsFilterByKindAndAge();
    void exceptionDetailHasHistories();
    void dockWorkerIsRefused();
    void supervisorResolvesWithANote();
    void resolveWithoutNoteIsInvalid();
    void caseSearchAndDetail();
    void dueSoonAndOpenBoxes();
    void partialClosureNeedsSupervisor();
    void deadLetterRetry();
    void settingsApplyVolumeAndIdleLive();
    void signOutClearsThePages();
    void supervisorBadgeAloneIsRefused();
    void fiveWrongPinsLockTheKeypad();
    void pinSignInIsDockWorkOnly();
    void quitIsAuditedBeforeTheKioskGoes();
    void importFormPreviewsThenApplies();
    void reportsCountExportAndCertify();

private:
    void signIn(const char *badge, bool supervisor);
    QTemporaryDir m_dir;
    QString m_path;
    SystemClock m_clock;
    std::unique_ptr<StationController> m_station;
    std::unique_ptr<SupervisorController> m_supervisor;
    qint64 m_deadEvent = 0;
};

void TestSupervisorController::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestSupervisorController::init()
{
    m_path =
        TestStore::location(m_dir.filePath(QStringLiteral("sup-%1.db").arg(QTest::currentTestFunction())));
    {
        AllowGuiThreadIo allow;
        Database db;
        db.open(m_path);
        DemoData::Options o;
        o.today = QDate::currentDate();
        DemoData::write(db, o);
        // Two exceptions: a serial nobody expects with no box (unmatched), and one scanned twice in two
        // boxes.
        ReceivingService rs(db, m_clock, {});
        rs.signIn(Station, QStringLiteral("BADGE-1001"));
        QCOMPARE(outcomeName(rs.scan(scanOf("ZZNOTEXPECTED01"), Station).outcome),
                 QStringLiteral("unmatched"));
        QCOMPARE(outcomeName(rs.scan(scanOf("2026-1103-0001"), Station).outcome),
                 QStringLiteral("box_opened"));
        QCOMPARE(outcomeName(rs.scan(scanOf("JN11F3A2BAFA"), Station).outcome), QStringLiteral("matched"));
        rs.signOut(Station); // the box closes: its held receipt becomes due
        Statement s = db.prepare("SELECT min(id) FROM outbox WHERE state = 'pending'");
        QVERIFY(s.next());
        m_deadEvent = s.int64(0);
        db.prepare("UPDATE outbox SET state = 'dead', last_error = 'HTTP 422: unknown case' WHERE id = ?1")
            .bind(1, m_deadEvent)
            .exec();
    }
    auto *worker = new ScanWorker(m_path, Station, {}, m_clock);
    m_station = std::make_unique<StationController>(Station, worker, std::make_unique<SilentVerdictSound>());
    auto *supervisorWorker =
        new SupervisorWorker(m_path, Station, QTimeZone(QByteArrayLiteral("America/Chicago")), m_clock);
    const QString reports = m_dir.filePath(QStringLiteral("reports-%1").arg(QTest::currentTestFunction()));
    supervisorWorker->setReportSettings(reports, QStringLiteral("A4"));
    m_supervisor = std::make_unique<SupervisorController>(supervisorWorker);
    m_supervisor->setReportDirectory(reports);
    m_supervisor->setStation(m_station.get());
    QSignalSpy ready(m_station.get(), &StationController::readyChanged);
    m_station->start();
    m_supervisor->start();
    QTRY_VERIFY(m_station->isReady());
    QTRY_VERIFY(m_supervisor->isReady());
    QTRY_VERIFY(!m_supervisor->isBusy()); // the settings read at start
}

void TestSupervisorController::cleanup()
{
    m_supervisor.reset();
    m_station.reset();
}

void TestSupervisorController::signIn(const char *badge, bool supervisor)
{
    m_station->submit({scanOf(badge)});
    QTRY_COMPARE(m_station->operatorId(), QString::fromLatin1(badge));
    // A badge alone never opens supervisor work; the supervisor's PIN on the keypad does.
    QVERIFY(!m_station->isSupervisor());
    if (!supervisor)
        return;
    QVERIFY(m_station->hasSupervisorRole());
    QSignalSpy confirmed(m_station.get(), &StationController::supervisorConfirmed);
    m_station->confirmSupervisorPin(QStringLiteral("9876")); // BADGE-2001's demo PIN
    QTRY_COMPARE(confirmed.size(), 1);
    QVERIFY(m_station->isSupervisor());
}

void TestSupervisorController::supervisorBadgeAloneIsRefused()
{
    m_station->submit({scanOf("BADGE-2001")});
    QTRY_COMPARE(m_station->operatorId(), QStringLiteral("BADGE-2001"));
    QVERIFY(m_station->hasSupervisorRole());
    QVERIFY(!m_station->isSupervisor());
    QSignalSpy failed(m_supervisor.get(), &SupervisorController::requestFailed);
    m_supervisor->refreshExceptions();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("denied"));
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 0);
    m_supervisor->setSetting(QStringLiteral("volume"), QStringLiteral("10"));
    QCOMPARE(failed.size(), 2);
    QVERIFY(!m_station->requestQuit());

    // A wrong PIN keeps it closed and says why; the right one opens it.
    m_station->confirmSupervisorPin(QStringLiteral("1234"));
    QTRY_VERIFY(!m_station->isPinBusy());
    QVERIFY(!m_station->isSupervisor());
    QVERIFY2(m_station->pinMessage().contains(QLatin1String("not right")),
             qPrintable(m_station->pinMessage()));
    m_station->confirmSupervisorPin(QStringLiteral("9876"));
    QTRY_VERIFY(m_station->isSupervisor());
    m_supervisor->refreshExceptions();
    QTRY_COMPARE(m_supervisor->exceptions()->rowCount(), 1);

    // Back to dock work: the next supervisor action asks for the PIN again.
    m_station->endSupervisorWork();
    QVERIFY(!m_station->isSupervisor());
    m_supervisor->refreshExceptions();
    QCOMPARE(failed.size(), 3);
    // Another operator's badge ends the supervisor's session and its PIN with it.
    signIn("BADGE-2001", true);
    m_station->submit({scanOf("BADGE-1001")});
    QTRY_COMPARE(m_station->operatorId(), QStringLiteral("BADGE-1001"));
    QVERIFY(!m_station->isSupervisor());
}

void TestSupervisorController::fiveWrongPinsLockTheKeypad()
{
    m_station->submit({scanOf("BADGE-2001")});
    QTRY_COMPARE(m_station->operatorId(), QStringLiteral("BADGE-2001"));
    for (int i = 0; i < 5; ++i) {
        m_station->confirmSupervisorPin(QStringLiteral("000%1").arg(i));
        QTRY_VERIFY(!m_station->isPinBusy());
    }
    QTRY_VERIFY(m_station->pinLockedSeconds() > 290);
    QVERIFY2(m_station->pinMessage().contains(QLatin1String("locked")), qPrintable(m_station->pinMessage()));
    m_station->confirmSupervisorPin(QStringLiteral("9876"));
    QTRY_VERIFY(!m_station->isPinBusy());
    QVERIFY(!m_station->isSupervisor());
    // PIN sign-in on the sign-in keypad is locked too.
    m_station->signOut();
    QTRY_VERIFY(!m_station->isSignedIn());
    m_station->signInWithPin(QStringLiteral("1234"));
    QTRY_VERIFY(!m_station->isPinBusy());
    QVERIFY(!m_station->isSignedIn());
    QVERIFY(m_station->pinLockedSeconds() > 0);
    // The lock counts down on the keypad.
    const int before = m_station->pinLockedSeconds();
    QTRY_VERIFY_WITH_TIMEOUT(m_station->pinLockedSeconds() < before, 3000);
}

void TestSupervisorController::pinSignInIsDockWorkOnly()
{
    m_station->signInWithPin(QStringLiteral("9876"));
    QTRY_COMPARE(m_station->operatorId(), QStringLiteral("BADGE-2001"));
    QVERIFY(!m_station->isSupervisor());
    m_station->signOut();
    QTRY_VERIFY(!m_station->isSignedIn());
    m_station->signInWithPin(QStringLiteral("1234"));
    QTRY_COMPARE(m_station->operatorId(), QStringLiteral("BADGE-1001"));
    QVERIFY(!m_station->hasSupervisorRole());
}

void TestSupervisorController::quitIsAuditedBeforeTheKioskGoes()
{
    signIn("BADGE-1001", false);
    QVERIFY(!m_station->requestQuit());
    signIn("BADGE-2001", true);
    QSignalSpy approved(m_station.get(), &StationController::quitApproved);
    QVERIFY(m_station->requestQuit());
    QTRY_COMPARE(approved.size(), 1);
    QCOMPARE(approved.at(0).at(0).toString(), QStringLiteral("BADGE-2001"));
    AllowGuiThreadIo allow;
    Database db;
    db.open(m_path);
    Statement s =
        db.prepare("SELECT count(*) FROM audit_log WHERE action = 'kiosk_quit' AND actor = 'BADGE-2001'");
    QVERIFY(s.next());
    QCOMPARE(s.int64(0), qint64(1));
}

void TestSupervisorController::jsonModelRolesAreCamelCase()
{
    QCOMPARE(JsonListModel::camelCase(QStringLiteral("case_number")), QByteArray("caseNumber"));
    QCOMPARE(JsonListModel::camelCase(QStringLiteral("last_scan_at")), QByteArray("lastScanAt"));
    ExceptionsModel m;
    const QHash<int, QByteArray> roles = m.roleNames();
    QCOMPARE(roles.value(Qt::UserRole + 1), QByteArray("exceptionId"));
    QVERIFY(roles.values().contains("caseNumber"));
    QVERIFY(roles.values().contains("ageHours"));
    QVERIFY(!roles.values().contains("id")); // reserved in QML
}

void TestSupervisorController::exceptionsModelPassesTheModelTester()
{
    ExceptionsModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy count(&m, &JsonListModel::countChanged);
    m.setRows(QJsonArray{
        QJsonObject{{QStringLiteral("id"), 7},
                    {QStringLiteral("kind"), QStringLiteral("cross_case")},
                    {QStringLiteral("serial"), QStringLiteral("JN1")},
                    {QStringLiteral("box"), QJsonValue(QJsonValue::Null)},
                    {QStringLiteral("age_hours"), 2.5}},
        QJsonObject{{QStringLiteral("id"), 6}, {QStringLiteral("kind"), QStringLiteral("unmatched")}}});
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(count.size(), 1);
    const QHash<int, QByteArray> roles = m.roleNames();
    const auto role = [&roles](const QByteArray &name) { return roles.key(name); };
    QCOMPARE(m.data(m.index(0), role("exceptionId")).toLongLong(), 7);
    QCOMPARE(m.data(m.index(0), role("ageHours")).toDouble(), 2.5);
    QCOMPARE(m.data(m.index(0), role("box")).toString(), QString()); // null is shown as empty
    QCOMPARE(m.get(1).value(QStringLiteral("kind")).toString(), QStringLiteral("unmatched"));
    QVERIFY(!m.data(m.index(0), Qt::DisplayRole).isValid());
    m.setRows({});
    QCOMPARE(m.rowCount(), 0);
    QCOMPARE(count.size(), 2);
}

void TestSupervisorController::casesModelHighlightsDueSoon()
{
    CasesModel m;
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setRows(QJsonArray{QJsonObject{{QStringLiteral("case_number"), QStringLiteral("A")}},
                         QJsonObject{{QStringLiteral("case_number"), QStringLiteral("B")}}});
    const int dueRole = m.roleNames().key("dueSoon");
    QVERIFY(!m.data(m.index(0), dueRole).toBool());
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    m.setDueSoon({QStringLiteral("B")});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{dueRole});
    QVERIFY(!m.data(m.index(0), dueRole).toBool());
    QVERIFY(m.data(m.index(1), dueRole).toBool());
}

void TestSupervisorController::exceptionsLoadOnTheWorkerThread()
{
    signIn("BADGE-2001", true);
    QSignalSpy busy(m_supervisor.get(), &SupervisorController::busyChanged);
    m_supervisor->refreshExceptions();
    QVERIFY(m_supervisor->isBusy()); // asked, not answered: the GUI thread did not wait
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 0);
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 1);
    QCOMPARE(m_supervisor->exceptions()->get(0).value(QStringLiteral("kind")).toString(),
             QStringLiteral("unmatched"));
    QCOMPARE(m_supervisor->exceptions()->get(0).value(QStringLiteral("serial")).toString(),
             QStringLiteral("ZZNOTEXPECTED01"));
}

void TestSupervisorController::exceptionsFilterByKindAndAge()
{
    signIn("BADGE-2001", true);
    m_supervisor->setExceptionKind(QStringLiteral("cross_case")); // reloads by itself
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 0);
    m_supervisor->setExceptionKind(QStringLiteral("unmatched"));
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 1);
    m_supervisor->setMinAgeHours(24); // it is seconds old
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 0);
    m_supervisor->setMinAgeHours(0);
    m_supervisor->setExceptionKind(QString());
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 1);
    QVERIFY(ExceptionsModel::kinds().contains(QStringLiteral("cross_case")));
}

void TestSupervisorController::exceptionDetailHasHistories()
{
    signIn("BADGE-2001", true);
    m_supervisor->refreshExceptions();
    QTRY_COMPARE(m_supervisor->exceptions()->rowCount(), 1);
    const qint64 id = m_supervisor->exceptions()->get(0).value(QStringLiteral("exceptionId")).toLongLong();
    QSignalSpy detail(m_supervisor.get(), &SupervisorController::exceptionDetailChanged);
    m_supervisor->openException(id);
    QTRY_VERIFY(m_supervisor->exceptionDetail().contains(QStringLiteral("serial_history")));
    const QVariantMap d = m_supervisor->exceptionDetail();
    QCOMPARE(d.value(QStringLiteral("exception")).toMap().value(QStringLiteral("id")).toLongLong(), id);
    QCOMPARE(d.value(QStringLiteral("serial_history")).toList().size(), 1);
    QVERIFY(d.contains(QStringLiteral("box_history")));
}

void TestSupervisorController::dockWorkerIsRefused()
{
    signIn("BADGE-1001", false);
    QSignalSpy failed(m_supervisor.get(), &SupervisorController::requestFailed);
    // The supervisor pages show nothing to a dock worker, not even the queue.
    m_supervisor->refreshExceptions();
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("denied"));
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 0);
    qint64 id = 0;
    {
        AllowGuiThreadIo allow;
        Database db;
        db.open(m_path);
        Statement s = db.prepare("SELECT min(id) FROM exceptions WHERE status = 'open'");
        QVERIFY(s.next());
        id = s.int64(0);
    }
    QVERIFY(id > 0);
    m_supervisor->resolveException(id, QStringLiteral("not_tmip"), QStringLiteral("found on the shelf"));
    QTRY_COMPARE(failed.size(), 2);
    QCOMPARE(failed.at(1).at(1).toString(), QStringLiteral("denied"));
    QVERIFY(m_supervisor->messageIsError());
    QVERIFY(!m_supervisor->message().isEmpty());

    m_supervisor->retryDeadLetter(m_deadEvent);
    QTRY_COMPARE(failed.size(), 3);
    QCOMPARE(failed.at(2).at(1).toString(), QStringLiteral("denied"));
    m_supervisor->setSetting(QStringLiteral("volume"), QStringLiteral("10"));
    QTRY_COMPARE(failed.size(), 4);
    {
        AllowGuiThreadIo allow;
        Database db;
        db.open(m_path);
        Statement s = db.prepare("SELECT status FROM exceptions WHERE id = ?1");
        QVERIFY(s.bind(1, id).next());
        QCOMPARE(s.text(0), QStringLiteral("open")); // nothing changed
    }
    QCOMPARE(failed.at(2).at(1).toString(), QStringLiteral("denied"));
    QTRY_VERIFY(!m_supervisor->isBusy());
}

void TestSupervisorController::supervisorResolvesWithANote()
{
    signIn("BADGE-2001", true);
    m_supervisor->refreshExceptions();
    QTRY_COMPARE(m_supervisor->exceptions()->rowCount(), 1);
    const qint64 id = m_supervisor->exceptions()->get(0).value(QStringLiteral("exceptionId")).toLongLong();
    QSignalSpy resolved(m_supervisor.get(), &SupervisorController::exceptionResolved);
    m_supervisor->resolveException(id, QStringLiteral("return_to_sender"), QStringLiteral("not ours"));
    QTRY_COMPARE(resolved.size(), 1);
    QCOMPARE(resolved.at(0).at(0).toLongLong(), id);
    QVERIFY(!m_supervisor->messageIsError());
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 0); // reloaded after the resolution
}

void TestSupervisorController::resolveWithoutNoteIsInvalid()
{
    signIn("BADGE-2001", true);
    m_supervisor->refreshExceptions();
    QTRY_COMPARE(m_supervisor->exceptions()->rowCount(), 1);
    const qint64 id = m_supervisor->exceptions()->get(0).value(QStringLiteral("exceptionId")).toLongLong();
    QSignalSpy failed(m_supervisor.get(), &SupervisorController::requestFailed);
    m_supervisor->resolveException(id, QStringLiteral("not_tmip"), QStringLiteral("   "));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("invalid"));
}

void TestSupervisorController::caseSearchAndDetail()
{
    signIn("BADGE-2001", true);
    QSignalSpy searched(m_supervisor.get(), &SupervisorController::casesSearched);
    m_supervisor->searchCases(QStringLiteral(" JN11F3A2BAFA ")); // by serial, as a scan fills the field
    QTRY_COMPARE(searched.size(), 1);
    QCOMPARE(m_supervisor->searchedText(), QStringLiteral("JN11F3A2BAFA"));
    QVERIFY(m_supervisor->cases()->rowCount() >= 1);
    QCOMPARE(m_supervisor->cases()->get(0).value(QStringLiteral("caseNumber")).toString(),
             QStringLiteral("2026-1103-0001"));

    m_supervisor->openCase(QStringLiteral("2026-1103-0001"));
    QTRY_COMPARE(m_supervisor->caseDetail().value(QStringLiteral("case_number")).toString(),
                 QStringLiteral("2026-1103-0001"));
    const QVariantList lines = m_supervisor->caseDetail().value(QStringLiteral("lines")).toList();
    QVERIFY(!lines.isEmpty());
    QStringList states;
    for (const QVariant &l : lines)
        states << l.toMap().value(QStringLiteral("status")).toString();
    QVERIFY2(states.contains(QStringLiteral("received")), qPrintable(states.join(',')));
}

void TestSupervisorController::dueSoonAndOpenBoxes()
{
    signIn("BADGE-2001", true);
    m_supervisor->refreshCaseOverview();
    QTRY_VERIFY(!m_supervisor->isBusy());
    QVERIFY(m_supervisor->dueSoon()->rowCount() >=
            1); // the demo data has cases due soon with nothing received
    const int dueRole = m_supervisor->dueSoon()->roleNames().key("dueSoon");
    QVERIFY(m_supervisor->dueSoon()->data(m_supervisor->dueSoon()->index(0), dueRole).toBool());
    QCOMPARE(m_supervisor->openBoxes()->rowCount(), 0);

    m_station->submit({scanOf("2026-1103-0001")});
    QTRY_VERIFY(m_station->box().value(QStringLiteral("open")).toBool());
    m_supervisor->refreshCaseOverview();
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->openBoxes()->rowCount(), 1);
    QCOMPARE(m_supervisor->openBoxes()->get(0).value(QStringLiteral("stationId")).toString(), Station);
    QCOMPARE(m_supervisor->openBoxes()->get(0).value(QStringLiteral("operatorId")).toString(),
             QStringLiteral("BADGE-2001"));
}

void TestSupervisorController::partialClosureNeedsSupervisor()
{
    signIn("BADGE-1001", false);
    QSignalSpy failed(m_supervisor.get(), &SupervisorController::requestFailed);
    QSignalSpy approved(m_supervisor.get(), &SupervisorController::partialClosureApproved);
    m_supervisor->approvePartialClosure(QStringLiteral("2026-1103-0001"),
                                        QStringLiteral("customer kept two"));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("denied"));

    signIn("BADGE-2001", true);
    m_supervisor->approvePartialClosure(QStringLiteral("2026-1103-0001"),
                                        QStringLiteral("customer kept two"));
    QTRY_COMPARE(approved.size(), 1);
    QTRY_COMPARE(m_supervisor->caseDetail().value(QStringLiteral("status")).toString(),
                 QStringLiteral("closed"));
    QTRY_VERIFY(!m_supervisor->isBusy());
}

void TestSupervisorController::reportsCountExportAndCertify()
{
    signIn("BADGE-1001", false);
    QSignalSpy failed(m_supervisor.get(), &SupervisorController::requestFailed);
    m_supervisor->countReportPeriod(QStringLiteral("today"));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("denied"));

    signIn("BADGE-2001", true);
    m_supervisor->countReports(QStringLiteral("2026-13-01"), QStringLiteral("2026-12-01"));
    QCOMPARE(failed.size(), 2); // refused at once, nothing asked of the worker
    QCOMPARE(failed.at(1).at(1).toString(), QStringLiteral("invalid"));
    QVERIFY(m_supervisor->message().contains(QStringLiteral("2026-13-01")));
    m_supervisor->countReportPeriod(QStringLiteral("today"));
    QTRY_VERIFY(!m_supervisor->reportCounts().isEmpty());
    const QVariantMap counts = m_supervisor->reportCounts();
    const QVariantMap total = counts.value(QStringLiteral("total")).toMap();
    QCOMPARE(total.value(QStringLiteral("received")).toLongLong(), 2); // JN11F3A2BAFA and the unmatched unit
    QVERIFY(total.value(QStringLiteral("exceptions_opened")).toLongLong() >= 1);
    QCOMPARE(counts.value(QStringLiteral("stations")).toList().size(), 1);

    QSignalSpy exported(m_supervisor.get(), &SupervisorController::reportsExported);
    m_supervisor->exportReports(counts.value(QStringLiteral("from")).toString(),
                                counts.value(QStringLiteral("to")).toString());
    QTRY_COMPARE(exported.size(), 1);
    const QStringList files = exported.at(0).at(0).toStringList();
    QCOMPARE(files.size(), 4);
    for (const QString &f : files)
        QVERIFY2(QFile::exists(QDir(m_supervisor->reportDirectory()).filePath(f)), qPrintable(f));

    QSignalSpy certified(m_supervisor.get(), &SupervisorController::certificateIssued);
    m_supervisor->issueCertificate(QStringLiteral("2026-1103-0001"));
    QTRY_COMPARE(certified.size(), 1);
    QVERIFY(QFile::exists(certified.at(0).at(1).toString()));
    QTRY_VERIFY(!m_supervisor->isBusy());
}

void TestSupervisorController::deadLetterRetry()
{
    signIn("BADGE-2001", true);
    m_supervisor->refreshSync();
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->deadLetters()->rowCount(), 1);
    const QVariantMap dead = m_supervisor->deadLetters()->get(0);
    QCOMPARE(dead.value(QStringLiteral("eventId")).toLongLong(), m_deadEvent);
    QCOMPARE(dead.value(QStringLiteral("lastError")).toString(), QStringLiteral("HTTP 422: unknown case"));
    QCOMPARE(m_supervisor->outboxCounts().value(QStringLiteral("dead")).toLongLong(), 1);

    QSignalSpy syncNow(m_supervisor.get(), &SupervisorController::syncRequested);
    m_supervisor->retryDeadLetter(m_deadEvent);
    QTRY_COMPARE(syncNow.size(), 1);
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->deadLetters()->rowCount(), 0);

    QSignalSpy failed(m_supervisor.get(), &SupervisorController::requestFailed);
    m_supervisor->retryDeadLetter(m_deadEvent); // no longer dead
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("conflict"));
    QTRY_VERIFY(!m_supervisor->isBusy());
}

void TestSupervisorController::settingsApplyVolumeAndIdleLive()
{
    signIn("BADGE-2001", true);
    QSignalSpy volume(m_supervisor.get(), &SupervisorController::soundVolumeChanged);
    QSignalSpy idle(m_supervisor.get(), &SupervisorController::idleMinutesChanged);
    m_supervisor->setSetting(QStringLiteral("volume"), QStringLiteral("40"));
    QTRY_COMPARE(volume.size(), 1);
    QCOMPARE(volume.at(0).at(0).toInt(), 40);
    QCOMPARE(m_supervisor->soundVolume(), 40);
    m_supervisor->setSetting(QStringLiteral("idle_minutes"), QStringLiteral("15"));
    QTRY_COMPARE(idle.size(), 1);
    QCOMPARE(m_supervisor->idleMinutes(), 15);
    QTRY_VERIFY(!m_supervisor->isBusy());

    QSignalSpy failed(m_supervisor.get(), &SupervisorController::requestFailed);
    m_supervisor->setSetting(QStringLiteral("volume"), QStringLiteral("140"));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("invalid"));
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(m_supervisor->soundVolume(), 40);

    QStringList keys;
    for (const QVariant &row : m_supervisor->settings())
        keys << row.toMap().value(QStringLiteral("key")).toString();
    // The station id and scanners belong to each station's configuration: not offered here.
    QCOMPARE(keys, (QStringList{QStringLiteral("idle_minutes"), QStringLiteral("box_idle_minutes"),
                                QStringLiteral("supervisor_minutes"), QStringLiteral("volume"),
                                QStringLiteral("language"), QStringLiteral("depot.name"),
                                QStringLiteral("depot.address")}));
    // Each row carries its key's range and when it applies, from StationSettings, for the page's editor.
    for (const QVariant &row : m_supervisor->settings()) {
        const QVariantMap m = row.toMap();
        const QString key = m.value(QStringLiteral("key")).toString();
        if (key == u"idle_minutes") {
            QCOMPARE(m.value(QStringLiteral("value")).toString(), QStringLiteral("15"));
            QVERIFY(m.value(QStringLiteral("numeric")).toBool());
            QCOMPARE(m.value(QStringLiteral("minimum")).toLongLong(), 1);
            QCOMPARE(m.value(QStringLiteral("maximum")).toLongLong(), 480);
            QCOMPARE(m.value(QStringLiteral("fallback")).toString(), QStringLiteral("station.idle_minutes"));
            QCOMPARE(m.value(QStringLiteral("applies")).toString(), QStringLiteral("now"));
        } else if (key == u"supervisor_minutes") {
            QCOMPARE(m.value(QStringLiteral("maximum")).toLongLong(), 60);
            QCOMPARE(m.value(QStringLiteral("defaultValue")).toString(), QStringLiteral("5"));
        } else if (key == u"language") {
            QVERIFY(!m.value(QStringLiteral("numeric")).toBool());
            QCOMPARE(m.value(QStringLiteral("choices")).toStringList(),
                     (QStringList{QStringLiteral("en"), QStringLiteral("es")}));
            QCOMPARE(m.value(QStringLiteral("applies")).toString(), QStringLiteral("sign_in"));
        }
    }
}

void TestSupervisorController::signOutClearsThePages()
{
    signIn("BADGE-2001", true);
    m_supervisor->searchCases(QStringLiteral("2026-1103-0001"));
    QTRY_VERIFY(m_supervisor->cases()->rowCount() >= 1);
    m_station->signOut();
    QTRY_COMPARE(m_station->operatorId(), QString());
    QCOMPARE(m_supervisor->cases()->rowCount(), 0);
    QCOMPARE(m_supervisor->searchedText(), QString());
}

// Issue #12 at the kiosk: the form files of forms.directory, a preview that changes nothing, the apply, the
// exception the case now expects behind its filter and its one-tap assignment, and a refused form's sentence.
void TestSupervisorController::importFormPreviewsThenApplies()
{
    const QString forms = m_dir.filePath(QStringLiteral("forms-%1").arg(QTest::currentTestFunction()));
    const auto countLines = [this] {
        AllowGuiThreadIo allow;
        Database db;
        db.open(m_path);
        Statement s = db.prepare("SELECT count(*) FROM expected_items e JOIN cases c ON c.id = e.case_id "
                                 "WHERE c.case_number = '2026-1103-0001'");
        return s.next() ? s.int64(0) : -1;
    };
    {
        AllowGuiThreadIo allow;
        QVERIFY(QDir().mkpath(forms));
        const auto put = [&forms](const char *name, const QByteArray &bytes) {
            QFile f(QDir(forms).filePath(QLatin1String(name)));
            return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
        };
        QVERIFY(put("form.csv", "TMIP Case,2026-1103-0001\n"
                                "Line,SKU,Description,Serial,Qty\n"
                                "1,CHAS-BP3-MX960-S,MX960 chassis,JN11F3A2BAFA,\n"
                                "2,MPC7E-10G,MPC7E 40x10GE line card,CAHZ4512,\n"
                                "3,MPC7E-10G,MPC7E 40x10GE line card,CAHZ4519,\n"
                                "4,SRX345,SRX345 services gateway,,2\n"
                                "5,EX4300-48T,EX4300 48-port switch,ZZE2E00042,\n"));
        QVERIFY(put("bad.csv", "TMIP Case,2026-1103-0001\n"
                               "SKU,Serial\n"
                               "MX960,PE1234\n"
                               "MX960,PE1234\n"));
        QVERIFY(put("notes.txt", "not a form"));
        // A unit nobody expects, received into another case's box: an open `unexpected` exception.
        Database db;
        db.open(m_path);
        ReceivingService rs(db, m_clock, {});
        rs.signIn(QStringLiteral("DOCK-U"), QStringLiteral("BADGE-1002"));
        QCOMPARE(outcomeName(rs.scan(scanOf("2026-1020-0002"), QStringLiteral("DOCK-U")).outcome),
                 QStringLiteral("box_opened"));
        QCOMPARE(outcomeName(rs.scan(scanOf("ZZE2E00042"), QStringLiteral("DOCK-U")).outcome),
                 QStringLiteral("unexpected"));
    }
    QCOMPARE(countLines(), 4);
    m_supervisor->setFormsDirectory(forms);

    // A dock worker lists nothing.
    QSignalSpy failed(m_supervisor.get(), &SupervisorController::requestFailed);
    signIn("BADGE-1001", false);
    m_supervisor->refreshFormFiles();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("denied"));
    QVERIFY(!m_supervisor->formFilesListed());

    signIn("BADGE-2001", true);
    m_supervisor->refreshFormFiles();
    QTRY_VERIFY(m_supervisor->formFilesListed());
    QCOMPARE(m_supervisor->formFiles()->rowCount(), 2); // the .txt is not offered
    QCOMPARE(m_supervisor->formFolders().size(), 1);
    int good = -1, bad = -1;
    for (int i = 0; i < 2; ++i)
        (m_supervisor->formFiles()->row(i)[QLatin1String("file_name")].toString() == QLatin1String("form.csv")
             ? good
             : bad) = i;
    QVERIFY(good >= 0 && bad >= 0);

    // The preview says what changes, and changes nothing.
    m_supervisor->previewForm(good);
    QCOMPARE(m_supervisor->formFile(), QStringLiteral("form.csv"));
    QTRY_VERIFY(!m_supervisor->isBusy());
    QVERIFY2(m_supervisor->formProblem().isEmpty(), qPrintable(m_supervisor->formProblem()));
    QVariantMap preview = m_supervisor->formPreview();
    QCOMPARE(preview.value(QStringLiteral("case_number")).toString(), QStringLiteral("2026-1103-0001"));
    QVERIFY(preview.value(QStringLiteral("dry_run")).toBool());
    QCOMPARE(preview.value(QStringLiteral("lines_before")).toInt(), 4);
    QCOMPARE(preview.value(QStringLiteral("lines_after")).toInt(), 5);
    QCOMPARE(preview.value(QStringLiteral("lines_added")).toList(), QVariantList{5});
    const QVariantList nowExpected = preview.value(QStringLiteral("now_expected")).toList();
    QCOMPARE(nowExpected.size(), 1);
    QCOMPARE(nowExpected[0].toMap().value(QStringLiteral("serial")).toString(), QStringLiteral("ZZE2E00042"));
    QCOMPARE(nowExpected[0].toMap().value(QStringLiteral("line")).toInt(), 5);
    QCOMPARE(countLines(), 4);

    // Apply: the case has the form's lines.
    QSignalSpy applied(m_supervisor.get(), &SupervisorController::formApplied);
    m_supervisor->applyForm();
    QTRY_COMPARE(applied.size(), 1);
    QCOMPARE(applied.at(0).at(0).toString(), QStringLiteral("2026-1103-0001"));
    QCOMPARE(m_supervisor->formResult().value(QStringLiteral("lines_after")).toInt(), 5);
    QVERIFY(m_supervisor->formPreview().isEmpty());
    QVERIFY(!m_supervisor->messageIsError());
    QCOMPARE(countLines(), 5);
    // Applied once: the same preview cannot be applied again.
    m_supervisor->applyForm();
    QTRY_VERIFY(!m_supervisor->isBusy());
    QCOMPARE(applied.size(), 1);

    // The exception is now expected: behind its filter, with the case and line, and one tap receives it.
    m_supervisor->setNowExpectedOnly(true);
    QTRY_COMPARE(m_supervisor->exceptions()->rowCount(), 1);
    const QVariantMap row = m_supervisor->exceptions()->get(0);
    QCOMPARE(row.value(QStringLiteral("serial")).toString(), QStringLiteral("ZZE2E00042"));
    QCOMPARE(row.value(QStringLiteral("nowExpectedCase")).toString(), QStringLiteral("2026-1103-0001"));
    QCOMPARE(row.value(QStringLiteral("nowExpectedLine")).toInt(), 5);
    QSignalSpy resolved(m_supervisor.get(), &SupervisorController::exceptionResolved);
    m_supervisor->assignNowExpected(row.value(QStringLiteral("exceptionId")).toLongLong());
    QTRY_COMPARE(resolved.size(), 1);
    QTRY_VERIFY(!m_supervisor->isBusy());
    QVERIFY2(m_supervisor->message().contains(QLatin1String("line 5")), qPrintable(m_supervisor->message()));
    QCOMPARE(m_supervisor->exceptions()->rowCount(), 0);
    {
        AllowGuiThreadIo allow;
        Database db;
        db.open(m_path);
        Statement s = db.prepare("SELECT line FROM receipts WHERE serial = 'ZZE2E00042' AND voided = 0");
        QVERIFY(s.next());
        QCOMPARE(s.int64(0), 5);
    }
    m_supervisor->setNowExpectedOnly(false);
    QTRY_VERIFY(!m_supervisor->isBusy());

    // A refused form: its sentence beside the file, no preview, nothing changed.
    m_supervisor->previewForm(bad);
    QTRY_VERIFY(!m_supervisor->formProblem().isEmpty());
    QTRY_VERIFY(!m_supervisor->isBusy());
    QVERIFY2(m_supervisor->formProblem().contains(QLatin1String("row 4")),
             qPrintable(m_supervisor->formProblem()));
    QVERIFY(m_supervisor->formPreview().isEmpty());
    QCOMPARE(countLines(), 5);
    m_supervisor->clearForm();
    QVERIFY(m_supervisor->formProblem().isEmpty() && m_supervisor->formFile().isEmpty());
}

QTEST_MAIN(TestSupervisorController)
#include "tst_supervisorcontroller.moc"
