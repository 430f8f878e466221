// SPDX-License-Identifier: GPL-3.0-or-later
#include "CurlTransport.h"
#include "IsolatedEnvironment.h"
#include "PrivatePostgres.h"
#include "ReferenceUpstreamProcess.h"
#include "TrackingNumber.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>

// A depot: several receiving stations on one shared PostgreSQL database, as real receiving-cli processes.
// Three stations race for the same serials of one case; two stations scan on while one of them is killed
// again and again and the server restarts under both.

namespace {

const QString Cli = QStringLiteral(RS_CLI_PATH);
constexpr int CliTimeoutMs = 90'000;
constexpr int VerdictTimeoutMs = 30'000;
const QString Supervisor = QStringLiteral("BADGE-7001");

struct Run
{
    bool finished = false; // exited by itself in time, normally
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const
    {
        return QStringLiteral("exit %1%2\n--- stdout\n%3--- stderr\n%4")
            .arg(exitCode)
            .arg(finished ? QString() : QStringLiteral(" (did not finish)"),
                 QString::fromUtf8(out.right(3000)), QString::fromUtf8(err.right(3000)));
    }
};

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// A UPS tracking number "1Z" + body (15 characters) + its check digit (TrackingNumber.cpp's rule).
QString upsNumber(const QString &body)
{
    int sum = 0;
    for (qsizetype i = 0; i < body.size(); ++i) {
        const QChar c = body[i];
        const int v = c.isDigit() ? c.unicode() - u'0' : (c.unicode() - 63) % 10;
        sum += i % 2 == 0 ? v : 2 * v;
    }
    return QStringLiteral("1Z") + body + QString::number((10 - sum % 10) % 10);
}

// Serial numbers that look like Juniper ones but are nobody's tracking number (as tst_syncintegration's).
QString testSerial(const char *prefix, int a, int b)
{
    return QStringLiteral("%1%2%3")
        .arg(QLatin1String(prefix))
        .arg(a, 4, 10, QLatin1Char('0'))
        .arg(b, 5, 10, QLatin1Char('0'));
}

QJsonObject caseJson(const QString &number, const QStringList &serials, const QStringList &tracking = {})
{
    QJsonArray items;
    int line = 0;
    for (const QString &s : serials)
        items.append(QJsonObject{{QStringLiteral("line"), ++line},
                                 {QStringLiteral("sku"), QStringLiteral("EX4300-48T")},
                                 {QStringLiteral("description"), QStringLiteral("EX4300 48-port switch")},
                                 {QStringLiteral("serial"), s},
                                 {QStringLiteral("quantity"), 1}});
    return QJsonObject{{QStringLiteral("case_number"), number},
                       {QStringLiteral("program"), QStringLiteral("TMIP")},
                       {QStringLiteral("phase"), 1},
                       {QStringLiteral("disposition"), QStringLiteral("trade_in")},
                       {QStringLiteral("status"), QStringLiteral("open")},
                       {QStringLiteral("customer"),
                        QJsonObject{{QStringLiteral("name"), QStringLiteral("Depot Test Customer")},
                                    {QStringLiteral("account_id"), QStringLiteral("ACC-730001")}}},
                       {QStringLiteral("partner"), QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("order_date"), QStringLiteral("2026-01-01")},
                       {QStringLiteral("due_date"), QStringLiteral("2099-12-31")},
                       {QStringLiteral("tracking_numbers"), QJsonArray::fromStringList(tracking)},
                       {QStringLiteral("items"), items},
                       {QStringLiteral("updated_at"), QStringLiteral("2026-01-05T08:00:00.000Z")}};
}

// One verdict line of `receiving-cli scan`.
struct Verdict
{
    QString input;
    QString outcome;
    QString serial;
    std::optional<qint64> receipt;
    std::optional<qint64> exception;
    bool caseComplete = false;
    QByteArray raw;
};

std::optional<Verdict> parseVerdict(const QByteArray &line, const QByteArray &sent, QString *why)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *why = QStringLiteral("not a JSON verdict: ") + QString::fromUtf8(line.left(500));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Verdict v;
    v.raw = line;
    v.input = o.value(QLatin1String("input")).toString();
    v.outcome = o.value(QLatin1String("outcome")).toString();
    v.serial = o.value(QLatin1String("serial")).toString();
    if (!o.value(QLatin1String("receipt_id")).isNull())
        v.receipt = o.value(QLatin1String("receipt_id")).toInteger();
    if (!o.value(QLatin1String("exception_id")).isNull())
        v.exception = o.value(QLatin1String("exception_id")).toInteger();
    v.caseComplete = o.value(QLatin1String("case_complete")).toBool();
    if (v.input.compare(QString::fromLatin1(sent), Qt::CaseInsensitive) != 0) {
        *why = QStringLiteral("the verdict for \"%1\" answers \"%2\": %3")
                   .arg(QString::fromLatin1(sent), v.input, QString::fromUtf8(line));
        return std::nullopt;
    }
    return v;
}

// Waits for one complete line on stdout; false on timeout or when the process ended without one.
bool waitForLine(QProcess &p, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!p.canReadLine()) {
        if (deadline.hasExpired())
            return false;
        if (!p.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))) && !p.canReadLine() &&
            p.state() == QProcess::NotRunning)
            return false;
    }
    return true;
}

