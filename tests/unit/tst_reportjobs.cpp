// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "CertificateOfReceipt.h"
#include "FakeTransport.h"
#include "Metrics.h"
#include "ReportFixture.h"
#include "ReportJobs.h"
#include "SyncEngine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QProcess>
#include <QStandardPaths>

// The report jobs on either engine with a fake clock: the daily export runs once a day, across a restart of
// the station (a new ReportJobs on a new connection) and for a second station on the same store; a failure
// is counted, shown and retried a minute later; certificates are made for closures the upstream accepted,
// once, and their failure never touches the outbox.
class TestReportJobs : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReportFixture> m_f;
    QString m_folder;

    // Chicago is UTC-6 in November: 06:00 there is 12:00 UTC.
    static QDateTime chicago(int day, int hour, int minute = 0)
    {
        return QDateTime(QDate(2026, 11, day), QTime(hour, minute),
                         QTimeZone(QByteArrayLiteral("America/Chicago")))
            .toUTC();
    }

    ReportJobs::Settings settings(const QString &folder, const QString &station = ReportFixture::station())
    {
        return ReportJobs::Settings{folder, QTime(6, 0), QStringLiteral("A4"), station, m_f->zone};
    }

    QString setting(Database &db, const char *key)
    {
        Statement s = db.prepare("SELECT value FROM settings WHERE key = ?1");
        return s.bind(1, QLatin1String(key)).next() ? s.text(0) : QString();
    }

    QStringList files(const QString &folder) { return QDir(folder).entryList(QDir::Files, QDir::Name); }

    qint64 count(const char *sql, const QString &bound)
    {
        Statement s = m_f->db.prepare(sql);
        s.bind(1, bound);
        return s.next() ? s.int64(0) : -1;
    }

    void deliveredClosure(const QString &caseNumber, const QDateTime &at)
    {
        Statement s = m_f->db.prepare(
            "INSERT INTO outbox (idempotency_key, kind, case_number, payload, state, attempts, created_at, "
            "delivered_at) VALUES (?1, 'closure', ?2, '{}', 'delivered', 1, ?3, ?3)");
        s.bind(1, QStringLiteral("closure-test-") + caseNumber)
            .bind(2, caseNumber)
            .bind(3, isoUtc(at))
            .exec();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qApp->setProperty("rs_allow_gui_thread_io", true); // a test: the GUI thread may read the store
        m_f = std::make_unique<ReportFixture>();
        QVERIFY(m_f->build());
        m_folder = m_f->dir.filePath(QStringLiteral("reports"));
        if (qEnvironmentVariableIsSet("RS_KEEP_TEST_DIR")) { // to look at the files
            m_f->dir.setAutoRemove(false);
            qInfo("files kept in %s", qPrintable(m_f->dir.path()));
        }
    }

    void dailyExportRunsOnceAcrossARestart()
    {
        m_f->clock.set(chicago(21, 5, 59));
        auto jobs = std::make_unique<ReportJobs>(m_f->db, settings(m_folder), m_f->clock);
        QCOMPARE(jobs->runDailyExport().outcome, ReportJobs::Daily::NotDue);
        QVERIFY(files(m_folder).isEmpty());

        m_f->clock.set(chicago(21, 6, 0));
        ReportJobs::DailyResult r = jobs->runDailyExport();
        QCOMPARE(r.outcome, ReportJobs::Daily::Exported);
        QCOMPARE(r.day, QDate(2026, 11, 21));
        const QStringList expected{
            QStringLiteral("case-aging-2026-11-21.pdf"), QStringLiteral("case-aging-2026-11-21.xlsx"),
            QStringLiteral("receipts-2026-11-20.pdf"), QStringLiteral("receipts-2026-11-20.xlsx")};
        QCOMPARE(files(m_folder), expected);
        for (const QString &name : expected) {
            QVERIFY2(QFileInfo(QDir(m_folder).filePath(name)).size() > 1000, qPrintable(name));
            QCOMPARE(QFile::permissions(QDir(m_folder).filePath(name)) & 0x0077, QFileDevice::Permissions());
        }
        QCOMPARE(setting(m_f->db, ReportJobs::DailyKey), QStringLiteral("2026-11-21"));
        QCOMPARE(jobs->status().lastDailyExportDay, QDate(2026, 11, 21));
        QCOMPARE(jobs->status().lastDailyExport, chicago(21, 6, 0));

        // Yesterday's receipts: the fixture's six units were received on the 20th.
        QProcess text;
        text.start(QStringLiteral("pdftotext"),
                   {QStringLiteral("-layout"),
                    QDir(m_folder).filePath(QStringLiteral("receipts-2026-11-20.pdf")), QStringLiteral("-")});
        QVERIFY(text.waitForFinished(30000));
        const QString receipts = QString::fromUtf8(text.readAllStandardOutput());
        QVERIFY2(receipts.contains(QStringLiteral("JN11F3A2BAFA")), qPrintable(receipts));
        QVERIFY(receipts.contains(QStringLiteral("2026-11-20 to 2026-11-20")));

        // Later the same day, and after a restart (a new process: new connection, new jobs), nothing again.
        m_f->clock.set(chicago(21, 14, 0));
        QCOMPARE(jobs->runDailyExport().outcome, ReportJobs::Daily::AlreadyDone);
        jobs.reset();
        // Moved away (kept to look at with RS_KEEP_TEST_DIR), so a second export would show.
        QVERIFY(QDir().mkpath(m_f->dir.filePath(QStringLiteral("first-day"))));
        for (const QString &name : expected)
            QVERIFY(QFile::rename(QDir(m_folder).filePath(name),
                                  m_f->dir.filePath(QStringLiteral("first-day/") + name)));
        {
            Database restarted;
            restarted.open(TestStore::location(m_f->dir.filePath(QStringLiteral("reports.db"))));
            ReportJobs again(restarted, settings(m_folder), m_f->clock);
            QCOMPARE(again.runDailyExport().outcome, ReportJobs::Daily::AlreadyDone);
            QCOMPARE(again.status().lastDailyExportDay, QDate(2026, 11, 21));
            // A second station on the same store neither.
            ReportJobs other(restarted, settings(m_folder, QStringLiteral("DOOR-2")), m_f->clock);
            QCOMPARE(other.runDailyExport().outcome, ReportJobs::Daily::AlreadyDone);
        }
        QVERIFY(files(m_folder).isEmpty());

        // The next day, once again: the 21st's receipts (none) and the 22nd's aging.
        m_f->clock.set(chicago(22, 7, 30));
        ReportJobs nextDay(m_f->db, settings(m_folder), m_f->clock);
        r = nextDay.runDailyExport();
        QCOMPARE(r.outcome, ReportJobs::Daily::Exported);
        QCOMPARE(files(m_folder), (QStringList{QStringLiteral("case-aging-2026-11-22.pdf"),
                                               QStringLiteral("case-aging-2026-11-22.xlsx"),
                                               QStringLiteral("receipts-2026-11-21.pdf"),
                                               QStringLiteral("receipts-2026-11-21.xlsx")}));
        QCOMPARE(setting(m_f->db, ReportJobs::DailyKey), QStringLiteral("2026-11-22"));
        QCOMPARE(nextDay.runDailyExport().outcome, ReportJobs::Daily::AlreadyDone);
    }

    void aFailedExportIsShownCountedAndRetried()
    {
        // The folder cannot be made: a file stands where its parent should be.
        const QString blocker = m_f->dir.filePath(QStringLiteral("blocked"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QString folder = blocker + QStringLiteral("/reports");
        m_f->clock.set(chicago(23, 6, 5));
        ReportJobs jobs(m_f->db, settings(folder), m_f->clock);
        QCOMPARE(jobs.runDailyExport().outcome, ReportJobs::Daily::Failed);
        QCOMPARE(jobs.status().dailyExportFailures, 1);
        QVERIFY2(jobs.status().error.contains(QStringLiteral("2026-11-23")), qPrintable(jobs.status().error));
        QVERIFY(jobs.status().error.contains(folder));
        QCOMPARE(setting(m_f->db, ReportJobs::DailyKey), QStringLiteral("2026-11-22"));

        m_f->clock.set(chicago(23, 6, 5).addSecs(30));
        QCOMPARE(jobs.runDailyExport().outcome, ReportJobs::Daily::Waiting);
        QCOMPARE(jobs.status().dailyExportFailures, 1);

        // A minute later it is tried again, and succeeds once the folder can be made.
        QVERIFY(QFile::remove(blocker));
        m_f->clock.set(chicago(23, 6, 5).addSecs(61));
        QCOMPARE(jobs.runDailyExport().outcome, ReportJobs::Daily::Exported);
        QCOMPARE(jobs.status().dailyExportFailures, 1);
        QCOMPARE(jobs.status().error, QString());
        QCOMPARE(files(folder).size(), 4);
        QCOMPARE(setting(m_f->db, ReportJobs::DailyKey), QStringLiteral("2026-11-23"));
    }

    void certificatesForAcceptedClosures()
    {
        const QString folder = m_f->dir.filePath(QStringLiteral("certificates"));
        ReportJobs::Settings s = settings(folder);
        s.dailyAt.reset();
        m_f->clock.set(chicago(24, 9, 0));
        // A closure accepted before certificates were turned on gets none after the fact.
        deliveredClosure(QStringLiteral("2026-1020-0002"), chicago(24, 8, 0));
        ReportJobs jobs(m_f->db, s, m_f->clock);
        jobs.run();
        QCOMPARE(jobs.status().certificatesPending, 0);
        QCOMPARE(setting(m_f->db, ReportJobs::CertificatesSinceKey), isoUtc(chicago(24, 9, 0)));
        QVERIFY(files(folder).isEmpty());

        m_f->clock.set(chicago(24, 9, 5));
        deliveredClosure(QStringLiteral("2026-1103-0001"), chicago(24, 9, 5));
        jobs.run(true);
        QCOMPARE(files(folder), QStringList{QStringLiteral("certificate-2026-1103-0001.pdf")});
        QCOMPARE(jobs.status().certificatesPending, 0);
        QCOMPARE(
            count("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate_issued' AND subject = ?1 AND "
                  "actor = 'sync'",
                  QStringLiteral("2026-1103-0001")),
            1);
        CertificateOfReceipt check(m_f->db, m_f->zone);
        QFile pdf(QDir(folder).filePath(QStringLiteral("certificate-2026-1103-0001.pdf")));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(check.verify(QStringLiteral("2026-1103-0001"), pdf.readAll()).ok);

        // Once: later rounds and a restarted station make no second one.
        m_f->clock.set(chicago(24, 10, 0));
        jobs.run(true);
        ReportJobs restarted(m_f->db, s, m_f->clock);
        restarted.run(true);
        QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate_issued' AND subject = ?1",
                       QStringLiteral("2026-1103-0001")),
                 1);
    }

    void aFailedCertificateKeepsTheDeliveryAndIsRetried()
    {
        const QString blocker = m_f->dir.filePath(QStringLiteral("blocked-certificates"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        ReportJobs::Settings s = settings(blocker + QStringLiteral("/certificates"));
        s.dailyAt.reset();
        m_f->clock.set(chicago(25, 9, 0));
        deliveredClosure(QStringLiteral("2026-0610-0003"), chicago(25, 9, 0));
        ReportJobs jobs(m_f->db, s, m_f->clock);
        jobs.run(true);
        QCOMPARE(jobs.status().certificateFailures, 1);
        QCOMPARE(jobs.status().certificatesPending, 1);
        QVERIFY2(jobs.status().error.contains(QStringLiteral("certificate")),
                 qPrintable(jobs.status().error));
        QCOMPARE(count("SELECT COUNT(*) FROM outbox WHERE case_number = ?1 AND state = 'delivered'",
                       QStringLiteral("2026-0610-0003")),
                 1);
        // Not again within the minute, then again and through.
        m_f->clock.set(chicago(25, 9, 0).addSecs(30));
        jobs.run();
        QCOMPARE(jobs.status().certificateFailures, 1);
        QVERIFY(QFile::remove(blocker));
        m_f->clock.set(chicago(25, 9, 0).addSecs(61));
        jobs.run();
        QCOMPARE(jobs.status().certificatesPending, 0);
        QCOMPARE(jobs.status().error, QString());
        QVERIFY(QFile::exists(blocker + QStringLiteral("/certificates/certificate-2026-0610-0003.pdf")));
    }

    void aClosureAcceptedByTheUpstreamGetsItsCertificate()
    {
        // The sync engine delivers the closure (the fake upstream answers 201); the jobs then certify it.
        QTemporaryDir keys;
        QFile secret(keys.filePath(QStringLiteral("client_secret")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("s3cret-for-tests\n");
        secret.close();
        UpstreamConfig config;
        config.url = QUrl(QStringLiteral("http://127.0.0.1:8089"));
        config.clientId = QStringLiteral("station-test");
        config.clientSecretFile = secret.fileName();
        FakeTransport upstream;
        m_f->clock.set(chicago(26, 10, 0));
        m_f->db.exec(
            "UPDATE outbox SET state = 'delivered', delivered_at = '2026-11-20T19:00:00.000Z' WHERE kind = "
            "'receipt'");
        Statement add = m_f->db.prepare("INSERT INTO outbox (idempotency_key, kind, case_number, payload, "
                                        "state, attempts, next_attempt_at, "
                                        "created_at) VALUES ('closure-engine-test', 'closure', "
                                        "'2026-1020-0002', '{\"kind\":\"complete\"}', "
                                        "'pending', 0, ?1, ?1)");
        add.bind(1, isoUtc(m_f->clock.nowUtc())).exec();
        SyncEngine engine(m_f->db, upstream, config, m_f->clock);
        const SyncEngine::PushResult pushed = engine.pushDue();
        QVERIFY(pushed.delivered >= 1); // the closure, and the fixture's unmatched report
        QCOMPARE(upstream.to(QStringLiteral("/closure")).size(), 1);

        const QString folder = m_f->dir.filePath(QStringLiteral("from-sync"));
        ReportJobs::Settings s = settings(folder);
        s.dailyAt.reset();
        ReportJobs jobs(m_f->db, s, m_f->clock);
        jobs.run(pushed.delivered > 0);
        QVERIFY2(QFile::exists(QDir(folder).filePath(QStringLiteral("certificate-2026-1020-0002.pdf"))),
                 qPrintable(jobs.status().error));
        QCOMPARE(count("SELECT COUNT(*) FROM outbox WHERE idempotency_key = ?1 AND state = 'delivered'",
                       QStringLiteral("closure-engine-test")),
                 1);
    }

    void metricsShowTheJobs()
    {
        StationMetrics m(QStringLiteral("DOOR-1"));
        QVERIFY(!m.render().contains("receiving_report_failures_total"));
        m.setReportJobs(2, 1, QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC), 3);
        const QByteArray text = m.render();
        QVERIFY(
            text.contains("receiving_report_failures_total{station=\"DOOR-1\",job=\"daily_export\"} 2\n"));
        QVERIFY(text.contains("receiving_report_failures_total{station=\"DOOR-1\",job=\"certificate\"} 1\n"));
        QVERIFY(
            text.contains("receiving_last_daily_export_timestamp_seconds{station=\"DOOR-1\"} 1800000000\n"));
        QVERIFY(text.contains("receiving_certificates_pending{station=\"DOOR-1\"} 3\n"));
    }
};

QTEST_MAIN(TestReportJobs)
#include "tst_reportjobs.moc"
