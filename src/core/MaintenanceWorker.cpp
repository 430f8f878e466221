// SPDX-License-Identifier: GPL-3.0-or-later
#include "MaintenanceWorker.h"
#include "Backup.h"
#include "Metrics.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QStorageInfo>
#include <QTimer>

Q_LOGGING_CATEGORY(lcMaintenance, "rs.maintenance", QtInfoMsg)

MaintenanceWorker::MaintenanceWorker(Settings settings, StationMetrics *metrics, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_metrics(metrics)
{
}

void MaintenanceWorker::start()
{
    m_sameFilesystem = Backup::sameFilesystem(m_settings.backupDirectory, m_settings.databasePath);
    if (m_sameFilesystem)
        qCWarning(lcMaintenance).noquote()
            << QStringLiteral(
                   "The backup folder %1 is on the same disk as the database %2: a dead disk takes "
                   "both. Point backup.directory at another disk.")
                   .arg(m_settings.backupDirectory, m_settings.databasePath);
    m_metrics->setBackup(m_lastBackup, m_sameFilesystem);
    checkDisk();
    if (m_settings.backupIntervalMinutes > 0) {
        m_backupTimer = new QTimer(this);
        m_backupTimer->setInterval(std::chrono::minutes(m_settings.backupIntervalMinutes));
        connect(m_backupTimer, &QTimer::timeout, this, [this] {
            // The first period after start-up may have been shortened (see checkDatabase).
            m_backupTimer->setInterval(std::chrono::minutes(m_settings.backupIntervalMinutes));
            backupNow();
        });
    }
    if (!m_settings.metricsTextfile.isEmpty()) {
        m_metricsTimer = new QTimer(this);
        m_metricsTimer->setInterval(std::chrono::seconds(m_settings.metricsIntervalSeconds));
        connect(m_metricsTimer, &QTimer::timeout, this, [this] {
            checkDisk();
            writeMetrics();
        });
        m_metricsTimer->start();
        writeMetrics();
    }
}

void MaintenanceWorker::checkDatabase()
{
    QString problem;
    if (QFileInfo::exists(m_settings.databasePath))
        problem = Backup::integrityProblem(m_settings.databasePath, true);
    m_damaged = !problem.isEmpty();
    m_metrics->setDatabaseDamaged(m_damaged);
    const QString latest = Backup::latest(m_settings.backupDirectory);
    if (m_damaged) {
        qCCritical(lcMaintenance).noquote()
            << QStringLiteral("database damaged: %1 fails quick_check (%2); latest backup: %3")
                   .arg(m_settings.databasePath, problem, latest.isEmpty() ? QStringLiteral("none") : latest);
    } else {
        qCInfo(lcMaintenance).noquote() << "database quick_check ok:" << m_settings.databasePath;
        if (m_backupTimer) {
            // A backup younger than the interval counts: a station restarting often (a crash loop, a
            // watchdog) must neither copy the whole database at every start nor rotate the older backups out.
            const QDateTime newest =
                latest.isEmpty() ? QDateTime() : QFileInfo(latest).lastModified().toUTC();
            const qint64 dueInMs = qint64(m_settings.backupIntervalMinutes) * 60000 -
                                   (newest.isValid() ? newest.msecsTo(QDateTime::currentDateTimeUtc()) : 0);
            if (newest.isValid() && dueInMs > 0) {
                m_lastBackup = newest;
                m_metrics->setBackup(m_lastBackup, m_sameFilesystem);
                m_backupTimer->start(std::chrono::milliseconds(dueInMs));
                qCInfo(lcMaintenance).noquote()
                    << "latest backup" << latest << "is recent; next backup in" << dueInMs / 60000 << "min";
            } else {
                m_backupTimer->start();
                backupNow();
            }
        }
    }
    if (m_metricsTimer)
        writeMetrics();
    Q_EMIT databaseChecked(!m_damaged, problem, latest);
}

void MaintenanceWorker::backupNow()
{
    if (m_damaged) {
        qCWarning(lcMaintenance) << "no backup of a damaged database";
        return;
    }
    const Backup::Result r =
        Backup::createFromFile(m_settings.databasePath, m_settings.backupDirectory, m_settings.backupKeep);
    if (r.ok) {
        m_lastBackup = QDateTime::currentDateTimeUtc();
        qCInfo(lcMaintenance).noquote()
            << "backup written:" << r.file << "(" << r.removed.size() << "old ones removed)";
        if (!r.warning.isEmpty())
            qCWarning(lcMaintenance).noquote() << r.warning;
    } else {
        qCCritical(lcMaintenance).noquote() << r.error;
    }
    m_metrics->setBackup(m_lastBackup, m_sameFilesystem);
    Q_EMIT backupFinished(r.ok, r.file, r.ok ? r.warning : r.error);
}

void MaintenanceWorker::checkDisk()
{
    QStorageInfo storage(QFileInfo(m_settings.databasePath).absolutePath());
    if (!storage.isValid())
        storage = QStorageInfo(QFileInfo(QFileInfo(m_settings.databasePath).absolutePath()).absolutePath());
    const qint64 free = storage.isValid() ? storage.bytesAvailable() : -1;
    const bool low = free >= 0 && free < m_settings.lowDiskBytes;
    m_metrics->setDisk(free, low);
    Q_EMIT diskChecked(free, low);
}

void MaintenanceWorker::writeMetrics()
{
    if (m_settings.metricsTextfile.isEmpty())
        return;
    QString why;
    if (!StationMetrics::writeAtomically(m_settings.metricsTextfile, m_metrics->render(), &why))
        qCWarning(lcMaintenance).noquote() << "metrics:" << why;
}