// One depot: a private PostgreSQL cluster with one database, a supervisor and dock operators, and
// receiving-cli runs against it as any station.
class Depot
{
public:
    QString setUp(const QString &dbName, const QStringList &dockBadges)
    {
        if (!m_dir.isValid())
            return QStringLiteral("no temporary folder");
        if (!m_pg.start())
            return QStringLiteral("PostgreSQL: ") + m_pg.error();
        m_dbName = dbName;
        m_url = m_pg.createDatabase(dbName);
        if (m_url.isEmpty())
            return m_pg.error();
        m_env = isolatedEnvironment(m_dir.path());
        if (m_env.isEmpty())
            return QStringLiteral("no isolated environment");
        writeFile(path(QStringLiteral("client_secret")), "dock-secret\n");
        m_env.insert(QStringLiteral("RECEIVING_CLIENT_ID"), QStringLiteral("receiving-station"));
        m_env.insert(QStringLiteral("RECEIVING_CLIENT_SECRET_FILE"), path(QStringLiteral("client_secret")));
        if (!writeFile(path(QStringLiteral("pin")), "4821\n"))
            return QStringLiteral("cannot write the PIN file");

        Run r = cli(QStringLiteral("ADMIN"), {QStringLiteral("init")});
        if (!r.finished || r.exitCode != 0)
            return QStringLiteral("init: ") + r.describe();
        const auto add = [&](const QString &badge, const QString &name, const QString &role) {
            QStringList a{QStringLiteral("operator"), QStringLiteral("add"),
                          QStringLiteral("--badge"),  badge,
                          QStringLiteral("--name"),   name,
                          QStringLiteral("--role"),   role};
            if (role == QLatin1String("supervisor"))
                a << QStringLiteral("--pin-file") << path(QStringLiteral("pin"));
            else
                a << QStringLiteral("--operator") << Supervisor << QStringLiteral("--operator-pin-file")
                  << path(QStringLiteral("pin"));
            return cli(QStringLiteral("ADMIN"), a);
        };
        r = add(Supervisor, QStringLiteral("Sam Super"), QStringLiteral("supervisor"));
        if (!r.finished || r.exitCode != 0)
            return QStringLiteral("operator add supervisor: ") + r.describe();
        int n = 0;
        for (const QString &badge : dockBadges) {
            r = add(badge, QStringLiteral("Dock Worker %1").arg(++n), QStringLiteral("dock"));
            if (!r.finished || r.exitCode != 0)
                return QStringLiteral("operator add %1: ").arg(badge) + r.describe();
        }
        return QString();
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString url() const { return m_url; }
    PrivatePostgres &pg() { return m_pg; }
    void setEnv(const QString &key, const QString &value) { m_env.insert(key, value); }

    QStringList args(const QString &station, const QStringList &rest) const
    {
        return QStringList{QStringLiteral("--db"), m_url, QStringLiteral("--station"), station} + rest;
    }

    Run cli(const QString &station, const QStringList &rest, const QByteArray &input = {}) const
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.start(Cli, args(station, rest));
        Run r;
        if (!p.waitForStarted(30'000)) {
            r.err = p.errorString().toUtf8();
            return r;
        }
        if (!input.isEmpty())
            p.write(input);
        p.closeWriteChannel();
        const bool done = p.waitForFinished(CliTimeoutMs);
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

    // A process started (not waited for), stderr appended to `stderrFile` when given.
    std::unique_ptr<QProcess> start(const QString &station, const QStringList &rest,
                                    const QString &stderrFile = QString()) const
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(m_env);
        if (!stderrFile.isEmpty())
            p->setStandardErrorFile(stderrFile, QIODevice::Append);
        p->start(Cli, args(station, rest));
        return p;
    }

    std::unique_ptr<QProcess> startScan(const QString &station, const QString &badge,
                                        const QString &stderrFile = QString()) const
    {
        return start(station, {QStringLiteral("scan"), QStringLiteral("--operator"), badge}, stderrFile);
    }

    // psql's rows ('|'-separated columns); nullopt with `*why` set on failure.
    std::optional<QList<QStringList>> rows(const QString &sql, QString *why)
    {
        QString out;
        if (!m_pg.psql(m_dbName, sql, &out)) {
            *why = m_pg.error();
            return std::nullopt;
        }
        QList<QStringList> result;
        for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            result.append(line.split(QLatin1Char('|')));
        return result;
    }

private:
    QTemporaryDir m_dir;
    PrivatePostgres m_pg;
    QString m_dbName;
    QString m_url;
    QProcessEnvironment m_env;
};

// The reference upstream's /_control/stats.
QJsonObject upstreamStats(const ReferenceUpstreamProcess &upstream, QString *why)
{
    CurlTransport transport(CurlTransport::Options{QString(), 5000, 30000, 100, 15, 2});
    HttpRequest rq;
    rq.url = QUrl(upstream.url() + QStringLiteral("/_control/stats"));
    const HttpResponse r = transport.perform({rq}).front();
    if (r.status != 200) {
        *why = QStringLiteral("/_control/stats answered %1 %2").arg(r.status).arg(r.transportError);
        return {};
    }
    return QJsonDocument::fromJson(r.body).object();
}

// Live receipts by serial: count and the lowest id.
std::optional<QHash<QString, QPair<int, qint64>>> liveReceipts(Depot &depot, QString *why)
{
    const auto rows = depot.rows(
        QStringLiteral("SELECT serial, count(*), min(id) FROM receipts WHERE voided = 0 GROUP BY serial"),
        why);
    if (!rows)
        return std::nullopt;
    QHash<QString, QPair<int, qint64>> live;
    for (const QStringList &r : *rows)
        live.insert(r.value(0), {r.value(1).toInt(), r.value(2).toLongLong()});
    return live;
}

} // namespace

class TestDepot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void threeStationsOneCase();
    void crashAndServerRestarts();
};

void TestDepot::initTestCase()
{
    QVERIFY2(QFile::exists(Cli), qPrintable(Cli + QStringLiteral(" is not built")));
}

