// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportJobs.h"
#include "CertificateOfReceipt.h"
#include "Clock.h"
#include "Database.h"
#include "ReportQueries.h"
#include "ReportWriters.h"

#include <QDir>
#include <QLoggingCategory>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcReportJobs, "rs.reports", QtInfoMsg)

namespace {
// A session advisory lock on PostgreSQL (always granted on SQLite), released when the job ends; the server
// drops it with a station that goes away.
class JobLeadership
{
public:
    JobLeadership(Database &db, const char *job) : m_db(db), m_job(job), m_held(db.tryLeadership(job)) {}
    ~JobLeadership()
    {
        if (m_held) {
            try {
                m_db.releaseLeadership(m_job);
            } catch (const DbException &) {
                // the connection is gone, and the lock with it
            }
        }
    }
    JobLeadership(const JobLeadership &) = delete;
    JobLeadership &operator=(const JobLeadership &) = delete;
    bool held() const { return m_held; }

private:
    Database &m_db;
    const char *m_job;
    bool m_held;
};

QString settingValue(Database &db, const char *key)
{
    Statement s = db.prepare("SELECT value FROM settings WHERE key = ?1");
    return s.bind(1, QLatin1String(key)).next() ? s.text(0) : QString();
}
} // namespace

ReportJobs::ReportJobs(Database &db, Settings settings, const Clock &clock)
    : m_db(db), m_settings(std::move(settings)), m_clock(clock)
{
}

QStringList ReportJobs::dailyFileNames(QDate day)
{
    const QString yesterday = day.addDays(-1).toString(Qt::ISODate);
    const QString today = day.toString(Qt::ISODate);
    return {QStringLiteral("receipts-%1.xlsx").arg(yesterday),
            QStringLiteral("receipts-%1.pdf").arg(yesterday), QStringLiteral("case-aging-%1.xlsx").arg(today),
            QStringLiteral("case-aging-%1.pdf").arg(today)};
}

QString ReportJobs::certificateFileName(const QString &caseNumber)
{
    // Case numbers are the upstream's: keep a file name out of their hands.
    QString safe = caseNumber.trimmed().toUpper();
    safe.replace(QRegularExpression(QStringLiteral("[^A-Z0-9._-]")), QStringLiteral("_"));
    return QStringLiteral("certificate-%1.pdf").arg(safe);
}

QString ReportJobs::path(const QString &name) const
{
    return QDir(m_settings.directory).filePath(name);
}

bool ReportJobs::ensureDirectory(QString *error) const
{
    if (QDir().mkpath(m_settings.directory))
        return true;
    *error = QStringLiteral("The report folder %1 cannot be created.").arg(m_settings.directory);
    return false;
}

ReportJobs::DailyResult ReportJobs::runDailyExport()
{
    DailyResult result;
    if (m_settings.directory.isEmpty() || !m_settings.dailyAt)
        return result;
    const QDateTime now = m_clock.nowUtc();
    const QDateTime local = now.toTimeZone(m_settings.timeZone);
    result.day = local.date();
    if (local.time() < *m_settings.dailyAt) {
        result.outcome = Daily::NotDue;
        return result;
    }
    if (m_doneDay == result.day) {
        result.outcome = Daily::AlreadyDone;
        return result;
    }
    if (m_nextDailyTry.isValid() && now < m_nextDailyTry) {
        result.outcome = Daily::Waiting;
        return result;
    }
    const auto failed = [&](const QString &error) {
        result.outcome = Daily::Failed;
        result.error =
            QStringLiteral("The daily export of %1 failed: %2").arg(result.day.toString(Qt::ISODate), error);
        ++m_status.dailyExportFailures;
        m_dailyError = result.error;
        m_nextDailyTry = now.addSecs(RetryAfterFailureSec);
        qCWarning(lcReportJobs).noquote() << result.error;
        return result;
    };
    try {
        const JobLeadership leader(m_db, "receiving.daily_export");
        if (!leader.held()) {
            result.outcome = Daily::OtherStation; // another station is exporting right now; look again later
            m_nextDailyTry = now.addSecs(RetryAfterFailureSec);
            return result;
        }
        // Read under the lock: a station that exported while we waited has stored its day by now.
        const QDate last = QDate::fromString(settingValue(m_db, DailyKey), Qt::ISODate);
        if (last.isValid() && last >= result.day) {
            m_doneDay = last;
            m_status.lastDailyExportDay = last;
            m_dailyError.clear();
            result.outcome = Daily::AlreadyDone;
            return result;
        }
        QString error;
        if (!ensureDirectory(&error))
            return failed(error);
        ReportQueries queries(m_db, m_settings.timeZone, now);
        const ReportHeading heading = queries.heading(m_settings.paper);
        const QDate yesterday = result.day.addDays(-1);
        const Report receipts = queries.receipts(yesterday, yesterday);
        const Report aging = queries.cases();
        const QStringList names = dailyFileNames(result.day);
        // Each file appears whole (temporary name, fsync, rename) or not at all; the day is stored only once
        // all four are in place, so a crash in between writes the same four files again at the next start.
        if (!XlsxReportWriter::write(heading, receipts, path(names[0]), &error) ||
            !PdfReportWriter::write(heading, receipts, path(names[1]), &error) ||
            !XlsxReportWriter::write(heading, aging, path(names[2]), &error) ||
            !PdfReportWriter::write(heading, aging, path(names[3]), &error))
            return failed(error);
        {
            Transaction tx(m_db);
            Statement s = m_db.prepare(
                "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
                "updated_by = excluded.updated_by WHERE settings.value IS NULL OR settings.value < "
                "excluded.value");
            s.bind(1, QLatin1String(DailyKey))
                .bind(2, result.day.toString(Qt::ISODate))
                .bind(3, isoUtc(now))
                .bind(4, m_settings.stationId)
                .exec();
            tx.commit();
        }
        for (const QString &n : names)
            result.files.append(path(n));
        result.outcome = Daily::Exported;
        m_doneDay = result.day;
        m_status.lastDailyExportDay = result.day;
        m_status.lastDailyExport = now;
        m_dailyError.clear();
        m_nextDailyTry = QDateTime();
        qCInfo(lcReportJobs).noquote() << QStringLiteral("Daily export of %1 written to %2.")
                                              .arg(result.day.toString(Qt::ISODate), m_settings.directory);
        return result;
    } catch (const DbException &e) {
        return failed(e.error().message);
    }
}

