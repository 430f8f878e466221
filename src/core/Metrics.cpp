// SPDX-License-Identifier: GPL-3.0-or-later
#include "Metrics.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

#include <unistd.h>

namespace {
QByteArray escapeLabel(const QString &v)
{
    QByteArray b = v.toUtf8();
    b.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return b;
}

QByteArray number(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest).toLatin1();
}

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

QMutex auditHeadMutex;
qint64 auditHeadId = 0; // 0: nothing committed yet by this process
QString auditHeadHash;  // guarded by auditHeadMutex, with auditHeadId
} // namespace

void StationMetrics::publishAuditHead(qint64 id, const QString &hash)
{
    QMutexLocker lock(&auditHeadMutex);
    auditHeadId = id;
    auditHeadHash = hash;
}

StationMetrics::StationMetrics(QString stationId) : m_station(std::move(stationId))
{
    // Every outcome a dock sees often is present from the start, so rate() works from the first scan.
    for (const char *o : {"matched", "matched_by_sku", "cross_case", "unexpected", "unmatched", "duplicate",
                          "already_received", "not_recorded"})
        m_scans.insert(QString::fromLatin1(o), 0);
}

void StationMetrics::recordVerdict(const QString &outcome, double latencySeconds)
{
    QMutexLocker lock(&m_mutex);
    ++m_scans[outcome];
    if (latencySeconds < 0)
        return;
    ++m_latencyCount;
    m_latencySum += latencySeconds;
    for (size_t i = 0; i < LatencyBuckets.size(); ++i) {
        if (latencySeconds <= LatencyBuckets[i])
            ++m_buckets[i];
    }
}

void StationMetrics::setOutbox(qint64 pending, qint64 deadLetters)
{
    QMutexLocker lock(&m_mutex);
    m_pending = pending;
    m_dead = deadLetters;
}

void StationMetrics::setLastSuccessfulSync(const QDateTime &when)
{
    QMutexLocker lock(&m_mutex);
    m_lastSync = when;
}

void StationMetrics::setScanner(const QString &id, bool up)
{
    QMutexLocker lock(&m_mutex);
    m_scanners.insert(id, up);
}

void StationMetrics::clearScanners()
{
    QMutexLocker lock(&m_mutex);
    m_scanners.clear();
}

void StationMetrics::setDisk(qint64 freeBytes, bool low)
{
    QMutexLocker lock(&m_mutex);
    m_freeBytes = freeBytes;
    m_lowDisk = low;
}

void StationMetrics::setBackup(const QDateTime &lastSuccess, bool sameFilesystem)
{
    QMutexLocker lock(&m_mutex);
    m_lastBackup = lastSuccess;
    m_backupSameFs = sameFilesystem;
}

void StationMetrics::setDatabaseDamaged(bool damaged)
{
    QMutexLocker lock(&m_mutex);
    m_damaged = damaged;
}

void StationMetrics::setReportJobs(qint64 dailyExportFailures, qint64 certificateFailures,
                                   const QDateTime &lastDailyExport, qint64 certificatesPending)
{
    QMutexLocker lock(&m_mutex);
    m_reportJobs = true;
    m_exportFailures = dailyExportFailures;
    m_certificateFailures = certificateFailures;
    if (lastDailyExport.isValid())
        m_lastExport = lastDailyExport;
    m_certificatesPending = certificatesPending;
}

