// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

class QTimer;
class StationMetrics;

// The kiosk's housekeeping on its own thread ("rs-maintenance"): the start-up quick_check of the database,
// timed online backups with rotation, the free-disk watch and the Prometheus textfile. The GUI thread only
// receives its findings by queued signal.
class MaintenanceWorker : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString databasePath;
        QString backupDirectory;
        int backupIntervalMinutes = 60; // 0: no timed backups
        int backupKeep = 14;
        QString metricsTextfile; // empty: no metrics file
        int metricsIntervalSeconds = 15;
        qint64 lowDiskBytes = 1024LL * 1024 * 1024;
    };

    MaintenanceWorker(Settings settings, StationMetrics *metrics, QObject *parent = nullptr);

public Q_SLOTS:
    // Checks the disk and starts the timers; the first backup follows a successful checkDatabase().
    void start();
    void checkDatabase();
    void backupNow();
    void checkDisk();
    void writeMetrics();

Q_SIGNALS:
    void databaseChecked(bool ok, const QString &problem, const QString &latestBackup);
    void diskChecked(qint64 freeBytes, bool low);
    void backupFinished(bool ok, const QString &file, const QString &message);

private:
    Settings m_settings;
    StationMetrics *m_metrics;
    QTimer *m_backupTimer = nullptr;
    QTimer *m_metricsTimer = nullptr;
    bool m_damaged = false;
    bool m_sameFilesystem = false;
    QDateTime m_lastBackup;
};
