// SPDX-License-Identifier: GPL-3.0-or-later
// The kiosk's session rules on its worker: a signed-out station records nothing but a badge, an idle session
// is signed out after idle_minutes (the settings table over the configuration), and a unit's condition goes
// to the core.
#include "AuditLog.h"
#include "Clock.h"
#include "Database.h"
#include "DemoData.h"
#include "ScanWorker.h"
#include "TestStore.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestScanWorker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = TestStore::location(m_dir.filePath(QStringLiteral("w%1.db").arg(++m_n)));
        Database db;
        db.open(m_path);
        DemoData::Options o;
        o.today = m_clock.nowUtc().date();
        DemoData::write(db, o);
        m_worker = std::make_unique<ScanWorker>(m_path, QStringLiteral("DOCK-T"), ReceivingService::Options{},
                                                m_clock);
        m_worker->open();
    }
    void cleanup() { m_worker.reset(); }

    void signedOutStationRecordsNothingButABadge()
    {
        QSignalSpy refused(m_worker.get(), &ScanWorker::signInRefused);
        QSignalSpy verdicts(m_worker.get(), &ScanWorker::verdictReady);
        m_worker->processRead({event("2026-1103-0001")});
        m_worker->processRead({event("JN11F3A2BAFA")});
        m_worker->processRead({event(":DONE")});
        QCOMPARE(refused.size(), 3);
        QCOMPARE(verdicts.size(), 0);
        QCOMPARE(count("SELECT count(*) FROM receipts"), 0);
        QCOMPARE(count("SELECT count(*) FROM boxes"), 0);
        QCOMPARE(count("SELECT count(*) FROM exceptions"), 0);

        m_worker->processRead({event("BADGE-1001")});
        QCOMPARE(verdicts.size(), 1);
        QCOMPARE(outcomeName(verdicts.last().at(0).value<Verdict>().outcome), QStringLiteral("signed_in"));
        m_worker->processRead({event("2026-1103-0001")});
        m_worker->processRead({event("JN11F3A2BAFA")});
        QCOMPARE(outcomeName(verdicts.last().at(0).value<Verdict>().outcome), QStringLiteral("matched"));
        QCOMPARE(count("SELECT count(*) FROM receipts WHERE voided = 0"), 1);

        m_worker->signOut();
        m_worker->processRead({event("CAHZ4512")});
        QCOMPARE(refused.size(), 4);
        QCOMPARE(count("SELECT count(*) FROM receipts"), 1);
    }

    // The supervisor desk records nothing: only a supervisor's badge goes through (and signs in); a dock
    // worker's badge, a box label or a serial are refused, before and after the supervisor signed in.
    void deskRecordsNothingButASupervisorBadge()
    {
        m_worker->setDeskMode(true);
        QSignalSpy refused(m_worker.get(), &ScanWorker::signInRefused);
        QSignalSpy verdicts(m_worker.get(), &ScanWorker::verdictReady);
        m_worker->processRead({event("BADGE-1001")}); // dock
        m_worker->processRead({event("2026-1103-0001")});
        QCOMPARE(refused.size(), 2);
        QCOMPARE(verdicts.size(), 0);
        m_worker->processRead({event("BADGE-2001")}); // supervisor
        QCOMPARE(verdicts.size(), 1);
        QCOMPARE(outcomeName(verdicts.last().at(0).value<Verdict>().outcome), QStringLiteral("signed_in"));
        m_worker->processRead({event("2026-1103-0001")});
        m_worker->processRead({event("JN11F3A2BAFA")});
        QCOMPARE(refused.size(), 4);
        QCOMPARE(verdicts.size(), 1);
        QCOMPARE(count("SELECT count(*) FROM receipts"), 0);
        QCOMPARE(count("SELECT count(*) FROM boxes"), 0);
        QCOMPARE(count("SELECT count(*) FROM exceptions"), 0);
    }

    void idleSessionIsSignedOut_data()
    {
        QTest::addColumn<int>("configured");
        QTest::addColumn<QString>("setting"); // settings table idle_minutes, empty: none
        QTest::addColumn<int>("effective");
        QTest::newRow("configuration") << 7 << QString() << 7;
        QTest::newRow("settings table wins") << 7 << QStringLiteral("3") << 3;
        QTest::newRow("bad setting ignored") << 7 << QStringLiteral("soon") << 7;
        QTest::newRow("zero setting ignored") << 7 << QStringLiteral("0") << 7;
        QTest::newRow("longest allowed: a shift") << 7 << QStringLiteral("480") << 480;
        QTest::newRow("over a shift ignored") << 7 << QStringLiteral("481") << 7;
        QTest::newRow("a year ignored") << 7 << QStringLiteral("525600") << 7;
        QTest::newRow("too long for 64 bits ignored") << 7 << QStringLiteral("99999999999999999999") << 7;
        QTest::newRow("hexadecimal ignored") << 7 << QStringLiteral("0x10") << 7;
        QTest::newRow("spaces trimmed") << 7 << QStringLiteral(" 12 ") << 12;
    }
    void idleSessionIsSignedOut()
    {
        QFETCH(int, configured);
        QFETCH(QString, setting);
        QFETCH(int, effective);
        m_worker->setIdleMinutes(configured);
        if (!setting.isEmpty()) {
            Database db;
            db.open(m_path);
            db.prepare(
                  "INSERT INTO settings (key, value, updated_at) VALUES ('idle_minutes', ?1, '2026-01-01')")
                .bind(1, setting)
                .exec();
        }
        QCOMPARE(m_worker->effectiveIdleMinutes(), effective);

        QSignalSpy idle(m_worker.get(), &ScanWorker::signedOutIdle);
        QSignalSpy snapshots(m_worker.get(), &ScanWorker::snapshotReady);
        m_worker->processRead({event("BADGE-1001")});
        m_worker->processRead({event("2026-1103-0001")});
        const QDateTime start = m_clock.nowUtc();

        m_clock.set(start.addSecs(effective * 60 - 1));
        m_worker->checkIdle();
        QCOMPARE(idle.size(), 0);
        m_worker->noteActivity(); // a touch restarts the count
        m_clock.set(start.addSecs(effective * 60 + 30));
        m_worker->checkIdle();
        QCOMPARE(idle.size(), 0);
        m_clock.set(start.addSecs(2 * effective * 60));
        m_worker->checkIdle();
        QCOMPARE(idle.size(), 1);
        QCOMPARE(idle.front().at(0).toInt(), effective);
        QVERIFY(snapshots.last().at(0).value<BoxSnapshot>().operatorId.isEmpty());
        // Signing out closed the box, and the audit log says so.
        QCOMPARE(count("SELECT count(*) FROM boxes WHERE closed_at IS NULL"), 0);
        QCOMPARE(count("SELECT count(*) FROM audit_log WHERE action = 'signed_out'"), 1);
        // Signed out now: scans record nothing; and a signed-out station is not signed out twice.
        m_worker->processRead({event("JN11F3A2BAFA")});
        QCOMPARE(count("SELECT count(*) FROM receipts"), 0);
        m_clock.set(start.addSecs(4 * effective * 60));
        m_worker->checkIdle();
        QCOMPARE(idle.size(), 1);
        m_clock.set(QDateTime::currentDateTimeUtc());
    }

    void sessionEndTellsTheStationsLanguage_data()
    {
        QTest::addColumn<QString>("setting"); // settings table language, null: no row
        QTest::addColumn<QString>("told");    // empty: no defaultLanguage signal
        QTest::newRow("spanish") << QStringLiteral("es") << QStringLiteral("es");
        QTest::newRow("english") << QStringLiteral("en") << QStringLiteral("en");
        QTest::newRow("no setting") << QString() << QString();
        QTest::newRow("unknown language ignored") << QStringLiteral("fr") << QString();
        QTest::newRow("wrong case ignored") << QStringLiteral("ES") << QString();
        QTest::newRow("empty ignored") << QStringLiteral("") << QString();
    }
    void sessionEndTellsTheStationsLanguage()
    {
        QFETCH(QString, setting);
        QFETCH(QString, told);
        if (!setting.isNull()) {
            Database db;
            db.open(m_path);
            db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('language', ?1, '2026-01-01')")
                .bind(1, setting)
                .exec();
        }
        QSignalSpy language(m_worker.get(), &ScanWorker::defaultLanguage);
        m_worker->processRead({event("BADGE-1001")});
        QCOMPARE(language.size(), 0);
        m_worker->signOut();
        if (told.isEmpty()) {
            QCOMPARE(language.size(), 0);
        } else {
            QCOMPARE(language.size(), 1);
            QCOMPARE(language.front().at(0).toString(), told);
        }
    }

    void conditionOfAUnitInTheOpenBox()
    {
        QSignalSpy verdicts(m_worker.get(), &ScanWorker::verdictReady);
        QSignalSpy done(m_worker.get(), &ScanWorker::conditionDone);
        m_worker->processRead({event("BADGE-1001")});
        m_worker->processRead({event("2026-1103-0001")});
        m_worker->processRead({event("JN11F3A2BAFA")});
        const Verdict v = verdicts.last().at(0).value<Verdict>();
        QVERIFY(v.receiptId);

        m_worker->setUnitCondition(*v.receiptId, QStringLiteral("damaged"), QString());
        QCOMPARE(done.size(), 1);
        QCOMPARE(done.last().at(2).toBool(), false); // a note is required
        QVERIFY(!done.last().at(3).toString().isEmpty());

        m_worker->setUnitCondition(*v.receiptId, QStringLiteral("damaged"), QStringLiteral("Bent rack ears"));
        QCOMPARE(done.size(), 2);
        QVERIFY2(done.last().at(2).toBool(), qPrintable(done.last().at(3).toString()));
        QCOMPARE(done.last().at(1).toString(), QStringLiteral("damaged"));
    }

    // The station's demo database says where its cases came from: demo-data, never the upstream; one audit
    // row per realistic case, one summary row for the bulk cases, none when written again unchanged.
    void demoCasesAreAuditedAsDemoData()
    {
        const qint64 demoCases = count("SELECT count(*) FROM cases");
        QVERIFY(demoCases > 0);
        QCOMPARE(countAudit("action = 'case_changed' AND actor = 'demo-data'", {{"source", "demo-data"}}),
                 demoCases);
        QCOMPARE(count("SELECT count(*) FROM audit_log WHERE actor = 'upstream'"), 0);
        QCOMPARE(countAudit("1 = 1", {{"source", "upstream"}}), 0);
        const auto write = [this](qint64 bulkSerials, int daysLater) {
            Database db;
            db.open(m_path);
            DemoData::Options o;
            o.today = m_clock.nowUtc().date().addDays(daysLater);
            o.bulkSerials = bulkSerials;
            return DemoData::write(db, o);
        };
        const qint64 auditRows = count("SELECT count(*) FROM audit_log");
        const DemoData::Summary first = write(25, 0);
        QCOMPARE(first.serials, count("SELECT count(*) FROM expected_items WHERE serial IS NOT NULL"));
        QCOMPARE(count("SELECT count(*) FROM cases"), demoCases + 3); // 10 + 10 + 5 lines
        QCOMPARE(count("SELECT count(*) FROM audit_log"), auditRows + 1);
        QCOMPARE(countAudit("action = 'demo_bulk_cases' AND actor = 'demo-data' "
                            "AND subject = '9000-0000-000001..9000-0000-000003'",
                            {{"cases", 3}, {"lines_added", 25}}),
                 1);
        // Again, unchanged: nothing written. With five more serials: the third case's lines are still as they
        // were (as CaseStore would leave a case as new), and a fourth case is added.
        write(25, 0);
        QCOMPARE(count("SELECT count(*) FROM audit_log"), auditRows + 1);
        write(35, 0);
        QCOMPARE(count("SELECT count(*) FROM cases"), demoCases + 4);
        QCOMPARE(count("SELECT count(*) FROM audit_log WHERE action = 'demo_bulk_cases'"), 2);
        // A later --today moves every case's dates, the bulk cases' too, and the third case gets its lines.
        write(35, 1);
        QCOMPARE(count("SELECT count(*) FROM expected_items e JOIN cases c ON c.id = e.case_id "
                       "WHERE c.case_number = '9000-0000-000003'"),
                 10);
        QCOMPARE(count("SELECT count(DISTINCT updated_at) FROM cases"), 1);
        QCOMPARE(countAudit("action = 'demo_bulk_cases'", {{"cases", 4}, {"lines_added", 5}}), 1);
        Database db;
        db.open(m_path);
        const AuditLog::Verification v = AuditLog::verify(db);
        QVERIFY2(v.ok, qPrintable(v.message));
    }

