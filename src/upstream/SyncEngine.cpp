// SPDX-License-Identifier: GPL-3.0-or-later
#include "SyncEngine.h"
#include "CaseRecord.h"
#include "CaseStore.h"
#include "Clock.h"
#include "CurlTransport.h"
#include "Database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace {
constexpr int PageLimit = 100;
// A push batch is this many events per connection: the transport keeps `concurrency` of them in flight
// (libcurl queues the rest for a free connection) and their outcomes are committed in one transaction, so a
// drain costs one fsync and one wait for the slowest answer per 4 x concurrency events instead of per
// `concurrency`.
constexpr int EventsPerConnection = 4;
constexpr int MaxPages = 100000; // a loop guard against an upstream that never ends its paging
const char *const CursorKey = "upstream.cases_since";

QString settingValue(Database &db, const char *key)
{
    Statement s = db.prepare("SELECT value FROM settings WHERE key = ?1");
    return s.bind(1, QLatin1String(key)).next() ? s.text(0) : QString();
}
} // namespace

SyncEngine::SyncEngine(Database &db, HttpTransport &transport, UpstreamConfig config, const Clock &clock,
                       RetryPolicy policy)
    : m_db(db), m_transport(transport), m_config(std::move(config)), m_clock(clock), m_policy(policy),
      m_outbox(db), m_random(QRandomGenerator::securelySeeded())
{
    m_status.configured = m_config.isConfigured();
}

QUrl SyncEngine::endpoint(const QString &path, const QList<QPair<QString, QString>> &query) const
{
    QUrl url = m_config.url;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path);
    if (!query.isEmpty()) {
        QUrlQuery q;
        for (const auto &[k, v] : query)
            q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
        url.setQuery(q.query(QUrl::FullyEncoded), QUrl::StrictMode);
    }
    return url;
}

QString SyncEngine::describe(const HttpResponse &r) const
{
    if (r.status == 0)
        return scrub(QStringLiteral("no answer from the upstream (%1)").arg(r.transportError));
    const QJsonObject err = QJsonDocument::fromJson(r.body).object().value(QLatin1String("error")).toObject();
    const QString code = err.value(QLatin1String("code")).toString().left(100);
    const QString message = err.value(QLatin1String("message")).toString().left(300);
    if (code.isEmpty())
        return QStringLiteral("HTTP %1").arg(r.status);
    return scrub(QStringLiteral("HTTP %1 %2: %3").arg(r.status).arg(code, message));
}

// An upstream (or a proxy) that echoes what we sent must not get our secret onto a supervisor's screen, the
// outbox's last_error or the journal.
QString SyncEngine::scrub(QString text) const
{
    for (const QByteArray &s : m_secrets) {
        if (s.size() >= 4)
            text.replace(QString::fromUtf8(s), QStringLiteral("[redacted]"));
    }
    return text;
}

void SyncEngine::noteSuccess()
{
    m_status.online = true;
    m_status.credentialProblem = false;
    m_status.lastError.clear();
    m_status.lastSuccess = m_clock.nowUtc();
}

void SyncEngine::noteProblem(Problem p, QString &error)
{
    error = scrub(error);
    if (p == Problem::Unreachable)
        m_status.online = false;
    if (p == Problem::CredentialsRejected) {
        m_status.online = true;
        m_status.credentialProblem = true;
    }
    // Said once when it starts, not every round while it lasts.
    if (error != m_status.lastError)
        qCWarning(lcUpstream) << error;
    m_status.lastError = error;
}