ReportJobs::CertificateResult ReportJobs::issueCertificates(int limit)
{
    CertificateResult result;
    if (m_settings.directory.isEmpty())
        return result;
    const QDateTime now = m_clock.nowUtc();
    try {
        const JobLeadership leader(m_db, "receiving.certificates");
        if (!leader.held()) {
            result.otherStation = true;
            return result;
        }
        // Closures accepted before the job first ran are not certified after the fact: the depot turned
        // certificates on from that moment.
        QString since = settingValue(m_db, CertificatesSinceKey);
        if (since.isEmpty()) {
            since = isoUtc(now);
            Transaction tx(m_db);
            Statement s = m_db.prepare("INSERT INTO settings (key, value, updated_at, updated_by) VALUES "
                                       "(?1, ?2, ?2, ?3) ON CONFLICT(key) DO NOTHING");
            s.bind(1, QLatin1String(CertificatesSinceKey))
                .bind(2, since)
                .bind(3, m_settings.stationId)
                .exec();
            tx.commit();
            since = settingValue(m_db, CertificatesSinceKey);
        }
        // The cursor is the acceptance time of the last closure certified, so the closures looked at stay few
        // however long the outbox grows; one accepted at the same time is still found (>=, and the audit row
        // tells whether it has its certificate).
        QStringList cases;
        QStringList acceptedAt;
        {
            Statement s = m_db.prepare(
                "SELECT o.case_number, o.delivered_at FROM outbox o WHERE o.kind = 'closure' AND o.state = "
                "'delivered' AND o.delivered_at >= ?1 AND o.case_number IS NOT NULL AND NOT EXISTS (SELECT 1 "
                "FROM audit_log a WHERE a.action = 'certificate_issued' AND a.subject = o.case_number AND "
                "a.at "
                ">= o.delivered_at) ORDER BY o.delivered_at, o.id");
            s.bind(1, since);
            while (s.next()) {
                if (!cases.contains(s.text(0))) {
                    cases.append(s.text(0));
                    acceptedAt.append(s.text(1));
                }
            }
        }
        result.pending = cases.size();
        if (cases.isEmpty())
            return result;
        QString error;
        if (!ensureDirectory(&error)) {
            result.error = QStringLiteral("Certificates of receipt cannot be written: %1").arg(error);
            return result;
        }
        CertificateOfReceipt certificates(m_db, m_settings.timeZone);
        for (const QString &caseNumber : std::as_const(cases)) {
            if (result.issued >= limit)
                break;
            const std::optional<CertificateOfReceipt::Issued> issued =
                certificates.issue(caseNumber, path(certificateFileName(caseNumber)), m_settings.paper,
                                   QStringLiteral("sync"), m_settings.stationId, m_clock.nowUtc(), &error);
            if (!issued) {
                result.error = QStringLiteral("The certificate of case %1 could not be written: %2")
                                   .arg(caseNumber, error);
                break;
            }
            ++result.issued;
            --result.pending;
            Transaction tx(m_db);
            Statement cursor =
                m_db.prepare("UPDATE settings SET value = ?2, updated_at = ?3 WHERE key = ?1 AND "
                             "value < ?2");
            cursor.bind(1, QLatin1String(CertificatesSinceKey))
                .bind(2, acceptedAt[result.issued - 1])
                .bind(3, isoUtc(m_clock.nowUtc()))
                .exec();
            tx.commit();
        }
    } catch (const DbException &e) {
        result.error = QStringLiteral("Certificates of receipt wait: %1").arg(e.error().message);
    }
    return result;
}

void ReportJobs::run(bool closureDelivered)
{
    if (!isConfigured())
        return;
    if (!m_lookedUpLastDay && m_settings.dailyAt) {
        // What the Sync page shows before today's export is due: the last one, by whichever station.
        try {
            m_status.lastDailyExportDay = QDate::fromString(settingValue(m_db, DailyKey), Qt::ISODate);
            m_lookedUpLastDay = true;
        } catch (const DbException &) {
            // the daily export itself reports a store that cannot be read
        }
    }
    runDailyExport();
    const QDateTime now = m_clock.nowUtc();
    if (closureDelivered || !m_nextCertificateLook.isValid() || now >= m_nextCertificateLook) {
        const CertificateResult r = issueCertificates();
        m_status.certificatesIssued += r.issued;
        if (!r.otherStation)
            m_status.certificatesPending = r.pending;
        if (!r.error.isEmpty()) {
            ++m_status.certificateFailures;
            if (r.error != m_certificateError)
                qCWarning(lcReportJobs).noquote() << r.error;
            m_certificateError = r.error;
            m_nextCertificateLook = now.addSecs(RetryAfterFailureSec);
        } else {
            m_certificateError.clear();
            // More than one call's worth waiting: go on at the next round.
            m_nextCertificateLook = now.addSecs(r.pending > 0 ? 0 : CertificateCheckSec);
        }
    }
}

ReportJobsStatus ReportJobs::status() const
{
    ReportJobsStatus s = m_status;
    s.error = !m_dailyError.isEmpty() ? m_dailyError : m_certificateError;
    return s;
}
