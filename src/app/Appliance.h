// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Metrics.h"
#include "StationConfig.h"

#include <QObject>
#include <QThread>
#include <QTimer>

class MaintenanceWorker;
class QQuickWindow;
class StationController;
struct SyncStatus;

// The kiosk as an appliance: tells systemd it is ready once the first screen is on the glass, pings the
// watchdog from the GUI thread, runs the database check, backups, disk watch and metrics on the
// "rs-maintenance" thread, and shows what they find through the StationController.
class Appliance : public QObject
{
    Q_OBJECT
public:
    Appliance(const StationConfig &config, StationController *station, QObject *parent = nullptr);
    ~Appliance() override;

    // READY=1 on the window's first frame, then the watchdog and the quick_check. `freezeGuiForTest` blocks
    // the GUI thread for good two seconds after READY (tests of the watchdog only).
    void watch(QQuickWindow *window, bool freezeGuiForTest);
    void setSyncStatus(const SyncStatus &status);

private:
    void onFirstFrame();
    void onDatabaseChecked(bool ok, const QString &problem, const QString &latestBackup);
    void recordVerdict(qint64 scanTimestampMs);

    StationConfig m_config;
    StationController *m_station;
    StationMetrics m_metrics;
    QThread m_thread;
    MaintenanceWorker *m_worker;
    QTimer m_watchdog;
    bool m_ready = false;
    bool m_freezeGuiForTest = false;
    bool m_lowDisk = false;
    int m_stationLock = -1; // held for the process's life: receiving-cli restore refuses while we run
};