bool SyncEngine::ensureToken(QString *error, Problem *problem)
{
    const QDateTime now = m_clock.nowUtc();
    if (!m_token.isEmpty() && now < m_tokenExpiry)
        return true;
    if (m_tokenRetryAt.isValid() && now < m_tokenRetryAt) {
        // Still backing off after a failed fetch: the same problem, and no request.
        *problem = m_tokenProblem;
        *error = m_tokenError;
        return false;
    }
    const std::optional<QByteArray> secret = m_config.readSecret(error);
    if (!secret) {
        *problem = Problem::CredentialsRejected;
        return false;
    }
    const QByteArray basic = (m_config.clientId.toUtf8() + ':' + *secret).toBase64();
    m_secrets = {*secret, basic};
    HttpRequest rq;
    rq.method = "POST";
    rq.url = endpoint(QStringLiteral("/oauth/token"));
    rq.headers = {{"Authorization", "Basic " + basic},
                  {"Content-Type", "application/x-www-form-urlencoded"},
                  {"Accept", "application/json"}};
    rq.body = "grant_type=client_credentials";
    const HttpResponse r = m_transport.perform({rq}).front();
    const auto failed = [&](Problem p, const QString &message) {
        *problem = p;
        *error = message;
        ++m_tokenFailures;
        m_tokenRetryAt =
            now.addMSecs(m_policy.delayMs(m_tokenFailures, r.retryAfterSeconds, m_random.generateDouble()));
        m_tokenProblem = p;
        m_tokenError = message;
        return false;
    };
    if (r.status == 0 || RetryPolicy::classify(r.status) == RetryPolicy::Verdict::Retry)
        return failed(Problem::Unreachable, QStringLiteral("Cannot get a token: %1").arg(describe(r)));
    if (r.status == 400 || r.status == 401 || r.status == 403)
        return failed(Problem::CredentialsRejected,
                      QStringLiteral("The upstream rejects our credentials (%1).").arg(describe(r)));
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    const QString token = o.value(QLatin1String("access_token")).toString();
    const double expiresIn = o.value(QLatin1String("expires_in")).toDouble(-1);
    if (!r.isSuccess() || token.isEmpty() || expiresIn <= 0 || token.size() > 8192)
        return failed(Problem::Invalid,
                      QStringLiteral("The upstream's token answer is not usable (%1).").arg(describe(r)));
    m_tokenFailures = 0;
    m_tokenRetryAt = QDateTime();
    m_token = token.toUtf8();
    m_secrets.append(m_token);
    // Renew a little before expiry so a request never leaves with a token that dies on the way.
    const qint64 margin = std::min<qint64>(30000, qint64(expiresIn * 1000) / 5);
    m_tokenExpiry = now.addMSecs(qint64(expiresIn * 1000) - margin);
    return true;
}

QList<HttpResponse> SyncEngine::performAuthorised(QList<HttpRequest> requests, Problem *problem,
                                                  QString *error)
{
    for (int round = 0; round < 2; ++round) {
        if (!ensureToken(error, problem))
            return {};
        for (HttpRequest &rq : requests) {
            rq.headers.removeIf([](const auto &h) { return h.first == "Authorization"; });
            rq.headers.append({"Authorization", "Bearer " + m_token});
        }
        QList<HttpResponse> responses = m_transport.perform(requests);
        bool unauthorised = false;
        for (const HttpResponse &r : responses)
            unauthorised |= r.status == 401;
        if (!unauthorised)
            return responses;
        // One fresh token, one retry of the batch; a second 401 means the credentials are wrong.
        m_token.clear();
        if (round == 1) {
            *problem = Problem::CredentialsRejected;
            *error = QStringLiteral("The upstream rejects our credentials (HTTP 401 with a fresh token).");
            return responses;
        }
    }
    return {};
}

namespace {
// One station of a depot pulls cases, and one drains the outbox, at a time: a session-level advisory lock on
// the shared PostgreSQL, held for one pull or one batch and dropped by the server if the station goes away,
// so any other station takes over at its next run. Always granted on SQLite.
class Leadership
{
public:
    Leadership(Database &db, const char *job) : m_db(db), m_job(job), m_held(db.tryLeadership(job)) {}
    ~Leadership()
    {
        if (m_held) {
            try {
                m_db.releaseLeadership(m_job);
            } catch (const DbException &) {
                // the connection is gone, and the lock with it
            }
        }
    }
    bool held() const { return m_held; }

private:
    Database &m_db;
    const char *m_job;
    bool m_held;
};
} // namespace

