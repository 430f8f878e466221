// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseRecord.h"
#include "CaseStore.h"
#include "Clock.h"
#include "Database.h"
#include "FakeTransport.h"
#include "ReceivingService.h"
#include "ScanEvent.h"
#include "SyncEngine.h"
#include "SyncWorker.h"
#include "TestStore.h"

#include <QFile>
#include <QMutex>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <memory>

// The sync engine's contract with the upstream, against a recording fake transport and a fixed clock: tokens,
// retries, dead letters, pausing on rejected credentials, closure ordering, paged case pulls and secrecy.

namespace {
const QByteArray Secret = "s3cr3t-XYZ";
const QString ClientId = QStringLiteral("receiving-station");
const QString CursorKey = QStringLiteral("upstream.cases_since");
const QDateTime Start(QDate(2026, 11, 3), QTime(12, 0), Qt::UTC);

// Everything logged while a test runs, to check that no secret reaches the journal.
QMutex logMutex;
QStringList capturedLog;
QtMessageHandler previousHandler = nullptr;
void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        capturedLog.append(message);
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

struct Row
{
    QString state;
    int attempts = 0;
    QString nextAttempt;
    QString lastError;
};

QJsonObject caseJson(const QString &number, const QString &status, const QString &updatedAt,
                     const QStringList &serials = {QStringLiteral("JN11AA000001")})
{
    QJsonArray items;
    int line = 0;
    for (const QString &s : serials)
        items.append(QJsonObject{{QStringLiteral("line"), ++line},
                                 {QStringLiteral("sku"), QStringLiteral("MPC7E-10G")},
                                 {QStringLiteral("description"), QStringLiteral("line card")},
                                 {QStringLiteral("serial"), s},
                                 {QStringLiteral("quantity"), 1}});
    return QJsonObject{
        {QStringLiteral("case_number"), number},
        {QStringLiteral("program"), QStringLiteral("TMIP")},
        {QStringLiteral("phase"), 1},
        {QStringLiteral("disposition"), QStringLiteral("trade_in")},
        {QStringLiteral("status"), status},
        {QStringLiteral("customer"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Acme")},
                                                 {QStringLiteral("account_id"), QStringLiteral("ACC-1")}}},
        {QStringLiteral("partner"), QJsonValue(QJsonValue::Null)},
        {QStringLiteral("order_date"), QStringLiteral("2026-10-01")},
        {QStringLiteral("due_date"), QStringLiteral("2027-01-01")},
        {QStringLiteral("tracking_numbers"), QJsonArray()},
        {QStringLiteral("items"), items},
        {QStringLiteral("updated_at"), updatedAt}};
}

QString queryValue(const QUrl &url, const QString &key)
{
    return QUrlQuery(url).queryItemValue(key, QUrl::FullyDecoded);
}
} // namespace

Q_DECLARE_METATYPE(HttpResponse)

class TestSyncEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void tokenFetchedOnceAndCached();
    void tokenRenewedBeforeExpiry();
    void unauthorisedFetchesOneNewTokenAndRetries();
    void unauthorisedPullRetriesOnce();
    void secondUnauthorisedPausesWithoutTouchingEvents();
    void forbiddenPausesWithoutTouchingEvents_data();
    void forbiddenPausesWithoutTouchingEvents();
    void forbiddenInABatchKeepsThatEvent();
    void tokenEndpointRejection_data();
    void tokenEndpointRejection();
    void tokenEndpointUnreachable();
    void failingTokenEndpointBacksOff_data();
    void failingTokenEndpointBacksOff();
    void retryableAnswers_data();
    void retryableAnswers();
    void retryAfterZeroDoesNotSpin();
    void deadLetterAnswers_data();
    void deadLetterAnswers();
    void mixedBatch();
    void runOnceDrainsInBatches();
    void closureWaitsForItsReceipts();
    void pullStoresCursorOnlyAfterLastPage();
    void malformedPageStoresNothingFromIt_data();
    void malformedPageStoresNothingFromIt();
    void caseClosedUpstreamWhileBoxOpen();
    void secretNeverExposed();
    void workerClosesIdleBoxesAfterTheSettingsTablesTime_data();
    void workerClosesIdleBoxesAfterTheSettingsTablesTime();

private:
    SyncEngine &engine();
    qint64 insertEvent(const QString &kind, const QString &caseNumber,
                       const QString &state = QStringLiteral("pending"), int attempts = 0);
    Row row(qint64 id);
    QString setting(const QString &key);
    bool caseKnown(const QString &number);
    QString caseStatus(const QString &number);
    void importCase(const QJsonObject &c);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FixedClock> m_clock;
    std::unique_ptr<FakeTransport> m_fake;
    std::unique_ptr<SyncEngine> m_engine;
    UpstreamConfig m_config;
};

void TestSyncEngine::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    previousHandler = qInstallMessageHandler(captureMessage);
}

void TestSyncEngine::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = std::make_unique<Database>();
    m_db->open(TestStore::location(m_dir->filePath(QStringLiteral("station.db"))));
    m_clock = std::make_unique<FixedClock>(Start);
    m_fake = std::make_unique<FakeTransport>();
    QFile secret(m_dir->filePath(QStringLiteral("client_secret")));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write(Secret + "\n");
    secret.close();
    m_config = UpstreamConfig();
    m_config.url = QUrl(QStringLiteral("http://127.0.0.1:8089"));
    m_config.clientId = ClientId;
    m_config.clientSecretFile = secret.fileName();
    m_config.concurrency = 4;
    m_engine.reset();
    QMutexLocker lock(&logMutex);
    capturedLog.clear();
}

void TestSyncEngine::cleanup()
{
    if (m_fake)
        QVERIFY2(!m_fake->exceeded, "the engine kept sending: it loops");
    m_engine.reset();
    m_fake.reset();
    m_db.reset();
    m_dir.reset();
}

SyncEngine &TestSyncEngine::engine()
{
    if (!m_engine)
        m_engine = std::make_unique<SyncEngine>(*m_db, *m_fake, m_config, *m_clock);
    return *m_engine;
}

qint64 TestSyncEngine::insertEvent(const QString &kind, const QString &caseNumber, const QString &state,
                                   int attempts)
{
    const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QJsonObject payload{{QStringLiteral("id"), key}, {QStringLiteral("kind"), kind}};
    Statement s =
        m_db->prepare("INSERT INTO outbox (idempotency_key, kind, case_number, payload, state, attempts, "
                      "next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
    s.bind(1, key).bind(2, kind);
    caseNumber.isEmpty() ? s.bindNull(3) : s.bind(3, caseNumber);
    s.bind(4, QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)))
        .bind(5, state)
        .bind(6, attempts)
        .bind(7, isoUtc(m_clock->nowUtc()))
        .exec();
    return m_db->lastInsertId();
}

