// SPDX-License-Identifier: GPL-3.0-or-later
// Scan-to-verdict latency on a station database of realistic size, on both engines in one run, against the
// dock's targets.
//
// Full run (manual; several minutes, about 400 MB under build/dev/tests/bench/bench-data plus a private
// PostgreSQL cluster under /tmp, both removed afterwards):
//   cmake --build --preset dev --target bench_scan receiving-cli && build/dev/tests/bench/bench_scan
// Options: --quick (the CI size), --db <postgresql://...> (measure that server instead of starting a private
// cluster; the database must be empty: the benchmark fills it and leaves its rows there), --engine
// sqlite|postgresql|both, --pg-serials <n> (fewer expected serials on PostgreSQL when filling a million takes
// too long; printed beside the figures), --dir <folder> (where the temporary SQLite database goes; must be a
// real disk, not tmpfs, or the fsync being measured disappears), --keep (leave the SQLite database there),
// --cache-mib <n> (page cache of the SQLite station connection, to try tuning; SQLite's default is 2 MiB).
// CTest runs only `bench_scan --quick` (label bench): ctest --preset dev -L bench. Without a PostgreSQL
// server binary (no private cluster can start), --quick measures SQLite alone and says so.
//
// It never fails on timings, only when a scan gets the wrong verdict or an engine cannot be set up. Per
// engine:
//  - fill: `receiving-cli --db LOCATION demo-data --serials N` (1,000,000), timed; then 100,000 receipts of
//    history written directly in one transaction;
//  - bare commit: a single-row INSERT + COMMIT into a scratch table over a connection of the same kind
//  (SQLite:
//    a file beside the station's on the same disk; PostgreSQL: a table in the same database), after each
//    one-station scan so both see the same moment's disk latency: the floor any durable scan pays;
//  - 1 station: the whole ReceivingService::scan call (classify, match, commit) over boxes opened by case
//    number, ten serials each (about 5% unknown), closed with :done;
//  - 4 stations: four threads, each with its own connection, ReceivingService, station id, operator and boxes
//    of its own cases, scanning distinct expected serials back to back at the same time (on SQLite four
//    connections to one file: writers take turns on its lock);
//  - lookup: the classifier's two indexed queries for one serial (expected items, live receipts);
//  - SQLite only, for reference: scans without fsync (the CPU and SQLite work alone) and lookups in
//    autocommit.
// Targets: SQLite 1 station p50 <= 0.6 ms, p99 < 3 ms; PostgreSQL p50 <= 3x its bare commit (1 and 4
// stations) and p99 < 5 ms with 4 stations.

#include "AuditLog.h"
#include "Clock.h"
#include "Database.h"
#include "DemoData.h"
#include "Operators.h"
#include "PrivatePostgres.h"
#include "ReceivingService.h"
#include "ScanEvent.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QThread>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <latch>
#include <map>
#include <optional>
#include <thread>
#include <vector>

