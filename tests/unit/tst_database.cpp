// SPDX-License-Identifier: GPL-3.0-or-later
#include "Database.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

// The SQLite wrapper: cached statements that rewind, transactions that roll back unless committed, and
// every failure turned into a DbError of the right kind.

namespace {

int preparedStatements(Database &db)
{
    int n = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(db.handle(), nullptr); s; s = sqlite3_next_stmt(db.handle(), s))
        ++n;
    return n;
}

qint64 scalar(Database &db, const char *sql)
{
    Statement s = db.prepare(sql);
    return s.next() ? s.int64(0) : -1;
}

// Runs `work` and returns the error it threw; Kind::None when it threw nothing.
template <typename Work> DbError errorOf(Work work)
{
    try {
        work();
    } catch (const DbException &e) {
        return e.error();
    }
    return DbError{};
}

} // namespace

class TestDatabase : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void statementCacheReusesOnePreparedStatement();
    void abandonedStatementStartsOverNextTime();
    void transactionRollsBackUnlessCommitted();
    void transactionRollsBackWhenAnExceptionLeavesIt();
    void secondWriterGetsBusyAfterTheTimeout();
    void readOnlyConnectionRefusesWrites();
    void readOnlyFileRefusesWrites_data();
    void readOnlyFileRefusesWrites();
    void missingFolderForReadOnlyOpenCannotOpen();
    void constraintViolationIsConstraint();
    void fromSqlite_data();
    void fromSqlite();
};

void TestDatabase::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestDatabase::statementCacheReusesOnePreparedStatement()
{
    Database db;
    db.open(QStringLiteral(":memory:"));
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    const int before = preparedStatements(db);

    for (int i = 0; i < 100; ++i) {
        Statement s = db.prepare("INSERT INTO t (v) VALUES (?1)");
        s.bind(1, QStringLiteral("row %1").arg(i)).exec();
        Statement again = db.prepare("INSERT INTO t (v) VALUES (?1)");
        again.bind(1, QStringLiteral("again %1").arg(i)).exec();
    }
    QCOMPARE(scalar(db, "SELECT count(*) FROM t"), 200);
    QCOMPARE(preparedStatements(db), before + 2); // the INSERT and the count, each prepared once

    // exec() rewinds, so one borrowed statement can be bound and run again.
    Statement s = db.prepare("INSERT INTO t (v) VALUES (?1)");
    s.bind(1, QStringLiteral("x")).exec();
    s.bind(1, QStringLiteral("y")).exec();
    QCOMPARE(scalar(db, "SELECT count(*) FROM t WHERE v IN ('x', 'y')"), 2);
}

void TestDatabase::abandonedStatementStartsOverNextTime()
{
    Database db;
    db.open(QStringLiteral(":memory:"));
    db.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)");
    {
        Statement s = db.prepare("SELECT v FROM t ORDER BY v");
        QVERIFY(s.next());
        QCOMPARE(s.int64(0), 1);
    } // left on row 1: the destructor resets it
    Statement s = db.prepare("SELECT v FROM t ORDER BY v");
    QVERIFY(s.next());
    QCOMPARE(s.int64(0), 1);
}

void TestDatabase::transactionRollsBackUnlessCommitted()
{
    Database db;
    db.open(QStringLiteral(":memory:"));
    db.exec("CREATE TABLE t (v INTEGER)");
    {
        Transaction tx(db);
        db.exec("INSERT INTO t VALUES (1)");
        QCOMPARE(sqlite3_get_autocommit(db.handle()), 0);
    }
    QCOMPARE(sqlite3_get_autocommit(db.handle()), 1);
    QCOMPARE(scalar(db, "SELECT count(*) FROM t"), 0);
    {
        Transaction tx(db);
        db.exec("INSERT INTO t VALUES (2)");
        tx.commit();
    }
    QCOMPARE(scalar(db, "SELECT count(*) FROM t"), 1);
}