Row TestSyncEngine::row(qint64 id)
{
    Statement s =
        m_db->prepare("SELECT state, attempts, next_attempt_at, last_error FROM outbox WHERE id = ?1");
    if (!s.bind(1, id).next())
        return Row{};
    return Row{s.text(0), int(s.int64(1)), s.text(2), s.text(3)};
}

QString TestSyncEngine::setting(const QString &key)
{
    Statement s = m_db->prepare("SELECT value FROM settings WHERE key = ?1");
    return s.bind(1, key).next() ? s.text(0) : QString();
}

bool TestSyncEngine::caseKnown(const QString &number)
{
    Statement s = m_db->prepare("SELECT 1 FROM cases WHERE case_number = ?1");
    return s.bind(1, number).next();
}

QString TestSyncEngine::caseStatus(const QString &number)
{
    Statement s = m_db->prepare("SELECT status FROM cases WHERE case_number = ?1");
    return s.bind(1, number).next() ? s.text(0) : QString();
}

void TestSyncEngine::importCase(const QJsonObject &c)
{
    QString why;
    const auto summary = CaseStore(*m_db).importJson(
        QJsonDocument(QJsonObject{{QStringLiteral("cases"), QJsonArray{c}}}).toJson(), QStringLiteral("test"),
        &why);
    QVERIFY2(summary, qPrintable(why));
}

void TestSyncEngine::tokenFetchedOnceAndCached()
{
    QList<qint64> ids;
    for (int i = 0; i < 24; ++i)
        ids.append(insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001")));
    const SyncEngine::RunSummary run = engine().runOnce();
    QCOMPARE(run.pull.problem, SyncEngine::Problem::None);
    QCOMPARE(run.push.delivered, 24);
    QCOMPARE(run.batches, 2); // 16 + 8: batches of 4 x concurrency
    engine().runOnce();
    QCOMPARE(m_fake->tokenRequests(), 1);

    const FakeTransport::Exchange tokenCall = m_fake->to(QStringLiteral("/oauth/token")).front();
    QCOMPARE(tokenCall.request.method, QByteArray("POST"));
    QCOMPARE(FakeTransport::header(tokenCall.request, "Authorization"),
             "Basic " + (ClientId.toUtf8() + ':' + Secret).toBase64());
    QCOMPARE(FakeTransport::header(tokenCall.request, "Content-Type"),
             QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(tokenCall.request.body, QByteArray("grant_type=client_credentials"));
    QVERIFY(!tokenCall.request.body.contains(Secret)); // by Basic only, never in the form too

    for (const FakeTransport::Exchange &e : std::as_const(m_fake->exchanges)) {
        if (e.request.url.path().startsWith(QLatin1String("/v1/")))
            QCOMPARE(FakeTransport::header(e.request, "Authorization"), QByteArray("Bearer tok-1"));
    }
    // Each event goes to its endpoint with its own key and its stored payload.
    const QList<FakeTransport::Exchange> receipts = m_fake->to(QStringLiteral("/receipts"));
    QCOMPARE(receipts.size(), 24);
    QSet<QByteArray> keys;
    for (const FakeTransport::Exchange &e : receipts) {
        QCOMPARE(e.request.url.path(), QStringLiteral("/v1/cases/2026-1103-0001/receipts"));
        QCOMPARE(FakeTransport::header(e.request, "Content-Type"), QByteArray("application/json"));
        const QByteArray key = FakeTransport::header(e.request, "Idempotency-Key");
        QCOMPARE(
            QJsonDocument::fromJson(e.request.body).object().value(QLatin1String("id")).toString().toUtf8(),
            key);
        keys.insert(key);
    }
    QCOMPARE(keys.size(), 24);
    for (qint64 id : std::as_const(ids)) {
        QCOMPARE(row(id).state, QStringLiteral("delivered"));
        QCOMPARE(row(id).attempts, 1);
    }
}

void TestSyncEngine::tokenRenewedBeforeExpiry()
{
    m_fake->tokenLifetime = 100;
    QCOMPARE(engine().pullCases().problem, SyncEngine::Problem::None);
    m_clock->set(Start.addSecs(70));
    engine().pullCases();
    QCOMPARE(m_fake->tokenRequests(), 1);
    // Renewed a little before the 100 s run out, so no request leaves with a token about to die.
    m_clock->set(Start.addSecs(95));
    engine().pullCases();
    QCOMPARE(m_fake->tokenRequests(), 2);
    QCOMPARE(FakeTransport::header(m_fake->exchanges.last().request, "Authorization"),
             QByteArray("Bearer tok-2"));

    // The chaos tests' 3-second tokens: still used at 2 s, renewed before 3 s.
    m_fake->tokenLifetime = 3;
    m_clock->set(Start.addSecs(200));
    engine().pullCases();
    QCOMPARE(m_fake->tokenRequests(), 3);
    m_clock->set(Start.addSecs(202));
    engine().pullCases();
    QCOMPARE(m_fake->tokenRequests(), 3);
    m_clock->set(Start.addMSecs(200'000 + 2'900));
    engine().pullCases();
    QCOMPARE(m_fake->tokenRequests(), 4);
}

void TestSyncEngine::unauthorisedFetchesOneNewTokenAndRetries()
{
    const qint64 id = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::error(401, QStringLiteral("token_expired")));
    const SyncEngine::PushResult r = engine().pushDue();
    QCOMPARE(r.problem, SyncEngine::Problem::None);
    QCOMPARE(r.delivered, 1);
    QCOMPARE(m_fake->tokenRequests(), 2);
    const QList<FakeTransport::Exchange> sent = m_fake->to(QStringLiteral("/receipts"));
    QCOMPARE(sent.size(), 2);
    QCOMPARE(FakeTransport::header(sent[0].request, "Authorization"), QByteArray("Bearer tok-1"));
    QCOMPARE(FakeTransport::header(sent[1].request, "Authorization"), QByteArray("Bearer tok-2"));
    QCOMPARE(FakeTransport::header(sent[0].request, "Idempotency-Key"),
             FakeTransport::header(sent[1].request, "Idempotency-Key"));
    QCOMPARE(row(id).state, QStringLiteral("delivered"));
    QVERIFY(!engine().status().credentialProblem);
}

void TestSyncEngine::unauthorisedPullRetriesOnce()
{
    m_fake->enqueue(QStringLiteral("/v1/cases"), FakeTransport::error(401, QStringLiteral("invalid_token")));
    const SyncEngine::PullResult r = engine().pullCases();
    QCOMPARE(r.problem, SyncEngine::Problem::None);
    QCOMPARE(r.pages, 1);
    QCOMPARE(m_fake->tokenRequests(), 2);
    QCOMPARE(m_fake->to(QStringLiteral("/v1/cases")).size(), 2);
}

void TestSyncEngine::secondUnauthorisedPausesWithoutTouchingEvents()
{
    const qint64 fresh = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    const qint64 tried = insertEvent(QStringLiteral("unmatched"), QString(), QStringLiteral("pending"), 3);
    const Row freshBefore = row(fresh);
    const Row triedBefore = row(tried);
    m_fake->always(QStringLiteral("/receipts"), FakeTransport::error(401, QStringLiteral("invalid_token")));
    m_fake->always(QStringLiteral("/v1/unmatched"),
                   FakeTransport::error(401, QStringLiteral("invalid_token")));

    const SyncEngine::PushResult r = engine().pushDue();
    QCOMPARE(r.problem, SyncEngine::Problem::CredentialsRejected);
    QCOMPARE(m_fake->tokenRequests(), 2); // one fresh token, never a loop of them
    QCOMPARE(m_fake->eventRequests(), 4); // the batch, then once more with the fresh token
    const SyncStatus st = engine().status();
    QVERIFY(st.credentialProblem);
    QVERIFY2(st.lastError.contains(QLatin1String("upstream rejects our credentials")),
             qPrintable(st.lastError));
    QCOMPARE(st.dead, 0);
    QCOMPARE(st.pending, 2);
    // Untouched: not dead, no attempt counted, no retry time moved, no error written on the event.
    for (const auto &[id, before] : {std::pair{fresh, freshBefore}, std::pair{tried, triedBefore}}) {
        const Row after = row(id);
        QCOMPARE(after.state, QStringLiteral("pending"));
        QCOMPARE(after.attempts, before.attempts);
        QCOMPARE(after.nextAttempt, before.nextAttempt);
        QCOMPARE(after.lastError, before.lastError);
    }

    // A full run stops at the same place and still never dead-letters; once the upstream accepts us again
    // everything goes out.
    m_clock->set(Start.addSecs(600));
    const SyncEngine::RunSummary run = engine().runOnce();
    QCOMPARE(run.push.problem, SyncEngine::Problem::CredentialsRejected);
    QCOMPARE(row(fresh).state, QStringLiteral("pending"));
    QCOMPARE(row(tried).attempts, 3);
    m_fake->clearAlways();
    engine().runOnce();
    QCOMPARE(row(fresh).state, QStringLiteral("delivered"));
    QCOMPARE(row(tried).state, QStringLiteral("delivered"));
    QVERIFY(!engine().status().credentialProblem);
    QVERIFY(engine().status().lastError.isEmpty());
}

void TestSyncEngine::forbiddenPausesWithoutTouchingEvents_data()
{
    QTest::addColumn<QString>("route");
    QTest::newRow("push") << QStringLiteral("/receipts");
    QTest::newRow("pull") << QStringLiteral("/v1/cases");
}

void TestSyncEngine::forbiddenPausesWithoutTouchingEvents()
{
    QFETCH(QString, route);
    const qint64 id = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"),
                                  QStringLiteral("pending"), 2);
    const Row before = row(id);
    m_fake->always(route, FakeTransport::error(403, QStringLiteral("forbidden")));
    const SyncEngine::RunSummary run = engine().runOnce();
    const SyncStatus st = engine().status();
    QVERIFY(st.credentialProblem);
    QVERIFY2(st.lastError.contains(QLatin1String("upstream rejects our credentials")),
             qPrintable(st.lastError));
    if (route == QLatin1String("/v1/cases")) {
        QCOMPARE(run.pull.problem, SyncEngine::Problem::CredentialsRejected);
        QCOMPARE(m_fake->eventRequests(), 0); // no point pushing with credentials the upstream refuses
    } else {
        QCOMPARE(run.push.problem, SyncEngine::Problem::CredentialsRejected);
        QCOMPARE(m_fake->tokenRequests(), 1); // a 403 is not a token problem
    }
    const Row after = row(id);
    QCOMPARE(after.state, QStringLiteral("pending"));
    QCOMPARE(after.attempts, before.attempts);
    QCOMPARE(after.nextAttempt, before.nextAttempt);
    QCOMPARE(st.dead, 0);
}