QByteArray StationMetrics::render() const
{
    QMutexLocker lock(&m_mutex);
    const QByteArray st = "station=\"" + escapeLabel(m_station) + '"';
    QByteArray o;
    header(o, "receiving_scans_total", "counter",
           "Scans answered since the station started, by verdict outcome.");
    for (auto it = m_scans.cbegin(); it != m_scans.cend(); ++it)
        o += "receiving_scans_total{" + st + ",outcome=\"" + escapeLabel(it.key()) + "\"} " +
             QByteArray::number(it.value()) + '\n';
    header(o, "receiving_verdict_latency_seconds", "histogram",
           "Time from a scan to its verdict on the screen (receipt committed).");
    for (size_t i = 0; i < LatencyBuckets.size(); ++i)
        o += "receiving_verdict_latency_seconds_bucket{" + st + ",le=\"" + number(LatencyBuckets[i]) +
             "\"} " + QByteArray::number(m_buckets[i]) + '\n';
    o += "receiving_verdict_latency_seconds_bucket{" + st + ",le=\"+Inf\"} " +
         QByteArray::number(m_latencyCount) + '\n';
    o += "receiving_verdict_latency_seconds_sum{" + st + "} " + number(m_latencySum) + '\n';
    o += "receiving_verdict_latency_seconds_count{" + st + "} " + QByteArray::number(m_latencyCount) + '\n';
    header(o, "receiving_outbox_pending", "gauge",
           "Upstream events waiting to be sent (held boxes included).");
    o += "receiving_outbox_pending{" + st + "} " + QByteArray::number(m_pending) + '\n';
    header(o, "receiving_outbox_dead_letters", "gauge",
           "Upstream events refused for good; a supervisor must act.");
    o += "receiving_outbox_dead_letters{" + st + "} " + QByteArray::number(m_dead) + '\n';
    header(o, "receiving_last_successful_sync_timestamp_seconds", "gauge",
           "Unix time of the last successful exchange with the upstream (0: never).");
    o += "receiving_last_successful_sync_timestamp_seconds{" + st + "} " +
         QByteArray::number(m_lastSync.isValid() ? m_lastSync.toSecsSinceEpoch() : 0) + '\n';
    header(o, "receiving_scanner_up", "gauge", "1 when the scanner is connected and reading.");
    for (auto it = m_scanners.cbegin(); it != m_scanners.cend(); ++it)
        o += "receiving_scanner_up{" + st + ",scanner=\"" + escapeLabel(it.key()) + "\"} " +
             (it.value() ? "1" : "0") + '\n';
    header(o, "receiving_disk_free_bytes", "gauge", "Free bytes on the filesystem of the database.");
    o += "receiving_disk_free_bytes{" + st + "} " + QByteArray::number(qMax<qint64>(m_freeBytes, 0)) + '\n';
    header(o, "receiving_disk_low", "gauge", "1 when free disk is below disk.low_free_mb.");
    o += "receiving_disk_low{" + st + "} " + (m_lowDisk ? "1" : "0") + '\n';
    header(o, "receiving_last_backup_timestamp_seconds", "gauge",
           "Unix time of the last successful database backup (0: none since start).");
    o += "receiving_last_backup_timestamp_seconds{" + st + "} " +
         QByteArray::number(m_lastBackup.isValid() ? m_lastBackup.toSecsSinceEpoch() : 0) + '\n';
    header(o, "receiving_backup_same_filesystem", "gauge",
           "1 when the backup folder is on the same filesystem as the database.");
    o += "receiving_backup_same_filesystem{" + st + "} " + (m_backupSameFs ? "1" : "0") + '\n';
    header(o, "receiving_database_damaged", "gauge", "1 when the database failed its start-up quick_check.");
    o += "receiving_database_damaged{" + st + "} " + (m_damaged ? "1" : "0") + '\n';
    if (m_reportJobs) {
        header(o, "receiving_report_failures_total", "counter",
               "Failed runs of the report jobs since the station started (each is retried a minute later).");
        o += "receiving_report_failures_total{" + st + ",job=\"daily_export\"} " +
             QByteArray::number(m_exportFailures) + '\n';
        o += "receiving_report_failures_total{" + st + ",job=\"certificate\"} " +
             QByteArray::number(m_certificateFailures) + '\n';
        header(o, "receiving_last_daily_export_timestamp_seconds", "gauge",
               "Unix time this station last wrote the daily export (0: not since start).");
        o += "receiving_last_daily_export_timestamp_seconds{" + st + "} " +
             QByteArray::number(m_lastExport.isValid() ? m_lastExport.toSecsSinceEpoch() : 0) + '\n';
        if (m_certificatesPending >= 0) {
            header(o, "receiving_certificates_pending", "gauge",
                   "Cases whose closure the upstream accepted still without a certificate of receipt.");
            o += "receiving_certificates_pending{" + st + "} " + QByteArray::number(m_certificatesPending) +
                 '\n';
        }
    }
    QMutexLocker headLock(&auditHeadMutex);
    if (auditHeadId > 0) {
        header(o, "receiving_audit_head_id", "gauge",
               "Row id of the newest audit log row this station committed; a drop means rows were removed.");
        o += "receiving_audit_head_id{" + st + "} " + QByteArray::number(auditHeadId) + '\n';
        header(o, "receiving_audit_head_info", "gauge",
               "The newest audit row's hash (label hash), for receiving-cli audit verify --expect-head "
               "ID:HASH.");
        o += "receiving_audit_head_info{" + st + ",hash=\"" + escapeLabel(auditHeadHash) + "\"} 1\n";
    }
    return o;
}

bool StationMetrics::writeAtomically(const QString &path, const QByteArray &text, QString *error)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(info.absolutePath());
        return false;
    }
    // node_exporter reads only *.prom, so the temporary name never gets scraped half-written.
    const QString tmp = info.absolutePath() + QStringLiteral("/.") + info.fileName() + QStringLiteral(".tmp");
    QFile f(tmp);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size() || !f.flush()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(tmp, f.errorString());
        f.remove();
        return false;
    }
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    f.close();
    if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()) != 0) {
        if (error)
            *error = QStringLiteral("cannot rename %1 to %2").arg(tmp, path);
        QFile::remove(tmp);
        return false;
    }
    return true;
}
