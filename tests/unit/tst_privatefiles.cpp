// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "Backup.h"
#include "Database.h"
#include "Migrations.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

// The database, its -wal and -shm, every backup (timed, pre-migration, by hand) and what restore writes are
// owner-only (0600) whatever the umask; a file found looser is tightened and the change logged.

namespace {

// The permission bits of `path`, -1 when it does not exist.
int modeOf(const QString &path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

QString octal(int mode)
{
    return mode < 0 ? QStringLiteral("missing") : QStringLiteral("0") + QString::number(mode, 8);
}

// Fails the test naming the file when its mode is not `expected`.
#define COMPARE_MODE(path, expected)                                                                         \
    QVERIFY2(                                                                                                \
        modeOf(path) == (expected),                                                                          \
        qPrintable(QStringLiteral("%1 is %2, expected %3").arg(path, octal(modeOf(path)), octal(expected))))

bool setMode(const QString &path, int mode)
{
    return ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0;
}

// A raw SQLite connection, bypassing Database (so nothing of ours touches the modes).
struct RawConnection
{
    sqlite3 *db = nullptr;
    explicit RawConnection(const QString &path)
    {
        sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr);
    }
    ~RawConnection() { sqlite3_close_v2(db); }
    bool exec(const char *sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
};

// Sets the process umask for one test and puts the old one back.
class ScopedUmask
{
public:
    explicit ScopedUmask(int mask) : m_old(::umask(mode_t(mask))) {}
    ~ScopedUmask() { ::umask(m_old); }

private:
    mode_t m_old;
};

} // namespace

class TestPrivateFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sqliteGivesWalAndShmTheDatabaseMode_data();
    void sqliteGivesWalAndShmTheDatabaseMode();
    void newDatabaseAndBackupsArePrivate_data();
    void newDatabaseAndBackupsArePrivate();
    void preMigrationBackupIsPrivate();
    void looserFilesAreTightenedAndLogged_data();
    void looserFilesAreTightenedAndLogged();
    void restoreWritesPrivateFilesAndAnAuditRow();
    void restoreRefusesABackupFromNewerCode();
};

void TestPrivateFiles::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

// The premise of Database::open: SQLite creates -wal and -shm with the main file's mode, not the umask's.
void TestPrivateFiles::sqliteGivesWalAndShmTheDatabaseMode_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("0600") << 0600;
    QTest::newRow("0640") << 0640;
}

void TestPrivateFiles::sqliteGivesWalAndShmTheDatabaseMode()
{
    QFETCH(int, mode);
    const ScopedUmask umask(022);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("raw.db"));
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    QVERIFY(fd >= 0);
    ::close(fd);
    QVERIFY(setMode(path, mode));
    RawConnection raw(path);
    QVERIFY(raw.exec("PRAGMA journal_mode=WAL; CREATE TABLE t (v); INSERT INTO t VALUES (1)"));
    COMPARE_MODE(path + QStringLiteral("-wal"), mode);
    COMPARE_MODE(path + QStringLiteral("-shm"), mode);
}

void TestPrivateFiles::newDatabaseAndBackupsArePrivate_data()
{
    QTest::addColumn<int>("umask");
    QTest::newRow("umask 022") << 022;
    QTest::newRow("umask 002") << 002;
    QTest::newRow("umask 000") << 0;
}