void TestSyncEngine::forbiddenInABatchKeepsThatEvent()
{
    const qint64 a = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    const qint64 b = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::json(201, {}));
    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::error(403, QStringLiteral("forbidden")));
    const SyncEngine::PushResult r = engine().pushDue();
    QCOMPARE(r.problem, SyncEngine::Problem::CredentialsRejected);
    QCOMPARE(row(a).state, QStringLiteral("delivered"));
    QCOMPARE(row(b).state, QStringLiteral("pending"));
    QCOMPARE(row(b).attempts, 0);
    QVERIFY(engine().status().credentialProblem);
}

void TestSyncEngine::tokenEndpointRejection_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("400 invalid_request") << 400 << QStringLiteral("invalid_request");
    QTest::newRow("400 unsupported_grant_type") << 400 << QStringLiteral("unsupported_grant_type");
    QTest::newRow("401 invalid_client") << 401 << QStringLiteral("invalid_client");
    QTest::newRow("403 forbidden") << 403 << QStringLiteral("forbidden");
}

void TestSyncEngine::tokenEndpointRejection()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    const qint64 id = insertEvent(QStringLiteral("closure"), QStringLiteral("2026-1103-0001"));
    m_fake->always(QStringLiteral("/oauth/token"), FakeTransport::error(status, code));
    const SyncEngine::RunSummary run = engine().runOnce();
    QCOMPARE(run.pull.problem, SyncEngine::Problem::CredentialsRejected);
    QCOMPARE(m_fake->to(QStringLiteral("/v1/cases")).size(), 0);
    QCOMPARE(m_fake->eventRequests(), 0);
    QCOMPARE(m_fake->tokenRequests(), 1);
    const SyncStatus st = engine().status();
    QVERIFY(st.credentialProblem);
    QVERIFY2(st.lastError.contains(QLatin1String("upstream rejects our credentials")),
             qPrintable(st.lastError));
    QVERIFY2(st.lastError.contains(code), qPrintable(st.lastError));
    QCOMPARE(row(id).state, QStringLiteral("pending"));
    QCOMPARE(row(id).attempts, 0);
}

