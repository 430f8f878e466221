// SPDX-License-Identifier: GPL-3.0-or-later
#include "Backup.h"
#include "AuditLog.h"
#include "Database.h"
#include "Migrations.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QScopeGuard>
#include <QThread>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcDb)

namespace {
QMutex settingsMutex;
QString preMigrationDir;
int keepCount = 10;

const QString Prefix = QStringLiteral("receiving-");
const QString Suffix = QStringLiteral(".db");

QString utcStamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmsszzz'Z'"));
}

bool fsyncPath(const QString &path, bool directory)
{
    const int fd = ::open(QFile::encodeName(path).constData(),
                          (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

// Creates `path` (it must not exist) owner-only, 0600 whatever the umask, and returns its descriptor or -1.
// Run as root (receiving-cli under sudo) it goes to the owner and group of `ownerOf`, so the station user can
// still read and rotate it.
int createPrivateFile(const QString &path, const QString &ownerOf)
{
    const int fd = ::open(QFile::encodeName(path).constData(),
                          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    struct stat owner
    {
    };
    if (::fchmod(fd, 0600) != 0 ||
        (::geteuid() == 0 && ::stat(QFile::encodeName(ownerOf).constData(), &owner) == 0 &&
         ::fchown(fd, owner.st_uid, owner.st_gid) != 0)) {
        ::close(fd);
        ::unlink(QFile::encodeName(path).constData());
        return -1;
    }
    return fd;
}

// Copies `source` to a new owner-only `target` and syncs it to disk.
bool copyPrivate(const QString &source, const QString &target, const QString &ownerOf)
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly))
        return false;
    const int fd = createPrivateFile(target, ownerOf);
    if (fd < 0)
        return false;
    bool ok = true;
    while (ok && !in.atEnd()) {
        const QByteArray chunk = in.read(1 << 20);
        if (chunk.isEmpty() && in.error() != QFileDevice::NoError)
            ok = false;
        for (qsizetype done = 0; ok && done < chunk.size();) {
            const ssize_t n = ::write(fd, chunk.constData() + done, size_t(chunk.size() - done));
            if (n < 0 && errno == EINTR)
                continue;
            ok = n > 0;
            done += n > 0 ? n : 0;
        }
    }
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (!ok)
        QFile::remove(target);
    return ok;
}

// Takes group and other access off a file this module keeps (a database moved aside may have been looser).
void makeOwnerOnly(const QString &path)
{
    struct stat st
    {
    };
    const QByteArray name = QFile::encodeName(path);
    if (::stat(name.constData(), &st) == 0 && (st.st_mode & 0177) != 0 &&
        ::chmod(name.constData(), st.st_mode & 0600) != 0)
        qCWarning(lcDb) << "cannot make" << path << "owner-only";
}

// PRAGMA user_version of a database file opened read-only; -1 when it cannot be read.
int userVersionOf(const QString &file)
{
    sqlite3 *db = nullptr;
    int version = -1;
    if (sqlite3_open_v2(QFile::encodeName(file).constData(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr) == SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW)
            version = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(db);
    return version;
}

// The restore as the first row of the restored database's audit trail since the backup.
QString recordRestore(const QString &databasePath, const QString &backupFile, const QString &replaced,
                      const QString &stationId, const QString &actor)
{
    try {
        Database db;
        db.open(databasePath);
        Transaction tx(db);
        AuditLog::Entry e;
        e.at = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        e.stationId = stationId;
        e.actor = actor;
        e.action = QStringLiteral("restore");
        e.subject = QFileInfo(backupFile).fileName();
        e.details = QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("backup"), QFileInfo(backupFile).absoluteFilePath()},
                                      {QStringLiteral("replaced_file"),
                                       replaced.isEmpty() ? QJsonValue() : QJsonValue(replaced)}})
                .toJson(QJsonDocument::Compact));
        AuditLog::append(db, e);
        tx.commit();
        return {};
    } catch (const DbException &ex) {
        return ex.error().message;
    }
}

// The nearest existing folder of `path` (the path itself when it is one).
QString existingAncestor(const QString &path)
{
    QFileInfo info(QFileInfo(path).absoluteFilePath());
    while (!info.exists() && !info.isRoot())
        info = QFileInfo(info.absolutePath());
    return info.absoluteFilePath();
}

