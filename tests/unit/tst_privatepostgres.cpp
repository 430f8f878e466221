// SPDX-License-Identifier: GPL-3.0-or-later
// PrivatePostgres (tests/common): the throw-away PostgreSQL cluster the PostgreSQL engine's tests run on.
#include "PrivatePostgres.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QtTest>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

class TestPrivatePostgres : public QObject
{
    Q_OBJECT

private:
    // Whether any process's command line names `dataDir` (the postmaster's does: postgres -D DATADIR).
    static bool serverProcessFor(const QString &dataDir)
    {
        QProcess p;
        p.start(QStringLiteral("pgrep"), {QStringLiteral("-f"), dataDir});
        if (!p.waitForFinished(10'000))
            return true;
        return p.exitCode() == 0;
    }

private slots:
    void startsAndAnswers()
    {
        PrivatePostgres pg;
        QVERIFY(pg.dataDir().isEmpty());
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(pg.start(), qPrintable(pg.error()));
        qInfo("start() took %lld ms (%s, server account: %s)", timer.elapsed(),
              pg.startedFromTemplate() ? "template copy" : "initdb",
              pg.serverAccount().isEmpty() ? "the current user" : qPrintable(pg.serverAccount()));
        QVERIFY(pg.isRunning());
        QVERIFY(pg.socketDir().startsWith(QLatin1String("/tmp/rs-pg-")));
        QVERIFY(pg.socketDir().size() < 80);
        QVERIFY(pg.port() >= 20000 && pg.port() < 60000);
        if (::geteuid() == 0) { // the server must not run as root
            QVERIFY(!pg.serverAccount().isEmpty());
            QVERIFY(QFileInfo(pg.dataDir()).ownerId() != 0);
        } else {
            QVERIFY(pg.serverAccount().isEmpty());
        }

        const QString url = pg.createDatabase(QStringLiteral("alpha"));
        QVERIFY2(!url.isEmpty(), qPrintable(pg.error()));
        QCOMPARE(url, pg.url(QStringLiteral("alpha")));
        QCOMPARE(
            url,
            QStringLiteral("postgresql:///alpha?host=%1&port=%2&user=rs").arg(pg.socketDir()).arg(pg.port()));

        QString out;
        QVERIFY2(pg.psql(QStringLiteral("alpha"), QStringLiteral("SELECT 1"), &out), qPrintable(pg.error()));
        QCOMPARE(out, QStringLiteral("1"));
        const QList<std::pair<QString, QString>> settings{
            {QStringLiteral("synchronous_commit"), QStringLiteral("on")},
            {QStringLiteral("fsync"), QStringLiteral("on")},
            {QStringLiteral("listen_addresses"), QString()},
            {QStringLiteral("max_connections"), QStringLiteral("100")},
            {QStringLiteral("port"), QString::number(pg.port())},
        };
        for (const auto &[name, value] : settings) {
            QVERIFY2(pg.psql(QStringLiteral("alpha"), QStringLiteral("SHOW ") + name, &out),
                     qPrintable(pg.error()));
            QCOMPARE(out, value);
        }
        QVERIFY(pg.psql(
            QStringLiteral("alpha"),
            QStringLiteral("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"),
            &out));
        QCOMPARE(out, QStringLiteral("rs|t"));
        // Several statements, one per line of output.
        QVERIFY(pg.psql(QStringLiteral("alpha"), QStringLiteral("SELECT 2;\nSELECT 'x';"), &out));
        QCOMPARE(out, QStringLiteral("2\nx"));
    }

    void failuresSaySo()
    {
        PrivatePostgres pg;
        QVERIFY(!pg.psql(QStringLiteral("postgres"), QStringLiteral("SELECT 1")));
        QVERIFY(!pg.error().isEmpty());
        QVERIFY2(pg.start(), qPrintable(pg.error()));
        QVERIFY(!pg.start()); // once only
        QString out;
        QVERIFY(!pg.psql(QStringLiteral("postgres"), QStringLiteral("SELECT nonsense FROM nowhere"), &out));
        QVERIFY2(pg.error().contains(QLatin1String("nowhere")), qPrintable(pg.error()));
        // ON_ERROR_STOP: nothing after the failing statement runs.
        QVERIFY(!pg.psql(QStringLiteral("postgres"),
                         QStringLiteral("CREATE TABLE t (x int);\nSELECT 1/0;\nCREATE TABLE u (x int);")));
        QVERIFY(pg.psql(QStringLiteral("postgres"),
                        QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename IN ('t', 'u')"),
                        &out));
        QCOMPARE(out, QStringLiteral("1"));
        QVERIFY(pg.createDatabase(QStringLiteral("dup")).size() > 0);
        QVERIFY(pg.createDatabase(QStringLiteral("dup")).isEmpty());
        QVERIFY2(pg.error().contains(QLatin1String("already exists")), qPrintable(pg.error()));
        QVERIFY(!pg.psql(QStringLiteral("missing"), QStringLiteral("SELECT 1")));

        // A server that does not start says why, from its log.
        QVERIFY2(pg.stopImmediate(), qPrintable(pg.error()));
        QFile conf(pg.dataDir() + QStringLiteral("/postgresql.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly | QIODevice::Append));
        conf.write("shared_buffers = plenty\n");
        conf.close();
        QVERIFY(!pg.startAgain());
        QVERIFY2(pg.error().contains(QLatin1String("pg_ctl start failed")), qPrintable(pg.error()));
        QVERIFY2(pg.error().contains(QLatin1String("invalid value for parameter \"shared_buffers\"")),
                 qPrintable(pg.error()));
        QVERIFY(!pg.isRunning());
    }

    void immediateRestartKeepsCommittedRows()
    {
        PrivatePostgres pg;
        QVERIFY2(pg.start(), qPrintable(pg.error()));
        QVERIFY(!pg.createDatabase(QStringLiteral("durable")).isEmpty());
        QVERIFY2(pg.psql(QStringLiteral("durable"),
                         QStringLiteral("CREATE TABLE receipts (serial text PRIMARY KEY);\n"
                                        "INSERT INTO receipts VALUES ('JN11F3A2BAFA');")),
                 qPrintable(pg.error()));
        QVERIFY2(pg.restartImmediate(), qPrintable(pg.error()));
        QString out;
        QVERIFY2(pg.psql(QStringLiteral("durable"), QStringLiteral("SELECT serial FROM receipts"), &out),
                 qPrintable(pg.error()));
        QCOMPARE(out, QStringLiteral("JN11F3A2BAFA"));

        // An outage: nothing answers while it is down, and the row is still there afterwards.
        QVERIFY(
            pg.psql(QStringLiteral("durable"), QStringLiteral("INSERT INTO receipts VALUES ('CAHZ4512')")));
        QVERIFY2(pg.stopImmediate(), qPrintable(pg.error()));
        QVERIFY(!pg.isRunning());
        QVERIFY(!pg.psql(QStringLiteral("durable"), QStringLiteral("SELECT 1")));
        QVERIFY2(pg.startAgain(), qPrintable(pg.error()));
        QVERIFY(pg.psql(QStringLiteral("durable"), QStringLiteral("SELECT count(*) FROM receipts"), &out));
        QCOMPARE(out, QStringLiteral("2"));
    }

    void twoInstancesDoNotCollide()
    {
        PrivatePostgres a;
        PrivatePostgres b;
        QVERIFY2(a.start(), qPrintable(a.error()));
        QVERIFY2(b.start(), qPrintable(b.error()));
        QVERIFY(a.port() != b.port());
        QVERIFY(a.socketDir() != b.socketDir());
        QVERIFY(a.dataDir() != b.dataDir());
        QVERIFY(!a.createDatabase(QStringLiteral("same")).isEmpty());
        QVERIFY(!b.createDatabase(QStringLiteral("same")).isEmpty());
        QVERIFY(a.url(QStringLiteral("same")) != b.url(QStringLiteral("same")));
        QVERIFY(a.psql(QStringLiteral("same"), QStringLiteral("CREATE TABLE only_in_a (x int)")));
        QString out;
        QVERIFY(b.psql(QStringLiteral("same"),
                       QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename = "
                                      "'only_in_a'"),
                       &out));
        QCOMPARE(out, QStringLiteral("0"));
        QVERIFY(a.psql(QStringLiteral("same"), QStringLiteral("SELECT count(*) FROM only_in_a"), &out));
        QCOMPARE(out, QStringLiteral("0"));
        // One restarting leaves the other alone.
        QVERIFY2(a.restartImmediate(), qPrintable(a.error()));
        QVERIFY(b.psql(QStringLiteral("same"), QStringLiteral("SELECT 1"), &out));
        QCOMPARE(out, QStringLiteral("1"));
    }

    void destructorLeavesNothing()
    {
        QString dataDir;
        QString root;
        {
            PrivatePostgres pg;
            QVERIFY2(pg.start(), qPrintable(pg.error()));
            dataDir = pg.dataDir();
            root = QFileInfo(dataDir).path();
            QVERIFY(serverProcessFor(dataDir));
        }
        QVERIFY2(!serverProcessFor(dataDir), qPrintable(dataDir));
        QVERIFY(!QFileInfo::exists(root));

        // Also when it was already stopped, or never started.
        {
            PrivatePostgres pg;
            QVERIFY2(pg.start(), qPrintable(pg.error()));
            root = QFileInfo(pg.dataDir()).path();
            QVERIFY(pg.stopImmediate());
        }
        QVERIFY(!QFileInfo::exists(root));
        {
            PrivatePostgres never;
        }
    }

    // A test process that dies without its destructors (abort, SIGKILL) leaves no server either: the
    // watchdog stops it and removes the folder.
    void crashedOwnerLeavesNothing()
    {
        QProcess owner;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RS_PG_TEST_CRASHING_OWNER"), QStringLiteral("1"));
        owner.setProcessEnvironment(env);
        owner.start(QCoreApplication::applicationFilePath(), {QStringLiteral("crashingOwner")});
        QVERIFY(owner.waitForFinished(180'000));
        QVERIFY(owner.exitStatus() == QProcess::CrashExit || owner.exitCode() != 0);
        QString dataDir;
        const QStringList lines =
            QString::fromLocal8Bit(owner.readAllStandardOutput()).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            if (line.startsWith(QLatin1String("DATADIR ")))
                dataDir = line.mid(8).trimmed();
        }
        QVERIFY2(dataDir.startsWith(QLatin1String("/tmp/rs-pg-")),
                 qPrintable(QString::fromLocal8Bit(owner.readAllStandardError())));
        QTRY_VERIFY_WITH_TIMEOUT(!serverProcessFor(dataDir) && !QFileInfo::exists(QFileInfo(dataDir).path()),
                                 60'000);
    }

    // Run by crashedOwnerLeavesNothing() in a process of its own; does nothing otherwise.
    void crashingOwner()
    {
        if (qEnvironmentVariable("RS_PG_TEST_CRASHING_OWNER") != QLatin1String("1"))
            return;
        auto *pg = new PrivatePostgres; // never deleted
        if (!pg->start()) {
            fprintf(stderr, "%s\n", qPrintable(pg->error()));
            ::_exit(3);
        }
        printf("DATADIR %s\n", qPrintable(pg->dataDir()));
        fflush(stdout);
        std::abort();
    }
};

QTEST_GUILESS_MAIN(TestPrivatePostgres)
#include "tst_privatepostgres.moc"