void TestSyncEngine::tokenEndpointUnreachable()
{
    const qint64 id = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    m_fake->always(QStringLiteral("/oauth/token"),
                   FakeTransport::noAnswer(QStringLiteral("Couldn't connect to server")));
    const SyncEngine::RunSummary run = engine().runOnce();
    QCOMPARE(run.pull.problem, SyncEngine::Problem::Unreachable);
    const SyncStatus st = engine().status();
    QVERIFY(!st.online);
    QVERIFY(!st.credentialProblem);
    QVERIFY2(st.lastError.contains(QLatin1String("Couldn't connect")), qPrintable(st.lastError));
    QCOMPARE(m_fake->eventRequests(), 0);
    QCOMPARE(row(id).state, QStringLiteral("pending"));
    QCOMPARE(row(id).attempts, 0);

    m_fake->clearAlways();
    m_fake->always(QStringLiteral("/oauth/token"),
                   FakeTransport::withRetryAfter(FakeTransport::error(503, QStringLiteral("busy")), 5));
    // Past the back-off after the failed fetch (failingTokenEndpointBacksOff), so this run asks again.
    m_clock->set(Start.addSecs(120));
    const int before = m_fake->tokenRequests();
    engine().runOnce();
    QVERIFY(m_fake->tokenRequests() > before);
    QVERIFY(!engine().status().online);
    QCOMPARE(row(id).state, QStringLiteral("pending"));
}

void TestSyncEngine::failingTokenEndpointBacksOff_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("no answer") << QStringLiteral("noAnswer");
    QTest::newRow("500") << QStringLiteral("500");
    QTest::newRow("401 invalid_client") << QStringLiteral("401");
}

// A loop that pushes every second (receiving-cli sync, the kiosk's worker) against a failing token endpoint:
// fetches back off exponentially like event retries (1 s base, doubling, jitter, capped), honour Retry-After,
// and start from the base again after a success. Events are never touched meanwhile.
void TestSyncEngine::failingTokenEndpointBacksOff()
{
    QFETCH(QString, how);
    const HttpResponse failure = how == QLatin1String("noAnswer")
                                     ? FakeTransport::noAnswer(QStringLiteral("Couldn't connect to server"))
                                 : how == QLatin1String("500")
                                     ? FakeTransport::error(500, QStringLiteral("internal"))
                                     : FakeTransport::error(401, QStringLiteral("invalid_client"));
    const qint64 id = insertEvent(QStringLiteral("unmatched"), QString());
    m_fake->always(QStringLiteral("/oauth/token"), failure);
    QList<int> fetchedAt; // seconds since Start of each token request
    for (int second = 0; second < 120; ++second) {
        m_clock->set(Start.addSecs(second));
        const int before = m_fake->tokenRequests();
        const SyncEngine::PushResult r = engine().pushDue();
        QCOMPARE(r.sent, 0);
        QVERIFY(r.problem != SyncEngine::Problem::None);
        QVERIFY2(!r.error.isEmpty(), "the problem stays visible while backing off");
        if (m_fake->tokenRequests() > before)
            fetchedAt.append(second);
    }
    // Delays of 0.5-1, 1-2, 2-4, 4-8, 8-16, 16-32, 30-60 s...: 7 to 10 fetches in two minutes, not 120.
    QVERIFY2(fetchedAt.size() >= 7 && fetchedAt.size() <= 10,
             qPrintable(QStringLiteral("token fetched at %1 s").arg([&] {
                 QStringList l;
                 for (int t : std::as_const(fetchedAt))
                     l << QString::number(t);
                 return l.join(QLatin1Char(' '));
             }())));
    for (qsizetype i = 2; i < fetchedAt.size(); ++i)
        QVERIFY2(fetchedAt[i] - fetchedAt[i - 1] >= fetchedAt[i - 1] - fetchedAt[i - 2] - 1 ||
                     fetchedAt[i] - fetchedAt[i - 1] >= 30,
                 "the gaps grow until the cap");
    QCOMPARE(m_fake->eventRequests(), 0);
    QCOMPARE(row(id).state, QStringLiteral("pending"));
    QCOMPARE(row(id).attempts, 0);
    const SyncStatus st = engine().status();
    QCOMPARE(st.credentialProblem, how == QLatin1String("401"));
    QCOMPARE(st.online, how == QLatin1String("401"));

    // Retry-After is honoured as the least wait: nothing for 30 s, then a fetch.
    m_fake->clearAlways();
    m_fake->always(QStringLiteral("/oauth/token"),
                   FakeTransport::withRetryAfter(FakeTransport::error(503, QStringLiteral("busy")), 30));
    m_clock->set(Start.addSecs(1000));
    QCOMPARE(engine().pushDue().sent, 0);
    const int afterRetryAfter = m_fake->tokenRequests();
    for (int second = 1001; second < 1030; ++second) {
        m_clock->set(Start.addSecs(second));
        engine().pushDue();
    }
    QCOMPARE(m_fake->tokenRequests(), afterRetryAfter);

    // Once the endpoint works, the event goes at the next fetch, and a later failure backs off from 1 s.
    m_fake->clearAlways();
    m_clock->set(Start.addSecs(1100));
    QCOMPARE(engine().pushDue().delivered, 1);
    QCOMPARE(row(id).state, QStringLiteral("delivered"));
    insertEvent(QStringLiteral("unmatched"), QString());
    m_fake->always(QStringLiteral("/oauth/token"), failure);
    m_clock->set(Start.addSecs(100000)); // the token expired
    engine().pushDue();
    const int fetches = m_fake->tokenRequests();
    m_clock->set(Start.addSecs(100001));
    engine().pushDue();
    QCOMPARE(m_fake->tokenRequests(), fetches + 1);
}

void TestSyncEngine::retryableAnswers_data()
{
    QTest::addColumn<HttpResponse>("answer");
    QTest::addColumn<qint64>("minDelayMs");
    QTest::addColumn<qint64>("maxDelayMs");
    QTest::addColumn<QString>("errorMentions");
    const auto err = [](int s) { return FakeTransport::error(s, QStringLiteral("upstream_trouble")); };
    for (int s : {500, 502, 503, 504, 408, 425, 429})
        QTest::addRow("%d", s) << err(s) << qint64(500) << qint64(1000) << QStringLiteral("HTTP %1").arg(s);
    QTest::newRow("no answer") << FakeTransport::noAnswer(QStringLiteral("Empty reply from server"))
                               << qint64(500) << qint64(1000) << QStringLiteral("Empty reply from server");
    QTest::newRow("503 Retry-After 7") << FakeTransport::withRetryAfter(err(503), 7) << qint64(7000)
                                       << qint64(7000) << QStringLiteral("HTTP 503");
    QTest::newRow("429 Retry-After 30") << FakeTransport::withRetryAfter(err(429), 30) << qint64(30000)
                                        << qint64(30000) << QStringLiteral("HTTP 429");
    QTest::newRow("429 Retry-After 0") << FakeTransport::withRetryAfter(err(429), 0) << qint64(500)
                                       << qint64(1000) << QStringLiteral("HTTP 429");
    QTest::newRow("503 Retry-After a week")
        << FakeTransport::withRetryAfter(err(503), 7 * 86400) << qint64(3600000) << qint64(3600000)
        << QStringLiteral("HTTP 503");
}

