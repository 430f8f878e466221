// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "Database.h"
#include "Migrations.h"
#include "Operators.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

// The schema chain by PRAGMA user_version: a fresh file, a schema-1 file and a schema-2 file all end at the
// latest version with their data (operators keep their PIN hashes), a newer or foreign file is refused
// untouched, and a failed step changes nothing.

namespace {

QString fixture(const char *name)
{
    return QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/") + QLatin1String(name);
}

// Straight to SQLite, bypassing Database::open (which would migrate what the test wants to inspect).
bool rawExec(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    bool ok = sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              nullptr) == SQLITE_OK;
    if (ok && sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        qWarning("%s", sqlite3_errmsg(db));
        ok = false;
    }
    sqlite3_close_v2(db);
    return ok;
}

// The first column of the first row as an integer, or -1 when the query fails.
qint64 rawInt(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    qint64 value = -1;
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return value;
}

qint64 count(Database &db, const QString &table)
{
    const QByteArray sql = "SELECT count(*) FROM " + table.toUtf8();
    Statement s = db.prepare(sql.constData());
    return s.next() ? s.int64(0) : -1;
}

QStringList names(Database &db, const char *sql)
{
    QStringList out;
    Statement s = db.prepare(sql);
    while (s.next())
        out << s.text(0);
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Opens and returns the error it threw; Kind::None when it opened.
DbError openError(const QString &path, Database::Options options = {})
{
    Database db;
    try {
        db.open(path, options);
    } catch (const DbException &e) {
        return e.error();
    }
    return DbError{};
}

// v4 added `scan_results` (a scan's verdict by its id, so a retried scan records once).
// v3 added `secrets` (the PIN index's key, kept out of the settings table the Settings page shows).
const QStringList AllTables{
    QStringLiteral("audit_head"),     QStringLiteral("audit_log"), QStringLiteral("boxes"),
    QStringLiteral("case_forms"),     QStringLiteral("case_tracking"),  QStringLiteral("cases"),     QStringLiteral("exceptions"),
    QStringLiteral("expected_items"), QStringLiteral("operators"), QStringLiteral("outbox"),
    QStringLiteral("receipts"),       QStringLiteral("scan_results"), QStringLiteral("secrets"),
    QStringLiteral("settings"),       QStringLiteral("station_state")};

const QStringList AllIndexes{QStringLiteral("audit_log_station_action"),
                             QStringLiteral("boxes_open"),
                             QStringLiteral("case_forms_case"),
                             QStringLiteral("case_tracking_case"),
                             QStringLiteral("exceptions_now_expected"),
                             QStringLiteral("exceptions_open"),
                             QStringLiteral("exceptions_open_serial"),
                             QStringLiteral("exceptions_receipt"),
                             QStringLiteral("expected_items_serial"),
                             QStringLiteral("operators_pin_index"),
                             QStringLiteral("outbox_box"),
                             QStringLiteral("outbox_state"),
                             QStringLiteral("receipts_box"),
                             QStringLiteral("receipts_case_line"),
                             QStringLiteral("receipts_serial_live"),
                             QStringLiteral("scan_results_at")};

// The columns of `table`, in order.
QStringList columns(Database &db, const char *table)
{
    const QByteArray sql = QByteArray("SELECT name FROM pragma_table_info('") + table + "')";
    return names(db, sql.constData());
}

} // namespace

class TestMigrations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void freshDatabaseReachesLatest();
    void reopeningChangesNothing();
    void upgradesSchemaOneWithItsData();
    void upgradesSchemaTwoKeepingPins();
    void refusesNewerDatabaseUntouched_data();
    void refusesNewerDatabaseUntouched();
    void refusesFileThatIsNotADatabase();
    void failedStepLeavesVersionAndSchema();

private:
    QString copyOfFixture(const QTemporaryDir &dir);
};

void TestMigrations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(QFile::exists(fixture("schema-v1.db")), "tests/fixtures/schema-v1.db is missing");
}

QString TestMigrations::copyOfFixture(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("station.db"));
    if (!QFile::copy(fixture("schema-v1.db"), path))
        return QString();
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