QString sqliteMessage(sqlite3 *db, int rc)
{
    return db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
}

// Runs a pragma that answers "ok" when all is well; returns the first rows otherwise.
QString checkPragma(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return sqliteMessage(db, rc);
    QStringList rows;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (rows.size() < 5)
            rows << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    }
    const QString stepError = rc == SQLITE_DONE ? QString() : sqliteMessage(db, rc);
    sqlite3_finalize(stmt);
    if (!stepError.isEmpty())
        return stepError;
    if (rows == QStringList{QStringLiteral("ok")})
        return {};
    return rows.isEmpty() ? QStringLiteral("no answer") : rows.join(QStringLiteral("; "));
}
} // namespace

QString Backup::defaultDirectory(const QString &databasePath)
{
    return QFileInfo(databasePath).absolutePath() + QStringLiteral("/backups");
}

Backup::Result Backup::create(sqlite3 *source, const QString &directory, int keep, const QString &reason)
{
    Result r;
    if (!QDir().mkpath(directory)) {
        r.error = QStringLiteral("Cannot create the backup folder %1.").arg(directory);
        return r;
    }
    const QString name =
        Prefix + utcStamp() + (reason.isEmpty() ? QString() : QLatin1Char('-') + reason) + Suffix;
    const QString finalPath = QDir(directory).filePath(name);
    const QString partial = QDir(directory).filePath(QLatin1Char('.') + name + QStringLiteral(".partial"));
    QFile::remove(partial);

    sqlite3 *dest = nullptr;
    const auto fail = [&](const QString &why) {
        sqlite3_close_v2(dest);
        QFile::remove(partial);
        r.error = QStringLiteral("The backup to %1 failed: %2").arg(directory, why);
        return r;
    };
    // Created owner-only before SQLite opens it: SQLite would create it world-readable under umask 022, and
    // gives its journal the same mode.
    const char *sourceFile = sqlite3_db_filename(source, "main");
    const int privateFd = createPrivateFile(partial, QFile::decodeName(sourceFile ? sourceFile : ""));
    if (privateFd < 0)
        return fail(QStringLiteral("cannot create %1 (%2)")
                        .arg(partial, QString::fromLocal8Bit(std::strerror(errno))));
    ::close(privateFd);
    int rc = sqlite3_open_v2(QFile::encodeName(partial).constData(), &dest,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK)
        return fail(sqliteMessage(dest, rc));
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", source, "main");
    if (!b)
        return fail(sqliteMessage(dest, sqlite3_errcode(dest)));
    // One step copies a consistent snapshot; WAL readers do not block the station's writes meanwhile.
    for (int attempt = 0;; ++attempt) {
        rc = sqlite3_backup_step(b, -1);
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < 500) {
            QThread::msleep(10);
            continue;
        }
        break;
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return fail(QString::fromUtf8(sqlite3_errstr(rc)));
    if (const QString problem = checkPragma(dest, "PRAGMA quick_check"); !problem.isEmpty())
        return fail(QStringLiteral("the copy fails quick_check (%1)").arg(problem));
    sqlite3_close_v2(dest);
    dest = nullptr;
    if (!fsyncPath(partial, false) ||
        ::rename(QFile::encodeName(partial).constData(), QFile::encodeName(finalPath).constData()) != 0)
        return fail(QStringLiteral("cannot write %1").arg(finalPath));
    fsyncPath(directory, true);
    r.ok = true;
    r.file = finalPath;
    r.removed = prune(directory, keep);
    if (sourceFile && *sourceFile && sameFilesystem(directory, QFile::decodeName(sourceFile)))
        r.warning = QStringLiteral("The backup folder %1 is on the same disk as the database: a dead disk "
                                   "takes both. Point backup.directory at another disk.")
                        .arg(directory);
    return r;
}

