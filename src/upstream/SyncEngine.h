// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpTransport.h"
#include "OutboxStore.h"
#include "RetryPolicy.h"
#include "UpstreamConfig.h"

#include <QDateTime>
#include <QHash>
#include <QRandomGenerator>

class Clock;
class Database;

// What supervisors see of the sync: reachable or not, credentials, queue sizes, last success.
struct SyncStatus
{
    bool configured = false;
    bool online = false;
    bool credentialProblem = false;
    QString lastError;
    QDateTime lastSuccess;
    QDateTime lastPull;
    qint64 held = 0;
    qint64 pending = 0;
    qint64 dead = 0;
    qint64 delivered = 0;
    // The report jobs run by the same worker (ReportJobs): daily export and automatic certificates.
    bool reportsConfigured = false;
    QString reportError;
    QDate lastDailyExportDay;
    QDateTime lastDailyExport;
    qint64 dailyExportFailures = 0;
    qint64 certificateFailures = 0;
    qint64 certificatesPending = -1;
};

// One station's conversation with the upstream, run on the calling (worker) thread: pull cases, push due
// outbox events in small concurrent batches, with tokens, retries and dead letters. Exactly once comes from
// the idempotency key each event got when it was created: a retry after a lost answer is answered 200.
class SyncEngine
{
public:
    enum class Problem { None, Unreachable, CredentialsRejected, Invalid };

    struct PullResult
    {
        Problem problem = Problem::None;
        int pages = 0;
        int cases = 0;             // inserted or updated
        bool otherStation = false; // another station of the depot held the pull (nothing done)
        QString error;
    };
    struct PushResult
    {
        Problem problem = Problem::None;
        int sent = 0;
        int delivered = 0;
        int retried = 0;
        int dead = 0;
        bool otherStation = false; // another station of the depot held the outbox (nothing done)
        QString error;
    };
    struct RunSummary
    {
        PullResult pull;
        PushResult push; // totals over all batches
        int batches = 0;
    };

    SyncEngine(Database &db, HttpTransport &transport, UpstreamConfig config, const Clock &clock,
               RetryPolicy policy = RetryPolicy());

    PullResult pullCases();
    PushResult pushDue(); // one batch of at most 4 x `concurrency` events, `concurrency` in flight at a time
    // Pull, then push until nothing is due now (what is left is waiting for a retry time, or dead).
    RunSummary runOnce();
    SyncStatus status();

private:
    bool ensureToken(QString *error, Problem *problem);
    QList<HttpResponse> performAuthorised(QList<HttpRequest> requests, Problem *problem, QString *error);
    QUrl endpoint(const QString &path, const QList<QPair<QString, QString>> &query = {}) const;
    QString describe(const HttpResponse &r) const;
    QString scrub(QString text) const;
    void noteSuccess();
    void noteProblem(Problem p, QString &error); // scrubs `error` and shows it

    Database &m_db;
    HttpTransport &m_transport;
    UpstreamConfig m_config;
    const Clock &m_clock;
    RetryPolicy m_policy;
    OutboxStore m_outbox;
    QRandomGenerator m_random;
    QByteArray m_token;
    QDateTime m_tokenExpiry;
    // A failed token fetch is not tried again before m_tokenRetryAt (the retry policy's back-off, honouring
    // Retry-After), so a loop that runs every second does not hit a failing token endpoint every second.
    int m_tokenFailures = 0;
    QDateTime m_tokenRetryAt;
    Problem m_tokenProblem = Problem::None;
    QString m_tokenError;
    QList<QByteArray> m_secrets; // what an answer must never carry into a message: secret, credentials, token
    SyncStatus m_status;
};