void TestMigrations::freshDatabaseReachesLatest()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Database db;
    db.open(dir.filePath(QStringLiteral("nested/folder/station.db")));

    QCOMPARE(db.userVersion(), Migrations::latestVersion());
    QCOMPARE(names(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"), AllTables);
    QCOMPARE(
        names(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"),
        AllIndexes);
    QCOMPARE(names(db, "PRAGMA journal_mode"), QStringList{QStringLiteral("wal")});
    QCOMPARE(names(db, "PRAGMA synchronous"), QStringList{QStringLiteral("2")}); // FULL
    QCOMPARE(names(db, "PRAGMA foreign_keys"), QStringList{QStringLiteral("1")});
    QVERIFY(
        names(db, "SELECT name FROM pragma_table_info('receipts')").contains(QStringLiteral("manual_entry")));
}

void TestMigrations::reopeningChangesNothing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("station.db"));
    {
        Database db;
        db.open(path);
        db.exec(
            "INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', '2026-01-01T00:00:00.000Z')");
    }
    Database db;
    db.open(path);
    QCOMPARE(db.userVersion(), Migrations::latestVersion());
    QCOMPARE(count(db, QStringLiteral("settings")), 1);
}

void TestMigrations::upgradesSchemaOneWithItsData()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = copyOfFixture(dir);
    QVERIFY(!path.isEmpty());
    QCOMPARE(rawInt(path, "PRAGMA user_version"), 1);

    Database db;
    db.open(path);
    QCOMPARE(db.userVersion(), Migrations::latestVersion());
    QCOMPARE(names(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"), AllTables);
    QCOMPARE(
        names(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"),
        AllIndexes);
    QCOMPARE(names(db, "PRAGMA journal_mode"), QStringList{QStringLiteral("wal")});
    QCOMPARE(names(db, "PRAGMA integrity_check"), QStringList{QStringLiteral("ok")});
    QCOMPARE(names(db, "PRAGMA foreign_key_check"), QStringList());

    const QList<std::pair<const char *, qint64>> rows{
        {"cases", 2},    {"case_tracking", 2}, {"expected_items", 4}, {"operators", 1}, {"boxes", 1},
        {"receipts", 2}, {"exceptions", 1},    {"outbox", 1},         {"audit_log", 3}, {"station_state", 0},
        {"settings", 0}, {"audit_head", 0},    {"secrets", 0}};
    for (const auto &[table, expected] : rows)
        QVERIFY2(count(db, QLatin1String(table)) == expected, table);

    Statement r =
        db.prepare("SELECT serial, sku, case_id, line, box_id, station_id, operator_id, received_at, "
                   "condition, outcome, pending_sku, late, voided, voided_at, manual_entry "
                   "FROM receipts WHERE id = 1");
    QVERIFY(r.next());
    QCOMPARE(r.text(0), QStringLiteral("PE3716460123"));
    QCOMPARE(r.text(1), QStringLiteral("EX4300-48T"));
    QCOMPARE(r.int64(2), 1);
    QCOMPARE(r.int64(3), 1);
    QCOMPARE(r.int64(4), 1);
    QCOMPARE(r.text(5), QStringLiteral("DOCK-01"));
    QCOMPARE(r.text(6), QStringLiteral("BADGE-1001"));
    QCOMPARE(r.text(7), QStringLiteral("2026-09-15T14:01:00.000Z"));
    QCOMPARE(r.text(8), QStringLiteral("damaged"));
    QCOMPARE(r.text(9), QStringLiteral("matched"));
    QCOMPARE(r.int64(10), 0);
    QCOMPARE(r.int64(11), 0);
    QCOMPARE(r.int64(12), 0);
    QVERIFY(r.isNull(13));
    QCOMPARE(r.int64(14), 0); // the column added by step 2 defaults to "scanned"
    r.reset();
    QCOMPARE(names(db, "SELECT DISTINCT manual_entry FROM receipts"), QStringList{QStringLiteral("0")});

    Statement pin = db.prepare("SELECT pin_hash FROM operators WHERE badge = 'BADGE-1001'");
    QVERIFY(pin.next());
    QVERIFY(Operators::verifyPin(QStringLiteral("1234"), pin.text(0)));
    pin.reset();

    // The chain written under schema 1 (no anchor yet) still verifies, and goes on from its newest row.
    AuditLog::Verification v = AuditLog::verify(db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.rows, 3);
    {
        Transaction tx(db);
        AuditLog::append(db, AuditLog::Entry{QStringLiteral("2026-11-26T10:00:00.000Z"),
                                             QStringLiteral("DOCK-01"), QStringLiteral("BADGE-1001"),
                                             QStringLiteral("signed_in"), QStringLiteral("BADGE-1001"),
                                             QString()});
        tx.commit();
    }
    v = AuditLog::verify(db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.rows, 4);
    QCOMPARE(count(db, QStringLiteral("audit_head")), 1);
}

// A database as schema 2 left it (the schema-1 fixture, step 2 as released, a supervisor added) gains v3's
// columns, indexes and table, and keeps every operator's PIN hash: nobody needs a new PIN, nobody is
// disabled, and the audit chain written before holds.
void TestMigrations::upgradesSchemaTwoKeepingPins()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = copyOfFixture(dir);
    QVERIFY(!path.isEmpty());
    const QString supervisorHash = Operators::hashPin(QStringLiteral("9876"), QByteArray(16, 'S'), 1000);
    // Schema 2's step as released (db/Migrations.cpp), then schema-2 data: a supervisor with a PIN.
    const QByteArray v2 = "BEGIN; "
                          "ALTER TABLE receipts ADD COLUMN manual_entry INTEGER NOT NULL DEFAULT 0; "
                          "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), "
                          "last_id INTEGER NOT NULL, last_hash TEXT NOT NULL); "
                          "INSERT INTO operators (badge, name, role, pin_hash, created_at) VALUES "
                          "('BADGE-2001', 'Sam Patel', 'supervisor', '" +
                          supervisorHash.toLatin1() +
                          "', '2026-10-01T08:00:00.000Z'); "
                          "PRAGMA user_version=2; COMMIT;";
    QVERIFY(rawExec(path, v2.constData()));
    QCOMPARE(rawInt(path, "PRAGMA user_version"), 2);
    QCOMPARE(rawInt(path, "SELECT count(*) FROM pragma_table_info('operators') WHERE name = 'pin_index'"), 0);

    QStringList hashesBefore;
    {
        Database db;
        db.open(path, Database::Options{5000, true}); // read-only: no upgrade yet
        QCOMPARE(db.userVersion(), 2);
        hashesBefore = names(db, "SELECT badge || ' ' || pin_hash FROM operators ORDER BY id");
    }
    QCOMPARE(hashesBefore.size(), 2);

    Database db;
    db.open(path);
    QCOMPARE(db.userVersion(), Migrations::latestVersion());
    QCOMPARE(db.userVersion(), 5);
    QCOMPARE(names(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"), AllTables);
    QCOMPARE(
        names(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"),
        AllIndexes);
    const QStringList operatorColumns = columns(db, "operators");
    QVERIFY2(operatorColumns.contains(QStringLiteral("disabled_at")), qPrintable(operatorColumns.join(u',')));
    QVERIFY2(operatorColumns.contains(QStringLiteral("pin_index")), qPrintable(operatorColumns.join(u',')));
    QVERIFY(columns(db, "audit_log").contains(QStringLiteral("unix_user")));
    QCOMPARE(columns(db, "secrets"), (QStringList{QStringLiteral("name"), QStringLiteral("value")}));
    QCOMPARE(names(db, "PRAGMA integrity_check"), QStringList{QStringLiteral("ok")});
    QCOMPARE(names(db, "PRAGMA foreign_key_check"), QStringList());

    // Every PIN hash as it was; nobody disabled; the PIN index is filled in later, at a PIN check.
    QCOMPARE(names(db, "SELECT badge || ' ' || pin_hash FROM operators ORDER BY id"), hashesBefore);
    QCOMPARE(count(db, QStringLiteral("operators WHERE disabled_at IS NOT NULL")), 0);
    QCOMPARE(count(db, QStringLiteral("operators WHERE pin_index IS NOT NULL")), 0);
    QCOMPARE(count(db, QStringLiteral("audit_log WHERE unix_user IS NOT NULL")), 0);
    Operators operators(db);
    QVERIFY(operators.checkPin(QStringLiteral("BADGE-1001"), QStringLiteral("1234")));
    QVERIFY(operators.checkPin(QStringLiteral("BADGE-2001"), QStringLiteral("9876")));
    QVERIFY(!operators.checkPin(QStringLiteral("BADGE-2001"), QStringLiteral("1234")));
    QVERIFY(operators.isSupervisor(QStringLiteral("BADGE-2001")));
    const std::optional<Operators::Operator> byPin = operators.byPin(QStringLiteral("9876"));
    QVERIFY(byPin);
    QCOMPARE(byPin->badge, QStringLiteral("BADGE-2001"));
    QVERIFY(!byPin->disabled);

    // The chain written before v3 still verifies, and goes on with rows that record the Unix user.
    AuditLog::Verification v = AuditLog::verify(db);
    QVERIFY2(v.ok, qPrintable(v.message));
    const qint64 rowsBefore = v.rows;
    {
        Transaction tx(db);
        AuditLog::append(db, AuditLog::Entry{QStringLiteral("2026-11-26T10:00:00.000Z"),
                                             QStringLiteral("DOCK-01"), QStringLiteral("BADGE-2001"),
                                             QStringLiteral("signed_in"), QStringLiteral("BADGE-2001"),
                                             QString()});
        tx.commit();
    }
    v = AuditLog::verify(db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.rows, rowsBefore + 1);
    QCOMPARE(count(db, QStringLiteral("audit_log WHERE unix_user IS NOT NULL")), 1);
}

void TestMigrations::refusesNewerDatabaseUntouched_data()
{
    QTest::addColumn<QByteArray>("journalMode");
    QTest::addColumn<bool>("readOnly");

    QTest::newRow("rollback journal") << QByteArray("DELETE") << false;
    QTest::newRow("wal") << QByteArray("WAL") << false;
    QTest::newRow("rollback journal, opened read-only") << QByteArray("DELETE") << true;
}

void TestMigrations::refusesNewerDatabaseUntouched()
{
    QFETCH(QByteArray, journalMode);
    QFETCH(bool, readOnly);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("station.db"));
    const int newer = Migrations::latestVersion() + 1;
    const QByteArray setup =
        "PRAGMA journal_mode=" + journalMode +
        "; CREATE TABLE future (x); INSERT INTO future VALUES (42); PRAGMA user_version=" +
        QByteArray::number(newer);
    QVERIFY(rawExec(path, setup.constData()));
    const QByteArray before = readAll(path);
    const QStringList filesBefore = QDir(dir.path()).entryList(QDir::Files);
    QVERIFY(!before.isEmpty());

    const DbError e = openError(path, Database::Options{5000, readOnly});
    QCOMPARE(e.kind, DbError::Kind::TooNew);
    QVERIFY2(e.message.contains(QRegularExpression(QStringLiteral("\\b%1\\b").arg(newer))),
             qPrintable(e.message));
    QVERIFY2(
        e.message.contains(QRegularExpression(QStringLiteral("\\b%1\\b").arg(Migrations::latestVersion()))),
        qPrintable(e.message));
    QVERIFY(!e.isTransient());

    QCOMPARE(readAll(path), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), filesBefore);
    QCOMPARE(rawInt(path, "PRAGMA user_version"), newer);
}

void TestMigrations::refusesFileThatIsNotADatabase()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("station.db"));
    QByteArray noise(16 * 1024, Qt::Uninitialized);
    QRandomGenerator rng(20261126);
    for (char &c : noise)
        c = char(rng.bounded(256));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(noise), noise.size());
    }

    const DbError e = openError(path);
    QCOMPARE(e.kind, DbError::Kind::Corrupt);
    QVERIFY(!e.message.isEmpty());
    QCOMPARE(readAll(path), noise);
}

void TestMigrations::failedStepLeavesVersionAndSchema()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = copyOfFixture(dir);
    QVERIFY(!path.isEmpty());
    // Step 2 adds receipts.manual_entry and then creates audit_head; a stray audit_head makes the second
    // statement fail after the first has run.
    QVERIFY(rawExec(path, "CREATE TABLE audit_head (id INTEGER PRIMARY KEY)"));

    Database db;
    bool threw = false;
    try {
        db.open(path);
    } catch (const DbException &e) {
        threw = true;
        QVERIFY2(e.error().message.contains(QLatin1String("audit_head")), qPrintable(e.error().message));
    }
    QVERIFY(threw);
    QVERIFY(!db.isOpen());

    QCOMPARE(rawInt(path, "PRAGMA user_version"), 1);
    QCOMPARE(rawInt(path, "SELECT count(*) FROM pragma_table_info('receipts') WHERE name = 'manual_entry'"),
             0);
    QCOMPARE(rawInt(path, "SELECT count(*) FROM pragma_table_info('audit_head')"), 1); // still the stray one
    QCOMPARE(rawInt(path, "SELECT count(*) FROM receipts"), 2);
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
