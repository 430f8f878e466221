// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <chrono>

class Clock;
class QTimer;
class StationMetrics;

// The kiosk's housekeeping on its own thread ("rs-maintenance"): the start-up quick_check of the database
// and its audit chain (whose head goes to the metrics at once, so the anchor survives a restart), timed
// online backups with rotation, the free-disk watch and the Prometheus textfile. The GUI thread only receives
// its findings by queued signal.
//
// A backup is kept as a due time, not as a timer period: the timer sleeps at most an hour and then compares
// the due time with the clock, so an interval of days or weeks (beyond a QTimer's int milliseconds) works,
// and a suspended machine or a clock that jumped still gets its backup when it is due.
class MaintenanceWorker : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString databasePath;
        QString backupDirectory;
        int backupIntervalMinutes = 60; // 0: no timed backups; any length (StationSettings: up to a year)
        int backupKeep = 14;
        QString metricsTextfile;         // empty: no metrics file
        int metricsIntervalSeconds = 15; // StationSettings: 1 to 3600
        qint64 lowDiskBytes = 1024LL * 1024 * 1024;
    };
    // The longest any timer here sleeps.
    static constexpr std::chrono::milliseconds MaxWake = std::chrono::hours(1);

    MaintenanceWorker(Settings settings, StationMetrics *metrics, QObject *parent = nullptr);
    // Where "now" comes from for due times (tests); null, the default: the system clock.
    void setClock(const Clock *clock) { m_clock = clock; }

    // When the next timed backup is due; invalid when none is planned (no interval, damaged database).
    QDateTime nextBackupDue() const { return m_nextBackup; }
    // How long the backup timer sleeps before it looks again; -1 when it is not running.
    std::chrono::milliseconds backupWake() const;
    // How long to sleep before looking at `due` again: until it, but never more than MaxWake nor less than 0.
    static std::chrono::milliseconds wakeIn(const QDateTime &now, const QDateTime &due);

public Q_SLOTS:
    // Checks the disk and starts the timers; the first backup follows a successful checkDatabase().
    void start();
    void checkDatabase();
    void backupNow();
    // Backs up when the due time has come, else sleeps again (the backup timer's slot).
    void checkBackupDue();
    void checkDisk();
    void writeMetrics();

Q_SIGNALS:
    void databaseChecked(bool ok, const QString &problem, const QString &latestBackup);
    void diskChecked(qint64 freeBytes, bool low);
    void backupFinished(bool ok, const QString &file, const QString &message);

private:
    QDateTime now() const;
    // Verifies the audit chain and hands its head to StationMetrics (not to the journal: its anchors are the
    // ones committing processes sent, so a log cut back while the kiosk was off is not anchored anew there).
    void publishAuditHead();
    void scheduleBackup(const QDateTime &due);

    Settings m_settings;
    StationMetrics *m_metrics;
    const Clock *m_clock = nullptr;
    QTimer *m_backupTimer = nullptr; // single shot, at most MaxWake
    QDateTime m_nextBackup;
    QTimer *m_metricsTimer = nullptr;
    bool m_damaged = false;
    bool m_sameFilesystem = false;
    QDateTime m_lastBackup;
};