SyncEngine::PullResult SyncEngine::pullCases()
{
    PullResult result;
    const Leadership leader(m_db, "receiving.pull_cases");
    if (!leader.held()) {
        result.otherStation = true; // another station of the depot is pulling right now
        return result;
    }
    const QString since = settingValue(m_db, CursorKey);
    QString firstServerTime;
    QString pageToken;
    CaseStore store(m_db);
    for (int page = 0; page < MaxPages; ++page) {
        QList<QPair<QString, QString>> query{{QStringLiteral("limit"), QString::number(PageLimit)}};
        if (!since.isEmpty())
            query.append({QStringLiteral("updated_since"), since});
        if (!pageToken.isEmpty())
            query.append({QStringLiteral("page_token"), pageToken});
        HttpRequest rq;
        rq.url = endpoint(QStringLiteral("/v1/cases"), query);
        rq.headers = {{"Accept", "application/json"}};
        Problem problem = Problem::None;
        QString error;
        const QList<HttpResponse> responses = performAuthorised({rq}, &problem, &error);
        if (problem != Problem::None || responses.isEmpty()) {
            result.problem = problem == Problem::None ? Problem::Unreachable : problem;
            result.error = error;
            noteProblem(result.problem, result.error);
            return result;
        }
        const HttpResponse &r = responses.front();
        if (!r.isSuccess()) {
            const RetryPolicy::Verdict v = RetryPolicy::classify(r.status);
            result.problem = v == RetryPolicy::Verdict::CredentialsRejected ? Problem::CredentialsRejected
                             : v == RetryPolicy::Verdict::Retry             ? Problem::Unreachable
                                                                            : Problem::Invalid;
            result.error = v == RetryPolicy::Verdict::CredentialsRejected
                               ? QStringLiteral("The upstream rejects our credentials (%1).").arg(describe(r))
                               : QStringLiteral("Pulling cases failed: %1").arg(describe(r));
            noteProblem(result.problem, result.error);
            return result;
        }
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(r.body, &pe);
        const QJsonObject o = doc.object();
        const QJsonValue cases = o.value(QLatin1String("cases"));
        const QJsonValue next = o.value(QLatin1String("next_page_token"));
        const QString serverTime = o.value(QLatin1String("server_time")).toString();
        if (pe.error != QJsonParseError::NoError || !doc.isObject() || !cases.isArray() ||
            !(next.isNull() || next.isUndefined() || next.isString()) ||
            !QDateTime::fromString(serverTime, Qt::ISODateWithMs).isValid()) {
            result.problem = Problem::Invalid;
            result.error =
                QStringLiteral("The upstream sent a case page this station cannot read; nothing from it "
                               "was stored.");
            noteProblem(result.problem, result.error);
            return result;
        }
        // Validate the whole page before storing any of it.
        QList<CaseRecord> records;
        for (const QJsonValue v : cases.toArray()) {
            QString why;
            std::optional<CaseRecord> rec = CaseRecord::fromJson(v.toObject(), &why);
            if (!rec) {
                result.problem = Problem::Invalid;
                result.error =
                    QStringLiteral("The upstream sent an invalid case (%1); nothing from that page was "
                                   "stored.")
                        .arg(why);
                noteProblem(result.problem, result.error);
                return result;
            }
            records.append(std::move(*rec));
        }
        {
            Transaction tx(m_db);
            int changed = 0;
            for (const CaseRecord &rec : std::as_const(records))
                changed += store.upsert(rec) != CaseStore::Upsert::Unchanged;
            if (changed > 0)
                store.rematch(); // once per page, set-based: open exceptions a changed case now expects
            result.cases += changed;
            if (page == 0)
                firstServerTime = serverTime;
            const bool last = next.isNull() || next.isUndefined() || next.toString().isEmpty();
            if (last) {
                // The cursor moves only when the whole pull is in, so an interrupted pull starts over.
                Statement s = m_db.prepare("INSERT INTO settings (key, value, updated_at, updated_by) "
                                           "VALUES (?1, ?2, ?3, 'sync') ON CONFLICT(key) DO UPDATE SET "
                                           "value = excluded.value, updated_at = excluded.updated_at");
                s.bind(1, QLatin1String(CursorKey))
                    .bind(2, firstServerTime)
                    .bind(3, isoUtc(m_clock.nowUtc()))
                    .exec();
            }
            tx.commit();
            ++result.pages;
            if (last)
                break;
            pageToken = next.toString();
        }
    }
    m_status.lastPull = m_clock.nowUtc();
    noteSuccess();
    return result;
}

