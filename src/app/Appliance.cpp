// SPDX-License-Identifier: GPL-3.0-or-later
#include "Appliance.h"
#include "Backup.h"
#include "JournalLog.h"
#include "MaintenanceWorker.h"
#include "StationController.h"
#include "SyncEngine.h"
#include "SystemdNotify.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QQuickWindow>

#include <unistd.h>

Q_LOGGING_CATEGORY(lcAppliance, "rs.appliance", QtInfoMsg)

Appliance::Appliance(const StationConfig &config, StationController *station, QObject *parent)
    : QObject(parent), m_config(config), m_station(station), m_metrics(config.stationId)
{
    // Before the receiving worker opens the database: a schema upgrade backs up here first.
    Backup::setPreMigrationDirectory(config.backupDirectory);
    Backup::setKeep(config.backupKeep);
    m_stationLock = Backup::holdStationLock(config.databasePath);
    if (m_stationLock < 0)
        qCWarning(lcAppliance).noquote() << "cannot hold" << Backup::stationLockPath(config.databasePath);

    MaintenanceWorker::Settings s;
    s.databasePath = config.databasePath;
    s.backupDirectory = config.backupDirectory;
    s.backupIntervalMinutes = config.backupIntervalMinutes;
    s.backupKeep = config.backupKeep;
    s.metricsTextfile = config.metricsTextfile;
    s.metricsIntervalSeconds = config.metricsIntervalSeconds;
    s.lowDiskBytes = config.lowDiskBytes;
    m_worker = new MaintenanceWorker(s, &m_metrics);
    m_thread.setObjectName(QStringLiteral("rs-maintenance"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &MaintenanceWorker::databaseChecked, this, &Appliance::onDatabaseChecked);
    connect(m_worker, &MaintenanceWorker::diskChecked, this, [this](qint64 freeBytes, bool low) {
        if (low != m_lowDisk)
            JournalLog::event(
                low ? QtWarningMsg : QtInfoMsg, "rs.appliance",
                low ? QStringLiteral("low disk: %1 MiB free for the database (warning below %2 MiB)")
                          .arg(freeBytes / (1024 * 1024))
                          .arg(m_config.lowDiskBytes / (1024 * 1024))
                    : QStringLiteral("disk space back to normal"),
                {});
        m_lowDisk = low;
        m_station->setDiskStatus(freeBytes, low);
    });
    connect(m_station, &StationController::verdictShown, this, &Appliance::recordVerdict);
    const auto scanners = [this] {
        m_metrics.clearScanners();
        const QVariantList list = m_station->scanners();
        for (const QVariant &v : list) {
            const QVariantMap m = v.toMap();
            m_metrics.setScanner(m.value(QStringLiteral("id")).toString(),
                                 m.value(QStringLiteral("connected")).toBool());
        }
    };
    connect(m_station, &StationController::scannersChanged, this, scanners);
    scanners(); // the scanners attached before us
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &MaintenanceWorker::start, Qt::QueuedConnection);

    // Pinged from the GUI thread on purpose: a frozen screen stops the pings and systemd restarts us.
    const auto interval = SystemdNotify::watchdogInterval();
    m_watchdog.setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(interval / 2));
    connect(&m_watchdog, &QTimer::timeout, this, [] { SystemdNotify::watchdog(); });
}

Appliance::~Appliance()
{
    m_thread.quit();
    m_thread.wait();
    if (m_stationLock >= 0)
        ::close(m_stationLock);
}

void Appliance::watch(QQuickWindow *window, bool freezeGuiForTest)
{
    m_freezeGuiForTest = freezeGuiForTest;
    // frameSwapped comes from the render thread; the queued hop brings it to the GUI thread.
    connect(window, &QQuickWindow::frameSwapped, this, &Appliance::onFirstFrame, Qt::QueuedConnection);
}

void Appliance::onFirstFrame()
{
    if (m_ready)
        return;
    m_ready = true;
    SystemdNotify::ready(QByteArrayLiteral("Kiosk on screen"));
    qCInfo(lcAppliance) << "first screen shown; ready (systemd notified:" << SystemdNotify::available()
                        << ")";
    if (m_watchdog.interval() > 0) {
        SystemdNotify::watchdog();
        m_watchdog.start();
    }
    QMetaObject::invokeMethod(m_worker, &MaintenanceWorker::checkDatabase, Qt::QueuedConnection);
    if (m_freezeGuiForTest) {
        QTimer::singleShot(2000, this, [] {
            qCWarning(lcAppliance) << "--test-freeze-gui: blocking the GUI thread for good";
            for (;;)
                QThread::sleep(60);
        });
    }
}

void Appliance::onDatabaseChecked(bool ok, const QString &problem, const QString &latestBackup)
{
    if (ok)
        return;
    QString command;
    if (latestBackup.isEmpty()) {
        command = QStringLiteral("No backup exists in %1. Call IT.").arg(m_config.backupDirectory);
    } else {
        command =
            QStringLiteral("sudo systemctl stop receiving-station && sudo receiving-cli --db %1 restore %2 "
                           "&& sudo systemctl start receiving-station")
                .arg(m_config.databasePath, latestBackup);
    }
    JournalLog::event(
        QtCriticalMsg, "rs.appliance",
        QStringLiteral("damaged-database screen shown; scans refused. Restore: %1").arg(command),
        {{"DATABASE", m_config.databasePath}, {"BACKUP", latestBackup}});
    SystemdNotify::status(QByteArrayLiteral("Database damaged: restore a backup"));
    m_station->setDatabaseDamaged(problem, command);
}

void Appliance::recordVerdict(qint64 scanTimestampMs)
{
    const QVariantMap v = m_station->verdict();
    const QString outcome = v.value(QStringLiteral("outcome")).toString();
    const double latency =
        scanTimestampMs > 0 ? double(QDateTime::currentMSecsSinceEpoch() - scanTimestampMs) / 1000.0 : -1.0;
    m_metrics.recordVerdict(outcome, latency);
    const QString severity = v.value(QStringLiteral("severity")).toString();
    JournalLog::event(
        severity == QLatin1String("error")       ? QtCriticalMsg
        : severity == QLatin1String("attention") ? QtWarningMsg
                                                 : QtInfoMsg,
        "rs.receiving",
        QStringLiteral("verdict %1: %2").arg(outcome, v.value(QStringLiteral("message")).toString()),
        {{"CASE_NUMBER", v.value(QStringLiteral("caseNumber")).toString()},
         // A badge read is no serial: the field stays unset, so the journal never holds a badge.
         {"SERIAL", v.value(QStringLiteral("kind")).toString() == QLatin1String("badge")
                        ? QString()
                        : v.value(QStringLiteral("serial")).toString()},
         {"OUTCOME", outcome}});
}

void Appliance::setSyncStatus(const SyncStatus &status)
{
    m_metrics.setOutbox(status.pending + status.held, status.dead);
    if (status.lastSuccess.isValid())
        m_metrics.setLastSuccessfulSync(status.lastSuccess);
    if (status.reportsConfigured)
        m_metrics.setReportJobs(status.dailyExportFailures, status.certificateFailures,
                                status.lastDailyExport, status.certificatesPending);
}