namespace {
using SteadyClock = std::chrono::steady_clock;

constexpr int LinesPerCase = 10; // DemoData's bulk cases
constexpr int UnknownPercent = 5;
const QString StationId = QStringLiteral("BENCH-01");

struct Size
{
    qint64 serials;
    qint64 receipts;
    int scans;           // one station
    int scansPerStation; // each of the four stations
    int lookups;
};
constexpr Size FullSize{1'000'000, 100'000, 10'000, 2'500, 100'000};
constexpr Size QuickSize{20'000, 1'000, 200, 100, 2'000};
constexpr int Stations = 4;
constexpr int ScansPerBox = LinesPerCase + 2; // box label, ten serials, :done

const QString OperatorBadge = QStringLiteral("BADGE-1001");

struct Percentiles
{
    qsizetype n = 0;
    double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles.
Percentiles percentiles(std::vector<double> samples)
{
    Percentiles p;
    if (samples.empty())
        return p;
    std::sort(samples.begin(), samples.end());
    const auto rank = [&samples](double q) {
        const auto i = size_t(std::ceil(q * double(samples.size())));
        return samples[std::clamp<size_t>(i, 1, samples.size()) - 1];
    };
    p.n = qsizetype(samples.size());
    p.p50 = rank(0.50);
    p.p90 = rank(0.90);
    p.p99 = rank(0.99);
    p.max = samples.back();
    return p;
}

double msSince(SteadyClock::time_point start)
{
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

bool isMemoryFs(const QByteArray &type)
{
    return type == "tmpfs" || type == "ramfs";
}

// Where the database goes: --dir, else $TMPDIR when it is a real disk, else the build folder.
QString chooseBase(const QString &requested)
{
    if (!requested.isEmpty())
        return requested;
    const QString tmp = qEnvironmentVariable("TMPDIR");
    if (!tmp.isEmpty() && QDir(tmp).exists() && !isMemoryFs(QStorageInfo(tmp).fileSystemType()))
        return tmp;
    return QStringLiteral(RS_BENCH_DIR);
}

// History the station already has: receipts for the first bulk cases, one closed box per case, the
// delivered outbox events and the audit rows a real day's work leaves. Written directly in one
// transaction; driving ReceivingService would pay one fsync per scan.
void seedReceipts(Database &db, qint64 receipts, const QDateTime &now)
{
    const qint64 cases = (receipts + LinesPerCase - 1) / LinesPerCase;
    const qint64 spanSecs = 90LL * 24 * 3600; // the last three months
    const qint64 step = std::max<qint64>(1, spanSecs / std::max<qint64>(1, cases));
    Transaction tx(db);
    qint64 written = 0;
    for (qint64 k = 1; k <= cases; ++k) {
        const QString label = DemoData::bulkCaseNumber(k);
        const QString station = k % 2 ? QStringLiteral("DOCK-01") : QStringLiteral("DOCK-02");
        const QString op = k % 3 ? OperatorBadge : QStringLiteral("BADGE-1002");
        const QDateTime opened = now.addSecs(-spanSecs + k * step);
        const QString openedAt = isoUtc(opened);
        qint64 caseId = 0;
        {
            Statement s = db.prepare("SELECT id FROM cases WHERE case_number = ?1");
            if (!s.bind(1, label).next())
                throw DbException(DbError{DbError::Kind::Other, 0, {}, QStringLiteral("no case ") + label});
            caseId = s.int64(0);
        }
        Statement box = db.prepare("INSERT INTO boxes (label, case_id, station_id, operator_id, opened_at, "
                                   "closed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        box.bind(1, label).bind(2, caseId).bind(3, station).bind(4, op).bind(5, openedAt);
        box.bind(6, isoUtc(opened.addSecs(LinesPerCase * 20 + 15))).exec();
        const qint64 boxId = db.lastInsertId();
        AuditLog::append(db, AuditLog::Entry{openedAt, station, op, QStringLiteral("box_opened"), label,
                                             QStringLiteral("{\"case_number\":\"%1\"}").arg(label)});

        Statement items =
            db.prepare("SELECT line, sku, serial FROM expected_items WHERE case_id = ?1 ORDER BY line");
        items.bind(1, caseId);
        int received = 0;
        while (written < receipts && items.next()) {
            const int line = int(items.int64(0));
            const QString sku = items.text(1);
            const QString serial = items.text(2);
            const QString at = isoUtc(opened.addSecs(line * 20));
            const QString condition =
                written % 50 == 7 ? QStringLiteral("damaged") : QStringLiteral("working");
            Statement r = db.prepare(
                "INSERT INTO receipts (serial, sku, case_id, line, box_id, station_id, operator_id, "
                "received_at, condition, outcome, manual_entry) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'matched', ?10)");
            r.bind(1, serial).bind(2, sku).bind(3, caseId).bind(4, line).bind(5, boxId).bind(6, station);
            r.bind(7, op).bind(8, at);
            r.bind(9, condition);
            r.bind(10, written % 200 == 3).exec();
            const qint64 receiptId = db.lastInsertId();
            Statement o = db.prepare(
                "INSERT INTO outbox (idempotency_key, kind, case_number, receipt_id, box_id, payload, state, "
                "attempts, created_at, delivered_at) VALUES (?1, 'receipt', ?2, ?3, ?4, ?5, 'delivered', 1, "
                "?6, ?6)");
            o.bind(1, QStringLiteral("bench-receipt-%1").arg(receiptId)).bind(2, label).bind(3, receiptId);
            o.bind(4, boxId);
            o.bind(5, QStringLiteral("{\"receipt_id\":\"bench-receipt-%1\",\"serial\":\"%2\",\"sku\":\"%3\","
                                     "\"line\":%4,\"received_at\":\"%5\",\"station_id\":\"%6\","
                                     "\"operator_id\":\"%7\",\"condition\":\"%8\",\"late\":false}")
                          .arg(receiptId)
                          .arg(serial, sku)
                          .arg(line)
                          .arg(at, station, op, condition));
            o.bind(6, at).exec();
            ++written;
            ++received;
        }
        QStringList missing;
        for (int line = received + 1; line <= LinesPerCase; ++line)
            missing << QString::number(line);
        AuditLog::append(db,
                         AuditLog::Entry{isoUtc(opened.addSecs(LinesPerCase * 20 + 15)), station, op,
                                         QStringLiteral("box_closed"), label,
                                         QStringLiteral("{\"missing_lines\":[%1]}").arg(missing.join(u','))});
    }
    tx.commit();
}

// Shaped like a serial but expected by no case.
QString unknownSerial(QRandomGenerator &rng)
{
    return QStringLiteral("UK%1").arg(rng.generate64() % 0xFFFFFFFFFFULL, 10, 16, QLatin1Char('0')).toUpper();
}

struct PlannedScan
{
    QByteArray raw;
    Outcome expected;
};

// Box after box: its case number, its ten serials (about 5% swapped for serials no case expects), :done.
std::vector<PlannedScan> planScans(int count, qint64 firstCase, qint64 serials, quint32 seed)
{
    std::vector<PlannedScan> plan;
    plan.reserve(size_t(count));
    QRandomGenerator rng(seed); // each station its own unknown serials
    for (qint64 k = firstCase; qsizetype(plan.size()) < count; ++k) {
        if (k * LinesPerCase > serials)
            qFatal("not enough bulk cases for %d scans: use fewer scans or more serials", count);
        plan.push_back({DemoData::bulkCaseNumber(k).toUtf8(), Outcome::BoxOpened});
        for (int line = 0; line < LinesPerCase; ++line) {
            if (int(rng.bounded(100)) < UnknownPercent) {
                plan.push_back({unknownSerial(rng).toUtf8(), Outcome::Unexpected});
            } else {
                plan.push_back(
                    {DemoData::bulkSerial((k - 1) * LinesPerCase + line).toUtf8(), Outcome::Matched});
            }
        }
        plan.push_back({QByteArrayLiteral(":done"), Outcome::BoxClosed});
    }
    plan.resize(size_t(count));
    return plan;
}

// Microseconds per serial for both lookups. Inside a transaction they run as in a scan; in autocommit each
// query also takes and drops its own WAL read lock.
std::vector<double> measureLookups(Database &db, const std::vector<QByteArray> &serials,
                                   const char *expectedSql, const char *liveSql, qint64 &found)
{
    std::vector<double> us;
    us.reserve(serials.size());
    Statement expected = db.prepare(expectedSql);
    Statement live = db.prepare(liveSql);
    for (const QByteArray &serial : serials) {
        const auto start = SteadyClock::now();
        expected.reset();
        expected.bind(1, serial);
        while (expected.next())
            found += expected.int64(1);
        live.reset();
        live.bind(1, serial);
        while (live.next())
            found += live.int64(0) > 0;
        us.push_back(msSince(start) * 1000);
    }
    return us;
}

struct ScanRun
{
    std::vector<double> ms;
    std::map<Outcome, int> outcomes;
    int wrong = 0;
    int notSaved = 0; // NOT SAVED answers that were scanned again
};

// The floor: one row into a scratch table and its commit. On PostgreSQL a plain BEGIN/INSERT/COMMIT, without
// the depot's writer lock a Transaction takes, so it never waits for a station.
double timedBareCommit(Database &floor)
{
    const auto start = SteadyClock::now();
    if (floor.isPostgres()) {
        floor.exec("BEGIN");
        Statement s = floor.prepare("INSERT INTO bench_baseline (at, payload) VALUES (?1, ?2)");
        s.bind(1, isoUtc(QDateTime::currentDateTimeUtc())).bind(2, QStringLiteral("x")).exec();
        floor.exec("COMMIT");
    } else {
        Transaction tx(floor);
        Statement s = floor.prepare("INSERT INTO bench_baseline (at, payload) VALUES (?1, ?2)");
        s.bind(1, isoUtc(QDateTime::currentDateTimeUtc())).bind(2, QStringLiteral("x")).exec();
        tx.commit();
    }
    return msSince(start);
}

// Scans plan[from, to) at `station`; after each one, one bare commit on `floor` when given.
void runScans(ReceivingService &service, const QString &station, const std::vector<PlannedScan> &plan,
              size_t from, size_t to, ScanRun &run, Database *floor, std::vector<double> *floorMs)
{
    run.ms.reserve(to - from);
    for (size_t i = from; i < to; ++i) {
        const PlannedScan &p = plan[i];
        ScanEvent event;
        event.raw = p.raw;
        event.sourceId = QStringLiteral("bench");
        event.timestampMs = QDateTime::currentMSecsSinceEpoch();
        // NOT SAVED (the database stayed busy past the busy timeout) is answered as at the dock: the same
        // scan again; the latency is the worker's whole wait, failed attempts included.
        const auto start = SteadyClock::now();
        Verdict v = service.scan(event, station);
        for (int attempt = 1; v.outcome == Outcome::NotRecorded && attempt < 5; ++attempt) {
            ++run.notSaved;
            v = service.scan(event, station);
        }
        run.ms.push_back(msSince(start));
        ++run.outcomes[v.outcome];
        if (v.outcome != p.expected && run.wrong++ < 5)
            std::fprintf(stderr, "WRONG VERDICT at %s for %s: %s (expected %s): %s\n", qPrintable(station),
                         p.raw.constData(), qPrintable(outcomeName(v.outcome)),
                         qPrintable(outcomeName(p.expected)), qPrintable(v.message));
        if (floor)
            floorMs->push_back(timedBareCommit(*floor));
    }
}

// Bytes this process caused to be written to storage (Linux), or -1.
qint64 diskWriteBytes()
{
    QFile f(QStringLiteral("/proc/self/io"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("write_bytes:"))
            return line.mid(12).trimmed().toLongLong();
    }
    return -1;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() >= 3 ? QString::fromLatin1(parts[0] + ' ' + parts[1] + ' ' + parts[2]) : QString();
}

void printQueryPlan(Database &db, const char *sql)
{
    Statement s = db.prepare(sql);
    while (s.next())
        std::printf("    %s\n", qPrintable(s.text(3)));
}

void printRow(const char *name, const char *unit, const Percentiles &p, const QString &target,
              const char *result)
{
    std::printf("%-40s %-3s %7lld %9.3f %9.3f %9.3f %9.3f   %-22s %s\n", name, unit,
                static_cast<long long>(p.n), p.p50, p.p90, p.p99, p.max, qPrintable(target), result);
}

void printHeader()
{
    std::printf("%-40s %-3s %7s %9s %9s %9s %9s   %-22s %s\n", "measure", "", "n", "p50", "p90", "p99", "max",
                "target", "result");
}

const char *verdict(bool met)
{
    return met ? "PASS" : "FAIL";
}

struct Settings
{
    Size size;
    qint64 serials = 0; // expected serials this engine gets (--pg-serials may lower it on PostgreSQL)
    QString cliPath;
    QString workDir; // the CLI's working folder
    int cacheMib = 0;
};

struct EngineReport
{
    QString name;
    QString location;
    bool ran = false;
    QString error;
    QString note;
    double fillSeconds = 0;
    qint64 serials = 0;
    double seedSeconds = 0;
    Percentiles bare, one, four, lookup, lookupAutocommit, noSync;
    double fourSeconds = 0;
    qint64 fourScans = 0;
    int notSavedOne = 0, notSavedFour = 0;
    int wrong = 0;
    bool met = false;
};

// `receiving-cli --db LOCATION demo-data --serials N`: the way a station database gets its demo cases.
double fillThroughCli(const Settings &st, const QString &location, qint64 serials)
{
    QProcess cli;
    cli.setWorkingDirectory(st.workDir);
    cli.setProcessChannelMode(QProcess::MergedChannels);
    const auto start = SteadyClock::now();
    cli.start(st.cliPath, {QStringLiteral("--db"), location, QStringLiteral("demo-data"),
                           QStringLiteral("--serials"), QString::number(serials)});
    if (!cli.waitForFinished(-1) || cli.exitStatus() != QProcess::NormalExit || cli.exitCode() != 0)
        throw DbException(DbError{DbError::Kind::Other,
                                  0,
                                  {},
                                  QStringLiteral("receiving-cli demo-data failed (exit %1): %2")
                                      .arg(cli.exitCode())
                                      .arg(QString::fromUtf8(cli.readAll()).trimmed())});
    const double seconds = msSince(start) / 1000;
    std::printf("  demo-data   %s\n", qPrintable(QString::fromUtf8(cli.readAll()).trimmed()));
    return seconds;
}

QString scalar(Database &db, const char *sql)
{
    Statement s = db.prepare(sql);
    return s.next() ? s.text(0) : QString();
}

qint64 casesFor(qint64 scans)
{
    return (scans + ScansPerBox - 1) / ScansPerBox;
}

// Four stations at once, each on its own thread with its own connection; scans of station t use the cases
// from firstCase + t * casesPerStation on.
struct StationRun
{
    ScanRun run;
    QString error;
};

double runStations(const QString &location, const Settings &st, qint64 firstCase,
                   std::vector<StationRun> &out)
{
    const qint64 casesPerStation = casesFor(st.size.scansPerStation);
    out.assign(Stations, {});
    std::latch ready(Stations + 1);
    std::latch done(Stations);
    std::vector<std::thread> threads;
    std::vector<char> setUp(Stations, 0);
    for (int t = 0; t < Stations; ++t) {
        threads.emplace_back([&, t] {
            StationRun &me = out[size_t(t)];
            const SystemClock clock;
            std::optional<Database> db;
            std::optional<ReceivingService> service;
            const QString station = QStringLiteral("BENCH-S%1").arg(t + 1);
            std::vector<PlannedScan> plan;
            try {
                db.emplace();
                db->open(location);
                if (st.cacheMib > 0 && !db->isPostgres())
                    db->exec(QByteArray("PRAGMA cache_size=-" + QByteArray::number(st.cacheMib * 1024))
                                 .constData());
                service.emplace(*db, clock, ReceivingService::Options{});
                service->signIn(station, QStringLiteral("BADGE-100%1").arg(t + 1));
                plan = planScans(st.size.scansPerStation, firstCase + t * casesPerStation, st.serials,
                                 quint32(100 + t));
                setUp[size_t(t)] = 1;
            } catch (const DbException &e) {
                me.error = e.error().message;
            }
            ready.arrive_and_wait();
            if (setUp[size_t(t)]) {
                try {
                    runScans(*service, station, plan, 0, plan.size(), me.run, nullptr, nullptr);
                } catch (const DbException &e) {
                    me.error = e.error().message;
                }
            }
            done.count_down();
        });
    }
    ready.arrive_and_wait();
    const auto start = SteadyClock::now();
    done.wait();
    const double seconds = msSince(start) / 1000;
    for (std::thread &th : threads)
        th.join();
    return seconds;
}

// Fills the engine's database, then measures; returns what it measured (error set when it could not).
EngineReport runEngine(const QString &name, const QString &location, const Settings &st,
                       const QString &floorPath)
{
    EngineReport r;
    r.name = name;
    r.location = Database::displayLocation(location);
    r.serials = st.serials;
    std::printf("\n== %s: %s\n", qPrintable(name), qPrintable(r.location));
    try {
        const SystemClock clock;
        const QDateTime now = clock.nowUtc();
        r.fillSeconds = fillThroughCli(st, location, st.serials);
        std::printf("  fill        %lld expected serials through receiving-cli demo-data: %.1f s\n",
                    static_cast<long long>(st.serials), r.fillSeconds);

        Database db;
        db.open(location);
        const bool pg = db.isPostgres();
        if (!pg && st.cacheMib > 0)
            db.exec(QByteArray("PRAGMA cache_size=-" + QByteArray::number(st.cacheMib * 1024)).constData());
        if (pg)
            std::printf("  server      PostgreSQL %s, fsync=%s synchronous_commit=%s wal_sync_method=%s\n",
                        qPrintable(scalar(db, "SELECT current_setting('server_version')")),
                        qPrintable(scalar(db, "SELECT current_setting('fsync')")),
                        qPrintable(scalar(db, "SELECT current_setting('synchronous_commit')")),
                        qPrintable(scalar(db, "SELECT current_setting('wal_sync_method')")));
        else
            std::printf("  pragmas     journal_mode=%s synchronous=%s (2 = FULL) cache_size=%s\n",
                        qPrintable(scalar(db, "PRAGMA journal_mode")),
                        qPrintable(scalar(db, "PRAGMA synchronous")),
                        qPrintable(scalar(db, "PRAGMA cache_size")));

        auto t = SteadyClock::now();
        seedReceipts(db, st.size.receipts, now);
        if (pg)
            db.exec("ANALYZE"); // what autovacuum does after a bulk load, before the dock's first scan
        else
            db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        r.seedSeconds = msSince(t) / 1000;
        std::printf("  receipts    %lld in closed boxes, with outbox and audit rows%s: %.1f s\n",
                    static_cast<long long>(st.size.receipts), pg ? ", then ANALYZE" : "", r.seedSeconds);
        if (!pg)
            std::printf("  file        %.0f MB\n", double(QFileInfo(location).size()) / 1e6);
        else
            std::printf(
                "  database    %s\n",
                qPrintable(scalar(db, "SELECT pg_size_pretty(pg_database_size(current_database()))")));
        {
            Operators ops(db);
            QString err;
            for (int k = 3; k <= Stations; ++k) {
                const QString badge = QStringLiteral("BADGE-100%1").arg(k);
                if (!ops.byBadge(badge) &&
                    !ops.add(badge, QStringLiteral("Bench Station %1").arg(k), Operators::Role::Dock,
                             QStringLiteral("%1%1%1%1").arg(k + 4), QStringLiteral("bench"), &err))
                    throw DbException(
                        DbError{DbError::Kind::Other, 0, {}, QStringLiteral("operator: ") + err});
            }
        }

        // One station, each scan followed by one bare commit so both see the same moment's disk latency (a
        // shared or virtual disk drifts by milliseconds over a minute).
        ReceivingService service(db, clock, ReceivingService::Options{});
        service.signIn(StationId, OperatorBadge);
        const qint64 firstFreeCase = (st.size.receipts + LinesPerCase - 1) / LinesPerCase + 1;
        const int noSyncScans = pg ? 0 : st.size.scans / 5;
        const std::vector<PlannedScan> plan =
            planScans(st.size.scans + noSyncScans, firstFreeCase, st.serials, 42);
        Database floor;
        floor.open(floorPath);
        floor.exec(
            pg ? "CREATE TABLE IF NOT EXISTS bench_baseline (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
                 "PRIMARY KEY, at TEXT NOT NULL, payload TEXT)"
               : "CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, at TEXT NOT NULL, "
                 "payload TEXT)");
        ScanRun durable;
        std::vector<double> baselineMs;
        const qint64 writtenBefore = diskWriteBytes();
        runScans(service, StationId, plan, 0, size_t(st.size.scans), durable, &floor, &baselineMs);
        const qint64 writtenAfter = diskWriteBytes();
        r.wrong += durable.wrong;
        r.notSavedOne = durable.notSaved;

        ScanRun noSync;
        if (!pg) {
            // For reference only: the same scans without fsync, i.e. the CPU and SQLite work alone.
            db.exec("PRAGMA synchronous=OFF");
            runScans(service, StationId, plan, size_t(st.size.scans), plan.size(), noSync, nullptr, nullptr);
            db.exec("PRAGMA synchronous=FULL");
            r.wrong += noSync.wrong;
        }

        // The classifier's lookups alone.
        const char *expectedSql = "SELECT case_id, line, sku FROM expected_items WHERE serial = ?1";
        const char *liveSql = "SELECT id, box_id FROM receipts WHERE serial = ?1 AND voided = 0";
        std::vector<QByteArray> serials;
        serials.reserve(size_t(st.size.lookups));
        QRandomGenerator rng(7);
        for (int i = 0; i < st.size.lookups; ++i) {
            const QString serial = int(rng.bounded(100)) < UnknownPercent
                                       ? unknownSerial(rng)
                                       : DemoData::bulkSerial(qint64(rng.bounded(quint64(st.serials))));
            serials.push_back(serial.toUtf8());
        }
        qint64 found = 0;
        db.exec("BEGIN"); // as inside a scan, which already holds its transaction
        const std::vector<double> lookupUs = measureLookups(db, serials, expectedSql, liveSql, found);
        db.exec("COMMIT");
        std::vector<double> lookupAutocommitUs;
        if (!pg)
            lookupAutocommitUs = measureLookups(db, serials, expectedSql, liveSql, found);

        // Four stations at once, on cases after the one station's.
        const qint64 firstFourCase = firstFreeCase + casesFor(qint64(plan.size())) + 1;
        if ((firstFourCase + Stations * casesFor(st.size.scansPerStation)) * LinesPerCase > st.serials)
            qFatal("not enough bulk cases for %d stations: use fewer scans or more serials", Stations);
        std::vector<StationRun> stations;
        r.fourSeconds = runStations(location, st, firstFourCase, stations);
        std::vector<double> fourMs;
        std::map<Outcome, int> fourOutcomes;
        for (const StationRun &s : stations) {
            if (!s.error.isEmpty())
                throw DbException(
                    DbError{DbError::Kind::Other, 0, {}, QStringLiteral("a station: ") + s.error});
            fourMs.insert(fourMs.end(), s.run.ms.begin(), s.run.ms.end());
            for (const auto &[outcome, count] : s.run.outcomes)
                fourOutcomes[outcome] += count;
            r.wrong += s.run.wrong;
            r.notSavedFour += s.run.notSaved;
        }
        r.fourScans = qint64(fourMs.size());

        std::printf("\n  scans by outcome, 1 station:");
        std::map<Outcome, int> outcomes = durable.outcomes;
        for (const auto &[outcome, count] : noSync.outcomes)
            outcomes[outcome] += count;
        for (const auto &[outcome, count] : outcomes)
            std::printf(" %s=%d", qPrintable(outcomeName(outcome)), count);
        std::printf("\n  scans by outcome, %d stations:", Stations);
        for (const auto &[outcome, count] : fourOutcomes)
            std::printf(" %s=%d", qPrintable(outcomeName(outcome)), count);
        std::printf("\n  %d stations: %lld scans in %.1f s, %.0f scans/s together\n", Stations,
                    static_cast<long long>(r.fourScans), r.fourSeconds, double(r.fourScans) / r.fourSeconds);
        if (!pg && writtenBefore >= 0 && writtenAfter >= 0)
            std::printf("  disk writes: %.1f KiB per durable scan and its bare commit (WAL, checkpoints)\n",
                        double(writtenAfter - writtenBefore) / 1024 / st.size.scans);
        if (!pg) {
            std::printf("  query plans:\n  %s\n", expectedSql);
            printQueryPlan(
                db, "EXPLAIN QUERY PLAN SELECT case_id, line, sku FROM expected_items WHERE serial = ?1");
            std::printf("  %s\n", liveSql);
            printQueryPlan(
                db, "EXPLAIN QUERY PLAN SELECT id, box_id FROM receipts WHERE serial = ?1 AND voided = 0");
        }
        std::printf("  (lookup checksum %lld)\n", static_cast<long long>(found));
        std::printf("  load average at the end: %s\n", qPrintable(loadAverage()));

        r.one = percentiles(durable.ms);
        r.four = percentiles(fourMs);
        r.bare = percentiles(baselineMs);
        r.lookup = percentiles(lookupUs);
        r.lookupAutocommit = percentiles(lookupAutocommitUs);
        r.noSync = percentiles(noSync.ms);
        r.ran = true;
    } catch (const DbException &e) {
        r.error = e.error().message;
        std::fprintf(stderr, "%s: FAILED: %s\n", qPrintable(name), qPrintable(r.error));
    }
    return r;
}

// The figures of one engine and whether they meet its targets.
void printEngine(EngineReport &r)
{
    std::printf("\n%s (%lld expected serials%s)\n", qPrintable(r.name), static_cast<long long>(r.serials),
                qPrintable(r.note.isEmpty() ? QString() : QStringLiteral("; ") + r.note));
    if (!r.ran) {
        std::printf("  not measured: %s\n", qPrintable(r.error));
        return;
    }
    const bool pg = r.name == QLatin1String("PostgreSQL");
    const double ratio1 = r.bare.p50 > 0 ? r.one.p50 / r.bare.p50 : 0;
    const double ratio4 = r.bare.p50 > 0 ? r.four.p50 / r.bare.p50 : 0;
    printHeader();
    printRow("bare 1-row INSERT+COMMIT", "ms", r.bare, QStringLiteral("(floor)"), "");
    bool met = true;
    if (pg) {
        const bool one = ratio1 <= 3;
        const bool fourP50 = ratio4 <= 3;
        const bool fourP99 = r.four.p99 < 5;
        met = one && fourP50 && fourP99;
        printRow("scan to verdict, 1 station", "ms", r.one,
                 QStringLiteral("p50<=3x bare (%1)").arg(3 * r.bare.p50, 0, 'f', 3), verdict(one));
        printRow("scan to verdict, 4 stations at once", "ms", r.four, QStringLiteral("p50<=3x bare, p99<5"),
                 verdict(fourP50 && fourP99));
        printRow("lookup: expected items + live", "µs", r.lookup, QStringLiteral("(in a transaction)"), "");
    } else {
        const bool one = r.one.p50 <= 0.6 && r.one.p99 < 3;
        met = one;
        printRow("scan to verdict, 1 station", "ms", r.one, QStringLiteral("p50<=0.6 p99<3"), verdict(one));
        printRow("scan to verdict, 4 stations at once", "ms", r.four,
                 QStringLiteral("(one file, one writer)"), "");
        printRow("lookup: expected items + live", "µs", r.lookup, QStringLiteral("p50,p99<20"),
                 r.lookup.p50 < 20 && r.lookup.p99 < 20 ? "met" : "missed");
        printRow("ref: scan, synchronous=OFF", "ms", r.noSync, QStringLiteral("(no fsync)"), "");
        printRow("ref: lookup in autocommit", "µs", r.lookupAutocommit, QStringLiteral("(own read lock)"),
                 "");
    }
    std::printf("  p50 / bare commit p50: 1 station %.2fx, %d stations %.2fx%s\n", ratio1, Stations, ratio4,
                pg ? " (target <= 3x)" : "");
    std::printf("  scan above the bare commit: p50 %+.3f ms, p99 %+.3f ms (1 station)\n",
                r.one.p50 - r.bare.p50, r.one.p99 - r.bare.p99);
    std::printf("  %d stations: %.0f scans/s together; fill %.1f s, receipts %.1f s\n", Stations,
                r.fourSeconds > 0 ? double(r.fourScans) / r.fourSeconds : 0.0, r.fillSeconds, r.seedSeconds);
    std::printf("  NOT SAVED (busy past the timeout), scanned again: 1 station %d, %d stations %d\n",
                r.notSavedOne, Stations, r.notSavedFour);
    std::printf("  targets: %s\n", verdict(met));
    r.met = met;
}
} // namespace

int main(int argc, char *argv[])
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Scan-to-verdict latency benchmark, SQLite and PostgreSQL"));
    parser.addHelpOption();
    const QCommandLineOption quickOption(QStringLiteral("quick"),
                                         QStringLiteral("Small size, only to prove the benchmark runs."));
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QStringLiteral("PostgreSQL to measure (an empty database's postgresql:// URL) instead of a private "
                       "cluster."),
        QStringLiteral("url"));
    const QCommandLineOption engineOption(QStringLiteral("engine"),
                                          QStringLiteral("sqlite, postgresql or both (the default)."),
                                          QStringLiteral("engine"), QStringLiteral("both"));
    const QCommandLineOption pgSerialsOption(
        QStringLiteral("pg-serials"),
        QStringLiteral("Expected serials on PostgreSQL when the full size takes too long to fill."),
        QStringLiteral("n"));
    const QCommandLineOption dirOption(
        QStringLiteral("dir"), QStringLiteral("Folder for the temporary SQLite database (a real disk)."),
        QStringLiteral("folder"));
    const QCommandLineOption keepOption(QStringLiteral("keep"),
                                        QStringLiteral("Keep the SQLite database afterwards."));
    const QCommandLineOption cacheOption(
        QStringLiteral("cache-mib"),
        QStringLiteral("Page cache of the SQLite station connections (SQLite's default "
                       "is 2 MiB), to try tuning."),
        QStringLiteral("MiB"));
    parser.addOptions(
        {quickOption, dbOption, engineOption, pgSerialsOption, dirOption, keepOption, cacheOption});
    parser.process(app);
    const bool quick = parser.isSet(quickOption);
    const QString engine = parser.value(engineOption);
    if (engine != QLatin1String("both") && engine != QLatin1String("sqlite") &&
        engine != QLatin1String("postgresql")) {
        std::fprintf(stderr, "--engine must be sqlite, postgresql or both\n");
        return 2;
    }
    const bool runSqlite = engine != QLatin1String("postgresql");
    const bool runPg = engine != QLatin1String("sqlite");

    const QString base = chooseBase(parser.value(dirOption));
    QDir().mkpath(base);
    QTemporaryDir dir(base + QStringLiteral("/bench_scan-XXXXXX"));
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot create a folder under %s\n", qPrintable(base));
        return 2;
    }
    dir.setAutoRemove(!parser.isSet(keepOption));

    Settings st;
    st.size = quick ? QuickSize : FullSize;
    st.serials = st.size.serials;
    st.cliPath = QStringLiteral(RS_CLI_PATH);
    st.workDir = dir.path();
    st.cacheMib = parser.value(cacheOption).toInt();

    const QStorageInfo storage(dir.path());
    std::printf("bench_scan (%s)\n", quick ? "quick" : "full");
    std::printf("  folder      %s\n", qPrintable(dir.path()));
    std::printf("  filesystem  %s on %s\n", storage.fileSystemType().constData(),
                storage.device().constData());
    if (isMemoryFs(storage.fileSystemType()))
        std::printf("  WARNING: %s is in memory; commit latency means nothing here. Use --dir.\n",
                    storage.fileSystemType().constData());
    std::printf("  sqlite      %s\n", sqlite3_libversion());
    std::printf("  size        %lld expected serials, %lld receipts; 1 station: %d scans (SQLite +%d without "
                "fsync), each followed by a bare commit; %d stations: %d scans each; %d lookups\n",
                static_cast<long long>(st.size.serials), static_cast<long long>(st.size.receipts),
                st.size.scans, st.size.scans / 5, Stations, st.size.scansPerStation, st.size.lookups);
    std::printf("  cpus        %d\n", QThread::idealThreadCount());
    std::printf("  load avg    %s\n", qPrintable(loadAverage()));

    std::vector<EngineReport> reports;
    if (runSqlite) {
        const QString path = dir.filePath(QStringLiteral("station.db"));
        reports.push_back(
            runEngine(QStringLiteral("SQLite"), path, st, dir.filePath(QStringLiteral("baseline.db"))));
    }
    PrivatePostgres server;
    if (runPg) {
        QString url = parser.value(dbOption);
        QString note;
        if (!url.isEmpty() && !Database::isPostgresUrl(url)) {
            std::fprintf(stderr, "--db must be a postgresql:// URL\n");
            return 2;
        }
        if (url.isEmpty()) {
            const auto t = SteadyClock::now();
            if (!server.start()) {
                std::printf("\n== PostgreSQL: no private cluster: %s\n", qPrintable(server.error()));
                if (quick) {
                    std::printf("   (quick run: SQLite alone)\n");
                } else {
                    EngineReport r;
                    r.name = QStringLiteral("PostgreSQL");
                    r.error = QStringLiteral("no private cluster: ") + server.error();
                    reports.push_back(r);
                }
            } else {
                url = server.createDatabase(QStringLiteral("bench_scan"));
                if (url.isEmpty()) {
                    EngineReport r;
                    r.name = QStringLiteral("PostgreSQL");
                    r.error = server.error();
                    reports.push_back(r);
                } else {
                    std::printf("\nprivate PostgreSQL cluster in %s (unix socket %s), started in %.1f s\n",
                                qPrintable(server.dataDir()), qPrintable(server.socketDir()),
                                msSince(t) / 1000);
                    note = QStringLiteral("private cluster, unix socket");
                }
            }
        } else {
            note = QStringLiteral("server given by --db");
        }
        if (!url.isEmpty()) {
            Settings pgSettings = st;
            if (parser.isSet(pgSerialsOption)) {
                pgSettings.serials = parser.value(pgSerialsOption).toLongLong();
                if (pgSettings.serials != st.serials)
                    note += QStringLiteral("; NOTE: %1 expected serials instead of %2 (--pg-serials)")
                                .arg(pgSettings.serials)
                                .arg(st.serials);
            }
            EngineReport r = runEngine(QStringLiteral("PostgreSQL"), url, pgSettings, url);
            r.note = note;
            reports.push_back(r);
        }
    }

    std::printf("\n==== results (load average now %s)\n", qPrintable(loadAverage()));
    int failures = 0;
    for (EngineReport &r : reports) {
        printEngine(r);
        if (!r.ran || r.wrong)
            ++failures;
        if (r.wrong)
            std::fprintf(stderr, "FAILED: %s: %d scans got the wrong verdict\n", qPrintable(r.name), r.wrong);
    }
    return failures ? 1 : 0;
}
