// SPDX-License-Identifier: GPL-3.0-or-later
// StationMetrics' exposition text and atomic write, the journal fields JournalLog sends, and the audit head
// the start-up check puts in the textfile.
#include "AuditLog.h"
#include "Database.h"
#include "JournalLog.h"
#include "MaintenanceWorker.h"
#include "Metrics.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestStationMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rendersEveryFamilyPromtoolAccepts()
    {
        StationMetrics m(QStringLiteral("DOCK \"7\""));
        m.recordVerdict(QStringLiteral("matched"), 0.03);
        m.recordVerdict(QStringLiteral("matched"), 0.7);
        m.recordVerdict(QStringLiteral("unexpected"), -1);
        m.setOutbox(12, 1);
        m.setLastSuccessfulSync(QDateTime::fromSecsSinceEpoch(1'790'000'000));
        m.setScanner(QStringLiteral("dock"), true);
        m.setScanner(QStringLiteral("bench"), false);
        m.setDisk(5'000'000, true);
        const QByteArray text = m.render();
        QVERIFY(text.contains("receiving_scans_total{station=\"DOCK \\\"7\\\"\",outcome=\"matched\"} 2\n"));
        QVERIFY(
            text.contains("receiving_scans_total{station=\"DOCK \\\"7\\\"\",outcome=\"unexpected\"} 1\n"));
        QVERIFY(text.contains(
            "receiving_verdict_latency_seconds_bucket{station=\"DOCK \\\"7\\\"\",le=\"0.05\"} 1\n"));
        QVERIFY(text.contains(
            "receiving_verdict_latency_seconds_bucket{station=\"DOCK \\\"7\\\"\",le=\"1\"} 2\n"));
        QVERIFY(text.contains(
            "receiving_verdict_latency_seconds_bucket{station=\"DOCK \\\"7\\\"\",le=\"+Inf\"} 2\n"));
        QVERIFY(text.contains("receiving_verdict_latency_seconds_count{station=\"DOCK \\\"7\\\"\"} 2\n"));
        QVERIFY(text.contains("receiving_outbox_pending{station=\"DOCK \\\"7\\\"\"} 12\n"));
        QVERIFY(text.contains("receiving_outbox_dead_letters{station=\"DOCK \\\"7\\\"\"} 1\n"));
        QVERIFY(text.contains(
            "receiving_last_successful_sync_timestamp_seconds{station=\"DOCK \\\"7\\\"\"} 1790000000\n"));
        QVERIFY(text.contains("receiving_scanner_up{station=\"DOCK \\\"7\\\"\",scanner=\"bench\"} 0\n"));
        QVERIFY(text.contains("receiving_disk_free_bytes{station=\"DOCK \\\"7\\\"\"} 5000000\n"));
        QVERIFY(text.contains("receiving_disk_low{station=\"DOCK \\\"7\\\"\"} 1\n"));

        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("textfile/receiving_station.prom"));
        QString why;
        QVERIFY2(StationMetrics::writeAtomically(file, text, &why), qPrintable(why));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("textfile"))).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("receiving_station.prom")}); // no temporary left behind
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(), "promtool is missing (deploy/dev installs package prometheus)");
        QProcess check;
        check.setStandardInputFile(file);
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(check.waitForFinished(30'000));
        QVERIFY2(check.exitCode() == 0,
                 (check.readAllStandardOutput() + check.readAllStandardError()).constData());
    }

    void journalFieldsCarryPriorityCategoryCaseAndSerial()
    {
        const QList<QByteArray> f = JournalLog::journalFields(
            "receiving-station", QtWarningMsg, "rs.receiving", QStringLiteral("verdict unexpected"),
            {{"CASE_NUMBER", QStringLiteral("2026-1103-0001")},
             {"SERIAL", QStringLiteral("JN11F3A2BAFA")},
             {"EMPTY", QString()}});
        QVERIFY(f.contains("MESSAGE=verdict unexpected"));
        QVERIFY(f.contains("PRIORITY=4"));
        QVERIFY(f.contains("CATEGORY=rs.receiving"));
        QVERIFY(f.contains("CASE_NUMBER=2026-1103-0001"));
        QVERIFY(f.contains("SERIAL=JN11F3A2BAFA"));
        QVERIFY(f.contains("SYSLOG_IDENTIFIER=receiving-station"));
        for (const QByteArray &field : f)
            QVERIFY(!field.startsWith("EMPTY="));
        QCOMPARE(JournalLog::priority(QtCriticalMsg), 3);
        QCOMPARE(JournalLog::stderrLine("receiving-station", QtInfoMsg, "rs.db", QStringLiteral("ok"),
                                        {{"SERIAL", QStringLiteral("X1")}}),
                 QByteArray("receiving-station [rs.db] info: ok SERIAL=X1\n"));
    }
    // Publishes an audit head for the whole process: the other tests render none.
    void startUpCheckPublishesTheAuditHead();
};

namespace {
QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A database with `rows` audit rows; its head.
AuditLog::Head auditedDatabase(const QString &path, int rows)
{
    Database db;
    db.open(path);
    Transaction tx(db);
    for (int i = 1; i <= rows; ++i)
        AuditLog::append(db, AuditLog::Entry{QStringLiteral("2026-11-03T09:00:0%1.000Z").arg(i),
                                             QStringLiteral("DOCK-9"), QStringLiteral("BADGE-1001"),
                                             QStringLiteral("signed_in"), QString(), QStringLiteral("{}")});
    tx.commit();
    return AuditLog::verify(db).head;
}
} // namespace

// Right after a restart, before the station commits anything, the textfile holds the audit log's head: the
// start-up check verifies the chain and publishes its head. A broken chain gives no anchor.
void TestStationMetrics::startUpCheckPublishesTheAuditHead()
{
    QTemporaryDir dir;
    MaintenanceWorker::Settings s;
    s.backupDirectory = dir.filePath(QStringLiteral("backups"));
    s.backupIntervalMinutes = 0;
    s.metricsTextfile = dir.filePath(QStringLiteral("textfile/receiving_station.prom"));
    StationMetrics metrics(QStringLiteral("DOCK-9"));

    s.databasePath = dir.filePath(QStringLiteral("broken.db"));
    auditedDatabase(s.databasePath, 3);
    {
        Database db;
        db.open(s.databasePath);
        db.exec("UPDATE audit_log SET actor = 'BADGE-2001' WHERE id = 2");
    }
    {
        MaintenanceWorker w(s, &metrics);
        w.start();
        w.checkDatabase();
        QVERIFY(QFile::exists(s.metricsTextfile));
        QVERIFY(!readAll(s.metricsTextfile).contains("receiving_audit_head"));
    }

    s.databasePath = dir.filePath(QStringLiteral("r.db"));
    const AuditLog::Head head = auditedDatabase(s.databasePath, 3);
    QVERIFY(head.id >= 3);
    MaintenanceWorker w(s, &metrics);
    w.start();
    QVERIFY(!readAll(s.metricsTextfile).contains("receiving_audit_head"));
    w.checkDatabase();
    const QByteArray text = readAll(s.metricsTextfile);
    QVERIFY2(
        text.contains("receiving_audit_head_id{station=\"DOCK-9\"} " + QByteArray::number(head.id) + '\n'),
        text.constData());
    QVERIFY2(text.contains("receiving_audit_head_info{station=\"DOCK-9\",hash=\"" + head.hash.toLatin1() +
                           "\"} 1\n"),
             text.constData());
}

QTEST_GUILESS_MAIN(TestStationMetrics)
#include "tst_stationmetrics.moc"