private:
    ScanEvent event(const char *text)
    {
        ScanEvent e;
        e.raw = QByteArray(text);
        e.sourceId = QStringLiteral("test");
        e.timestampMs = 1;
        return e;
    }
    qint64 count(const char *sql)
    {
        Database db;
        db.open(m_path);
        Statement s = db.prepare(sql);
        return s.next() ? s.int64(0) : -1;
    }

    // Audit rows matching `where` whose details (JSON) hold every member of `members` with that value; the
    // test reads the JSON itself, the same on both engines.
    qint64 countAudit(const char *where, const QJsonObject &members)
    {
        Database db;
        db.open(m_path);
        Statement s =
            db.prepare(QByteArray("SELECT details FROM audit_log WHERE " + QByteArray(where)).constData());
        qint64 n = 0;
        while (s.next()) {
            const QJsonObject details = QJsonDocument::fromJson(s.utf8(0)).object();
            bool all = true;
            for (auto it = members.begin(); it != members.end(); ++it)
                all = all && details.value(it.key()) == it.value();
            n += all ? 1 : 0;
        }
        return n;
    }

    QTemporaryDir m_dir;
    QString m_path;
    int m_n = 0;
    FixedClock m_clock{QDateTime::currentDateTimeUtc()};
    std::unique_ptr<ScanWorker> m_worker;
};

QTEST_GUILESS_MAIN(TestScanWorker)
#include "tst_scanworker.moc"