void TestPrivateFiles::newDatabaseAndBackupsArePrivate()
{
    QFETCH(int, umask);
    const ScopedUmask scoped(umask);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("data/receiving.db"));
    Database db;
    db.open(path);
    db.exec("CREATE TABLE probe (v TEXT)");
    {
        Transaction tx(db);
        db.prepare("INSERT INTO probe (v) VALUES (?1)").bind(1, QStringLiteral("dock")).exec();
        tx.commit();
    }
    QVERIFY(QFileInfo::exists(path + QStringLiteral("-wal")));
    QVERIFY(QFileInfo::exists(path + QStringLiteral("-shm")));
    COMPARE_MODE(path, 0600);
    COMPARE_MODE(path + QStringLiteral("-wal"), 0600);
    COMPARE_MODE(path + QStringLiteral("-shm"), 0600);

    // The timed backup (the station's connection) and `receiving-cli backup` (from the file).
    const Backup::Result timed = Backup::create(db.handle(), dir.filePath(QStringLiteral("backups")), 0);
    QVERIFY2(timed.ok, qPrintable(timed.error));
    COMPARE_MODE(timed.file, 0600);
    const Backup::Result byHand =
        Backup::createFromFile(path, dir.filePath(QStringLiteral("by-hand")), 0, QStringLiteral("manual"));
    QVERIFY2(byHand.ok, qPrintable(byHand.error));
    COMPARE_MODE(byHand.file, 0600);

    // Nothing else was left in the backup folders (no partial file, no journal).
    QCOMPARE(QDir(dir.filePath(QStringLiteral("backups"))).entryList(QDir::Files | QDir::Hidden),
             QStringList{QFileInfo(timed.file).fileName()});
    QCOMPARE(QDir(dir.filePath(QStringLiteral("by-hand"))).entryList(QDir::Files | QDir::Hidden),
             QStringList{QFileInfo(byHand.file).fileName()});
}

// An existing schema-1 database is backed up before its upgrade; the copy is as private as the database.
void TestPrivateFiles::preMigrationBackupIsPrivate()
{
    const ScopedUmask umask(022);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("v1.db"));
    QVERIFY(QFile::copy(QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/schema-v1.db"), path));
    QVERIFY(setMode(path, 0600));
    const QString backups = dir.filePath(QStringLiteral("pre-migration"));
    Backup::setPreMigrationDirectory(backups);
    const auto reset = qScopeGuard([] { Backup::setPreMigrationDirectory(QString()); });
    Database db;
    db.open(path);
    QCOMPARE(db.userVersion(), Migrations::latestVersion());
    const QStringList written = Backup::list(backups);
    QCOMPARE(written.size(), 1);
    QVERIFY2(written.constFirst().endsWith(QLatin1String("-before-v2.db")), qPrintable(written.constFirst()));
    COMPARE_MODE(written.constFirst(), 0600);
    COMPARE_MODE(path, 0600);
    COMPARE_MODE(path + QStringLiteral("-wal"), 0600);
}

// A database an older version (or a copy) left readable to others is made owner-only, with a line in the log,
// and so are a -wal and -shm a crashed process left behind.
void TestPrivateFiles::looserFilesAreTightenedAndLogged_data()
{
    QTest::addColumn<int>("looseMode");
    QTest::newRow("world-readable") << 0644;
    QTest::newRow("group-readable") << 0640;
    QTest::newRow("world-writable") << 0666;
}

void TestPrivateFiles::looserFilesAreTightenedAndLogged()
{
    QFETCH(int, looseMode);
    const ScopedUmask umask(022);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("old.db"));
    {
        Database first;
        first.open(path);
    }
    // Another connection keeps -wal and -shm in place, as a station that crashed would have left them.
    RawConnection other(path);
    QVERIFY(other.exec("CREATE TABLE probe (v); INSERT INTO probe VALUES (1)"));
    const QStringList files{path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")};
    for (const QString &f : files) {
        QVERIFY2(setMode(f, looseMode), qPrintable(f));
        const QString expected =
            QStringLiteral("^%1 was mode %2 \\(open to more than its owner\\); made it 0600$")
                .arg(QRegularExpression::escape(f), octal(looseMode));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(expected));
    }
    Database db;
    db.open(path);
    for (const QString &f : files)
        COMPARE_MODE(f, 0600);
    Statement s = db.prepare("SELECT count(*) FROM probe");
    QVERIFY(s.next());
    QCOMPARE(s.int64(0), 1);
}

