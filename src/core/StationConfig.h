// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>
#include <QTimeZone>

#include <optional>

// The station's configuration: one INI file, overridden by RECEIVING_* environment variables, overridden by
// command-line flags. A key "section.name" maps to the variable RECEIVING_SECTION_NAME. Every key below is
// parsed by StationSettings, which owns its range and default.
struct StationConfig
{
    QString configFile; // the file that was read, empty when none
    QString databasePath;
    QString stationId;
    QTimeZone timeZone;
    QHash<QString, QString> values; // every resolved key, for later subsystems
    // forms.directory: the folder the Import a Trade-In Form page lists beside removable media; empty = none.
    QString formsDirectory;
    // The session and the box (station.*); the settings table's idle_minutes and box_idle_minutes win.
    int idleMinutes = 10;    // station.idle_minutes
    int boxIdleMinutes = 30; // station.box_idle_minutes
    // Backups, metrics and the disk watch (backup.*, metrics.*, disk.*).
    QString backupDirectory;                    // backup.directory, default "backups" beside the database
    int backupIntervalMinutes = 60;             // backup.interval_minutes, 0 = no timed backups; up to a year
    int backupKeep = 14;                        // backup.keep
    QString metricsTextfile;                    // metrics.textfile, empty = no metrics file
    int metricsIntervalSeconds = 15;            // metrics.interval_seconds
    qint64 lowDiskBytes = 1024LL * 1024 * 1024; // disk.low_free_mb
    // Reports and certificates of receipt (report.*).
    QString reportPaper = QStringLiteral("A4"); // report.paper: A4 | Letter
    QString reportDirectory; // report.directory, default "reports" beside the database (PostgreSQL: empty)
    QString reportDailyAt;   // report.daily_at HH:MM station time, empty = no daily export

    static QString defaultConfigFile() { return QStringLiteral("/etc/receiving-station/station.conf"); }
    static QString defaultDatabasePath();
    static QString envName(const QString &key);

    // `flags` holds the command-line overrides by key ("database.path", "station.id", ...). `configPath`
    // empty means: the default file when it exists. Returns nullopt with `error` set when the file cannot be
    // read or a value is invalid.
    static std::optional<StationConfig> load(const QString &configPath, const QHash<QString, QString> &flags,
                                             QString *error);
    QString value(const QString &key, const QString &fallback = QString()) const
    {
        return values.value(key, fallback);
    }
};