void TestSyncEngine::retryableAnswers()
{
    QFETCH(HttpResponse, answer);
    QFETCH(qint64, minDelayMs);
    QFETCH(qint64, maxDelayMs);
    QFETCH(QString, errorMentions);
    const qint64 id = insertEvent(QStringLiteral("unmatched"), QString());
    m_fake->enqueue(QStringLiteral("/v1/unmatched"), answer);
    const SyncEngine::PushResult r = engine().pushDue();
    QCOMPARE(r.retried, 1);
    const Row after = row(id);
    QCOMPARE(after.state, QStringLiteral("pending"));
    QCOMPARE(after.attempts, 1);
    QVERIFY2(after.lastError.contains(errorMentions), qPrintable(after.lastError));
    const QDateTime next = QDateTime::fromString(after.nextAttempt, Qt::ISODateWithMs);
    const qint64 delay = Start.msecsTo(next);
    QVERIFY2(delay >= minDelayMs && delay <= maxDelayMs,
             qPrintable(QStringLiteral("next attempt in %1 ms, expected %2..%3")
                            .arg(delay)
                            .arg(minDelayMs)
                            .arg(maxDelayMs)));

    // Not again before its time; then again with the same key, counting the attempt.
    QCOMPARE(engine().pushDue().sent, 0);
    m_clock->set(next);
    QCOMPARE(engine().pushDue().delivered, 1);
    QCOMPARE(row(id).state, QStringLiteral("delivered"));
    QCOMPARE(row(id).attempts, 2);
    const QList<FakeTransport::Exchange> sent = m_fake->to(QStringLiteral("/v1/unmatched"));
    QCOMPARE(sent.size(), 2);
    QCOMPARE(FakeTransport::header(sent[0].request, "Idempotency-Key"),
             FakeTransport::header(sent[1].request, "Idempotency-Key"));
}

void TestSyncEngine::retryAfterZeroDoesNotSpin()
{
    for (int i = 0; i < 3; ++i)
        insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    m_fake->always(QStringLiteral("/receipts"),
                   FakeTransport::withRetryAfter(FakeTransport::error(503, QStringLiteral("busy")), 0));
    const SyncEngine::RunSummary run = engine().runOnce(); // the clock stands still: a zero delay would loop
    QCOMPARE(run.push.sent, 3);
    QCOMPARE(run.push.retried, 3);
    QCOMPARE(m_fake->eventRequests(), 3);
}

void TestSyncEngine::deadLetterAnswers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("400") << 400 << QStringLiteral("bad_request");
    QTest::newRow("404") << 404 << QStringLiteral("case_not_found");
    QTest::newRow("409") << 409 << QStringLiteral("case_closed");
    QTest::newRow("410") << 410 << QStringLiteral("gone");
    QTest::newRow("415") << 415 << QStringLiteral("unsupported_media_type");
    QTest::newRow("422 invalid") << 422 << QStringLiteral("invalid");
    QTest::newRow("422 mismatch") << 422 << QStringLiteral("idempotency_mismatch");
}

void TestSyncEngine::deadLetterAnswers()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    const qint64 id = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    m_fake->enqueue(QStringLiteral("/receipts"),
                    FakeTransport::error(status, code, QStringLiteral("explained")));
    const SyncEngine::RunSummary run = engine().runOnce();
    QCOMPARE(run.push.dead, 1);
    const Row after = row(id);
    QCOMPARE(after.state, QStringLiteral("dead"));
    QCOMPARE(after.attempts, 1);
    QVERIFY2(after.lastError.contains(QStringLiteral("HTTP %1").arg(status)), qPrintable(after.lastError));
    QVERIFY2(after.lastError.contains(code), qPrintable(after.lastError));
    QCOMPARE(engine().status().dead, 1);
    QVERIFY(!engine().status().credentialProblem);
    // Stays dead: later runs do not send it again.
    m_clock->set(Start.addSecs(3600));
    engine().runOnce();
    QCOMPARE(m_fake->to(QStringLiteral("/receipts")).size(), 1);
}

void TestSyncEngine::mixedBatch()
{
    const qint64 ok = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    const qint64 busy = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    const qint64 gone = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    const qint64 lost = insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::json(200, {})); // a replay is delivered too
    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::error(500, QStringLiteral("internal")));
    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::error(404, QStringLiteral("case_not_found")));
    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::noAnswer());
    const SyncEngine::PushResult r = engine().pushDue();
    QCOMPARE(r.sent, 4);
    QCOMPARE(r.delivered, 1);
    QCOMPARE(r.retried, 2);
    QCOMPARE(r.dead, 1);
    QCOMPARE(m_fake->batches, 2); // token, then the four events together
    QCOMPARE(row(ok).state, QStringLiteral("delivered"));
    QCOMPARE(row(busy).state, QStringLiteral("pending"));
    QCOMPARE(row(gone).state, QStringLiteral("dead"));
    QCOMPARE(row(lost).state, QStringLiteral("pending"));
    QVERIFY(engine().status().online);
}

void TestSyncEngine::runOnceDrainsInBatches()
{
    // Batches of 4 x concurrency (16 here): the transport keeps `concurrency` in flight, and each batch's
    // outcomes are committed together.
    for (int i = 0; i < 40; ++i)
        insertEvent(i % 2 ? QStringLiteral("receipt") : QStringLiteral("unmatched"),
                    QStringLiteral("2026-1103-0001"));
    const SyncEngine::RunSummary run = engine().runOnce();
    QCOMPARE(run.batches, 3);
    QCOMPARE(run.push.delivered, 40);
    QCOMPARE(m_fake->eventRequests(), 40);
    QHash<int, int> perBatch;
    for (const FakeTransport::Exchange &e : std::as_const(m_fake->exchanges))
        ++perBatch[e.batch];
    for (int n : std::as_const(perBatch))
        QVERIFY(n <= 16);
    const SyncStatus st = engine().status();
    QCOMPARE(st.delivered, 40);
    QCOMPARE(st.pending, 0);
    QVERIFY(st.online);
    QVERIFY(st.lastSuccess.isValid());
}

