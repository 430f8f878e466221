// SPDX-License-Identifier: GPL-3.0-or-later
// Outbox drain throughput to the reference upstream on loopback, and what it costs the event loop.
//
// Full run (manual; a minute or two):
//   cmake --build build/sync --target bench_sync receiving-cli && build/sync/tests/bench/bench_sync
// Options: --quick (the CI size: 500 receipts, concurrency 4), --events N (default 10000),
// --concurrency 4,8,16 (upstream.concurrency values to try), --dir <folder> (a real disk: the engine commits
// every batch with fsync). CTest runs only `bench_sync --quick` (label bench). Target: >= 2000 events/s.
//
// How it works. Setup: DemoData bulk cases (ten serials each) and one ReceivingService::scan per receipt,
// five serials of each case with no box open, so every scan leaves one pending receipt event and no case
// completes (no closures). The setup connection runs with synchronous=NORMAL, only to make the 10,000 scans
// quick; the drain's connection has the station's normal synchronous=FULL. The reference upstream is seeded
// with the same case numbers (--cases). Every event is its own HTTP request with its idempotency key, as the
// API defines; plain HTTP only because it is loopback. Then, per concurrency: a copy of that database, a
// reset upstream, and SyncEngine::pushDue() in a loop on a worker QThread (its own SQLite connection and curl
// handles), while the main thread's event loop runs a 1 ms QTimer and records the longest gap between ticks
// (the "GUI stall"). For comparison it also measures the two halves alone: the upstream with curl and no
// database (requests/s it sustains at that concurrency), and the engine with its database against an instant
// in-process upstream; and the stalls this machine gives a 1 ms timer while the worker does nothing at all.
// It fails (exit 1) only if an event is lost or duplicated, never on timings.

#include "CaseRecord.h"
#include "Clock.h"
#include "CurlTransport.h"
#include "Database.h"
#include "DemoData.h"
#include "OutboxStore.h"
#include "ReceivingService.h"
#include "ReferenceUpstreamProcess.h"
#include "ScanEvent.h"
#include "SyncEngine.h"
#include "UpstreamConfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <cstdio>
#include <functional>
#include <memory>

namespace {
constexpr int LinesPerCase = 10; // DemoData's bulk cases
constexpr int ReceiptsPerCase = 5;
const QString StationId = QStringLiteral("BENCH-01");

bool isMemoryFs(const QByteArray &type)
{
    return type == "tmpfs" || type == "ramfs";
}

QString chooseBase(const QString &requested)
{
    if (!requested.isEmpty())
        return requested;
    const QString tmp = qEnvironmentVariable("TMPDIR");
    if (!tmp.isEmpty() && QDir(tmp).exists() && !isMemoryFs(QStorageInfo(tmp).fileSystemType()))
        return tmp;
    return QStringLiteral(RS_BENCH_DIR);
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2)
                                       : QStringLiteral("?");
}

// Runs `work` on a worker thread while this thread's event loop ticks a 1 ms timer; returns the longest gap
// between two ticks beyond the 1 ms asked for, in ms, and how many gaps exceeded a 60 Hz frame.
struct Stall
{
    double longestMs = 0;
    int overFrame = 0;
    qint64 ticks = 0;
};
Stall runWatched(const std::function<void()> &work)
{
    Stall stall;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const double gapMs = double(now - last) / 1e6 - 1.0;
        stall.longestMs = std::max(stall.longestMs, gapMs);
        stall.overFrame += gapMs > 16.7;
        ++stall.ticks;
        last = now;
    });
    std::unique_ptr<QThread> worker(QThread::create(work));
    worker->setObjectName(QStringLiteral("sync-worker"));
    QEventLoop loop;
    QObject::connect(worker.get(), &QThread::finished, &loop, &QEventLoop::quit);
    tick.start();
    worker->start();
    loop.exec();
    tick.stop();
    worker->wait();
    return stall;
}