Backup::Result Backup::createFromFile(const QString &databasePath, const QString &directory, int keep,
                                      const QString &reason)
{
    Result r;
    if (!QFileInfo(databasePath).isFile()) {
        r.error = QStringLiteral("There is no database at %1.").arg(databasePath);
        return r;
    }
    sqlite3 *db = nullptr;
    // Read-write (never create) so a WAL left by the station is read; the backup itself writes nothing here.
    int rc = sqlite3_open_v2(QFile::encodeName(databasePath).constData(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_close_v2(db);
        db = nullptr;
        rc = sqlite3_open_v2(QFile::encodeName(databasePath).constData(), &db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    }
    if (rc != SQLITE_OK) {
        r.error = QStringLiteral("Cannot open the database %1: %2").arg(databasePath, sqliteMessage(db, rc));
        sqlite3_close_v2(db);
        return r;
    }
    sqlite3_busy_timeout(db, 5000);
    r = create(db, directory, keep, reason);
    sqlite3_close_v2(db);
    return r;
}

QStringList Backup::list(const QString &directory)
{
    QStringList files;
    const QStringList names =
        QDir(directory).entryList({Prefix + QStringLiteral("*") + Suffix}, QDir::Files, QDir::Name);
    for (const QString &n : names)
        files << QDir(directory).filePath(n);
    return files;
}

QString Backup::latest(const QString &directory)
{
    const QStringList files = list(directory);
    return files.isEmpty() ? QString() : files.constLast();
}

QStringList Backup::prune(const QString &directory, int keep)
{
    QStringList removed;
    if (keep <= 0)
        return removed;
    QStringList files = list(directory);
    while (files.size() > keep) {
        const QString f = files.takeFirst();
        if (QFile::remove(f))
            removed << f;
        else
            qCWarning(lcDb) << "cannot remove old backup" << f;
    }
    return removed;
}

bool Backup::sameFilesystem(const QString &a, const QString &b)
{
    struct stat sa
    {
    };
    struct stat sb
    {
    };
    if (::stat(QFile::encodeName(existingAncestor(a)).constData(), &sa) != 0 ||
        ::stat(QFile::encodeName(existingAncestor(b)).constData(), &sb) != 0)
        return false;
    return sa.st_dev == sb.st_dev;
}

QString Backup::integrityProblem(const QString &file, bool quick)
{
    if (!QFileInfo(file).isFile())
        return QStringLiteral("%1 does not exist").arg(file);
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(QFile::encodeName(file).constData(), &db,
                                   SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const QString m = sqliteMessage(db, rc);
        sqlite3_close_v2(db);
        return m;
    }
    sqlite3_busy_timeout(db, 5000);
    const QString problem = checkPragma(db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check");
    sqlite3_close_v2(db);
    return problem;
}

QString Backup::stationLockPath(const QString &databasePath)
{
    return QFileInfo(databasePath).absoluteFilePath() + QStringLiteral(".station-lock");
}

int Backup::holdStationLock(const QString &databasePath)
{
    QDir().mkpath(QFileInfo(databasePath).absolutePath());
    const int fd = ::open(QFile::encodeName(stationLockPath(databasePath)).constData(),
                          O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd >= 0 && ::flock(fd, LOCK_SH | LOCK_NB) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

QList<qint64> Backup::processesUsing(const QString &databasePath)
{
    const QString db = QFileInfo(databasePath).absoluteFilePath();
    const QStringList watched{db, db + QStringLiteral("-wal"), db + QStringLiteral("-shm"),
                              stationLockPath(db)};
    QList<qint64> pids;
    const qint64 self = QCoreApplication::applicationPid();
    const QStringList procs = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &p : procs) {
        bool numeric = false;
        const qint64 pid = p.toLongLong(&numeric);
        if (!numeric || pid == self)
            continue;
        QDirIterator fds(QStringLiteral("/proc/%1/fd").arg(p),
                         QDir::System | QDir::Files | QDir::NoDotAndDotDot);
        while (fds.hasNext()) {
            const QString target = QFileInfo(fds.next()).symLinkTarget();
            if (watched.contains(target)) {
                pids << pid;
                break;
            }
        }
    }
    return pids;
}

Backup::Result Backup::restore(const QString &backupFile, const QString &databasePath,
                               const QString &stationId, const QString &actor)
{
    Result r;
    if (const QString problem = integrityProblem(backupFile, false); !problem.isEmpty()) {
        r.error = QStringLiteral("The backup %1 fails the integrity check (%2); nothing was restored. "
                                 "Restore an older backup instead.")
                      .arg(backupFile, problem);
        return r;
    }
    if (const int version = userVersionOf(backupFile); version > Migrations::latestVersion()) {
        r.error =
            QStringLiteral("The backup %1 was written by a newer version of Receiving Station (schema %2, "
                           "this one knows up to %3); nothing was restored. Update the station first.")
                .arg(backupFile)
                .arg(version)
                .arg(Migrations::latestVersion());
        return r;
    }
    if (const QList<qint64> users = processesUsing(databasePath); !users.isEmpty()) {
        QStringList ids;
        for (qint64 pid : users)
            ids << QString::number(pid);
        r.error =
            QStringLiteral("The database %1 is in use (process %2); nothing was restored. Stop the station "
                           "first: sudo systemctl stop receiving-station")
                .arg(databasePath, ids.join(QStringLiteral(", ")));
        return r;
    }
    // A station that could not open its (damaged) database holds no descriptor on it, but holds its lock.
    const int lock =
        ::open(QFile::encodeName(stationLockPath(databasePath)).constData(), O_RDONLY | O_CLOEXEC);
    const auto unlock = qScopeGuard([lock] {
        if (lock >= 0)
            ::close(lock);
    });
    if (lock >= 0 && ::flock(lock, LOCK_EX | LOCK_NB) != 0) {
        r.error =
            QStringLiteral("A station is running on the database %1; nothing was restored. Stop it first: "
                           "sudo systemctl stop receiving-station")
                .arg(databasePath);
        return r;
    }
    const QString db = QFileInfo(databasePath).absoluteFilePath();
    const QString dir = QFileInfo(db).absolutePath();
    if (!QDir().mkpath(dir)) {
        r.error = QStringLiteral("Cannot create the folder %1.").arg(dir);
        return r;
    }
    const QString tmp = db + QStringLiteral(".restoring");
    QFile::remove(tmp);
    // The restored file is owner-only and, restored by root, gets the owner of the database it replaces (the
    // station user's), or of its folder when there was none.
    if (!copyPrivate(backupFile, tmp, QFileInfo::exists(db) ? db : dir)) {
        r.error = QStringLiteral("Cannot copy %1 to %2.").arg(backupFile, tmp);
        return r;
    }
    const QByteArray tmpName = QFile::encodeName(tmp);
    // The old -wal must never be applied to the restored file: move it (and -shm) aside first, keep a link
    // to the old database, then replace the database in one rename.
    const QString aside = db + QStringLiteral(".replaced-") + utcStamp();
    for (const QString &ext : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (!QFileInfo::exists(db + ext))
            continue;
        if (::rename(QFile::encodeName(db + ext).constData(), QFile::encodeName(aside + ext).constData()) !=
            0) {
            QFile::remove(tmp);
            r.error = QStringLiteral("Cannot move %1 aside; nothing was restored.").arg(db + ext);
            return r;
        }
        makeOwnerOnly(aside + ext);
    }
    if (QFileInfo::exists(db) &&
        ::link(QFile::encodeName(db).constData(), QFile::encodeName(aside).constData()) != 0 &&
        !copyPrivate(db, aside, db))
        qCWarning(lcDb) << "cannot keep a copy of the replaced database at" << aside;
    makeOwnerOnly(aside); // a link shares the old file's mode, which may have been looser
    if (::rename(tmpName.constData(), QFile::encodeName(db).constData()) != 0) {
        QFile::remove(tmp);
        r.error = QStringLiteral("Cannot replace %1.").arg(db);
        return r;
    }
    fsyncPath(dir, true);
    r.ok = true;
    r.file = db;
    if (QFileInfo::exists(aside))
        r.replaced = aside;
    if (const QString problem = recordRestore(db, backupFile, r.replaced, stationId, actor);
        !problem.isEmpty())
        r.warning =
            QStringLiteral("The database was restored, but the restore could not be written to its audit "
                           "log: %1")
                .arg(problem);
    return r;
}

void Backup::setPreMigrationDirectory(const QString &directory)
{
    QMutexLocker lock(&settingsMutex);
    preMigrationDir = directory;
}

QString Backup::preMigrationDirectory(const QString &databasePath)
{
    QMutexLocker lock(&settingsMutex);
    return preMigrationDir.isEmpty() ? defaultDirectory(databasePath) : preMigrationDir;
}

void Backup::setKeep(int keep)
{
    QMutexLocker lock(&settingsMutex);
    keepCount = keep;
}

int Backup::keep()
{
    QMutexLocker lock(&settingsMutex);
    return keepCount;
}