void TestDatabase::transactionRollsBackWhenAnExceptionLeavesIt()
{
    Database db;
    db.open(QStringLiteral(":memory:"));
    db.exec("CREATE TABLE t (v INTEGER NOT NULL)");
    const DbError e = errorOf([&db] {
        Transaction tx(db);
        db.exec("INSERT INTO t VALUES (1)");
        db.exec("INSERT INTO t VALUES (NULL)");
        tx.commit();
    });
    QCOMPARE(e.kind, DbError::Kind::Constraint);
    QCOMPARE(sqlite3_get_autocommit(db.handle()), 1);
    QCOMPARE(scalar(db, "SELECT count(*) FROM t"), 0);
}

void TestDatabase::secondWriterGetsBusyAfterTheTimeout()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("station.db"));
    constexpr int TimeoutMs = 300;
    Database first;
    first.open(path);
    Database second;
    second.open(path, Database::Options{TimeoutMs, false});

    Transaction holding(first); // BEGIN IMMEDIATE: the write lock is taken now, not at the first write
    QElapsedTimer timer;
    timer.start();
    const DbError e = errorOf([&second] { Transaction tx(second); });
    const qint64 waited = timer.elapsed();
    QCOMPARE(e.kind, DbError::Kind::Busy);
    QVERIFY(e.isTransient());
    QVERIFY2(waited >= TimeoutMs - 50, qPrintable(QString::number(waited)));
    QVERIFY2(waited < 5000, qPrintable(QString::number(waited)));
    QCOMPARE(sqlite3_get_autocommit(second.handle()), 1);

    // Readers are not blocked by the writer (WAL), and the second writer gets in once the first is done.
    QCOMPARE(scalar(second, "SELECT count(*) FROM settings"), 0);
    first.exec("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', '2026-11-26T00:00:00.000Z')");
    holding.commit();
    Transaction tx(second);
    QCOMPARE(scalar(second, "SELECT count(*) FROM settings"), 1);
}

void TestDatabase::readOnlyConnectionRefusesWrites()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("station.db"));
    {
        Database db;
        db.open(path);
    }
    Database db;
    db.open(path, Database::Options{5000, true});
    QCOMPARE(scalar(db, "SELECT count(*) FROM receipts"), 0);
    const DbError e = errorOf([&db] {
        db.exec(
            "INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', '2026-11-26T00:00:00.000Z')");
    });
    QCOMPARE(e.kind, DbError::Kind::ReadOnly);
    QVERIFY(e.isTransient());
    QCOMPARE(e.sqliteCode & 0xff, SQLITE_READONLY);
}

void TestDatabase::readOnlyFileRefusesWrites_data()
{
    QTest::addColumn<bool>("wal");
    QTest::newRow("wal, as this program leaves it") << true;
    QTest::newRow("rollback journal, as a restored copy may be") << false;
}

void TestDatabase::readOnlyFileRefusesWrites()
{
    QFETCH(bool, wal);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("station.db"));
    {
        Database db;
        db.open(path);
        if (!wal)
            db.exec("PRAGMA journal_mode=DELETE");
    }
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    {
        QFile probe(path);
        if (probe.open(QIODevice::ReadWrite))
            QSKIP("File permissions do not stop this user (root?); covered by "
                  "readOnlyConnectionRefusesWrites.");
    }
    // Either open refuses, or the first write does; both must say "read-only", not "disk error".
    const DbError e = errorOf([&path] {
        Database db;
        db.open(path);
        db.exec(
            "INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', '2026-11-26T00:00:00.000Z')");
    });
    QCOMPARE(e.kind, DbError::Kind::ReadOnly);
}

void TestDatabase::missingFolderForReadOnlyOpenCannotOpen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const DbError e = errorOf([&dir] {
        Database db;
        db.open(dir.filePath(QStringLiteral("no/such/station.db")), Database::Options{5000, true});
    });
    QCOMPARE(e.kind, DbError::Kind::CannotOpen);
    QVERIFY(e.message.contains(QLatin1String("no/such/station.db")));
}