// Answers every request at once: the engine and its database alone.
class InstantUpstream : public HttpTransport
{
public:
    QList<HttpResponse> perform(const QList<HttpRequest> &requests) override
    {
        QList<HttpResponse> out;
        for (const HttpRequest &rq : requests) {
            HttpResponse r;
            r.status = rq.url.path().endsWith(QLatin1String("/oauth/token")) ? 200 : 201;
            r.body = r.status == 200
                         ? QByteArray(R"({"access_token":"t","token_type":"Bearer","expires_in":3600})")
                         : QByteArray("{}");
            out.append(r);
        }
        return out;
    }
};

struct Drain
{
    qint64 delivered = 0;
    qint64 batches = 0;
    double seconds = 0;
    QString error;
};

// One drain of the whole outbox in `dbPath` through `transport`, on the calling (worker) thread.
Drain drain(const QString &dbPath, HttpTransport &transport, const UpstreamConfig &config)
{
    Drain d;
    try {
        Database db;
        db.open(dbPath);
        SystemClock clock;
        SyncEngine engine(db, transport, config, clock);
        QElapsedTimer t;
        t.start();
        for (;;) {
            const SyncEngine::PushResult r = engine.pushDue();
            if (r.problem != SyncEngine::Problem::None) {
                d.error = r.error;
                break;
            }
            if (r.sent == 0)
                break;
            d.delivered += r.delivered;
            ++d.batches;
        }
        d.seconds = double(t.nsecsElapsed()) / 1e9;
    } catch (const DbException &e) {
        d.error = e.error().message;
    }
    return d;
}

// The upstream alone: `total` unmatched reports in batches of `concurrency`, no database.
double upstreamOnlyRate(const QString &url, int concurrency, int total)
{
    CurlTransport curl(CurlTransport::Options{QString(), 5000, 30000, 100, 15, concurrency});
    HttpRequest tokenRq;
    tokenRq.method = "POST";
    tokenRq.url = QUrl(url + QStringLiteral("/oauth/token"));
    tokenRq.headers = {{"Authorization", "Basic " + QByteArray("receiving-station:dock-secret").toBase64()},
                       {"Content-Type", "application/x-www-form-urlencoded"}};
    tokenRq.body = "grant_type=client_credentials";
    const QByteArray token = QJsonDocument::fromJson(curl.perform({tokenRq}).front().body)
                                 .object()
                                 .value(QLatin1String("access_token"))
                                 .toString()
                                 .toUtf8();
    const QString now = isoUtc(QDateTime::currentDateTimeUtc());
    QElapsedTimer t;
    t.start();
    int ok = 0;
    for (int sent = 0; sent < total && t.elapsed() < 10'000; sent += concurrency) {
        QList<HttpRequest> batch;
        for (int i = 0; i < concurrency; ++i) {
            const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
            HttpRequest rq;
            rq.method = "POST";
            rq.url = QUrl(url + QStringLiteral("/v1/unmatched"));
            rq.headers = {{"Content-Type", "application/json"},
                          {"Authorization", "Bearer " + token},
                          {"Idempotency-Key", key.toUtf8()}};
            rq.body = QJsonDocument(
                          QJsonObject{{QStringLiteral("report_id"), key},
                                      {QStringLiteral("serial"), QStringLiteral("CAPACITY%1").arg(sent + i)},
                                      {QStringLiteral("sku"), QJsonValue(QJsonValue::Null)},
                                      {QStringLiteral("case_number"), QJsonValue(QJsonValue::Null)},
                                      {QStringLiteral("tracking_number"), QJsonValue(QJsonValue::Null)},
                                      {QStringLiteral("received_at"), now},
                                      {QStringLiteral("station_id"), StationId},
                                      {QStringLiteral("notes"), QJsonValue(QJsonValue::Null)}})
                          .toJson(QJsonDocument::Compact);
            batch.append(rq);
        }
        for (const HttpResponse &r : curl.perform(batch))
            ok += r.status == 201;
    }
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    return ok / seconds;
}