void TestDepot::threeStationsOneCase()
{
    QElapsedTimer clock;
    clock.start();
    Depot depot;
    const QStringList stations{QStringLiteral("DOOR-1"), QStringLiteral("DOOR-2"), QStringLiteral("DOOR-3")};
    const QStringList badges{QStringLiteral("BADGE-7101"), QStringLiteral("BADGE-7102"),
                             QStringLiteral("BADGE-7103")};
    QString why = depot.setUp(QStringLiteral("threestations"), badges);
    QVERIFY2(why.isEmpty(), qPrintable(why));

    // One trade-in case of 30 serial lines in three boxes: 6 serials only one station scans, 12 all three.
    const QString caseNumber = QStringLiteral("7300-0001-0001");
    QStringList tracking;
    for (int k = 0; k < 3; ++k) {
        tracking << upsNumber(QStringLiteral("999DP%1").arg(730000001 + k, 10, 10, QLatin1Char('0')));
        QVERIFY2(TrackingNumber::recognise(tracking.back()).carrier == Carrier::Ups,
                 qPrintable(tracking.back()));
    }
    QStringList serials;
    for (int l = 1; l <= 30; ++l)
        serials << testSerial("DQ", 1, l);
    std::array<QStringList, 3> own;
    for (int k = 0; k < 3; ++k)
        own[size_t(k)] = serials.mid(k * 6, 6);
    const QStringList shared = serials.mid(18);
    const QString casesFile = depot.path(QStringLiteral("cases.json"));
    QVERIFY(
        writeFile(casesFile, QJsonDocument(QJsonObject{{QStringLiteral("cases"),
                                                        QJsonArray{caseJson(caseNumber, serials, tracking)}}})
                                 .toJson()));
    Run r = depot.cli(QStringLiteral("ADMIN"), {QStringLiteral("import-cases"), casesFile});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));

    ReferenceUpstreamProcess upstream;
    QVERIFY2(upstream.start({QStringLiteral("--cases"), casesFile}, &why), qPrintable(why));
    depot.setEnv(QStringLiteral("RECEIVING_UPSTREAM_URL"), upstream.url());

    // Rounds of one line per station, written to all three before any answer is read: each opens its own box
    // (a tracking number), then an own serial and a shared one by turns, then one unit nobody expects.
    QList<std::array<QByteArray, 3>> rounds;
    rounds.append(
        std::array<QByteArray, 3>{tracking[0].toLatin1(), tracking[1].toLatin1(), tracking[2].toLatin1()});
    for (int i = 0; i < shared.size(); ++i) {
        if (i < 6)
            rounds.append(
                std::array<QByteArray, 3>{own[0][i].toLatin1(), own[1][i].toLatin1(), own[2][i].toLatin1()});
        rounds.append(
            std::array<QByteArray, 3>{shared[i].toLatin1(), shared[i].toLatin1(), shared[i].toLatin1()});
    }
    QStringList unknown;
    for (int k = 0; k < 3; ++k)
        unknown << testSerial("UQ", 1, k + 1);
    rounds.append(
        std::array<QByteArray, 3>{unknown[0].toLatin1(), unknown[1].toLatin1(), unknown[2].toLatin1()});

    std::array<std::unique_ptr<QProcess>, 3> scan;
    for (int k = 0; k < 3; ++k) {
        scan[size_t(k)] = depot.startScan(stations[k], badges[k]);
        QVERIFY2(scan[size_t(k)]->waitForStarted(30'000), qPrintable(scan[size_t(k)]->errorString()));
    }
    const auto readVerdict = [&](int k, const QByteArray &sent, Verdict *v) -> QString {
        QProcess &p = *scan[size_t(k)];
        if (!waitForLine(p, VerdictTimeoutMs))
            return QStringLiteral("%1: no verdict for %2 (state %3, exit %4): %5")
                .arg(stations[k], QString::fromLatin1(sent))
                .arg(p.state())
                .arg(p.exitCode())
                .arg(QString::fromUtf8(p.readAllStandardError().right(2000)));
        QString problem;
        const std::optional<Verdict> parsed = parseVerdict(p.readLine().chopped(1), sent, &problem);
        if (!parsed)
            return stations[k] + QStringLiteral(": ") + problem;
        *v = *parsed;
        return QString();
    };

    QHash<QString, QList<Verdict>> bySerial; // serial -> every verdict on it, depot-wide
    QList<Verdict> all;
    QElapsedTimer scanning;
    scanning.start();
    for (int round = 0; round < rounds.size(); ++round) {
        // A different station first each round, so no station always wins the race.
        for (int i = 0; i < 3; ++i) {
            const int k = (round + i) % 3;
            scan[size_t(k)]->write(rounds[round][size_t(k)] + '\n');
        }
        for (int k = 0; k < 3; ++k)
            QVERIFY(scan[size_t(k)]->waitForBytesWritten(10'000));
        for (int k = 0; k < 3; ++k) {
            Verdict v;
            why = readVerdict(k, rounds[round][size_t(k)], &v);
            QVERIFY2(why.isEmpty(), qPrintable(why));
            QVERIFY2(v.outcome != QLatin1String("not_recorded"),
                     qPrintable(stations[k] + QStringLiteral(": ") + QString::fromUtf8(v.raw)));
            all.append(v);
            if (round == 0)
                QVERIFY2(v.outcome == QLatin1String("box_opened"),
                         qPrintable(stations[k] + QStringLiteral(": ") + QString::fromUtf8(v.raw)));
            else
                bySerial[QString::fromLatin1(rounds[round][size_t(k)])].append(v);
        }
    }
    const qint64 scanMs = scanning.elapsed();

    // Every serial exactly one `matched` depot-wide; the other answers to a shared one say it is already in.
    int matchedTotal = 0;
    int completing = 0;
    QHash<QString, int> lostRaces; // outcome -> count
    QHash<QString, qint64> matchedReceipt;
    for (const QString &s : serials) {
        const QList<Verdict> &vs = bySerial.value(s);
        QCOMPARE(vs.size(), qsizetype(shared.contains(s) ? 3 : 1));
        int matched = 0;
        for (const Verdict &v : vs) {
            if (v.outcome == QLatin1String("matched")) {
                ++matched;
                QVERIFY2(v.receipt, v.raw.constData());
                matchedReceipt.insert(s, *v.receipt);
                completing += v.caseComplete ? 1 : 0;
            } else {
                QVERIFY2(v.outcome == QLatin1String("already_received") ||
                             v.outcome == QLatin1String("duplicate"),
                         qPrintable(s + QStringLiteral(": ") + QString::fromUtf8(v.raw)));
                ++lostRaces[v.outcome];
            }
        }
        QVERIFY2(matched == 1, qPrintable(QStringLiteral("%1 was matched %2 times").arg(s).arg(matched)));
        matchedTotal += matched;
    }
    QCOMPARE(qsizetype(matchedTotal), serials.size());
    QCOMPARE(completing, 1); // exactly one scan completed the case
    for (const QString &u : unknown) {
        const QList<Verdict> vs = bySerial.value(u);
        QCOMPARE(vs.size(), qsizetype(1));
        QVERIFY2(vs.front().outcome == QLatin1String("unexpected") && vs.front().exception,
                 vs.front().raw.constData());
    }

    // One live receipt per serial, the one its `matched` verdict named.
    const auto live = liveReceipts(depot, &why);
    QVERIFY2(live, qPrintable(why));
    for (auto it = live->cbegin(); it != live->cend(); ++it)
        QVERIFY2(it->first == 1,
                 qPrintable(QStringLiteral("%1 has %2 live receipts").arg(it.key()).arg(it->first)));
    for (const QString &s : serials) {
        QVERIFY2(live->contains(s), qPrintable(s + QStringLiteral(" has no live receipt")));
        QCOMPARE(live->value(s).second, matchedReceipt.value(s));
    }
    r = depot.cli(QStringLiteral("DOOR-1"), {QStringLiteral("case"), caseNumber, QStringLiteral("--json")});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject detail = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(detail.value(QLatin1String("expected_units")).toInteger(), qint64(30));
    QCOMPARE(detail.value(QLatin1String("received_units")).toInteger(), qint64(30));

    // Close the three boxes.
    for (int k = 0; k < 3; ++k)
        scan[size_t(k)]->write(":done\n");
    for (int k = 0; k < 3; ++k) {
        Verdict v;
        why = readVerdict(k, ":done", &v);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QVERIFY2(v.outcome == QLatin1String("box_closed"), v.raw.constData());
        scan[size_t(k)]->closeWriteChannel();
        QVERIFY(scan[size_t(k)]->waitForFinished(30'000));
        QVERIFY2(scan[size_t(k)]->exitStatus() == QProcess::NormalExit && scan[size_t(k)]->exitCode() == 0,
                 scan[size_t(k)]->readAllStandardError().constData());
    }

    // Two stations sync at the same time.
    auto syncA = depot.start(stations[0], {QStringLiteral("sync"), QStringLiteral("--once")});
    auto syncB = depot.start(stations[1], {QStringLiteral("sync"), QStringLiteral("--once")});
    QElapsedTimer syncing;
    syncing.start();
    QVERIFY(syncA->waitForFinished(CliTimeoutMs));
    QVERIFY(syncB->waitForFinished(CliTimeoutMs));
    const qint64 syncMs = syncing.elapsed();
    const QString syncOutput = QStringLiteral("DOOR-1 sync: exit %1\n%2%3\nDOOR-2 sync: exit %4\n%5%6")
                                   .arg(syncA->exitCode())
                                   .arg(QString::fromUtf8(syncA->readAllStandardOutput()),
                                        QString::fromUtf8(syncA->readAllStandardError()))
                                   .arg(syncB->exitCode())
                                   .arg(QString::fromUtf8(syncB->readAllStandardOutput()),
                                        QString::fromUtf8(syncB->readAllStandardError()));
    QVERIFY2(syncA->exitStatus() == QProcess::NormalExit && syncB->exitStatus() == QProcess::NormalExit,
             qPrintable(syncOutput));
    QVERIFY2((syncA->exitCode() == 0 || syncA->exitCode() == 5) &&
                 (syncB->exitCode() == 0 || syncB->exitCode() == 5),
             qPrintable(syncOutput));
    const auto outbox =
        depot.rows(QStringLiteral("SELECT idempotency_key, kind, state FROM outbox ORDER BY id"), &why);
    QVERIFY2(outbox, qPrintable(why));
    QSet<QString> outboxKeys;
    for (const QStringList &row : *outbox) {
        QVERIFY2(row.value(2) == QLatin1String("delivered"),
                 qPrintable(row.join(QLatin1Char(' ')) + QStringLiteral(" after both syncs\n") + syncOutput));
        outboxKeys.insert(row.value(0));
    }

    const QJsonObject stats = upstreamStats(upstream, &why);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    QSet<QString> upstreamKeys;
    QHash<QString, int> receiptsUpstream;
    int closures = 0;
    int unmatched = 0;
    QString closureKind;
    for (const QJsonValue ev : stats.value(QLatin1String("events")).toArray()) {
        const QJsonObject e = ev.toObject();
        const QString key = e.value(QLatin1String("key")).toString();
        QVERIFY2(!upstreamKeys.contains(key),
                 qPrintable(QStringLiteral("event %1 was accepted twice").arg(key)));
        upstreamKeys.insert(key);
        const QString kind = e.value(QLatin1String("kind")).toString();
        if (kind == QLatin1String("closure")) {
            QCOMPARE(e.value(QLatin1String("case_number")).toString(), caseNumber);
            ++closures;
            closureKind = e.value(QLatin1String("closure_kind")).toString();
            QVERIFY2(e.value(QLatin1String("missing_receipts")).toArray().isEmpty(),
                     "the closure arrived before some of its receipts");
        } else if (kind == QLatin1String("receipt")) {
            ++receiptsUpstream[e.value(QLatin1String("serial")).toString()];
        } else {
            ++unmatched;
        }
    }
    QCOMPARE(closures, 1);
    QCOMPARE(closureKind, QStringLiteral("complete"));
    QCOMPARE(receiptsUpstream.size(), serials.size());
    for (const QString &s : serials)
        QVERIFY2(
            receiptsUpstream.value(s) == 1,
            qPrintable(QStringLiteral("%1 went upstream %2 times").arg(s).arg(receiptsUpstream.value(s))));
    QCOMPARE(qsizetype(unmatched), unknown.size());
    QCOMPARE(upstreamKeys, outboxKeys);
    QVERIFY2(
        stats.value(QLatin1String("duplicates_by_serial")).toObject().isEmpty(),
        QJsonDocument(stats.value(QLatin1String("duplicates_by_serial")).toObject()).toJson().constData());
    // No faults are injected, so a replay is an event both stations sent.
    QVERIFY2(stats.value(QLatin1String("replays")).toInt() == 0,
             qPrintable(QStringLiteral("%1 events were delivered twice (idempotent replays)\n")
                            .arg(stats.value(QLatin1String("replays")).toInt()) +
                        syncOutput));

    // The same exception queue from every station.
    QList<QByteArray> queues;
    for (const QString &station : stations) {
        r = depot.cli(station, {QStringLiteral("exceptions"), QStringLiteral("--json")});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
        queues << r.out;
    }
    QCOMPARE(queues[1], queues[0]);
    QCOMPARE(queues[2], queues[0]);
    const QJsonArray queue = QJsonDocument::fromJson(queues[0]).array();
    QSet<QString> queued;
    for (const QJsonValue e : queue)
        queued.insert(e.toObject().value(QLatin1String("serial")).toString());
    for (const QString &u : unknown)
        QVERIFY2(queued.contains(u), queues[0].constData());

    qInfo("3 stations, %lld scans in %lld ms (%lld verdicts), %d serials matched once each; lost races: "
          "%d already_received, %d duplicate; sync from 2 stations at once in %lld ms (exit %d and %d): "
          "%lld events upstream, %d closure, %d replays; %lld exceptions queued; test took %lld ms",
          qlonglong(rounds.size() * 3), scanMs, qlonglong(all.size()), matchedTotal,
          lostRaces.value(QStringLiteral("already_received")), lostRaces.value(QStringLiteral("duplicate")),
          syncMs, syncA->exitCode(), syncB->exitCode(), qlonglong(upstreamKeys.size()), closures,
          stats.value(QLatin1String("replays")).toInt(), qlonglong(queue.size()), clock.elapsed());
}

namespace {

constexpr quint32 Seed = 20260707;
constexpr int CasesPerStation = 4;
constexpr int SerialsPerCase = 800; // enough scanning for MinKills at 60-250 ms now that a scan takes 4 round trips
constexpr int MinKills = 50;
constexpr int KillIntervalMinMs = 60;
constexpr int KillIntervalMaxMs = 250;
constexpr int MaxKillDelayUs = 8000;
constexpr int OutageHoldMs = 2500;
constexpr int ResumeTimeoutMs = 30'000;
constexpr int RescanPauseMs = 50;
constexpr qint64 BudgetMs = 170'000;

struct ScriptLine
{
    QByteArray text;
    bool serial = false;
};

// One station's scanner: its script, the first line not yet answered with a recorded verdict, its process.
struct ScanStation
{
    QString id;
    QString badge;
    QString stderrFile;
    QList<ScriptLine> script;
    int next = 0;
    std::unique_ptr<QProcess> proc;
    int generation = 0;
    int verdictsInGeneration = 0;
    bool inFlight = false;
    qint64 writtenAt = 0;
    qint64 pauseUntil = 0;
    QSet<int> sentBefore; // lines sent to a process that died before answering, or answered not_recorded
    bool done = false;
};

// An acknowledged verdict: a line the test read from a scan process.
struct Ack
{
    int station = 0;
    int line = 0;
    int generation = 0;
    QString outcome;
    QString message;
    std::optional<qint64> receipt;
    qint64 writtenAt = 0;
    qint64 readAt = 0;
};

// A server outage, run on its own thread while the stations scan on.
struct Outage
{
    bool hold = false; // stopImmediate, OutageHoldMs down, startAgain; else restartImmediate
    std::atomic<bool> finished{false};
    bool joined = false; // finished, and the main loop took note of the processes alive then
    bool ok = false;
    QString error;
    qint64 begin = -1;
    qint64 downFrom = -1;  // hold: stopImmediate returned
    qint64 downUntil = -1; // hold: startAgain about to be called
    qint64 end = -1;
    std::array<int, 2> generationAtEnd{};
    std::array<qint64, 2> resumedAt{-1, -1};
    int notRecorded = 0;
    std::jthread thread;
};

QString tail(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(700)) : QString();
}

} // namespace

void TestDepot::crashAndServerRestarts()
{
    QElapsedTimer clock;
    clock.start();
    Depot depot;
    std::array<ScanStation, 2> st;
    st[0].id = QStringLiteral("DOOR-1");
    st[1].id = QStringLiteral("DOOR-2");
    st[0].badge = QStringLiteral("BADGE-7101");
    st[1].badge = QStringLiteral("BADGE-7102");
    QString why = depot.setUp(QStringLiteral("crashes"), {st[0].badge, st[1].badge});
    QVERIFY2(why.isEmpty(), qPrintable(why));

    // Disjoint cases per station; each station opens a box per case (its case number), scans it, closes it.
    QJsonArray cases;
    QSet<QString> expected;
    for (int k = 0; k < 2; ++k) {
        ScanStation &s = st[size_t(k)];
        s.stderrFile = depot.path(s.id + QStringLiteral(".stderr"));
        for (int c = 1; c <= CasesPerStation; ++c) {
            const QString number = QStringLiteral("7400-000%1-%2").arg(k + 1).arg(c, 4, 10, QLatin1Char('0'));
            QStringList serials;
            for (int l = 1; l <= SerialsPerCase; ++l)
                serials << testSerial(k == 0 ? "DA" : "DB", c, l);
            cases.append(caseJson(number, serials));
            s.script.append({number.toLatin1(), false});
            for (const QString &serial : std::as_const(serials)) {
                s.script.append({serial.toLatin1(), true});
                expected.insert(serial);
            }
            s.script.append({":done", false});
        }
    }
    const QString casesFile = depot.path(QStringLiteral("cases.json"));
    QVERIFY(writeFile(casesFile, QJsonDocument(QJsonObject{{QStringLiteral("cases"), cases}}).toJson()));
    const Run imported = depot.cli(QStringLiteral("ADMIN"), {QStringLiteral("import-cases"), casesFile});
    QVERIFY2(imported.finished && imported.exitCode == 0, qPrintable(imported.describe()));
    const qint64 setupMs = clock.elapsed();

    QRandomGenerator rng(Seed);
    QElapsedTimer t;
    t.start();
    QList<Ack> acks;
    QHash<QString, qint64> matched; // serial -> receipt id its matched verdict named
    std::array<std::unique_ptr<Outage>, 2> outages;
    int outagesStarted = 0;
    int kills = 0;
    int killsWithoutAnswer = 0;
    int killsAnswered = 0;
    int rescansAlreadyIn = 0;
    int notRecorded = 0;
    int totalLines = 0;
    for (const ScanStation &s : st)
        totalLines += int(s.script.size());
    qint64 nextKillAt = rng.bounded(KillIntervalMinMs, KillIntervalMaxMs);
    int killStation = -1; // armed: killed right after its next write
    int killDelayUs = 0;

    const auto figures = [&] {
        return QStringLiteral(
                   "%1 kills (%2 before the answer), %3 verdicts (%4 not_recorded), %5 of %6 lines done, "
                   "%7 ms")
            .arg(kills)
            .arg(killsWithoutAnswer)
            .arg(acks.size())
            .arg(notRecorded)
            .arg(st[0].next + st[1].next)
            .arg(totalLines)
            .arg(t.elapsed());
    };
    // Whether station k is inside an outage or has not yet scanned successfully after one.
    const auto inOutage = [&](int k) {
        if (st[size_t(k)].done)
            return false;
        for (const auto &o : outages)
            if (o && (!o->finished || o->resumedAt[size_t(k)] < 0))
                return true;
        return false;
    };

    // One verdict line from station k for its current line; empty when all is as it should be.
    const auto handle = [&](int k, const QByteArray &text) -> QString {
        ScanStation &s = st[size_t(k)];
        const ScriptLine &line = s.script[s.next];
        QString problem;
        const std::optional<Verdict> v = parseVerdict(text, line.text, &problem);
        if (!v)
            return s.id + QStringLiteral(": ") + problem;
        s.inFlight = false;
        ++s.verdictsInGeneration;
        const qint64 now = t.elapsed();
        Ack a{k, s.next, s.generation, v->outcome, QString(), v->receipt, s.writtenAt, now};
        a.message = QJsonDocument::fromJson(text).object().value(QLatin1String("message")).toString();
        acks.append(a);
        if (v->outcome == QLatin1String("not_recorded")) {
            ++notRecorded;
            if (!inOutage(k))
                return QStringLiteral("%1: not_recorded outside a server outage: %2")
                    .arg(s.id, QString::fromUtf8(text));
            if (!a.message.contains(QLatin1String("not reachable"), Qt::CaseInsensitive))
                return QStringLiteral(
                           "%1: not_recorded during the outage without saying the depot database is "
                           "not reachable: %2")
                    .arg(s.id, QString::fromUtf8(text));
            for (auto &o : outages)
                if (o && (!o->finished || o->resumedAt[size_t(k)] < 0))
                    ++o->notRecorded;
            s.sentBefore.insert(s.next);
            s.pauseUntil = now + RescanPauseMs; // the dock worker scans it again
            return QString();
        }
        if (v->outcome == QLatin1String("invalid"))
            return s.id + QStringLiteral(": ") + QString::fromUtf8(text);
        if (line.serial) {
            const QString serial = QString::fromLatin1(line.text);
            if (v->outcome == QLatin1String("matched")) {
                if (!v->receipt)
                    return s.id + QStringLiteral(": matched without a receipt: ") + QString::fromUtf8(text);
                if (matched.contains(serial))
                    return QStringLiteral("%1 matched twice (receipts %2 and %3)")
                        .arg(serial)
                        .arg(matched.value(serial))
                        .arg(*v->receipt);
                matched.insert(serial, *v->receipt);
            } else if (v->outcome == QLatin1String("already_received") ||
                       v->outcome == QLatin1String("duplicate")) {
                // Only a scan that may already have gone through before (its process died, or it was told
                // not_recorded) may find the unit already in.
                if (!s.sentBefore.contains(s.next))
                    return QStringLiteral("%1: the first scan of %2 answered %3: %4")
                        .arg(s.id, serial, v->outcome, QString::fromUtf8(text));
                ++rescansAlreadyIn;
            } else {
                return QStringLiteral("%1: unexpected verdict for %2: %3")
                    .arg(s.id, serial, QString::fromUtf8(text));
            }
        }
        // Scanning works again after an outage: the first recorded scan written after the server came back.
        for (auto &o : outages)
            if (o && o->joined && o->resumedAt[size_t(k)] < 0 && s.writtenAt >= o->end) {
                if (s.generation != o->generationAtEnd[size_t(k)])
                    return QStringLiteral("%1 needed a new process to scan after the outage").arg(s.id);
                o->resumedAt[size_t(k)] = now;
            }
        ++s.next;
        return QString();
    };

    const auto kill = [&](int k) -> QString {
        ScanStation &s = st[size_t(k)];
        s.proc->kill(); // SIGKILL
        if (!s.proc->waitForFinished(30'000))
            return s.id + QStringLiteral(" did not die");
        ++kills;
        // An answer that reached the pipe before the kill was printed: it counts as acknowledged.
        const QByteArray rest = s.proc->readAllStandardOutput();
        for (const QByteArray &l : rest.split('\n')) {
            if (l.isEmpty())
                continue;
            if (!s.inFlight)
                return s.id + QStringLiteral(": output nobody asked for: ") + QString::fromUtf8(l);
            if (const QString p = handle(k, l); !p.isEmpty())
                return p;
        }
        if (s.inFlight) {
            ++killsWithoutAnswer;
            s.sentBefore.insert(s.next); // it may have gone through: the restarted process scans it again
            s.inFlight = false;
        } else {
            ++killsAnswered;
        }
        s.proc.reset();
        return QString();
    };

    const auto startOutage = [&](bool hold) {
        auto o = std::make_unique<Outage>();
        o->hold = hold;
        o->begin = t.elapsed();
        Outage *raw = o.get();
        PrivatePostgres *pg = &depot.pg();
        QElapsedTimer *tp = &t;
        o->thread = std::jthread([raw, pg, tp] {
            if (raw->hold) {
                raw->ok = pg->stopImmediate();
                raw->downFrom = tp->elapsed();
                QThread::msleep(OutageHoldMs);
                raw->downUntil = tp->elapsed();
                raw->ok = raw->ok && pg->startAgain();
            } else {
                raw->ok = pg->restartImmediate();
            }
            if (!raw->ok)
                raw->error = pg->error();
            raw->end = tp->elapsed();
            raw->finished = true;
        });
        outages[size_t(outagesStarted++)] = std::move(o);
    };

    while (!(st[0].done && st[1].done)) {
        const qint64 now = t.elapsed();
        QVERIFY2(now < BudgetMs, qPrintable(QStringLiteral("out of time: ") + figures()));

        // An outage that just ended: the processes that lived through it must scan on by themselves.
        for (auto &o : outages) {
            if (o && o->finished && o->thread.joinable()) {
                o->thread.join();
                o->joined = true;
                QVERIFY2(o->ok, qPrintable(QStringLiteral("the server did not come back: ") + o->error));
                for (int k = 0; k < 2; ++k)
                    o->generationAtEnd[size_t(k)] = st[size_t(k)].generation;
            }
            if (o && o->finished)
                for (int k = 0; k < 2; ++k)
                    QVERIFY2(
                        st[size_t(k)].done || o->resumedAt[size_t(k)] >= 0 || now - o->end < ResumeTimeoutMs,
                        qPrintable(QStringLiteral("%1 did not scan again within %2 ms after the server came "
                                                  "back; %3")
                                       .arg(st[size_t(k)].id)
                                       .arg(ResumeTimeoutMs)
                                       .arg(figures())));
        }
        const bool outageOngoing = inOutage(0) || inOutage(1);
        // Two outages while both scan, at about a third and two thirds of the way.
        const double progress = double(st[0].next + st[1].next) / totalLines;
        if (outagesStarted < 2 && !outageOngoing && progress >= (outagesStarted == 0 ? 0.3 : 0.62) &&
            st[0].proc && st[1].proc && st[0].verdictsInGeneration > 0 && st[1].verdictsInGeneration > 0 &&
            killStation < 0)
            startOutage(outagesStarted == 1);

        for (int k = 0; k < 2; ++k) {
            ScanStation &s = st[size_t(k)];
            if (s.done)
                continue;
            if (s.next == s.script.size() && !s.inFlight) {
                s.proc->closeWriteChannel();
                QVERIFY2(s.proc->waitForFinished(30'000), qPrintable(s.id + QStringLiteral(" did not end")));
                QVERIFY2(s.proc->exitStatus() == QProcess::NormalExit && s.proc->exitCode() == 0,
                         qPrintable(s.id + QStringLiteral(" ended with %1: ").arg(s.proc->exitCode()) +
                                    tail(s.stderrFile)));
                s.done = true;
                continue;
            }
            if (!s.proc) {
                s.proc = depot.startScan(s.id, s.badge, s.stderrFile);
                QVERIFY2(s.proc->waitForStarted(30'000), qPrintable(s.proc->errorString()));
                ++s.generation;
                s.verdictsInGeneration = 0;
            }
            if (!s.inFlight && now >= s.pauseUntil) {
                s.proc->write(s.script[s.next].text + '\n');
                s.inFlight = true;
                s.writtenAt = now;
                if (killStation == k) {
                    // Mid-scan: the line is in the pipe, the process is at some random point of it.
                    QVERIFY(s.proc->waitForBytesWritten(10'000));
                    QThread::usleep(ulong(killDelayUs));
                    killStation = -1;
                    why = kill(k);
                    QVERIFY2(why.isEmpty(), qPrintable(why));
                    continue;
                }
            }
            if (s.inFlight && !s.proc->canReadLine())
                s.proc->waitForReadyRead(1);
            while (s.inFlight && s.proc->canReadLine()) {
                why = handle(k, s.proc->readLine().chopped(1));
                QVERIFY2(why.isEmpty(), qPrintable(why + QStringLiteral("; ") + figures()));
            }
            QVERIFY2(s.proc->state() != QProcess::NotRunning || s.proc->canReadLine(),
                     qPrintable(QStringLiteral("%1 (process %2) ended by itself, exit %3%4: %5")
                                    .arg(s.id)
                                    .arg(s.generation)
                                    .arg(s.proc->exitCode())
                                    .arg(inOutage(k) ? QStringLiteral(" during a server outage") : QString(),
                                         tail(s.stderrFile))));
        }

        // Arm a kill at a random moment, on a station past its sign-in, never around an outage.
        if (killStation < 0 && now >= nextKillAt && !outageOngoing) {
            const int k = int(rng.bounded(2));
            if (!st[size_t(k)].done && st[size_t(k)].proc && st[size_t(k)].verdictsInGeneration > 0) {
                killStation = k;
                killDelayUs = int(rng.bounded(MaxKillDelayUs + 1));
            }
            nextKillAt = now + rng.bounded(KillIntervalMinMs, KillIntervalMaxMs);
        }
    }
    const qint64 scanMs = t.elapsed();

    QVERIFY2(kills >= MinKills, qPrintable(QStringLiteral("only %1 kills; ").arg(kills) + figures()));
    QVERIFY2(outagesStarted == 2, qPrintable(QStringLiteral("%1 outages; ").arg(outagesStarted) + figures()));
    for (auto &o : outages) {
        QVERIFY(o->finished);
        if (o->thread.joinable())
            o->thread.join();
        for (int k = 0; k < 2; ++k)
            QVERIFY2(o->resumedAt[size_t(k)] >= 0,
                     qPrintable(st[size_t(k)].id + QStringLiteral(" never scanned again after an outage")));
    }
    // While the server was certainly down (after stopImmediate returned, before startAgain), nothing written
    // then can have been answered as recorded.
    const Outage &hold = *outages[1];
    int answeredWhileDown = 0;
    for (const Ack &a : std::as_const(acks)) {
        if (a.writtenAt >= hold.downFrom && a.readAt <= hold.downUntil) {
            ++answeredWhileDown;
            QVERIFY2(a.outcome == QLatin1String("not_recorded"),
                     qPrintable(QStringLiteral("%1 answered %2 for %3 while the server was down")
                                    .arg(st[size_t(a.station)].id, a.outcome,
                                         QString::fromLatin1(st[size_t(a.station)].script[a.line].text))));
        }
    }
    QVERIFY2(notRecorded > 0, qPrintable(QStringLiteral("no scan was answered not_recorded; ") + figures()));

    // The database: every matched verdict is one live receipt, no serial has two, every serial is in.
    const auto live = liveReceipts(depot, &why);
    QVERIFY2(live, qPrintable(why));
    for (auto it = live->cbegin(); it != live->cend(); ++it)
        QVERIFY2(it->first == 1,
                 qPrintable(QStringLiteral("%1 has %2 live receipts").arg(it.key()).arg(it->first)));
    for (auto it = matched.cbegin(); it != matched.cend(); ++it) {
        QVERIFY2(live->contains(it.key()),
                 qPrintable(QStringLiteral("%1 was matched (receipt %2) but has no live receipt")
                                .arg(it.key())
                                .arg(it.value())));
        QVERIFY2(live->value(it.key()).second == it.value(),
                 qPrintable(QStringLiteral("%1 was matched as receipt %2, the live one is %3")
                                .arg(it.key())
                                .arg(it.value())
                                .arg(live->value(it.key()).second)));
    }
    for (const QString &serial : std::as_const(expected))
        QVERIFY2(live->contains(serial), qPrintable(serial + QStringLiteral(" has no live receipt")));
    QCOMPARE(qsizetype(live->size()), expected.size());

    qInfo("setup %lld ms; scanning %lld ms: %d lines on 2 stations, %lld verdicts (%lld matched, %d rescans "
          "found already in), %d kills (%d before the answer, %d after it), %d not_recorded",
          setupMs, scanMs, totalLines, qlonglong(acks.size()), qlonglong(matched.size()), rescansAlreadyIn,
          kills, killsWithoutAnswer, killsAnswered, notRecorded);
    for (int i = 0; i < 2; ++i) {
        const Outage &o = *outages[size_t(i)];
        qInfo("outage %d (%s): %lld ms from %lld ms%s; %d not_recorded; scanning again %lld / %lld ms after "
              "the "
              "server was back (DOOR-1 / DOOR-2)",
              i + 1, o.hold ? "stopImmediate + hold + startAgain" : "restartImmediate", o.end - o.begin,
              o.begin,
              o.hold ? qPrintable(QStringLiteral(", down for certain %1 ms").arg(o.downUntil - o.downFrom))
                     : "",
              o.notRecorded, o.resumedAt[0] - o.end, o.resumedAt[1] - o.end);
    }
    qInfo("%d scans written and answered while the server was certainly down, all not_recorded; test took "
          "%lld ms",
          answeredWhileDown, clock.elapsed());
}

QTEST_GUILESS_MAIN(TestDepot)
#include "tst_depot.moc"
