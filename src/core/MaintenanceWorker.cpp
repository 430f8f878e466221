// SPDX-License-Identifier: GPL-3.0-or-later
#include "MaintenanceWorker.h"
#include "AuditLog.h"
#include "Backup.h"
#include "Clock.h"
#include "Database.h"
#include "JournalLog.h"
#include "Metrics.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QStorageInfo>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcMaintenance, "rs.maintenance", QtInfoMsg)

MaintenanceWorker::MaintenanceWorker(Settings settings, StationMetrics *metrics, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_metrics(metrics)
{
}

QDateTime MaintenanceWorker::now() const
{
    return m_clock ? m_clock->nowUtc() : QDateTime::currentDateTimeUtc();
}

std::chrono::milliseconds MaintenanceWorker::wakeIn(const QDateTime &now, const QDateTime &due)
{
    return std::chrono::milliseconds(std::clamp<qint64>(now.msecsTo(due), 0, MaxWake.count()));
}

std::chrono::milliseconds MaintenanceWorker::backupWake() const
{
    if (!m_backupTimer || !m_backupTimer->isActive())
        return std::chrono::milliseconds(-1);
    return m_backupTimer->intervalAsDuration();
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
        m_backupTimer->setSingleShot(true);
        connect(m_backupTimer, &QTimer::timeout, this, &MaintenanceWorker::checkBackupDue);
    }
    if (!m_settings.metricsTextfile.isEmpty()) {
        m_metricsTimer = new QTimer(this);
        // StationSettings keeps the interval within an hour; the bound only keeps a QTimer's int from
        // wrapping whatever a caller passes.
        m_metricsTimer->setInterval(std::clamp<std::chrono::milliseconds>(
            std::chrono::seconds(m_settings.metricsIntervalSeconds), std::chrono::seconds(1), MaxWake));
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
        publishAuditHead();
        if (m_backupTimer) {
            // A backup younger than the interval counts: a station restarting often (a crash loop, a
            // watchdog) must neither copy the whole database at every start nor rotate the older backups out.
            const qint64 intervalSecs = qint64(m_settings.backupIntervalMinutes) * 60;
            const QDateTime t = now();
            const QDateTime newest =
                latest.isEmpty() ? QDateTime() : QFileInfo(latest).lastModified().toUTC();
            // A backup dated in the future (a clock set back) waits no longer than one interval from now.
            const QDateTime due = newest.isValid()
                                      ? std::min(newest.addSecs(intervalSecs), t.addSecs(intervalSecs))
                                      : QDateTime();
            if (due.isValid() && due > t) {
                m_lastBackup = newest;
                m_metrics->setBackup(m_lastBackup, m_sameFilesystem);
                scheduleBackup(due);
                qCInfo(lcMaintenance).noquote() << "latest backup" << latest << "is recent; next backup in"
                                                << t.secsTo(due) / 60 << "min";
            } else {
                backupNow();
                scheduleBackup(t.addSecs(intervalSecs));
            }
        }
    }
    if (m_metricsTimer)
        writeMetrics();
    Q_EMIT databaseChecked(!m_damaged, problem, latest);
}

void MaintenanceWorker::publishAuditHead()
{
    if (!QFileInfo::exists(m_settings.databasePath))
        return;
    try {
        Database::Options readOnly;
        readOnly.readOnly = true;
        Database db;
        db.open(m_settings.databasePath, readOnly);
        const AuditLog::Verification v = AuditLog::verify(db);
        if (!v.ok) {
            // Not an anchor: a head past a broken row would vouch for rows that were changed.
            JournalLog::event(QtCriticalMsg, "rs.maintenance",
                              QStringLiteral("audit log check at start-up failed: %1").arg(v.message),
                              {{"AUDIT_DATABASE", m_settings.databasePath}});
            return;
        }
        if (v.head.id > 0)
            StationMetrics::publishAuditHead(v.head.id, v.head.hash);
        qCInfo(lcMaintenance).noquote()
            << QStringLiteral("audit log intact: %1 rows; head %2").arg(v.rows).arg(v.head.text());
    } catch (const DbException &e) {
        // An older schema the receiving worker is still upgrading, say: the next committed row publishes it.
        qCWarning(lcMaintenance).noquote()
            << "audit head not read at start-up (the next audit row publishes it):" << e.error().message;
    }
}

void MaintenanceWorker::scheduleBackup(const QDateTime &due)
{
    m_nextBackup = due;
    m_backupTimer->start(wakeIn(now(), due));
}

void MaintenanceWorker::checkBackupDue()
{
    if (!m_backupTimer || !m_nextBackup.isValid())
        return;
    const QDateTime t = now();
    if (t < m_nextBackup) {
        m_backupTimer->start(wakeIn(t, m_nextBackup)); // not yet: an hour at most, then look again
        return;
    }
    backupNow();
    // One interval after the one just due keeps the rhythm; after a long sleep (the machine was off) one
    // interval from now, rather than a burst of catch-up backups.
    const qint64 intervalSecs = qint64(m_settings.backupIntervalMinutes) * 60;
    QDateTime next = m_nextBackup.addSecs(intervalSecs);
    if (next <= t)
        next = t.addSecs(intervalSecs);
    scheduleBackup(next);
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
        m_lastBackup = now();
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
