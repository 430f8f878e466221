// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QTime>
#include <QTimeZone>

#include <optional>

class Clock;
class Database;

// What the report jobs show on the Sync page and in the metrics.
struct ReportJobsStatus
{
    QString error;             // the last failure of either job, one sentence; empty once both succeed
    QDate lastDailyExportDay;  // the day whose export this station or another last completed
    QDateTime lastDailyExport; // when this process last completed one (UTC)
    qint64 dailyExportFailures = 0;
    qint64 certificateFailures = 0;
    qint64 certificatesIssued = 0;   // by this process
    qint64 certificatesPending = -1; // accepted closures still without a certificate; -1: not looked yet
};

// The files the depot gets without anyone asking, written into report.directory on the sync worker's thread:
// - the daily export: at report.daily_at (station time) yesterday's receipts and today's case aging, each as
//   xlsx and PDF, once per day across restarts and stations (the day is stored in the settings table as
//   report.daily_exported, set after the files are in place; one station at a time on PostgreSQL by the
//   leadership lock "receiving.daily_export");
// - a certificate of receipt for each case whose closure the upstream accepted (delivered closure events
//   since report.certificates_since: first the time the job first ran, then the acceptance time of the last
//   closure certified; one station at a time by
//   "receiving.certificates"), recorded as certificate_issued by actor "sync".
// A failure never touches the outbox: it is kept in status() and tried again a minute later.
class ReportJobs
{
public:
    struct Settings
    {
        QString directory;            // report.directory; empty: no jobs
        std::optional<QTime> dailyAt; // report.daily_at; none: no daily export
        QString paper = QStringLiteral("A4");
        QString stationId;
        QTimeZone timeZone;
    };
    enum class Daily { NotConfigured, NotDue, AlreadyDone, OtherStation, Exported, Failed, Waiting };
    struct DailyResult
    {
        Daily outcome = Daily::NotConfigured;
        QDate day; // the export's day (today, station time); receipts are of the day before
        QStringList files;
        QString error;
    };
    struct CertificateResult
    {
        int issued = 0;
        qint64 pending = 0;
        bool otherStation = false;
        QString error;
    };

    static constexpr int RetryAfterFailureSec = 60;
    static constexpr int CertificateCheckSec = 300; // between looks for accepted closures when not poked
    static constexpr const char *DailyKey = "report.daily_exported";
    static constexpr const char *CertificatesSinceKey = "report.certificates_since";

    ReportJobs(Database &db, Settings settings, const Clock &clock);

    bool isConfigured() const { return !m_settings.directory.isEmpty(); }
    // The daily export if it is due and not done (throws nothing: a store failure is a failed export).
    DailyResult runDailyExport();
    // Certificates for accepted closures without one, at most `limit` per call.
    CertificateResult issueCertificates(int limit = 10);
    // Both jobs when their time has come; the sync worker calls this every round. `closureDelivered`: an
    // event was just delivered, look for accepted closures now.
    void run(bool closureDelivered = false);
    ReportJobsStatus status() const;

    // The daily export's file names for `day` (receipts of the day before, case aging of `day`).
    static QStringList dailyFileNames(QDate day);
    static QString certificateFileName(const QString &caseNumber);

private:
    QString path(const QString &name) const;
    bool ensureDirectory(QString *error) const;

    Database &m_db;
    Settings m_settings;
    const Clock &m_clock;
    ReportJobsStatus m_status;
    QString m_dailyError, m_certificateError;
    QDate m_doneDay;          // known exported: no store read until the next day
    QDateTime m_nextDailyTry; // after a failure
    QDateTime m_nextCertificateLook;
    bool m_lookedUpLastDay = false;
};