void TestSyncEngine::closureWaitsForItsReceipts()
{
    const QString a = QStringLiteral("2026-1103-0001"), b = QStringLiteral("2026-1103-0002"),
                  d = QStringLiteral("2026-1103-0003");
    const qint64 receiptA = insertEvent(QStringLiteral("receipt"), a);
    const qint64 closureA = insertEvent(QStringLiteral("closure"), a);
    insertEvent(QStringLiteral("receipt"), b, QStringLiteral("held")); // its box is still open
    const qint64 closureB = insertEvent(QStringLiteral("closure"), b);
    insertEvent(QStringLiteral("receipt"), d, QStringLiteral("dead"));
    const qint64 closureD = insertEvent(QStringLiteral("closure"), d);

    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::error(503, QStringLiteral("busy")));
    SyncEngine::RunSummary run = engine().runOnce();
    QCOMPARE(run.push.sent, 1); // only receipt A: every closure waits for a receipt of its case
    QCOMPARE(m_fake->to(QStringLiteral("/closure")).size(), 0);
    QCOMPARE(row(receiptA).state, QStringLiteral("pending"));

    m_clock->set(Start.addSecs(120));
    run = engine().runOnce();
    QCOMPARE(row(receiptA).state, QStringLiteral("delivered"));
    QCOMPARE(row(closureA).state, QStringLiteral("delivered"));
    const QList<FakeTransport::Exchange> closures = m_fake->to(QStringLiteral("/closure"));
    QCOMPARE(closures.size(), 1);
    QCOMPARE(closures.front().request.url.path(), QStringLiteral("/v1/cases/%1/closure").arg(a));
    // The closure left in a later batch than the receipt's delivery.
    QVERIFY(closures.front().batch > m_fake->to(QStringLiteral("/receipts")).last().batch);
    QCOMPARE(row(closureB).state, QStringLiteral("pending"));
    QCOMPARE(row(closureD).state, QStringLiteral("pending"));
    QCOMPARE(row(closureB).attempts, 0);
    QCOMPARE(row(closureD).attempts, 0);
    // Those two wait for people (an open box, a dead letter), not for the upstream.
    QCOMPARE(OutboxStore(*m_db).awaitingUpstream(), 0);
}

void TestSyncEngine::pullStoresCursorOnlyAfterLastPage()
{
    const QString t1 = QStringLiteral("2026-11-03T11:00:00.001Z"),
                  t2 = QStringLiteral("2026-11-03T11:00:00.500Z"),
                  t3 = QStringLiteral("2026-11-03T11:00:01.000Z");
    const auto page1 = FakeTransport::casePage(
        {caseJson(QStringLiteral("2026-1103-0001"), QStringLiteral("open"),
                  QStringLiteral("2026-11-02T10:00:00.000Z"), {QStringLiteral("JN11AA000001")})},
        QStringLiteral("p2+/="), t1);
    const auto page2 = FakeTransport::casePage(
        {caseJson(QStringLiteral("2026-1103-0002"), QStringLiteral("open"),
                  QStringLiteral("2026-11-02T10:00:01.000Z"), {QStringLiteral("JN11AA000002")})},
        QStringLiteral("p3"), t2);
    const auto page3 = FakeTransport::casePage(
        {caseJson(QStringLiteral("2026-1103-0003"), QStringLiteral("closed"),
                  QStringLiteral("2026-11-02T10:00:02.000Z"), {QStringLiteral("JN11AA000003")})},
        QString(), t3);

    // Interrupted on the third page: what came is kept (upserts are harmless to repeat), the cursor is not.
    m_fake->enqueue(QStringLiteral("/v1/cases"), page1);
    m_fake->enqueue(QStringLiteral("/v1/cases"), page2);
    m_fake->enqueue(QStringLiteral("/v1/cases"), FakeTransport::error(503, QStringLiteral("busy")));
    SyncEngine::PullResult r = engine().pullCases();
    QCOMPARE(r.problem, SyncEngine::Problem::Unreachable);
    QCOMPARE(r.pages, 2);
    QVERIFY(caseKnown(QStringLiteral("2026-1103-0001")));
    QVERIFY(caseKnown(QStringLiteral("2026-1103-0002")));
    QCOMPARE(setting(CursorKey), QString());

    // The next pull starts over (no updated_since), pages with the tokens, and stores the FIRST page's time.
    m_fake->enqueue(QStringLiteral("/v1/cases"), page1);
    m_fake->enqueue(QStringLiteral("/v1/cases"), page2);
    m_fake->enqueue(QStringLiteral("/v1/cases"), page3);
    const qsizetype before = m_fake->to(QStringLiteral("/v1/cases")).size();
    r = engine().pullCases();
    QCOMPARE(r.problem, SyncEngine::Problem::None);
    QCOMPARE(r.pages, 3);
    QCOMPARE(setting(CursorKey), t1);
    QCOMPARE(caseStatus(QStringLiteral("2026-1103-0003")), QStringLiteral("closed"));
    const QList<FakeTransport::Exchange> calls = m_fake->to(QStringLiteral("/v1/cases")).mid(before);
    QCOMPARE(calls.size(), 3);
    QCOMPARE(queryValue(calls[0].request.url, QStringLiteral("updated_since")), QString());
    QCOMPARE(queryValue(calls[0].request.url, QStringLiteral("page_token")), QString());
    QCOMPARE(queryValue(calls[0].request.url, QStringLiteral("limit")), QStringLiteral("100"));
    QCOMPARE(queryValue(calls[1].request.url, QStringLiteral("page_token")), QStringLiteral("p2+/="));
    QCOMPARE(queryValue(calls[2].request.url, QStringLiteral("page_token")), QStringLiteral("p3"));
    QVERIFY(!calls[0].request.url.query(QUrl::FullyEncoded).contains(QLatin1String("status=")));

    // The following pull is incremental from t1, on every page.
    m_fake->enqueue(QStringLiteral("/v1/cases"), FakeTransport::casePage({}, QStringLiteral("q2"), t3));
    m_fake->enqueue(QStringLiteral("/v1/cases"), FakeTransport::casePage({}, QString(), t3));
    const qsizetype before2 = m_fake->to(QStringLiteral("/v1/cases")).size();
    QCOMPARE(engine().pullCases().problem, SyncEngine::Problem::None);
    const QList<FakeTransport::Exchange> incremental = m_fake->to(QStringLiteral("/v1/cases")).mid(before2);
    QCOMPARE(incremental.size(), 2);
    QCOMPARE(queryValue(incremental[0].request.url, QStringLiteral("updated_since")), t1);
    QCOMPARE(queryValue(incremental[1].request.url, QStringLiteral("page_token")), QStringLiteral("q2"));
    QCOMPARE(setting(CursorKey), t3);
}

