// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QMutex>
#include <QString>

#include <array>

// The station's figures for Prometheus (node_exporter's textfile collector): scans per outcome, verdict
// latency, outbox, last successful sync, scanner health, free disk, backups, the audit log's head. Updated
// from any thread; render() gives the text exposition format, writeAtomically() puts it in place with tmp +
// rename.
class StationMetrics
{
public:
    static constexpr std::array<double, 9> LatencyBuckets{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    explicit StationMetrics(QString stationId);

    void recordVerdict(const QString &outcome, double latencySeconds); // latency < 0: not measured
    void setOutbox(qint64 pending, qint64 deadLetters);
    void setLastSuccessfulSync(const QDateTime &when);
    void setScanner(const QString &id, bool up);
    void clearScanners();
    void setDisk(qint64 freeBytes, bool low);
    void setBackup(const QDateTime &lastSuccess, bool sameFilesystem);
    void setDatabaseDamaged(bool damaged);
    // The report jobs (daily export, certificates of accepted closures): failures since start, the last
    // export this station completed, certificates still to make (< 0: not known yet); only rendered once set.
    void setReportJobs(qint64 dailyExportFailures, qint64 certificateFailures,
                       const QDateTime &lastDailyExport, qint64 certificatesPending);
    // The newest audit head this process committed, an anchor a row delete in the database cannot reach.
    // Process-wide like AuditLog's head publisher that calls it (any thread, after each commit): every
    // StationMetrics renders it from its next write on.
    static void publishAuditHead(qint64 id, const QString &hash);

    QByteArray render() const;
    // Writes `text` to `path` through a temporary file in the same folder and a rename; false with `error`
    // set.
    static bool writeAtomically(const QString &path, const QByteArray &text, QString *error);

private:
    mutable QMutex m_mutex;
    const QString m_station;
    QMap<QString, qint64> m_scans;
    std::array<qint64, LatencyBuckets.size()> m_buckets{};
    qint64 m_latencyCount = 0;
    double m_latencySum = 0;
    qint64 m_pending = 0;
    qint64 m_dead = 0;
    QDateTime m_lastSync;
    QMap<QString, bool> m_scanners;
    qint64 m_freeBytes = -1;
    bool m_lowDisk = false;
    QDateTime m_lastBackup;
    bool m_backupSameFs = false;
    bool m_damaged = false;
    bool m_reportJobs = false;
    qint64 m_exportFailures = 0;
    qint64 m_certificateFailures = 0;
    QDateTime m_lastExport;
    qint64 m_certificatesPending = -1;
};