QJsonObject control(const QString &url, const QByteArray &method, const QString &path)
{
    CurlTransport curl(CurlTransport::Options{});
    HttpRequest rq;
    rq.method = method;
    rq.url = QUrl(url + path);
    if (method == "POST") {
        rq.headers = {{"Content-Type", "application/json"}};
        rq.body = "{}";
    }
    return QJsonDocument::fromJson(curl.perform({rq}).front().body).object();
}

// Exactly once: every receipt accepted, no key and no serial twice. Empty when so.
QString checkUpstream(const QString &url, qint64 expected)
{
    QJsonObject stats;
    // Read from a worker thread like every other HTTP call here (the main thread is the "GUI").
    std::unique_ptr<QThread> t(
        QThread::create([&] { stats = control(url, "GET", QStringLiteral("/_control/stats")); }));
    t->start();
    t->wait();
    const int receipts =
        stats.value(QLatin1String("accepted")).toObject().value(QLatin1String("receipt")).toInt();
    if (receipts != expected)
        return QStringLiteral("the upstream accepted %1 receipts, expected %2").arg(receipts).arg(expected);
    if (!stats.value(QLatin1String("duplicates_by_serial")).toObject().isEmpty())
        return QStringLiteral("a serial was accepted twice");
    return QString();
}
} // namespace