void TestSyncEngine::malformedPageStoresNothingFromIt_data()
{
    QTest::addColumn<QByteArray>("body");
    const QString t = QStringLiteral("2026-11-03T11:00:00.500Z");
    const QJsonObject good =
        caseJson(QStringLiteral("2026-1103-0002"), QStringLiteral("open"),
                 QStringLiteral("2026-11-02T10:00:00.000Z"), {QStringLiteral("JN11AA000002")});
    QJsonObject badStatus =
        caseJson(QStringLiteral("2026-1103-0009"), QStringLiteral("reopened"),
                 QStringLiteral("2026-11-02T10:00:00.000Z"), {QStringLiteral("JN11AA000009")});
    QJsonObject noNumber = good;
    noNumber.remove(QStringLiteral("case_number"));
    const auto page = [&](const QJsonArray &cases, const QJsonValue &next, const QJsonValue &time) {
        return QJsonDocument(QJsonObject{{QStringLiteral("cases"), cases},
                                         {QStringLiteral("next_page_token"), next},
                                         {QStringLiteral("server_time"), time}})
            .toJson(QJsonDocument::Compact);
    };
    const QJsonValue null(QJsonValue::Null);
    QTest::newRow("not JSON") << QByteArray("{\"cases\": [") + QJsonDocument(good).toJson();
    QTest::newRow("HTML") << QByteArray("<html>gateway</html>");
    QTest::newRow("cases not a list") << page({}, null, t).replace("[]", "{}");
    QTest::newRow("invalid status") << page({good, badStatus}, null, t);
    QTest::newRow("no case number") << page({good, noNumber}, null, t);
    QTest::newRow("case not an object") << page({good, 42}, null, t);
    QTest::newRow("no server_time") << page({good}, null, QJsonValue());
    QTest::newRow("bad server_time") << page({good}, null, QStringLiteral("yesterday"));
    QTest::newRow("next token a number") << page({good}, 7, t);
}

void TestSyncEngine::malformedPageStoresNothingFromIt()
{
    QFETCH(QByteArray, body);
    const QString cursor = QStringLiteral("2026-11-01T00:00:00.000Z");
    {
        Statement s = m_db->prepare("INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?2)");
        s.bind(1, CursorKey).bind(2, cursor).exec();
    }
    m_fake->enqueue(
        QStringLiteral("/v1/cases"),
        FakeTransport::casePage({caseJson(QStringLiteral("2026-1103-0001"), QStringLiteral("open"),
                                          QStringLiteral("2026-11-02T09:00:00.000Z"))},
                                QStringLiteral("p2"), QStringLiteral("2026-11-03T11:00:00.001Z")));
    m_fake->enqueue(QStringLiteral("/v1/cases"), FakeTransport::raw(200, body));
    const SyncEngine::PullResult r = engine().pullCases();
    QCOMPARE(r.problem, SyncEngine::Problem::Invalid);
    QCOMPARE(r.pages, 1);
    QVERIFY(caseKnown(QStringLiteral("2026-1103-0001")));  // the good first page stays
    QVERIFY(!caseKnown(QStringLiteral("2026-1103-0002"))); // nothing from the bad one
    QVERIFY(!caseKnown(QStringLiteral("2026-1103-0009")));
    QCOMPARE(setting(CursorKey), cursor);
    QCOMPARE(queryValue(m_fake->to(QStringLiteral("/v1/cases")).front().request.url,
                        QStringLiteral("updated_since")),
             cursor);
    QVERIFY2(engine().status().lastError.contains(QLatin1String("nothing from")),
             qPrintable(engine().status().lastError));
}

void TestSyncEngine::caseClosedUpstreamWhileBoxOpen()
{
    const QString number = QStringLiteral("2026-1103-0001");
    importCase(caseJson(number, QStringLiteral("open"), QStringLiteral("2026-11-01T10:00:00.000Z"),
                        {QStringLiteral("JN11AA000001"), QStringLiteral("JN11AA000002")}));
    ReceivingService service(*m_db, *m_clock, ReceivingService::Options());
    const auto scan = [&](const char *raw) {
        ScanEvent e;
        e.raw = raw;
        e.sourceId = QStringLiteral("test");
        return service.scan(e, QStringLiteral("DOCK-1"));
    };
    QCOMPARE(scan("2026-1103-0001").outcome, Outcome::BoxOpened);
    QCOMPARE(scan("JN11AA000001").outcome, Outcome::Matched);

    m_fake->enqueue(
        QStringLiteral("/v1/cases"),
        FakeTransport::casePage(
            {caseJson(number, QStringLiteral("closed"), QStringLiteral("2026-11-03T11:59:00.000Z"),
                      {QStringLiteral("JN11AA000001"), QStringLiteral("JN11AA000002")})},
            QString(), QStringLiteral("2026-11-03T12:00:00.000Z")));
    const SyncEngine::PullResult r = engine().pullCases();
    QCOMPARE(r.problem, SyncEngine::Problem::None);
    QCOMPARE(r.cases, 1);
    QCOMPARE(caseStatus(number), QStringLiteral("closed"));

    // The box is still open at the dock, but the next unit of that case goes to the exception shelf.
    const Verdict v = scan("JN11AA000002");
    QCOMPARE(v.outcome, Outcome::CaseClosed);
    QCOMPARE(v.caseNumber, number);
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("case_closed"));

    // An older copy of the case (a replayed page) does not reopen it.
    m_fake->enqueue(QStringLiteral("/v1/cases"),
                    FakeTransport::casePage({caseJson(number, QStringLiteral("open"),
                                                      QStringLiteral("2026-11-01T10:00:00.000Z"))},
                                            QString(), QStringLiteral("2026-11-03T12:00:01.000Z")));
    QCOMPARE(engine().pullCases().cases, 0);
    QCOMPARE(caseStatus(number), QStringLiteral("closed"));
}