SyncEngine::PushResult SyncEngine::pushDue()
{
    PushResult result;
    const Leadership leader(m_db, "receiving.outbox");
    if (!leader.held()) {
        result.otherStation = true; // another station of the depot is draining the outbox right now
        return result;
    }
    const QDateTime now = m_clock.nowUtc();
    const QList<OutboxStore::Event> events = m_outbox.due(now, m_config.concurrency * EventsPerConnection);
    if (events.isEmpty())
        return result;
    QList<HttpRequest> requests;
    for (const OutboxStore::Event &e : events) {
        HttpRequest rq;
        rq.method = "POST";
        const QString caseNumber = QString::fromLatin1(QUrl::toPercentEncoding(e.caseNumber));
        if (e.kind == QLatin1String("receipt"))
            rq.url = endpoint(QStringLiteral("/v1/cases/%1/receipts").arg(caseNumber));
        else if (e.kind == QLatin1String("closure"))
            rq.url = endpoint(QStringLiteral("/v1/cases/%1/closure").arg(caseNumber));
        else
            rq.url = endpoint(QStringLiteral("/v1/unmatched"));
        rq.headers = {{"Content-Type", "application/json"},
                      {"Accept", "application/json"},
                      {"Idempotency-Key", e.key.toUtf8()}};
        rq.body = e.payload;
        requests.append(rq);
    }
    Problem problem = Problem::None;
    QString error;
    const QList<HttpResponse> responses = performAuthorised(requests, &problem, &error);
    if (problem == Problem::CredentialsRejected || responses.size() != events.size()) {
        // Paused: the events stay as they are until someone fixes the credentials.
        result.problem = problem == Problem::None ? Problem::Unreachable : problem;
        result.error = error;
        noteProblem(result.problem, result.error);
        return result;
    }
    QList<OutboxStore::Result> outcomes;
    bool anyAnswer = false;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const OutboxStore::Event &e = events[i];
        const HttpResponse &r = responses[i];
        anyAnswer |= r.status != 0;
        const int attempts = e.attempts + 1;
        switch (RetryPolicy::classify(r.status)) {
        case RetryPolicy::Verdict::Delivered:
            outcomes.append({e.id, OutboxStore::Outcome::Delivered, attempts, QString(), QDateTime()});
            ++result.delivered;
            break;
        case RetryPolicy::Verdict::Retry:
        case RetryPolicy::Verdict::RefreshToken:
            outcomes.append(
                {e.id, OutboxStore::Outcome::Retry, attempts, describe(r),
                 now.addMSecs(m_policy.delayMs(attempts, r.retryAfterSeconds, m_random.generateDouble()))});
            ++result.retried;
            break;
        case RetryPolicy::Verdict::CredentialsRejected:
            result.problem = Problem::CredentialsRejected;
            result.error = QStringLiteral("The upstream rejects our credentials (%1).").arg(describe(r));
            break;
        case RetryPolicy::Verdict::DeadLetter:
            outcomes.append({e.id, OutboxStore::Outcome::Dead, attempts, describe(r), QDateTime()});
            ++result.dead;
            break;
        }
    }
    result.sent = int(events.size());
    m_outbox.record(outcomes, m_clock.nowUtc());
    if (result.problem == Problem::CredentialsRejected) {
        noteProblem(result.problem, result.error);
    } else if (!anyAnswer) {
        result.problem = Problem::Unreachable;
        result.error = describe(responses.front());
        noteProblem(result.problem, result.error);
    } else {
        noteSuccess();
    }
    return result;
}

SyncEngine::RunSummary SyncEngine::runOnce()
{
    RunSummary summary;
    summary.pull = pullCases();
    if (summary.pull.problem == Problem::CredentialsRejected)
        return summary;
    for (;;) {
        const PushResult r = pushDue();
        summary.push.otherStation = r.otherStation;
        if (r.sent == 0 && r.problem == Problem::None)
            break;
        ++summary.batches;
        summary.push.sent += r.sent;
        summary.push.delivered += r.delivered;
        summary.push.retried += r.retried;
        summary.push.dead += r.dead;
        if (r.problem != Problem::None) {
            summary.push.problem = r.problem;
            summary.push.error = r.error;
            break;
        }
    }
    return summary;
}

SyncStatus SyncEngine::status()
{
    const QHash<QString, qint64> counts = m_outbox.countsByState();
    m_status.held = counts.value(QStringLiteral("held"));
    m_status.pending = counts.value(QStringLiteral("pending"));
    m_status.dead = counts.value(QStringLiteral("dead"));
    m_status.delivered = counts.value(QStringLiteral("delivered"));
    return m_status;
}
