// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

struct sqlite3;

// Online backups of the station's database with the SQLite backup API (consistent while the station writes),
// their rotation, and the atomic restore of one. Backups are named receiving-<UTC time>[-<reason>].db, so the
// newest sorts last. Every file written here is owner-only (0600) whatever the umask: a backup holds what the
// database holds.
namespace Backup {
struct Result
{
    bool ok = false;
    QString file;        // the backup written, or the database restored
    QString error;       // a sentence for a person when !ok
    QString warning;     // set when it worked but something needs attention (same filesystem as the database)
    QStringList removed; // older backups removed by rotation
    QString replaced;    // restore: where the replaced database was kept, empty when there was none
};

// The folder backups go to when the configuration names none: "backups" beside the database.
QString defaultDirectory(const QString &databasePath);

// Copies the database `source` is connected to into `directory` (created when missing), checks the copy with
// quick_check, then keeps only the newest `keep` backups (keep <= 0 keeps all). `reason` ends up in the name.
Result create(sqlite3 *source, const QString &directory, int keep, const QString &reason = QString());
// The same from a database file (opened read-only for the copy).
Result createFromFile(const QString &databasePath, const QString &directory, int keep,
                      const QString &reason = QString());

// Backups in `directory`, oldest first.
QStringList list(const QString &directory);
QString latest(const QString &directory);
// Removes all but the newest `keep` backups; returns the removed files.
QStringList prune(const QString &directory, int keep);

// True when both paths (or their nearest existing parents) live on the same filesystem.
bool sameFilesystem(const QString &a, const QString &b);

// PRAGMA integrity_check (or quick_check) on a file opened read-only. Empty when the file is a sound SQLite
// database, else what is wrong in a sentence.
QString integrityProblem(const QString &file, bool quick = false);

// The file a running station keeps open and share-locked (flock) for its whole life, even when it could not
// open the database itself, so restore() knows a station is there.
QString stationLockPath(const QString &databasePath);
// Opens and share-locks stationLockPath(); returns the descriptor to keep open, or -1.
int holdStationLock(const QString &databasePath);

// Process ids (other than ours) that hold the database, its -wal, its -shm or the station lock open.
QList<qint64> processesUsing(const QString &databasePath);

// Replaces the database at `databasePath` with `backupFile` atomically: refuses a backup that fails
// integrity_check or was written by newer code, and a database some process still has open; moves the current
// database and its -wal/-shm aside as <database>.replaced-<UTC time>[-wal|-shm] so nothing of it is lost, and
// keeps the owner. Then records the restore in the restored database's audit log (action "restore", subject
// the backup's file name) as `actor` at `stationId`; when only that fails, the result is ok with a warning.
Result restore(const QString &backupFile, const QString &databasePath, const QString &stationId,
               const QString &actor);

// Where Migrations puts its backup before upgrading an existing database: set by the composition root from
// the configuration; empty means defaultDirectory() of the database being migrated.
void setPreMigrationDirectory(const QString &directory);
QString preMigrationDirectory(const QString &databasePath);
// How many backups rotation keeps (backup.keep); shared by the timer and the pre-migration backup.
void setKeep(int keep);
int keep();
} // namespace Backup