void TestSyncEngine::secretNeverExposed()
{
    const QByteArray basic = (ClientId.toUtf8() + ':' + Secret).toBase64();
    const QString echo =
        QStringLiteral("you sent %1 (Basic %2)").arg(QString::fromUtf8(Secret), QString::fromUtf8(basic));
    QStringList exposed;
    const auto collect = [&](const QString &s) { exposed.append(s); };

    // 1. The token endpoint refuses us and echoes what we sent.
    insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    m_fake->enqueue(QStringLiteral("/oauth/token"),
                    FakeTransport::error(401, QStringLiteral("invalid_client"), echo));
    SyncEngine::RunSummary run = engine().runOnce();
    collect(run.pull.error);
    collect(run.push.error);
    collect(engine().status().lastError);

    // 2. An event is refused (dead letter) with the echo; 3. one answered 5xx with it; 4. a proxy's transport
    // error carries it; 5. the case pull fails with it; 6. the 401-after-fresh-token path.
    m_clock->set(Start.addSecs(10));
    insertEvent(QStringLiteral("receipt"), QStringLiteral("2026-1103-0001"));
    insertEvent(QStringLiteral("unmatched"), QString());
    insertEvent(QStringLiteral("closure"), QStringLiteral("2026-1103-0009"));
    m_fake->enqueue(QStringLiteral("/v1/cases"), FakeTransport::error(500, QStringLiteral("internal"), echo));
    m_fake->enqueue(QStringLiteral("/receipts"), FakeTransport::error(422, QStringLiteral("invalid"), echo));
    m_fake->enqueue(QStringLiteral("/receipts"),
                    FakeTransport::error(502, QStringLiteral("bad_gateway"), echo));
    m_fake->enqueue(QStringLiteral("/v1/unmatched"), FakeTransport::noAnswer(echo));
    m_fake->enqueue(QStringLiteral("/closure"), FakeTransport::noAnswer(echo));
    run = engine().runOnce();
    collect(run.pull.error);
    collect(run.push.error);
    collect(engine().status().lastError);

    m_clock->set(Start.addSecs(4000));
    m_fake->always(QStringLiteral("/v1/cases"),
                   FakeTransport::error(401, QStringLiteral("invalid_token"), echo));
    run = engine().runOnce();
    collect(run.pull.error);
    collect(engine().status().lastError);
    QVERIFY(engine().status().credentialProblem);

    // The secret really went out (by Basic), so the checks below are not vacuous.
    const QList<FakeTransport::Exchange> tokenCalls = m_fake->to(QStringLiteral("/oauth/token"));
    bool sent = false;
    for (const FakeTransport::Exchange &e : tokenCalls)
        sent |= FakeTransport::header(e.request, "Authorization") == "Basic " + basic;
    QVERIFY(sent);

    Statement s = m_db->prepare(
        "SELECT coalesce(last_error, '') || ' ' || payload FROM outbox UNION ALL "
        "SELECT coalesce(value, '') FROM settings UNION ALL "
        "SELECT action || ' ' || coalesce(subject, '') || ' ' || coalesce(details, '') FROM audit_log");
    int errors = 0;
    while (s.next()) {
        collect(s.text(0));
        errors += s.text(0).contains(QLatin1String("HTTP")) || s.text(0).contains(QLatin1String("no answer"));
    }
    QVERIFY2(errors >= 3, "the outbox should hold the upstream's errors (scrubbed)");
    {
        QMutexLocker lock(&logMutex);
        exposed += capturedLog;
    }
    QVERIFY(exposed.join(QLatin1Char('\n')).contains(QLatin1String("[redacted]")));
    for (const QString &text : std::as_const(exposed)) {
        QVERIFY2(!text.contains(QString::fromUtf8(Secret)), qPrintable(text));
        QVERIFY2(!text.contains(QString::fromUtf8(basic)), qPrintable(text));
    }
}

void TestSyncEngine::workerClosesIdleBoxesAfterTheSettingsTablesTime_data()
{
    QTest::addColumn<int>("configured");  // station.box_idle_minutes
    QTest::addColumn<QString>("setting"); // the settings table's box_idle_minutes; null: no row
    QTest::addColumn<bool>("closed");     // after 10 idle minutes
    QTest::newRow("configuration: 30") << 30 << QString() << false;
    QTest::newRow("configuration: 5") << 5 << QString() << true;
    QTest::newRow("settings table: 5 wins over 30") << 30 << QStringLiteral("5") << true;
    QTest::newRow("settings table: 20 wins over 5") << 5 << QStringLiteral("20") << false;
    QTest::newRow("settings table: 9, a minute past") << 30 << QStringLiteral("9") << true;
    QTest::newRow("settings table: 10, not past yet") << 30 << QStringLiteral("10") << false;
    QTest::newRow("zero ignored") << 30 << QStringLiteral("0") << false;
    QTest::newRow("over a day ignored") << 30 << QStringLiteral("1441") << false;
    QTest::newRow("junk ignored") << 30 << QStringLiteral("soon") << false;
}

// The kiosk's sync loop closes a box nobody touched for box_idle_minutes, the settings table's value over the
// configuration's, with no upstream configured.
void TestSyncEngine::workerClosesIdleBoxesAfterTheSettingsTablesTime()
{
    QFETCH(int, configured);
    QFETCH(QString, setting);
    QFETCH(bool, closed);
    importCase(caseJson(QStringLiteral("2026-1103-0001"), QStringLiteral("open"),
                        QStringLiteral("2026-11-01T10:00:00.000Z")));
    ReceivingService service(*m_db, *m_clock, ReceivingService::Options());
    ScanEvent e;
    e.raw = "2026-1103-0001";
    e.sourceId = QStringLiteral("test");
    QCOMPARE(service.scan(e, QStringLiteral("DOCK-1")).outcome, Outcome::BoxOpened);
    if (!setting.isNull())
        m_db->prepare("INSERT INTO settings (key, value, updated_at) VALUES ('box_idle_minutes', ?1, ?2)")
            .bind(1, setting)
            .bind(2, isoUtc(Start))
            .exec();

    m_clock->set(Start.addSecs(10 * 60));
    UpstreamConfig config; // no upstream: the loop only closes boxes
    config.boxIdleMinutes = configured;
    SyncWorker worker(m_db->path(), config, QTimeZone::utc(), *m_clock);
    QSignalSpy status(&worker, &SyncWorker::statusChanged);
    worker.start();
    worker.stop();
    QCOMPARE(status.size(), 1);
    QCOMPARE(status.front().at(0).value<SyncStatus>().lastError, QString());
    Statement open = m_db->prepare("SELECT count(*) FROM boxes WHERE closed_at IS NULL");
    QVERIFY(open.next());
    QCOMPARE(open.int64(0), qint64(closed ? 0 : 1));
}

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "tst_syncengine.moc"