int main(int argc, char *argv[])
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Outbox drain benchmark against the reference upstream"));
    parser.addHelpOption();
    const QCommandLineOption quickOption(QStringLiteral("quick"), QStringLiteral("CI size: prove it runs."));
    const QCommandLineOption eventsOption(QStringLiteral("events"), QStringLiteral("Receipts to drain."),
                                          QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption concurrencyOption(
        QStringLiteral("concurrency"), QStringLiteral("upstream.concurrency values, comma-separated."),
        QStringLiteral("list"), QStringLiteral("4,8,16"));
    const QCommandLineOption dirOption(QStringLiteral("dir"),
                                       QStringLiteral("Folder for the databases (a real disk)."),
                                       QStringLiteral("folder"));
    parser.addOptions({quickOption, eventsOption, concurrencyOption, dirOption});
    parser.process(app);
    const bool quick = parser.isSet(quickOption);
    const qint64 events = quick ? 500 : std::max(1LL, parser.value(eventsOption).toLongLong());
    QList<int> levels;
    for (const QString &c :
         (quick ? QStringLiteral("4") : parser.value(concurrencyOption)).split(QLatin1Char(','))) {
        const int n = c.trimmed().toInt();
        if (n >= 1 && n <= 16)
            levels.append(n);
    }
    if (levels.isEmpty()) {
        std::fprintf(stderr, "--concurrency: whole numbers from 1 to 16\n");
        return 2;
    }

    const QString base = chooseBase(parser.value(dirOption));
    QDir().mkpath(base);
    QTemporaryDir dir(base + QStringLiteral("/bench_sync-XXXXXX"));
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot create a folder under %s\n", qPrintable(base));
        return 2;
    }
    const QStorageInfo storage(dir.path());
    std::printf("bench_sync (%s): %lld receipt events, concurrency %s\n", quick ? "quick" : "full",
                static_cast<long long>(events), qPrintable(parser.value(concurrencyOption)));
    std::printf("  folder      %s (%s)\n", qPrintable(dir.path()), storage.fileSystemType().constData());
    std::printf("  load avg    %s on %d cores\n", qPrintable(loadAverage()), QThread::idealThreadCount());

    // Setup: cases on both sides, then one scan per receipt.
    const QString templateDb = dir.filePath(QStringLiteral("template.db"));
    const qint64 cases = (events + ReceiptsPerCase - 1) / ReceiptsPerCase;
    QElapsedTimer setup;
    setup.start();
    try {
        Database db;
        db.open(templateDb);
        db.exec("PRAGMA synchronous=NORMAL"); // setup only: the drain below commits with FULL
        const QDate today = QDateTime::currentDateTimeUtc().date();
        DemoData::write(db, DemoData::Options{today, cases * LinesPerCase, false});
        SystemClock clock;
        ReceivingService service(db, clock, ReceivingService::Options());
        qint64 scanned = 0;
        for (qint64 c = 0; c < cases && scanned < events; ++c) {
            for (int l = 0; l < ReceiptsPerCase && scanned < events; ++l, ++scanned) {
                ScanEvent e;
                e.raw = DemoData::bulkSerial(c * LinesPerCase + l).toUtf8();
                e.sourceId = QStringLiteral("bench");
                const Verdict v = service.scan(e, StationId);
                if (v.outcome != Outcome::Matched) {
                    std::fprintf(stderr, "setup scan %s: %s\n", e.raw.constData(), qPrintable(v.message));
                    return 1;
                }
            }
        }
        const QHash<QString, qint64> counts = OutboxStore(db).countsByState();
        if (counts.value(QStringLiteral("pending")) != events) {
            std::fprintf(stderr, "setup left %lld pending events, expected %lld\n",
                         static_cast<long long>(counts.value(QStringLiteral("pending"))),
                         static_cast<long long>(events));
            return 1;
        }
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const DbException &e) {
        std::fprintf(stderr, "setup: %s\n", qPrintable(e.error().message));
        return 1;
    }
    std::printf(
        "  setup       %lld ReceivingService scans (synchronous=NORMAL) into %lld bulk cases: %.1f s\n",
        static_cast<long long>(events), static_cast<long long>(cases), double(setup.elapsed()) / 1000);

    QJsonArray upstreamCases;
    for (qint64 c = 1; c <= cases; ++c)
        upstreamCases.append(
            QJsonObject{{QStringLiteral("case_number"), DemoData::bulkCaseNumber(c)},
                        {QStringLiteral("program"), QStringLiteral("TMIP")},
                        {QStringLiteral("phase"), 1},
                        {QStringLiteral("disposition"), QStringLiteral("trade_in")},
                        {QStringLiteral("status"), QStringLiteral("open")},
                        {QStringLiteral("customer"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("Bulk Customer")},
                                     {QStringLiteral("account_id"), QStringLiteral("ACC-BULK")}}},
                        {QStringLiteral("partner"), QJsonValue(QJsonValue::Null)},
                        {QStringLiteral("order_date"), QStringLiteral("2026-01-01")},
                        {QStringLiteral("due_date"), QStringLiteral("2099-01-01")},
                        {QStringLiteral("tracking_numbers"), QJsonArray()},
                        {QStringLiteral("items"),
                         QJsonArray{QJsonObject{{QStringLiteral("line"), 1},
                                                {QStringLiteral("sku"), QStringLiteral("EX4300-48T")},
                                                {QStringLiteral("description"), QStringLiteral("bulk")},
                                                {QStringLiteral("serial"), QJsonValue(QJsonValue::Null)},
                                                {QStringLiteral("quantity"), LinesPerCase}}}}});
    const QString casesFile = dir.filePath(QStringLiteral("cases.json"));
    {
        QFile f(casesFile);
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(QJsonDocument(QJsonObject{{QStringLiteral("cases"), upstreamCases}})
                        .toJson(QJsonDocument::Compact)) < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(casesFile));
            return 1;
        }
    }
    std::printf("\n%-10s %-12s %8s %9s %11s %9s %14s %11s %18s\n", "upstream", "concurrency", "events",
                "seconds", "events/s", "batches", "longest stall", "gaps >16ms", "upstream alone");
    int failures = 0;
    double best = 0;
    {
        ReferenceUpstreamProcess upstream;
        QString why;
        if (!upstream.start({QStringLiteral("--cases"), casesFile}, &why)) {
            std::fprintf(stderr, "%s\n", qPrintable(why));
            return 1;
        }
        for (int level : std::as_const(levels)) {
            const QString runDb = dir.filePath(QStringLiteral("run-reference-%1.db").arg(level));
            QFile::copy(templateDb, runDb);
            std::unique_ptr<QThread> resetter(
                QThread::create([&] { control(upstream.url(), "POST", QStringLiteral("/_control/reset")); }));
            resetter->start();
            resetter->wait();

            UpstreamConfig config;
            config.url = QUrl(upstream.url());
            config.clientId = QStringLiteral("receiving-station");
            config.clientSecretFile = dir.filePath(QStringLiteral("client_secret"));
            config.concurrency = level;
            {
                QFile secret(config.clientSecretFile);
                if (!secret.open(QIODevice::WriteOnly) || secret.write("dock-secret") < 0)
                    return 1;
            }
            Drain d;
            const Stall stall = runWatched([&] {
                CurlTransport curl(CurlTransport::Options{QString(), 5000, 30000, 100, 15, level});
                d = drain(runDb, curl, config);
            });
            const QString problem = d.error.isEmpty() ? checkUpstream(upstream.url(), events) : d.error;
            double capacity = 0;
            std::unique_ptr<QThread> probe(QThread::create(
                [&] { capacity = upstreamOnlyRate(upstream.url(), level, quick ? 400 : 4000); }));
            probe->start();
            probe->wait();
            const double rate = d.seconds > 0 ? double(d.delivered) / d.seconds : 0;
            best = std::max(best, rate);
            std::printf("%-10s %-12d %8lld %9.2f %11.0f %9lld %11.1f ms %11d %12.0f req/s\n", "reference",
                        level, static_cast<long long>(d.delivered), d.seconds, rate,
                        static_cast<long long>(d.batches), stall.longestMs, stall.overFrame, capacity);
            if (!problem.isEmpty() || d.delivered != events) {
                std::printf("  FAILED: %s (%lld of %lld delivered)\n", qPrintable(problem),
                            static_cast<long long>(d.delivered), static_cast<long long>(events));
                ++failures;
            }
            QFile::remove(runDb);
        }
    }

    // The engine and its database alone, against an upstream that answers instantly.
    for (int level : std::as_const(levels)) {
        const QString runDb = dir.filePath(QStringLiteral("run-instant-%1.db").arg(level));
        QFile::copy(templateDb, runDb);
        UpstreamConfig config;
        config.url = QUrl(QStringLiteral("http://127.0.0.1:1"));
        config.clientId = QStringLiteral("receiving-station");
        config.clientSecretFile = dir.filePath(QStringLiteral("client_secret"));
        config.concurrency = level;
        Drain d;
        const Stall stall = runWatched([&] {
            InstantUpstream instant;
            d = drain(runDb, instant, config);
        });
        std::printf("%-10s %-12d %8lld %9.2f %11.0f %9lld %11.1f ms %11d %18s\n", "instant", level,
                    static_cast<long long>(d.delivered), d.seconds,
                    d.seconds > 0 ? double(d.delivered) / d.seconds : 0.0, static_cast<long long>(d.batches),
                    stall.longestMs, stall.overFrame, "(no HTTP)");
        QFile::remove(runDb);
    }
    // What this machine does to a 1 ms timer anyway: the worker only sleeps.
    {
        const int seconds = quick ? 2 : 10;
        const Stall stall = runWatched([seconds] { QThread::sleep(seconds); });
        std::printf("%-10s %-12s %8s %9d %11s %9s %11.1f ms %11d %18s\n", "idle", "-", "-", seconds, "-", "-",
                    stall.longestMs, stall.overFrame, "(no work)");
    }
    std::printf("\nbest: %.0f events/s against the reference upstream (target 2000: %s)\n", best,
                best >= 2000 ? "met" : "NOT met");
    return failures ? 1 : 0;
}