void TestDatabase::constraintViolationIsConstraint()
{
    Database db;
    db.open(QStringLiteral(":memory:"));
    db.exec("INSERT INTO operators (badge, name, role, created_at) VALUES ('B1', 'A', 'dock', 'now')");
    const DbError e = errorOf([&db] {
        Statement s = db.prepare(
            "INSERT INTO operators (badge, name, role, created_at) VALUES (?1, 'B', 'dock', 'now')");
        s.bind(1, QStringLiteral("B1")).exec();
    });
    QCOMPARE(e.kind, DbError::Kind::Constraint);
    QCOMPARE(e.sqliteCode, SQLITE_CONSTRAINT_UNIQUE);
    QVERIFY(!e.isTransient());
    QVERIFY(e.message.contains(QLatin1String("operators.badge")));
}

void TestDatabase::fromSqlite_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<DbError::Kind>("kind");
    QTest::addColumn<bool>("transient");

    using K = DbError::Kind;
    QTest::newRow("BUSY") << SQLITE_BUSY << K::Busy << true;
    QTest::newRow("BUSY_SNAPSHOT") << int(SQLITE_BUSY_SNAPSHOT) << K::Busy << true;
    QTest::newRow("LOCKED") << SQLITE_LOCKED << K::Busy << true;
    QTest::newRow("LOCKED_SHAREDCACHE") << int(SQLITE_LOCKED_SHAREDCACHE) << K::Busy << true;
    QTest::newRow("FULL") << SQLITE_FULL << K::Full << true;
    QTest::newRow("READONLY") << SQLITE_READONLY << K::ReadOnly << true;
    QTest::newRow("READONLY_DBMOVED") << int(SQLITE_READONLY_DBMOVED) << K::ReadOnly << true;
    QTest::newRow("PERM") << SQLITE_PERM << K::ReadOnly << true;
    QTest::newRow("CORRUPT") << SQLITE_CORRUPT << K::Corrupt << false;
    QTest::newRow("CORRUPT_INDEX") << int(SQLITE_CORRUPT_INDEX) << K::Corrupt << false;
    QTest::newRow("NOTADB") << SQLITE_NOTADB << K::Corrupt << false;
    QTest::newRow("CANTOPEN") << SQLITE_CANTOPEN << K::CannotOpen << false;
    QTest::newRow("CANTOPEN_ISDIR") << int(SQLITE_CANTOPEN_ISDIR) << K::CannotOpen << false;
    QTest::newRow("CONSTRAINT") << SQLITE_CONSTRAINT << K::Constraint << false;
    QTest::newRow("CONSTRAINT_FOREIGNKEY") << int(SQLITE_CONSTRAINT_FOREIGNKEY) << K::Constraint << false;
    QTest::newRow("IOERR") << SQLITE_IOERR << K::Io << true;
    QTest::newRow("IOERR_FSYNC") << int(SQLITE_IOERR_FSYNC) << K::Io << true;
    QTest::newRow("IOERR_WRITE") << int(SQLITE_IOERR_WRITE) << K::Io << true;
    QTest::newRow("ERROR") << SQLITE_ERROR << K::Other << false;
    QTest::newRow("MISUSE") << SQLITE_MISUSE << K::Other << false;
    QTest::newRow("NOMEM") << SQLITE_NOMEM << K::Other << false;
}

void TestDatabase::fromSqlite()
{
    QFETCH(int, code);
    QFETCH(DbError::Kind, kind);
    QFETCH(bool, transient);

    const DbError e = DbError::fromSqlite(code, QStringLiteral("the detail"));
    QCOMPARE(e.kind, kind);
    QCOMPARE(e.sqliteCode, code); // the extended code is kept for the log
    QCOMPARE(e.isTransient(), transient);
    QVERIFY(e.isError());
    QVERIFY(e.message.endsWith(QLatin1String(" (the detail)")));

    const DbError bare = DbError::fromSqlite(code, QString());
    QCOMPARE(bare.kind, kind);
    QVERIFY(!bare.message.isEmpty());
    QVERIFY(!bare.message.endsWith(QLatin1Char(')')));

    QCOMPARE(DbException(e).error().kind, kind);
    QCOMPARE(QString::fromStdString(DbException(e).what()), e.message);
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