void TestPrivateFiles::restoreWritesPrivateFilesAndAnAuditRow()
{
    const ScopedUmask umask(022);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("receiving.db"));
    QString backupFile;
    {
        Database db;
        db.open(path);
        db.exec("CREATE TABLE probe (v TEXT); INSERT INTO probe VALUES ('in the backup')");
        const Backup::Result b = Backup::create(db.handle(), dir.filePath(QStringLiteral("backups")), 0);
        QVERIFY2(b.ok, qPrintable(b.error));
        backupFile = b.file;
        db.exec("INSERT INTO probe VALUES ('after the backup')");
    }
    // The worst case: a backup copied in loosely, an old database readable by all, and a -wal and -shm a
    // crash left behind, all world-readable.
    QVERIFY(setMode(backupFile, 0644));
    QVERIFY(setMode(path, 0644));
    for (const QString &ext : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile f(path + ext);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("left by a crash");
        f.close();
        QVERIFY(setMode(path + ext, 0644));
    }

    const Backup::Result r =
        Backup::restore(backupFile, path, QStringLiteral("DOCK-T"), QStringLiteral("cli:tester"));
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY2(r.warning.isEmpty(), qPrintable(r.warning));
    QVERIFY(r.replaced.startsWith(path + QStringLiteral(".replaced-")));
    COMPARE_MODE(path, 0600);
    COMPARE_MODE(r.replaced, 0600);
    COMPARE_MODE(r.replaced + QStringLiteral("-wal"), 0600);
    COMPARE_MODE(r.replaced + QStringLiteral("-shm"), 0600);
    QVERIFY(!QFileInfo::exists(path + QStringLiteral(".restoring")));

    Database db;
    db.open(path);
    COMPARE_MODE(path + QStringLiteral("-wal"), 0600);
    COMPARE_MODE(path + QStringLiteral("-shm"), 0600);
    {
        Statement rows = db.prepare("SELECT group_concat(v) FROM probe");
        QVERIFY(rows.next());
        QCOMPARE(rows.text(0), QStringLiteral("in the backup"));
    }
    Statement audit = db.prepare("SELECT station_id, actor, action, subject, details FROM audit_log "
                                 "ORDER BY id DESC LIMIT 1");
    QVERIFY(audit.next());
    QCOMPARE(audit.text(0), QStringLiteral("DOCK-T"));
    QCOMPARE(audit.text(1), QStringLiteral("cli:tester"));
    QCOMPARE(audit.text(2), QStringLiteral("restore"));
    QCOMPARE(audit.text(3), QFileInfo(backupFile).fileName());
    const QJsonObject details = QJsonDocument::fromJson(audit.utf8(4)).object();
    QCOMPARE(details.value(QLatin1String("replaced_file")).toString(), r.replaced);
    QCOMPARE(details.value(QLatin1String("backup")).toString(), QFileInfo(backupFile).absoluteFilePath());
    audit.reset();
    const AuditLog::Verification v = AuditLog::verify(db);
    QVERIFY2(v.ok, qPrintable(v.message));
}

void TestPrivateFiles::restoreRefusesABackupFromNewerCode()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("receiving.db"));
    const QString newer = dir.filePath(QStringLiteral("receiving-newer.db"));
    {
        Database db;
        db.open(path);
    }
    {
        RawConnection raw(newer);
        QVERIFY(raw.exec(QByteArray("CREATE TABLE t (v); PRAGMA user_version=" +
                                    QByteArray::number(Migrations::latestVersion() + 1))
                             .constData()));
    }
    QFile before(path);
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray original = before.readAll();
    before.close();
    const Backup::Result r =
        Backup::restore(newer, path, QStringLiteral("DOCK-T"), QStringLiteral("cli:tester"));
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QLatin1String("newer version")), qPrintable(r.error));
    QFile after(path);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), original);
    QVERIFY(QDir(dir.path()).entryList({QStringLiteral("*.replaced-*")}, QDir::Files).isEmpty());
}

QTEST_GUILESS_MAIN(TestPrivateFiles)
#include "tst_privatefiles.moc"
