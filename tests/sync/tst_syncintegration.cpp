// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseStore.h"
#include "Clock.h"
#include "CurlTransport.h"
#include "Database.h"
#include "DemoData.h"
#include "IsolatedEnvironment.h"
#include "ReceivingService.h"
#include "ReferenceUpstreamProcess.h"
#include "ScanEvent.h"
#include "SyncEngine.h"
#include "TestStore.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <memory>

// Upstream sync end to end: real receiving-cli processes against the reference upstream
// (tests/upstream/reference_upstream.py) on loopback, with injected failures, SIGKILLs, TLS, and Prism
// checking every request against openapi.yaml. A missing tool (python3, node, openssl) fails the test;
// nothing skips.
//
// Each scenario is registered as its own CTest test (tests/sync/CMakeLists.txt) and can be run alone:
//   build/sync/tests/sync/tst_syncintegration crashKilledMidPush

namespace {
const QString Cli = QStringLiteral(RS_CLI_PATH);
const QString UpstreamDir = QStringLiteral(RS_SOURCE_DIR "/tests/upstream");
const QString StationId = QStringLiteral("DOCK-1");
const QByteArray GoodSecret = "dock-secret";
constexpr int CliTimeoutMs = 90'000;

struct Run
{
    bool finished = false; // exited by itself in time
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const
    {
        return QStringLiteral("exit %1%2\n--- stdout\n%3--- stderr\n%4")
            .arg(exitCode)
            .arg(finished ? QString() : QStringLiteral(" (killed: timed out)"),
                 QString::fromUtf8(out.right(3000)), QString::fromUtf8(err.right(3000)));
    }
};

Run runProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env,
               const QString &workingDir = QString(), const QByteArray &input = QByteArray(),
               int timeoutMs = CliTimeoutMs)
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(30'000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    const bool done = p.waitForFinished(timeoutMs);
    if (!done) {
        p.kill();
        p.waitForFinished(10'000);
    }
    r.finished = done && p.exitStatus() == QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString findTool(const QString &name)
{
    return QStandardPaths::findExecutable(name);
}

int freeLoopbackPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = s.serverPort();
    s.close();
    return port;
}

QJsonObject caseJson(const QString &number, const QStringList &serials,
                     const QString &updatedAt = QStringLiteral("2026-01-05T08:00:00.000Z"))
{
    QJsonArray items;
    int line = 0;
    for (const QString &s : serials)
        items.append(QJsonObject{{QStringLiteral("line"), ++line},
                                 {QStringLiteral("sku"), QStringLiteral("EX4300-48T")},
                                 {QStringLiteral("description"), QStringLiteral("EX4300 48-port switch")},
                                 {QStringLiteral("serial"), s},
                                 {QStringLiteral("quantity"), 1}});
    QJsonObject c{{QStringLiteral("case_number"), number},
                  {QStringLiteral("program"), QStringLiteral("TMIP")},
                  {QStringLiteral("phase"), 1},
                  {QStringLiteral("disposition"), QStringLiteral("trade_in")},
                  {QStringLiteral("status"), QStringLiteral("open")},
                  {QStringLiteral("customer"),
                   QJsonObject{{QStringLiteral("name"), QStringLiteral("Sync Test Customer")},
                               {QStringLiteral("account_id"), QStringLiteral("ACC-900001")}}},
                  {QStringLiteral("partner"), QJsonValue(QJsonValue::Null)},
                  {QStringLiteral("order_date"), QStringLiteral("2026-01-01")},
                  {QStringLiteral("due_date"), QStringLiteral("2099-12-31")},
                  {QStringLiteral("tracking_numbers"), QJsonArray()},
                  {QStringLiteral("items"), items}};
    if (!updatedAt.isEmpty())
        c.insert(QStringLiteral("updated_at"), updatedAt);
    return c;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// The reference upstream as a child process (stopped when it goes out of scope), with a curl handle for its
// /_control endpoints.
class Upstream
{
public:
    bool start(const QStringList &extraArgs, QString *why, const QString &scheme = QStringLiteral("http"),
               const QString &caBundle = QString())
    {
        if (!m_process.start(extraArgs, why, scheme))
            return false;
        m_control =
            std::make_unique<CurlTransport>(CurlTransport::Options{caBundle, 5000, 30000, 100, 15, 2});
        return true;
    }
    void stop() { m_process.stop(); }
    int port() const { return m_process.port(); }
    QString url(const QString &host = QStringLiteral("127.0.0.1")) const { return m_process.url(host); }

    // A /_control call (never faulted).
    QJsonObject control(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        HttpRequest rq;
        rq.method = method;
        rq.url = QUrl(url(m_process.scheme() == QLatin1String("https") ? QStringLiteral("localhost")
                                                                       : QStringLiteral("127.0.0.1")) +
                      path);
        if (method == "POST") {
            rq.headers = {{"Content-Type", "application/json"}};
            rq.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
        const HttpResponse r = m_control->perform({rq}).front();
        if (r.status != 200)
            qWarning() << "control" << path << "answered" << r.status << r.transportError << r.body;
        return QJsonDocument::fromJson(r.body).object();
    }
    QJsonObject stats() { return control("GET", QStringLiteral("/_control/stats")); }

private:
    ReferenceUpstreamProcess m_process;
    std::unique_ptr<CurlTransport> m_control;
};

// One station: its database, secret file and environment, and receiving-cli runs against it.
class Station
{
public:
    Station()
    {
        m_env = isolatedEnvironment(m_dir.path());
        setSecret(GoodSecret);
        m_env.insert(QStringLiteral("RECEIVING_CLIENT_ID"), QStringLiteral("receiving-station"));
        m_env.insert(QStringLiteral("RECEIVING_CLIENT_SECRET_FILE"), path(QStringLiteral("client_secret")));
    }

    bool isValid() const { return m_dir.isValid(); }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString db() const { return TestStore::location(path(QStringLiteral("station.db"))); }
    void setUpstream(const QString &url) { m_env.insert(QStringLiteral("RECEIVING_UPSTREAM_URL"), url); }
    void setSecret(const QByteArray &secret)
    {
        writeFile(path(QStringLiteral("client_secret")), secret + '\n');
    }
    void setConfig(const QByteArray &ini)
    {
        writeFile(path(QStringLiteral("station.conf")), ini);
        m_config = path(QStringLiteral("station.conf"));
    }
    const QProcessEnvironment &env() const { return m_env; }
    QStringList baseArgs() const
    {
        QStringList a{QStringLiteral("--db"), db(), QStringLiteral("--station"), StationId};
        if (!m_config.isEmpty())
            a << QStringLiteral("--config") << m_config;
        return a;
    }

    Run cli(const QStringList &args, const QByteArray &input = QByteArray(),
            int timeoutMs = CliTimeoutMs) const
    {
        return runProcess(Cli, baseArgs() + args, m_env, QString(), input, timeoutMs);
    }
    Run sync() const { return cli({QStringLiteral("sync"), QStringLiteral("--once")}); }

    struct Event
    {
        qint64 id;
        QString key;
        QString kind;
        QString caseNumber;
        QString state;
        int attempts;
        QString lastError;
    };
    QList<Event> outbox() const
    {
        Database d;
        d.open(db());
        QList<Event> events;
        Statement s =
            d.prepare("SELECT id, idempotency_key, kind, coalesce(case_number, ''), state, attempts, "
                      "coalesce(last_error, '') FROM outbox ORDER BY id");
        while (s.next())
            events.append(
                Event{s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), int(s.int64(5)), s.text(6)});
        return events;
    }
    QHash<QString, int> countByState() const
    {
        QHash<QString, int> c;
        for (const Event &e : outbox())
            ++c[e.state];
        return c;
    }

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QString m_config;
};

QString countsText(const QHash<QString, int> &c)
{
    QStringList parts;
    for (auto it = c.cbegin(); it != c.cend(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
    parts.sort();
    return parts.join(QLatin1Char(' '));
}

// Checks the upstream took every event of the station's outbox exactly once, no serial twice, and every
// closure after all receipts of its case. Empty when all is well.
QString exactlyOnceProblem(const QList<Station::Event> &outbox, const QJsonObject &stats)
{
    QSet<QString> stationKeys;
    QHash<QString, int> stationKinds;
    for (const Station::Event &e : outbox) {
        if (e.state != QLatin1String("delivered"))
            return QStringLiteral("outbox event %1 (%2) is %3, not delivered").arg(e.id).arg(e.kind, e.state);
        stationKeys.insert(e.key);
        ++stationKinds[e.kind];
    }
    const QJsonArray keys = stats.value(QLatin1String("keys")).toArray();
    QSet<QString> upstreamKeys;
    for (const QJsonValue k : keys) {
        if (upstreamKeys.contains(k.toString()))
            return QStringLiteral("key %1 was accepted twice").arg(k.toString());
        upstreamKeys.insert(k.toString());
    }
    if (upstreamKeys != stationKeys)
        return QStringLiteral("the upstream accepted %1 keys, the station delivered %2 (%3 missing upstream, "
                              "%4 unknown)")
            .arg(upstreamKeys.size())
            .arg(stationKeys.size())
            .arg((stationKeys - upstreamKeys).size())
            .arg((upstreamKeys - stationKeys).size());
    const QJsonObject accepted = stats.value(QLatin1String("accepted")).toObject();
    for (const char *kind : {"receipt", "closure", "unmatched"}) {
        if (accepted.value(QLatin1String(kind)).toInt() != stationKinds.value(QLatin1String(kind)))
            return QStringLiteral("%1: upstream accepted %2, station has %3")
                .arg(QLatin1String(kind))
                .arg(accepted.value(QLatin1String(kind)).toInt())
                .arg(stationKinds.value(QLatin1String(kind)));
    }
    const QJsonObject dups = stats.value(QLatin1String("duplicates_by_serial")).toObject();
    if (!dups.isEmpty())
        return QStringLiteral("serials accepted more than once: %1")
            .arg(QString::fromUtf8(QJsonDocument(dups).toJson(QJsonDocument::Compact)));
    const QJsonArray outOfOrder = stats.value(QLatin1String("out_of_order_closures")).toArray();
    if (!outOfOrder.isEmpty())
        return QStringLiteral("%1 closures arrived before their receipts").arg(outOfOrder.size());
    // And directly: a closure's sequence number is after every receipt of its case.
    QHash<QString, int> lastReceiptSeq;
    QHash<QString, int> closureSeq;
    for (const QJsonValue v : stats.value(QLatin1String("events")).toArray()) {
        const QJsonObject e = v.toObject();
        const QString c = e.value(QLatin1String("case_number")).toString();
        const int seq = e.value(QLatin1String("seq")).toInt();
        if (e.value(QLatin1String("kind")).toString() == QLatin1String("receipt"))
            lastReceiptSeq[c] = std::max(lastReceiptSeq.value(c), seq);
        else if (e.value(QLatin1String("kind")).toString() == QLatin1String("closure"))
            closureSeq[c] = seq;
    }
    for (auto it = closureSeq.cbegin(); it != closureSeq.cend(); ++it) {
        if (lastReceiptSeq.value(it.key()) > it.value())
            return QStringLiteral("case %1 was closed (seq %2) before its receipt (seq %3)")
                .arg(it.key())
                .arg(it.value())
                .arg(lastReceiptSeq.value(it.key()));
    }
    return QString();
}

// Runs `sync --once` until it exits 0 (bounded), failing on any other exit code than 0 or 5.
QString syncUntilClean(const Station &station, int maxRuns, int pauseMs, int *runsOut = nullptr)
{
    QDeadlineTimer deadline(150'000);
    Run last;
    int runs = 0;
    while (runs < maxRuns && !deadline.hasExpired()) {
        last = station.sync();
        ++runs;
        if (!last.finished || (last.exitCode != 0 && last.exitCode != 5))
            return QStringLiteral("sync --once run %1: %2").arg(runs).arg(last.describe());
        if (last.exitCode == 0)
            break;
        QThread::msleep(pauseMs);
    }
    if (runsOut)
        *runsOut = runs;
    if (last.exitCode != 0)
        return QStringLiteral("no clean sync after %1 runs; last: %2; outbox %3")
            .arg(runs)
            .arg(last.describe(), countsText(station.countByState()));
    return QString();
}

// Serial numbers that look like Juniper ones but are nobody's carrier tracking number.
QString testSerial(const char *prefix, int a, int b)
{
    return QStringLiteral("%1%2%3")
        .arg(QLatin1String(prefix))
        .arg(a, 4, 10, QLatin1Char('0'))
        .arg(b, 5, 10, QLatin1Char('0'));
}

// Dock activity for `cases` generated cases (four lines each: even ones received in full, so they close, odd
// ones with a line missing), each box with one unit nobody expects, then `loose` unknown units with no box,
// plus a demo case received in full. Returns the scan script; `casesFile` gets the cases for both sides.
QByteArray dockActivity(int cases, int loose, const QString &casesFile)
{
    QJsonArray all;
    QByteArray script;
    for (int i = 0; i < cases; ++i) {
        const QString number = QStringLiteral("7100-0001-%1").arg(i, 4, 10, QLatin1Char('0'));
        QStringList serials;
        for (int l = 1; l <= 4; ++l)
            serials << testSerial("SY", i, l);
        all.append(caseJson(number, serials));
        script += number.toUtf8() + '\n';
        for (int l = 0; l < (i % 2 == 0 ? 4 : 3); ++l)
            script += serials[l].toUtf8() + '\n';
        script += testSerial("UXB", i, 0).toUtf8() + "\n:DONE\n";
    }
    for (int i = 0; i < loose; ++i)
        script += testSerial("UXL", i, 1).toUtf8() + '\n';
    script += "123456789012\nPE3716460123\nPE3716460124\nPE3716460125\n:DONE\n";
    writeFile(casesFile, QJsonDocument(QJsonObject{{QStringLiteral("cases"), all}}).toJson());
    return script;
}

// The station side of dockActivity: demo data, the generated cases, the scans. Empty when all went well.
QString prepareStation(Station &station, const QString &casesFile, const QByteArray &script)
{
    Run r = station.cli({QStringLiteral("demo-data")});
    if (r.exitCode != 0)
        return QStringLiteral("demo-data: ") + r.describe();
    r = station.cli({QStringLiteral("import-cases"), casesFile});
    if (r.exitCode != 0)
        return QStringLiteral("import-cases: ") + r.describe();
    r = station.cli({QStringLiteral("--operator"), QStringLiteral("BADGE-1001"), QStringLiteral("scan")},
                    script, 180'000);
    if (r.exitCode != 0)
        return QStringLiteral("scan: ") + r.describe();
    if (r.out.count('\n') != script.count('\n'))
        return QStringLiteral("scan answered %1 verdicts for %2 scans")
            .arg(r.out.count('\n'))
            .arg(script.count('\n'));
    if (r.out.contains("\"outcome\":\"not_recorded\""))
        return QStringLiteral("a scan was not recorded: ") + r.describe();
    return QString();
}

// Wraps a transport and keeps every exchange, for the Prism test.
class RecordingTransport : public HttpTransport
{
public:
    explicit RecordingTransport(HttpTransport &inner) : m_inner(inner) {}
    QList<HttpResponse> perform(const QList<HttpRequest> &requests) override
    {
        const QList<HttpResponse> responses = m_inner.perform(requests);
        for (qsizetype i = 0; i < requests.size(); ++i)
            exchanges.append({requests[i], responses.value(i)});
        return responses;
    }
    QList<QPair<HttpRequest, HttpResponse>> exchanges;

private:
    HttpTransport &m_inner;
};

QString ensureNodeTools()
{
    if (findTool(QStringLiteral("node")).isEmpty() || findTool(QStringLiteral("npx")).isEmpty())
        return QStringLiteral("node/npx are not installed: Prism and Redocly cannot run");
    const QString prism = UpstreamDir + QStringLiteral("/node_modules/.bin/prism");
    const QString redocly = UpstreamDir + QStringLiteral("/node_modules/.bin/redocly");
    if (QFile::exists(prism) && QFile::exists(redocly))
        return QString();
    const QString npm = findTool(QStringLiteral("npm"));
    if (npm.isEmpty())
        return QStringLiteral("npm is not installed and tests/upstream/node_modules is missing");
    const Run r =
        runProcess(npm, {QStringLiteral("ci"), QStringLiteral("--no-audit"), QStringLiteral("--no-fund")},
                   QProcessEnvironment::systemEnvironment(), UpstreamDir, QByteArray(), 300'000);
    if (r.exitCode != 0 || !QFile::exists(prism) || !QFile::exists(redocly))
        return QStringLiteral("npm ci in tests/upstream failed: ") + r.describe();
    return QString();
}
} // namespace

class TestSyncIntegration : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void chaosEveryEventExactlyOnce();
    void crashKilledMidPush();
    void exitCodes();
    void continuousSyncBacksOffTokenFailures();
    void tls();
    void prismValidatesClient();
    void openApiLint();
    void curlTransportRetryAfter();
    void caseChangeRematches();
};

void TestSyncIntegration::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(QFile::exists(Cli), qPrintable(Cli));
    QVERIFY2(!findTool(QStringLiteral("python3")).isEmpty(), "python3 is required (the reference upstream)");
}

void TestSyncIntegration::chaosEveryEventExactlyOnce()
{
    Station station;
    QVERIFY(station.isValid());
    const QString casesFile = station.path(QStringLiteral("cases.json"));
    const QByteArray script = dockActivity(24, 20, casesFile);
    Upstream upstream;
    QString why;
    QVERIFY2(upstream.start({QStringLiteral("--demo"), QStringLiteral("--cases"), casesFile,
                             QStringLiteral("--error-rate"), QStringLiteral("0.3"),
                             QStringLiteral("--error-phase"), QStringLiteral("both"),
                             QStringLiteral("--drop-rate"), QStringLiteral("0.1"),
                             QStringLiteral("--rate-limit-rate"), QStringLiteral("0.05"),
                             QStringLiteral("--token-lifetime"), QStringLiteral("3")},
                            &why),
             qPrintable(why));
    station.setUpstream(upstream.url());
    // Short back-off so the test spends its time on the exchange, not waiting; the faults are the point.
    station.setConfig("[upstream]\nbackoff_cap=2\nconcurrency=4\n");
    why = prepareStation(station, casesFile, script);
    QVERIFY2(why.isEmpty(), qPrintable(why));

    const QList<Station::Event> before = station.outbox();
    QHash<QString, int> kinds;
    for (const Station::Event &e : before) {
        QCOMPARE(e.state, QStringLiteral("pending"));
        ++kinds[e.kind];
    }
    QCOMPARE(kinds.value(QStringLiteral("receipt")), 12 * 4 + 12 * 3 + 3);
    QCOMPARE(kinds.value(QStringLiteral("closure")), 12 + 1);
    QCOMPARE(kinds.value(QStringLiteral("unmatched")), 24 + 20);

    int runs = 0;
    why = syncUntilClean(station, 150, 700, &runs);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const QJsonObject stats = upstream.stats();
    const QList<Station::Event> after = station.outbox();
    QCOMPARE(after.size(), before.size());
    why = exactlyOnceProblem(after, stats);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const QJsonObject faults = stats.value(QLatin1String("faults")).toObject();
    qInfo().noquote() << QStringLiteral(
                             "chaos: %1 events in %2 sync runs; %3 requests, %4 faults (%5), %6 replays, "
                             "%7 tokens")
                             .arg(after.size())
                             .arg(runs)
                             .arg(stats.value(QLatin1String("requests")).toInt())
                             .arg(stats.value(QLatin1String("faults_injected")).toInt())
                             .arg(QString::fromUtf8(QJsonDocument(faults).toJson(QJsonDocument::Compact)))
                             .arg(stats.value(QLatin1String("replays")).toInt())
                             .arg(stats.value(QLatin1String("tokens_issued")).toInt());
    QVERIFY(stats.value(QLatin1String("faults_injected")).toInt() > 20);
    QVERIFY(stats.value(QLatin1String("tokens_issued")).toInt() >= 2);
    for (const Station::Event &e : after)
        QVERIFY2(e.attempts >= 1, qPrintable(e.key));
}

void TestSyncIntegration::crashKilledMidPush()
{
    Station station;
    QVERIFY(station.isValid());
    const QString casesFile = station.path(QStringLiteral("cases.json"));
    // Many loose units (one unmatched event each) so pushes go on through every kill, plus cases with
    // closures.
    const QByteArray script = dockActivity(10, 900, casesFile);
    Upstream upstream;
    QString why;
    // Every answer is held back 150 ms after the event was applied: a kill then loses answers in flight.
    QVERIFY2(
        upstream.start({QStringLiteral("--demo"), QStringLiteral("--cases"), casesFile,
                        QStringLiteral("--slow-ms"), QStringLiteral("150"),
                        QStringLiteral("--fault-endpoints"), QStringLiteral("receipt,closure,unmatched")},
                       &why),
        qPrintable(why));
    station.setUpstream(upstream.url());
    station.setConfig("[upstream]\nbackoff_cap=1\nconcurrency=4\n");
    why = prepareStation(station, casesFile, script);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const int total = int(station.outbox().size());
    // Receipts and closures of the generated cases, their boxes' unexpected units, loose units, the demo
    // case.
    QCOMPARE(total, (5 * 4 + 5 * 3) + 5 + 10 + 900 + (3 + 1));

    const auto seen = [&upstream] {
        const QJsonObject s = upstream.stats();
        return s.value(QLatin1String("keys")).toArray().size() + s.value(QLatin1String("replays")).toInt();
    };
    QRandomGenerator random(20261126);
    int kills = 0;
    int midPush = 0;
    QDeadlineTimer deadline(150'000);
    while (midPush < 50 && kills < 120 && !deadline.hasExpired()) {
        const qsizetype before = seen();
        QProcess sync;
        sync.setProcessEnvironment(station.env());
        sync.start(Cli, station.baseArgs() + QStringList{QStringLiteral("sync")});
        QVERIFY2(sync.waitForStarted(30'000), qPrintable(sync.errorString()));
        // Wait until this run is pushing (the upstream took or replayed an event), then kill it at a random
        // moment of the next few batches.
        QDeadlineTimer pushing(30'000);
        while (seen() == before && sync.state() == QProcess::Running && !pushing.hasExpired())
            QThread::msleep(25);
        const bool wasPushing = seen() > before;
        QThread::msleep(random.bounded(0, 400));
        QVERIFY2(sync.state() == QProcess::Running,
                 qPrintable(QStringLiteral("sync stopped by itself (exit %1): %2")
                                .arg(sync.exitCode())
                                .arg(QString::fromUtf8(sync.readAllStandardError()))));
        sync.kill(); // SIGKILL
        QVERIFY(sync.waitForFinished(10'000));
        QCOMPARE(sync.exitStatus(), QProcess::CrashExit);
        ++kills;
        const QHash<QString, int> counts = station.countByState();
        if (wasPushing && counts.value(QStringLiteral("pending")) > 0)
            ++midPush;
    }
    qInfo().noquote() << QStringLiteral("crash: %1 SIGKILLs, %2 of them mid-push; outbox then %3")
                             .arg(kills)
                             .arg(midPush)
                             .arg(countsText(station.countByState()));
    QVERIFY2(midPush >= 50, qPrintable(QStringLiteral("only %1 kills landed mid-push").arg(midPush)));

    upstream.control("POST", QStringLiteral("/_control/faults"), QJsonObject{{QStringLiteral("slow_ms"), 0}});
    why = syncUntilClean(station, 40, 500);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const QJsonObject stats = upstream.stats();
    const QList<Station::Event> after = station.outbox();
    QCOMPARE(int(after.size()), total);
    why = exactlyOnceProblem(after, stats);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    qInfo().noquote() << QStringLiteral("crash: the upstream replayed %1 answers lost to a kill")
                             .arg(stats.value(QLatin1String("replays")).toInt());
    QVERIFY(stats.value(QLatin1String("replays")).toInt() > 0);
}

void TestSyncIntegration::exitCodes()
{
    Station station;
    QVERIFY(station.isValid());
    Upstream upstream;
    QString why;
    QVERIFY2(upstream.start({QStringLiteral("--demo")}, &why), qPrintable(why));
    station.setUpstream(upstream.url());
    QCOMPARE(station.cli({QStringLiteral("demo-data")}).exitCode, 0);

    // Nothing to send: 0.
    Run r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));

    // A case only this station knows: its receipt is refused (404) and dead-lettered; its closure waits
    // behind it. Exit 4, and a second run stays at 4 (the closure waits for a person, not for the upstream).
    const QJsonObject local = caseJson(QStringLiteral("2026-9999-0001"), {QStringLiteral("LCL000000001")});
    const QString localFile = station.path(QStringLiteral("local.json"));
    QVERIFY(writeFile(localFile,
                      QJsonDocument(QJsonObject{{QStringLiteral("cases"), QJsonArray{local}}}).toJson()));
    QCOMPARE(station.cli({QStringLiteral("import-cases"), localFile}).exitCode, 0);
    r = station.cli({QStringLiteral("--operator"), QStringLiteral("BADGE-1001"), QStringLiteral("scan")},
                    "LCL000000001\nUXE000000001\n");
    QVERIFY2(r.exitCode == 0 && r.out.contains("\"case_complete\":true"), qPrintable(r.describe()));
    r = station.sync();
    QVERIFY2(r.exitCode == 4, qPrintable(r.describe()));
    r = station.sync();
    QVERIFY2(r.exitCode == 4, qPrintable(r.describe()));
    r = station.cli({QStringLiteral("outbox"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject outbox = QJsonDocument::fromJson(r.out).object();
    const QJsonArray dead = outbox.value(QLatin1String("dead_letters")).toArray();
    QCOMPARE(dead.size(), 1);
    const QJsonObject letter = dead.first().toObject();
    QCOMPARE(letter.value(QLatin1String("kind")).toString(), QStringLiteral("receipt"));
    QVERIFY2(letter.value(QLatin1String("last_error")).toString().contains(QLatin1String("case_not_found")),
             qPrintable(r.describe()));
    const QJsonObject counts = outbox.value(QLatin1String("counts")).toObject();
    QCOMPARE(counts.value(QLatin1String("dead")).toInt(), 1);
    QCOMPARE(counts.value(QLatin1String("pending")).toInt(), 1);   // the closure
    QCOMPARE(counts.value(QLatin1String("delivered")).toInt(), 1); // the unmatched unit
    r = station.cli({QStringLiteral("outbox")});
    QVERIFY2(r.exitCode == 0 && r.out.contains("1 dead letters") && r.out.contains("case_not_found"),
             qPrintable(r.describe()));

    // Only a supervisor sends a dead letter again; once the upstream knows the case, both go, in order.
    const QString id = QString::number(letter.value(QLatin1String("id")).toInteger());
    r = station.cli({QStringLiteral("outbox"), QStringLiteral("retry"), id});
    QVERIFY2(r.exitCode == 1 && r.err.contains("supervisor"), qPrintable(r.describe()));
    r = station.cli({QStringLiteral("outbox"), QStringLiteral("retry"), id, QStringLiteral("--operator"),
                     QStringLiteral("BADGE-1001")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
    // The supervisor's badge alone is not enough: the PIN proves who acts (demo PIN of BADGE-2001).
    r = station.cli({QStringLiteral("outbox"), QStringLiteral("retry"), id, QStringLiteral("--operator"),
                     QStringLiteral("BADGE-2001")});
    QVERIFY2(r.exitCode == 1 && r.err.contains("PIN"), qPrintable(r.describe()));
    QTemporaryFile pinFile;
    QVERIFY(pinFile.open());
    pinFile.write("9876\n");
    pinFile.flush();
    const QStringList withPin{QStringLiteral("--pin-file"), pinFile.fileName()};
    r = station.cli(QStringList{QStringLiteral("outbox"), QStringLiteral("retry"), id,
                                QStringLiteral("--operator"), QStringLiteral("BADGE-2001")} +
                    withPin);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = station.cli(QStringList{QStringLiteral("outbox"), QStringLiteral("retry"), id,
                                QStringLiteral("--operator"), QStringLiteral("BADGE-2001")} +
                    withPin);
    QVERIFY2(r.exitCode == 1, qPrintable(r.describe())); // no longer a dead letter
    QJsonObject upstreamCase = local;
    upstreamCase.remove(QStringLiteral("updated_at"));
    upstream.control("POST", QStringLiteral("/_control/cases"), upstreamCase);
    r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    why = exactlyOnceProblem(station.outbox(), upstream.stats());
    QVERIFY2(why.isEmpty(), qPrintable(why));

    // Events in an open box are held, not waiting on the upstream: still 0.
    r = station.cli({QStringLiteral("--operator"), QStringLiteral("BADGE-1001"), QStringLiteral("scan")},
                    "2026-1105-0007\nCAKC1002\n");
    QCOMPARE(r.exitCode, 0);
    r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(station.countByState().value(QStringLiteral("held")), 1);
    QCOMPARE(station
                 .cli({QStringLiteral("--operator"), QStringLiteral("BADGE-1001"), QStringLiteral("scan")},
                      ":DONE\nUXE000000002\n")
                 .exitCode,
             0);

    // Wrong secret: 5, "rejects our credentials", events untouched (never dead), the secret nowhere.
    const QByteArray wrong = "not-the-right-secret-42";
    station.setSecret(wrong);
    r = station.sync();
    QVERIFY2(r.exitCode == 5 && r.err.contains("rejects our credentials"), qPrintable(r.describe()));
    QVERIFY(!r.out.contains(wrong) && !r.err.contains(wrong));
    QHash<QString, int> c = station.countByState();
    QCOMPARE(c.value(QStringLiteral("pending")), 2);
    QCOMPARE(c.value(QStringLiteral("dead")), 0);
    for (const Station::Event &e : station.outbox()) {
        if (e.state == QLatin1String("pending"))
            QCOMPARE(e.attempts, 0);
    }
    station.setSecret(GoodSecret);

    // 403 on every request: the same pause.
    upstream.control("POST", QStringLiteral("/_control/faults"),
                     QJsonObject{{QStringLiteral("forbid"), true}});
    r = station.sync();
    QVERIFY2(r.exitCode == 5 && r.err.contains("rejects our credentials"), qPrintable(r.describe()));
    QCOMPARE(station.countByState().value(QStringLiteral("dead")), 0);
    QCOMPARE(station.countByState().value(QStringLiteral("pending")), 2);
    upstream.control("POST", QStringLiteral("/_control/faults"),
                     QJsonObject{{QStringLiteral("forbid"), false}});

    // The upstream is down: 5, naming the connection problem; events untouched.
    upstream.stop();
    r = station.sync();
    QVERIFY2(r.exitCode == 5 && r.err.contains("connect"), qPrintable(r.describe()));
    QCOMPARE(station.countByState().value(QStringLiteral("pending")), 2);
    station.setUpstream(QStringLiteral("http://127.0.0.1:%1").arg(freeLoopbackPort()));
    r = station.sync();
    QVERIFY2(r.exitCode == 5, qPrintable(r.describe()));

    // Not configured at all, or a malformed setting: a usage error (2).
    Station bare;
    r = bare.cli({QStringLiteral("sync"), QStringLiteral("--once")});
    QVERIFY2(r.exitCode == 2 && r.err.contains("no upstream is configured"), qPrintable(r.describe()));
    bare.setUpstream(upstream.url());
    bare.setConfig("[upstream]\nconcurrency=1000\n");
    r = bare.cli({QStringLiteral("sync"), QStringLiteral("--once")});
    QVERIFY2(r.exitCode == 2 && r.err.contains("upstream.concurrency"), qPrintable(r.describe()));
}

// `receiving-cli sync` (continuous) with an event to send and a token endpoint answering 500: it backs off
// (RetryPolicy: 0.5-1 s, then 1-2 s, 2-4 s, 4-8 s...) instead of asking every second, and sends the event
// once the endpoint works again.
void TestSyncIntegration::continuousSyncBacksOffTokenFailures()
{
    Station station;
    QVERIFY(station.isValid());
    Upstream upstream;
    QString why;
    QVERIFY2(upstream.start({QStringLiteral("--demo"), QStringLiteral("--error-rate"), QStringLiteral("1"),
                             QStringLiteral("--error-phase"), QStringLiteral("before"),
                             QStringLiteral("--error-statuses"), QStringLiteral("500"),
                             QStringLiteral("--fault-endpoints"), QStringLiteral("token")},
                            &why),
             qPrintable(why));
    station.setUpstream(upstream.url());
    QCOMPARE(station.cli({QStringLiteral("demo-data")}).exitCode, 0);
    QCOMPARE(station
                 .cli({QStringLiteral("--operator"), QStringLiteral("BADGE-1001"), QStringLiteral("scan")},
                      "UXB000000001\n")
                 .exitCode,
             0);
    QCOMPARE(station.countByState().value(QStringLiteral("pending")), 1);

    QProcess sync;
    sync.setProcessEnvironment(station.env());
    sync.setProcessChannelMode(QProcess::MergedChannels);
    sync.start(Cli, station.baseArgs() + QStringList{QStringLiteral("sync")});
    QVERIFY2(sync.waitForStarted(30'000), qPrintable(sync.errorString()));
    const auto stopSync = qScopeGuard([&sync] {
        if (sync.state() != QProcess::NotRunning) {
            sync.kill();
            sync.waitForFinished(10'000);
        }
    });
    // Wait for its first token request, then watch ten seconds: a loop without back-off asks 10+ times.
    const auto tokenRequests = [&upstream] {
        return upstream.stats()
            .value(QLatin1String("responses"))
            .toObject()
            .value(QLatin1String("500"))
            .toInt();
    };
    QByteArray output;
    const auto readFor = [&](int ms) { // collects what sync prints (QProcess reads only while waiting)
        QDeadlineTimer until(ms);
        do {
            sync.waitForReadyRead(int(std::min<qint64>(until.remainingTime(), 200)));
            output += sync.readAll();
        } while (!until.hasExpired() && sync.state() == QProcess::Running);
    };
    QDeadlineTimer first(30'000);
    while (tokenRequests() == 0 && sync.state() == QProcess::Running && !first.hasExpired())
        readFor(50);
    QVERIFY2(tokenRequests() > 0, output.constData());
    readFor(10'000);
    const int asked = tokenRequests();
    QVERIFY2(sync.state() == QProcess::Running, output.constData());
    qInfo().noquote() << QStringLiteral("continuous sync: %1 token requests in about 10 s").arg(asked);
    QVERIFY2(asked >= 2 && asked <= 6,
             qPrintable(QStringLiteral("%1 token requests in about 10 s").arg(asked)));
    QCOMPARE(upstream.stats().value(QLatin1String("requests")).toInt(), asked); // nothing else was tried
    QCOMPARE(station.countByState().value(QStringLiteral("pending")), 1);
    // Said once (the summary's line and the log's), not every round.
    QVERIFY2(output.count("receiving-cli: Cannot get a token") == 1, output.constData());
    QVERIFY2(output.count("Cannot get a token") == 2, output.constData());

    // The endpoint recovers: the event goes at the next fetch (within the back-off cap, 60 s).
    upstream.control("POST", QStringLiteral("/_control/faults"),
                     QJsonObject{{QStringLiteral("error_rate"), 0}});
    QDeadlineTimer delivered(90'000);
    while (station.countByState().value(QStringLiteral("delivered")) != 1 && !delivered.hasExpired())
        QThread::msleep(200);
    QCOMPARE(station.countByState().value(QStringLiteral("delivered")), 1);
    sync.terminate();
    QVERIFY(sync.waitForFinished(10'000));
    QCOMPARE(sync.exitStatus(), QProcess::NormalExit);
    QCOMPARE(sync.exitCode(), 0);
    QCOMPARE(upstream.stats()
                 .value(QLatin1String("accepted"))
                 .toObject()
                 .value(QLatin1String("unmatched"))
                 .toInt(),
             1);
}

void TestSyncIntegration::tls()
{
    const QString openssl = findTool(QStringLiteral("openssl"));
    QVERIFY2(!openssl.isEmpty(), "openssl is required to make the test certificate");
    Station station;
    QVERIFY(station.isValid());
    const QString cert = station.path(QStringLiteral("cert.pem"));
    const QString key = station.path(QStringLiteral("key.pem"));
    const Run made =
        runProcess(openssl,
                   {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                    QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert},
                   QProcessEnvironment::systemEnvironment());
    QVERIFY2(made.exitCode == 0 && QFile::exists(cert), qPrintable(made.describe()));

    Upstream upstream;
    QString why;
    QVERIFY2(upstream.start({QStringLiteral("--demo"), QStringLiteral("--tls-cert"), cert,
                             QStringLiteral("--tls-key"), key},
                            &why, QStringLiteral("https"), cert),
             qPrintable(why));
    QCOMPARE(station.cli({QStringLiteral("demo-data")}).exitCode, 0);
    QCOMPARE(station
                 .cli({QStringLiteral("--operator"), QStringLiteral("BADGE-1001"), QStringLiteral("scan")},
                      "UXT000000001\n")
                 .exitCode,
             0);

    // Without our CA the self-signed certificate is refused: nothing sent, the reason names the certificate.
    station.setUpstream(upstream.url(QStringLiteral("localhost")));
    Run r = station.sync();
    QVERIFY2(r.exitCode == 5 && r.err.toLower().contains("certificate"), qPrintable(r.describe()));
    QCOMPARE(station.countByState().value(QStringLiteral("pending")), 1);
    QCOMPARE(upstream.stats().value(QLatin1String("requests")).toInt(), 0);

    // With it configured (upstream.ca_bundle), by name and by address (both are in the certificate).
    station.setConfig(QByteArray("[upstream]\nca_bundle=") + cert.toUtf8() + '\n');
    r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(station.countByState().value(QStringLiteral("delivered")), 1);
    QCOMPARE(station
                 .cli({QStringLiteral("--operator"), QStringLiteral("BADGE-1001"), QStringLiteral("scan")},
                      "UXT000000002\n")
                 .exitCode,
             0);
    station.setUpstream(upstream.url(QStringLiteral("127.0.0.1")));
    r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(station.countByState().value(QStringLiteral("delivered")), 2);

    // Plain http:// to a machine other than this one is refused before any connection is made (192.0.2.1 is
    // TEST-NET-1: nothing answers there, and nothing is sent there).
    for (const QString &url :
         {QStringLiteral("http://192.0.2.1:1"), QStringLiteral("http://receiving.example.com")}) {
        station.setUpstream(url);
        r = station.sync();
        QVERIFY2(r.exitCode == 2 && r.err.contains("http://") && r.err.contains("loopback"),
                 qPrintable(r.describe()));
        QVERIFY2(!r.out.contains("Pulled"), qPrintable(r.describe()));
    }
    station.setUpstream(QStringLiteral("ftp://127.0.0.1/"));
    r = station.sync();
    QVERIFY2(r.exitCode == 2 && r.err.contains("https://"), qPrintable(r.describe()));
}

void TestSyncIntegration::prismValidatesClient()
{
    const QString problem = ensureNodeTools();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    Upstream upstream;
    QString why;
    QVERIFY2(upstream.start({QStringLiteral("--demo")}, &why), qPrintable(why));

    const int prismPort = freeLoopbackPort();
    QVERIFY(prismPort > 0);
    QProcess prism;
    prism.setWorkingDirectory(UpstreamDir);
    prism.setProcessChannelMode(QProcess::MergedChannels);
    // The pinned local Prism (what `npx prism` runs), started directly so that stopping it leaves no child.
    prism.start(UpstreamDir + QStringLiteral("/node_modules/.bin/prism"),
                {QStringLiteral("proxy"), QStringLiteral("openapi.yaml"), upstream.url(),
                 QStringLiteral("-p"), QString::number(prismPort), QStringLiteral("-h"),
                 QStringLiteral("127.0.0.1"), QStringLiteral("--errors=false"),
                 QStringLiteral("--multiprocess=false")});
    QVERIFY2(prism.waitForStarted(30'000), qPrintable(prism.errorString()));
    const auto stopPrism = qScopeGuard([&prism] {
        prism.terminate();
        if (!prism.waitForFinished(5000)) {
            prism.kill();
            prism.waitForFinished(5000);
        }
    });
    QByteArray prismLog;
    QDeadlineTimer ready(120'000);
    while (!prismLog.contains("listening") && prism.state() == QProcess::Running && !ready.hasExpired()) {
        prism.waitForReadyRead(500);
        prismLog += prism.readAll();
    }
    QVERIFY2(prismLog.contains("listening"), prismLog.constData());

    // The station, in process: demo data, then a receipt of every shape, a closure, unmatched units, and one
    // receipt the upstream refuses (404) so a documented error answer goes through the proxy too.
    QTemporaryDir dir;
    Database db;
    db.open(TestStore::location(dir.filePath(QStringLiteral("station.db"))));
    const QTimeZone tz(QByteArrayLiteral("America/Chicago"));
    DemoData::Options demo;
    demo.today = QDateTime::currentDateTimeUtc().toTimeZone(tz).date();
    DemoData::write(db, demo);
    {
        QByteArray local =
            QJsonDocument(QJsonObject{{QStringLiteral("cases"),
                                       QJsonArray{caseJson(QStringLiteral("2026-9999-0002"),
                                                           {QStringLiteral("LCL000000002"),
                                                            QStringLiteral("LCL000000003")})}}})
                .toJson();
        QString err;
        QVERIFY2(CaseStore(db).importJson(local, QStringLiteral("test"), &err), qPrintable(err));
    }
    SystemClock clock;
    ReceivingService::Options options;
    options.timeZone = tz;
    ReceivingService service(db, clock, options);
    service.signIn(StationId, QStringLiteral("BADGE-1001"));
    QStringList outcomes;
    for (const char *raw : {"1Z999AA10123456784", "JN11F3A2BAFA", "CAHZ4512", "CAHZ4519", "PRISMUNIT001",
                            "SRX345", "PRISMUNIT002", "SRX345", ":DONE", "2026-0610-0003", "WS3718090001",
                            "PRISMUNIT003", ":DONE", "PRISMUNIT004", "LCL000000002"}) {
        ScanEvent e;
        e.raw = raw;
        e.sourceId = QStringLiteral("test");
        outcomes << outcomeName(service.scan(e, StationId).outcome);
    }
    QVERIFY2(outcomes.contains(QStringLiteral("matched_by_sku")),
             qPrintable(outcomes.join(QLatin1Char(' '))));

    UpstreamConfig config;
    config.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(prismPort));
    config.clientId = QStringLiteral("receiving-station");
    config.clientSecretFile = dir.filePath(QStringLiteral("client_secret"));
    QVERIFY(writeFile(config.clientSecretFile, GoodSecret));
    CurlTransport curl(CurlTransport::Options{});
    RecordingTransport recording(curl);
    SyncEngine engine(db, recording, config, clock);
    for (int i = 0; i < 3; ++i)
        engine.runOnce();
    const SyncStatus st = engine.status();
    QVERIFY2(st.online, qPrintable(st.lastError));
    QCOMPARE(st.pending, 0);
    QCOMPARE(st.dead, 1); // the local-only case's receipt (its closure, if any, waits behind it)

    QSet<QString> endpoints;
    QStringList violations;
    for (const auto &[rq, rs] : std::as_const(recording.exchanges)) {
        QString path = rq.url.path();
        if (path.endsWith(QLatin1String("/receipts")))
            path = QStringLiteral("receipts");
        else if (path.endsWith(QLatin1String("/closure")))
            path = QStringLiteral("closure");
        endpoints.insert(path + QLatin1Char(' ') + QString::number(rs.status));
        QVERIFY2(rs.status != 0, qPrintable(rs.transportError));
        const QByteArray v = rs.header("sl-violations");
        if (!v.isEmpty())
            violations << QStringLiteral("%1 %2 -> %3: %4")
                              .arg(QString::fromLatin1(rq.method), rq.url.toString())
                              .arg(rs.status)
                              .arg(QString::fromUtf8(v));
    }
    qInfo().noquote() << "through Prism:"
                      << QStringList(endpoints.begin(), endpoints.end()).join(QLatin1String(", "));
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1Char('\n'))));
    for (const char *expected : {"/oauth/token 200", "/v1/cases 200", "receipts 201", "closure 201",
                                 "/v1/unmatched 201", "receipts 404"})
        QVERIFY2(endpoints.contains(QLatin1String(expected)), expected);

    // The control: Prism does flag a request that breaks the document (a number for a serial, fields
    // missing).
    HttpRequest bad;
    bad.method = "POST";
    bad.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1/unmatched").arg(prismPort));
    bad.headers = {{"Content-Type", "application/json"},
                   {"Idempotency-Key", "b7c1d0a2-0000-4000-8000-000000000001"},
                   {"Authorization", "Bearer not-a-token"}};
    bad.body = R"({"serial": 5})";
    const HttpResponse refused = curl.perform({bad}).front();
    QVERIFY2(
        !refused.header("sl-violations").isEmpty(),
        qPrintable(QStringLiteral("Prism did not flag an invalid request (HTTP %1)").arg(refused.status)));
}

void TestSyncIntegration::openApiLint()
{
    const QString problem = ensureNodeTools();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // `npx @redocly/cli lint` with the pinned local copy (and tests/upstream/redocly.yaml's rules).
    const Run r = runProcess(UpstreamDir + QStringLiteral("/node_modules/.bin/redocly"),
                             {QStringLiteral("lint"), QStringLiteral("openapi.yaml")},
                             QProcessEnvironment::systemEnvironment(), UpstreamDir, QByteArray(), 240'000);
    qInfo().noquote() << QString::fromUtf8(r.err.trimmed().right(200));
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
}

void TestSyncIntegration::curlTransportRetryAfter()
{
    // A loopback server that answers each connection with the next canned response (Python, like the
    // upstream).
    const QDateTime future = QDateTime::currentDateTimeUtc().addSecs(120);
    const QByteArray futureDate =
        QLocale::c().toString(future, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss")).toLatin1() + " GMT";
    const QList<QPair<QByteArray, std::optional<qint64>>> cases{
        {"503 Service Unavailable", std::nullopt}, // no Retry-After: back-off, not "at once"
        {"503 Service Unavailable\r\nRetry-After: 7", 7},
        {"429 Too Many Requests\r\nRetry-After: 0", 0},
        {"429 Too Many Requests", std::nullopt},
        {"500 Internal Server Error\r\nRetry-After: 3", 3},
        {"503 Service Unavailable\r\nRetry-After: Wed, 21 Oct 2015 07:28:00 GMT", 0}, // in the past: clamped
        {"503 Service Unavailable\r\nRetry-After: " + futureDate, 120},
        {"201 Created", std::nullopt},
    };
    QStringList canned;
    for (const auto &c : cases)
        canned << QString::fromLatin1("HTTP/1.1 " + c.first +
                                      "\r\nContent-Type: application/json\r\nContent-Length: "
                                      "2\r\nConnection: close\r\n\r\n{}");
    const char *script = R"(
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print("listening on %d" % s.getsockname()[1], flush=True)
for raw in sys.argv[1:]:
    c, _ = s.accept()
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = c.recv(65536)
        if not chunk:
            break
        data += chunk
    c.sendall(raw.encode("latin-1"))
    c.close()
)";
    QProcess server;
    server.start(findTool(QStringLiteral("python3")),
                 QStringList{QStringLiteral("-c"), QLatin1String(script)} + canned);
    QVERIFY(server.waitForStarted(30'000));
    const auto stopServer = qScopeGuard([&server] {
        server.kill();
        server.waitForFinished(5000);
    });
    QByteArray first;
    QDeadlineTimer deadline(30'000);
    while (!first.contains('\n') && !deadline.hasExpired() && server.state() == QProcess::Running) {
        server.waitForReadyRead(500);
        first += server.readAllStandardOutput();
    }
    const int port = first.trimmed().split(' ').value(2).toInt();
    QVERIFY2(port > 0, first.constData());

    CurlTransport curl(CurlTransport::Options{});
    HttpRequest rq;
    rq.method = "POST";
    rq.url = QUrl(QStringLiteral("http://127.0.0.1:%1/v1/unmatched").arg(port));
    rq.headers = {{"Content-Type", "application/json"}};
    rq.body = "{}";
    for (const auto &[statusLine, expected] : cases) {
        const HttpResponse r = curl.perform({rq}).front();
        QVERIFY2(r.status == statusLine.left(3).toInt(), qPrintable(r.transportError));
        if (!expected) {
            QVERIFY2(!r.retryAfterSeconds, statusLine.constData());
        } else if (*expected == 120) {
            QVERIFY2(r.retryAfterSeconds && *r.retryAfterSeconds >= 60 && *r.retryAfterSeconds <= 125,
                     statusLine.constData());
        } else {
            QVERIFY2(r.retryAfterSeconds && *r.retryAfterSeconds == *expected, statusLine.constData());
        }
    }
    QVERIFY(server.waitForFinished(10'000));

    // No answer at all: libcurl's own explanation reaches the supervisor, not just "Couldn't connect".
    const HttpResponse refused = curl.perform({rq}).front();
    QCOMPARE(refused.status, 0);
    QVERIFY2(refused.transportError.contains(QString::number(port)), qPrintable(refused.transportError));
}

// Issue #12's reproduction end to end: a unit scanned before its case listed it (unexpected, reported
// unmatched upstream) is marked now expected when the pulled case gains its serial; rescanned into a box of
// the case it is matched, the case completes, and one closure is delivered after the receipt, which
// supersedes the unmatched report.
void TestSyncIntegration::caseChangeRematches()
{
    Station station;
    QVERIFY(station.isValid());
    Upstream upstream;
    QString why;
    QVERIFY2(upstream.start({QStringLiteral("--demo")}, &why), qPrintable(why));
    station.setUpstream(upstream.url());
    QCOMPARE(station.cli({QStringLiteral("demo-data")}).exitCode, 0);
    const QString number = QStringLiteral("2026-0600-0001");
    QJsonObject c = caseJson(number, {QStringLiteral("PX1100000001"), QStringLiteral("PX1100000002")}, {});
    upstream.control("POST", QStringLiteral("/_control/cases"), c);
    Run r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QStringList scan{QStringLiteral("--operator"), QStringLiteral("BADGE-1001"),
                           QStringLiteral("scan")};
    r = station.cli(scan, (number + QStringLiteral("\nPX1100000001\nPX1100000009\n:DONE\n")).toUtf8());
    QVERIFY2(r.exitCode == 0 && r.out.contains("\"outcome\":\"matched\"") &&
                 r.out.contains("\"outcome\":\"unexpected\""),
             qPrintable(r.describe()));
    r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));

    // The customer adds the serial on line 2; the pull marks the exception.
    c = caseJson(number, {QStringLiteral("PX1100000001"), QStringLiteral("PX1100000009")}, {});
    upstream.control("POST", QStringLiteral("/_control/cases"), c);
    r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = station.cli(
        {QStringLiteral("exceptions"), QStringLiteral("--now-expected"), QStringLiteral("--json")});
    const QJsonArray marked = QJsonDocument::fromJson(r.out).array();
    QVERIFY2(marked.size() == 1, qPrintable(r.describe()));
    QCOMPARE(marked[0][QLatin1String("now_expected")].toObject(),
             (QJsonObject{{QStringLiteral("case_number"), number}, {QStringLiteral("line"), 2}}));

    r = station.cli(scan, (number + QStringLiteral("\nPX1100000009\n:DONE\n")).toUtf8());
    QVERIFY2(r.exitCode == 0 && r.out.contains("\"outcome\":\"matched\"") &&
                 r.out.contains("\"case_complete\":true"),
             qPrintable(r.describe()));
    r = station.sync();
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject stats = upstream.stats();
    int closures = 0;
    for (const QJsonValue e : stats.value(QLatin1String("events")).toArray()) {
        if (e[QLatin1String("kind")].toString() == QLatin1String("closure") &&
            e[QLatin1String("case_number")].toString() == number) {
            ++closures;
            QCOMPARE(e[QLatin1String("missing_receipts")].toArray().size(), 0);
        }
    }
    QCOMPARE(closures, 1);
    QCOMPARE(stats.value(QLatin1String("superseded_unmatched")).toObject().size(), 1);
    why = exactlyOnceProblem(station.outbox(), stats);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    r = station.cli({QStringLiteral("exceptions"), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 0);
}

QTEST_GUILESS_MAIN(TestSyncIntegration)
#include "tst_syncintegration.moc"
