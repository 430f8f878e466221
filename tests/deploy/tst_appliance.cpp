// SPDX-License-Identifier: GPL-3.0-or-later
// The kiosk as an appliance, through the real executables: systemd readiness and watchdog over a notify
// socket the test owns, the Prometheus textfile (promtool), the damaged-database screen, backups, their
// rotation and restore.
#include "IsolatedEnvironment.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace {
const QString Cli = QStringLiteral(RS_CLI_PATH);
const QString Station = QStringLiteral(RS_STATION_PATH);

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
class NotifySocket
{
public:
    explicit NotifySocket(const QString &path) : m_path(path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const QByteArray p = QFile::encodeName(path);
        qstrncpy(addr.sun_path, p.constData(), sizeof addr.sun_path);
        m_ok = m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    }
    ~NotifySocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        QFile::remove(m_path);
    }
    bool isOk() const { return m_ok; }
    // Every datagram waiting now.
    QList<QByteArray> drain()
    {
        QList<QByteArray> messages;
        char buf[4096];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n < 0)
                break;
            messages << QByteArray(buf, int(n));
        }
        return messages;
    }

private:
    QString m_path;
    int m_fd = -1;
    bool m_ok = false;
};
} // namespace

class TestAppliance : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    Run cli(const QStringList &args, const QByteArray &stdinData = QByteArray(),
            const QProcessEnvironment &extra = QProcessEnvironment())
    {
        QProcess p;
        QProcessEnvironment env = m_env;
        for (const QString &k : extra.keys())
            env.insert(k, extra.value(k));
        p.setProcessEnvironment(env);
        p.start(Cli, args);
        if (!p.waitForStarted(10'000))
            return {};
        p.write(stdinData);
        p.closeWriteChannel();
        p.waitForFinished(120'000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }

    QProcessEnvironment stationEnv() const
    {
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("QT_QUICK_BACKEND"), QStringLiteral("software"));
        env.remove(QStringLiteral("NOTIFY_SOCKET"));
        env.remove(QStringLiteral("WATCHDOG_USEC"));
        env.remove(QStringLiteral("WATCHDOG_PID"));
        env.remove(QStringLiteral("INVOCATION_ID"));
        env.remove(QStringLiteral("JOURNAL_STREAM"));
        return env;
    }

    // Reads the station's stderr until `needle` shows or the deadline passes.
    static bool waitForLog(QProcess &p, QByteArray &log, const QByteArray &needle, int ms)
    {
        QDeadlineTimer deadline(ms);
        while (!log.contains(needle) && !deadline.hasExpired() && p.state() == QProcess::Running) {
            p.waitForReadyRead(100);
            log += p.readAllStandardError();
        }
        log += p.readAllStandardError();
        return log.contains(needle);
    }

    static void stop(QProcess &p)
    {
        if (p.state() == QProcess::NotRunning)
            return;
        p.kill(); // a frozen GUI thread answers no SIGTERM
        p.waitForFinished(10'000);
    }

    qint64 receivedUnits(const QString &db, const QString &caseNumber)
    {
        const Run r =
            cli({QStringLiteral("--db"), db, QStringLiteral("case"), caseNumber, QStringLiteral("--json")});
        if (r.exitCode != 0)
            return -1;
        return QJsonDocument::fromJson(r.out).object().value(QLatin1String("received_units")).toInteger(-1);
    }

    // A database with the demo cases and two units received (acknowledged by their verdicts).
    QString demoDatabase(const QString &name)
    {
        const QString db = path(name);
        if (cli({QStringLiteral("--db"), db, QStringLiteral("init")}).exitCode != 0 ||
            cli({QStringLiteral("--db"), db, QStringLiteral("demo-data")}).exitCode != 0)
            return {};
        const Run scan = cli({QStringLiteral("--db"), db, QStringLiteral("--operator"),
                              QStringLiteral("BADGE-1001"), QStringLiteral("scan")},
                             "2026-1103-0001\nJN11F3A2BAFA\nCAHZ4512\n");
        if (scan.exitCode != 0 || scan.out.count("\"outcome\":\"matched\"") != 2)
            return {};
        return db;
    }

    // "action|subject" of the newest audit row, read with Python's sqlite3 (not through our code).
    static QString lastAuditRow(const QString &db)
    {
        QProcess p;
        p.start(
            QStringLiteral("python3"),
            {QStringLiteral("-c"),
             QStringLiteral("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print('|'.join(c.execute("
                            "'SELECT action, subject FROM audit_log ORDER BY id DESC LIMIT 1').fetchone()))"),
             db});
        if (!p.waitForFinished(30'000) || p.exitCode() != 0)
            return QString::fromUtf8(p.readAllStandardError());
        return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    }

    static int modeOf(const QString &file)
    {
        struct stat st
        {
        };
        return ::stat(QFile::encodeName(file).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
    }

    static void corrupt(const QString &file)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        // Keep page 1 (the header and schema), trash the b-tree pages after it.
        const qint64 pageSize = 4096;
        for (qint64 page = 1; page * pageSize < f.size() && page < 12; ++page) {
            QVERIFY(f.seek(page * pageSize + 0));
            QVERIFY(f.write(QByteArray(int(pageSize), char(0xA5))) == pageSize);
        }
        f.close();
    }

private Q_SLOTS:
    void initTestCase()
    {
        ::umask(022); // the usual umask: files the executables keep private must be so whatever it is
        QVERIFY(m_dir.isValid());
        m_env = isolatedEnvironment(m_dir.path());
        QVERIFY(!m_env.isEmpty());
    }

    void readyAndWatchdogStopWhenTheGuiFreezes()
    {
        NotifySocket notify(path(QStringLiteral("notify.sock")));
        QVERIFY(notify.isOk());
        const QString conf = path(QStringLiteral("metrics.conf"));
        {
            QFile f(conf);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[metrics]\ntextfile=" + QFile::encodeName(path(QStringLiteral("metrics/station.prom"))) +
                    "\ninterval_seconds=1\n[backup]\ninterval_minutes=0\n[disk]\nlow_free_mb=100000000\n");
        }
        QProcessEnvironment env = stationEnv();
        env.insert(QStringLiteral("NOTIFY_SOCKET"), path(QStringLiteral("notify.sock")));
        env.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("200000")); // pings every 100 ms
        QProcess station;
        station.setProcessEnvironment(env);
        station.start(Station, {QStringLiteral("--config"), conf, QStringLiteral("--db"),
                                path(QStringLiteral("notify.db")), QStringLiteral("--station"),
                                QStringLiteral("DOCK-T"), QStringLiteral("--windowed"),
                                QStringLiteral("--silent"), QStringLiteral("--test-freeze-gui")});
        QVERIFY(station.waitForStarted(10'000));
        const auto guard = qScopeGuard([&station] { stop(station); });

        QList<QByteArray> messages;
        QByteArray log;
        QElapsedTimer clock;
        clock.start();
        qint64 readyAt = -1;
        while (readyAt < 0 && clock.elapsed() < 60'000 && station.state() == QProcess::Running) {
            QTest::qWait(20);
            log += station.readAllStandardError();
            for (const QByteArray &m : notify.drain()) {
                messages << m;
                if (m.split('\n').contains("READY=1"))
                    readyAt = clock.elapsed();
            }
        }
        log += station.readAllStandardError();
        QVERIFY2(readyAt >= 0, log.constData());

        // Before the freeze (2 s after READY) the GUI thread pings every 100 ms.
        int pingsBeforeFreeze = 0;
        while (!log.contains("--test-freeze-gui: blocking") && clock.elapsed() < readyAt + 10'000) {
            station.waitForReadyRead(20);
            log += station.readAllStandardError();
            for (const QByteArray &m : notify.drain())
                pingsBeforeFreeze += m == "WATCHDOG=1";
        }
        QVERIFY2(log.contains("--test-freeze-gui: blocking"), log.constData());
        QVERIFY2(pingsBeforeFreeze >= 10, QByteArray::number(pingsBeforeFreeze).constData());

        // Frozen: not one ping in the next 2 s (20 intervals).
        QTest::qWait(300);
        notify.drain();
        QTest::qWait(2000);
        int pingsAfterFreeze = 0;
        for (const QByteArray &m : notify.drain())
            pingsAfterFreeze += m == "WATCHDOG=1";
        QCOMPARE(pingsAfterFreeze, 0);
        QCOMPARE(station.state(), QProcess::Running);

        // The maintenance thread keeps writing metrics; promtool accepts them.
        const QString prom = path(QStringLiteral("metrics/station.prom"));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(prom), 10'000);
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(), "promtool is missing (deploy/dev installs package prometheus)");
        QFile metrics(prom);
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        const QByteArray text = metrics.readAll();
        for (const char *name :
             {"receiving_scans_total{", "receiving_verdict_latency_seconds_bucket{",
              "receiving_outbox_pending{", "receiving_outbox_dead_letters{",
              "receiving_last_successful_sync_timestamp_seconds{", "receiving_scanner_up{",
              "receiving_disk_free_bytes{", "receiving_disk_low{", "receiving_database_damaged{"})
            QVERIFY2(text.contains(name), name);
        QProcess check;
        check.setStandardInputFile(prom);
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(check.waitForFinished(30'000));
        QVERIFY2(check.exitCode() == 0,
                 (check.readAllStandardOutput() + check.readAllStandardError()).constData());
        // The low-disk warning (100 TB asked for) reaches the metrics and the log; the status strip shows it.
        QVERIFY(text.contains("receiving_disk_low{station=\"DOCK-T\"} 1\n"));
        QVERIFY2(log.contains("low disk:"), log.constData());
    }

    void damagedDatabaseShowsItsScreenAndTakesNoScansUntilRestored()
    {
        const QString db = demoDatabase(QStringLiteral("damaged.db"));
        QVERIFY(!db.isEmpty());
        QCOMPARE(receivedUnits(db, QStringLiteral("2026-1103-0001")), 2);
        const QString backups = path(QStringLiteral("damaged-backups"));
        const Run backup =
            cli({QStringLiteral("--db"), db, QStringLiteral("backup"), QStringLiteral("--to"), backups});
        QVERIFY2(backup.exitCode == 0, backup.err.constData());
        const QStringList files =
            QDir(backups).entryList({QStringLiteral("receiving-*.db")}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 1);
        const QString latest = QDir(backups).filePath(files.constLast());
        // A unit received after the backup is not in it.
        QVERIFY(cli({QStringLiteral("--db"), db, QStringLiteral("--operator"), QStringLiteral("BADGE-1001"),
                     QStringLiteral("scan")},
                    "2026-1103-0001\nCAHZ4519\n")
                    .out.contains("\"outcome\":\"matched\""));
        corrupt(db);

        const QString sock = path(QStringLiteral("scan.sock"));
        const QString conf = path(QStringLiteral("damaged.conf"));
        {
            QFile f(conf);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[backup]\ninterval_minutes=0\ndirectory=" + QFile::encodeName(backups) +
                    "\n[scanner.auto]\ntype=socket\npath=" + QFile::encodeName(sock) + "\n");
        }
        QProcess station;
        station.setProcessEnvironment(stationEnv());
        station.start(Station, {QStringLiteral("--config"), conf, QStringLiteral("--db"), db,
                                QStringLiteral("--station"), QStringLiteral("DOCK-T"),
                                QStringLiteral("--windowed"), QStringLiteral("--silent")});
        QVERIFY(station.waitForStarted(10'000));
        auto guard = qScopeGuard([&station] { stop(station); });
        QByteArray log;
        QVERIFY2(waitForLog(station, log, "damaged-database screen shown", 60'000), log.constData());
        QVERIFY2(log.contains(QFile::encodeName(latest)), log.constData()); // the restore command names it

        // A scan through the automation socket is refused.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(sock), 10'000);
        QProcess send;
        send.start(
            QStringLiteral("python3"),
            {QStringLiteral("-c"),
             QStringLiteral("import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
                            "s.sendall(b'JN11F3A2BAFA\\n'); s.close()"),
             sock});
        QVERIFY(send.waitForFinished(10'000));
        QCOMPARE(send.exitCode(), 0);
        QVERIFY2(waitForLog(station, log, "scan refused: the database is damaged", 10'000), log.constData());

        // Restore refuses while the station holds the database, then works once it is stopped.
        const Run busy = cli({QStringLiteral("--db"), db, QStringLiteral("restore"), latest});
        QCOMPARE(busy.exitCode, 1);
        QVERIFY2(busy.err.contains("in use") || busy.err.contains("A station is running"),
                 busy.err.constData());
        station.terminate();
        if (!station.waitForFinished(15'000))
            stop(station);
        const Run restore = cli({QStringLiteral("--db"), db, QStringLiteral("restore"), latest});
        QVERIFY2(restore.exitCode == 0, restore.err.constData());
        QVERIFY(!QFile::exists(db + QStringLiteral("-wal")));
        // The restore is the newest row of the restored database's audit log; the backup, the restored
        // database and the replaced one kept beside it are owner-only although the CLI ran under umask 022.
        QCOMPARE(lastAuditRow(db), QStringLiteral("restore|") + files.constLast());
        const QString replaced = QString::fromUtf8(restore.out)
                                     .section(QStringLiteral("The replaced database was kept as "), 1)
                                     .section(QStringLiteral(".\n"), 0, 0);
        QVERIFY2(replaced.startsWith(db + QStringLiteral(".replaced-")), restore.out.constData());
        for (const QString &f : {latest, db, replaced})
            QVERIFY2(modeOf(f) == 0600,
                     qPrintable(f + QStringLiteral(" is mode 0") + QString::number(modeOf(f), 8)));
        // Every receipt acknowledged before the backup is back.
        QCOMPARE(receivedUnits(db, QStringLiteral("2026-1103-0001")), 2);
        const Run verify =
            cli({QStringLiteral("--db"), db, QStringLiteral("audit"), QStringLiteral("verify")});
        QVERIFY2(verify.exitCode == 0, verify.err.constData());
    }

    void backupRotationKeepsTheNewest()
    {
        const QString db = demoDatabase(QStringLiteral("rotation.db"));
        QVERIFY(!db.isEmpty());
        const QString dir = path(QStringLiteral("rotation-backups"));
        QProcessEnvironment keep;
        keep.insert(QStringLiteral("RECEIVING_BACKUP_KEEP"), QStringLiteral("3"));
        QStringList written;
        for (int i = 0; i < 5; ++i) {
            const Run r =
                cli({QStringLiteral("--db"), db, QStringLiteral("backup"), QStringLiteral("--to"), dir}, {},
                    keep);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            written << QString::fromUtf8(r.out)
                           .section(QStringLiteral("Backup written: "), 1)
                           .section(QLatin1Char('\n'), 0, 0);
            QThread::msleep(5);
        }
        QStringList left;
        for (const QString &n :
             QDir(dir).entryList({QStringLiteral("receiving-*.db")}, QDir::Files, QDir::Name))
            left << QDir(dir).filePath(n);
        QCOMPARE(left, written.mid(2));
        for (const QString &f : std::as_const(left))
            QCOMPARE(receivedUnits(f, QStringLiteral("2026-1103-0001")), 2);
    }

    // The timed backup runs at start-up only when the newest backup is older than its interval: a station
    // that restarts often neither copies its database every time nor rotates its older backups out.
    void restartKeepsARecentBackup()
    {
        const QString db = demoDatabase(QStringLiteral("restart.db"));
        QVERIFY(!db.isEmpty());
        const QString dir = path(QStringLiteral("restart-backups"));
        const QString conf = path(QStringLiteral("restart.conf"));
        {
            QFile f(conf);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[backup]\ninterval_minutes=60\ndirectory=" + QFile::encodeName(dir) + "\n");
        }
        const auto startOnce = [&](const QByteArray &needle) {
            QProcess station;
            station.setProcessEnvironment(stationEnv());
            station.start(Station, {QStringLiteral("--config"), conf, QStringLiteral("--db"), db,
                                    QStringLiteral("--windowed"), QStringLiteral("--silent")});
            if (!station.waitForStarted(10'000))
                return QByteArray("station did not start");
            QByteArray log;
            const bool seen = waitForLog(station, log, needle, 60'000);
            stop(station);
            return seen ? QByteArray() : log;
        };
        QByteArray problem = startOnce("backup written:");
        QVERIFY2(problem.isEmpty(), problem.constData());
        const QStringList first = QDir(dir).entryList({QStringLiteral("receiving-*.db")}, QDir::Files);
        QCOMPARE(first.size(), 1);
        problem = startOnce("is recent; next backup in");
        QVERIFY2(problem.isEmpty(), problem.constData());
        QCOMPARE(QDir(dir).entryList({QStringLiteral("receiving-*.db")}, QDir::Files), first);
    }

    void restoreRefusesACorruptBackup()
    {
        const QString db = demoDatabase(QStringLiteral("refuse.db"));
        QVERIFY(!db.isEmpty());
        const QString dir = path(QStringLiteral("refuse-backups"));
        const Run b =
            cli({QStringLiteral("--db"), db, QStringLiteral("backup"), QStringLiteral("--to"), dir});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString good =
            QString::fromUtf8(b.out).section(QStringLiteral("Backup written: "), 1).trimmed();
        const QString bad = path(QStringLiteral("bad-backup.db"));
        QVERIFY(QFile::copy(good, bad));
        corrupt(bad);
        QFile before(db);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray original = before.readAll();
        before.close();
        const Run r = cli({QStringLiteral("--db"), db, QStringLiteral("restore"), bad});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("fails the integrity check"), r.err.constData());
        QFile after(db);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), original);
        QCOMPARE(receivedUnits(db, QStringLiteral("2026-1103-0001")), 2);
    }

    void migrationBacksUpFirst()
    {
        const QString db = path(QStringLiteral("v1.db"));
        QVERIFY(QFile::copy(QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/schema-v1.db"), db));
        QFile::setPermissions(db, QFile::ReadOwner | QFile::WriteOwner);
        const QString dir = path(QStringLiteral("v1-backups"));
        QProcessEnvironment env;
        env.insert(QStringLiteral("RECEIVING_BACKUP_DIRECTORY"), dir);
        const Run r = cli({QStringLiteral("--db"), db, QStringLiteral("init")}, {}, env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList files =
            QDir(dir).entryList({QStringLiteral("receiving-*-before-v2.db")}, QDir::Files);
        QCOMPARE(files.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAppliance)
#include "tst_appliance.moc"
