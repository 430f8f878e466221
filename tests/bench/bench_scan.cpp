// SPDX-License-Identifier: GPL-3.0-or-later
// Scan-to-verdict latency on a station database of realistic size, against the dock's targets.
//
// Full run (manual; a few minutes, about 400 MB under build/dev/tests/bench/bench-data, removed afterwards):
//   cmake --build --preset dev --target bench_scan && build/dev/tests/bench/bench_scan
// Options: --quick (the CI size), --dir <folder> (where the temporary database goes; must be a real disk,
// not tmpfs, or the fsync being measured disappears), --keep (leave the database there), --cache-mib <n>
// (page cache of the station's connection, to try tuning; SQLite's default is 2 MiB).
// CTest runs only `bench_scan --quick` (label bench): ctest --preset dev -L bench
//
// It never fails on timings, only when a scan gets the wrong verdict. Measured:
//  - scan: the whole ReceivingService::scan call (classify, match, commit with WAL + synchronous=FULL) over
//    boxes opened by case number, ten serials each (about 5% unknown), closed with :done;
//  - lookup: the classifier's two indexed queries for one serial (expected items, live receipts);
//  - baseline: a single-row INSERT + COMMIT on the same disk after each scan, the floor any durable scan
//  pays;
//  - for reference: scans without fsync (the CPU and SQLite work alone) and lookups in autocommit.

#include "AuditLog.h"
#include "Clock.h"
#include "Database.h"
#include "DemoData.h"
#include "ReceivingService.h"
#include "ScanEvent.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStorageInfo>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

namespace {
using SteadyClock = std::chrono::steady_clock;

struct Size
{
    qint64 serials;
    qint64 receipts;
    int scans;
    int lookups;
};
constexpr Size FullSize{1'000'000, 100'000, 10'000, 100'000};
constexpr Size QuickSize{10'000, 1'000, 200, 2'000};

constexpr int LinesPerCase = 10; // DemoData's bulk cases
constexpr int UnknownPercent = 5;
const QString StationId = QStringLiteral("BENCH-01");
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

QString pragmaText(Database &db, const char *sql)
{
    Statement s = db.prepare(sql);
    return s.next() ? s.text(0) : QString();
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
                throw DbException(DbError::fromSqlite(SQLITE_ERROR, QStringLiteral("no case ") + label));
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
std::vector<PlannedScan> planScans(int count, qint64 firstCase, qint64 serials)
{
    std::vector<PlannedScan> plan;
    plan.reserve(size_t(count));
    QRandomGenerator rng(42);
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
};

double timedBareCommit(Database &floor)
{
    const auto start = SteadyClock::now();
    Transaction tx(floor);
    Statement s = floor.prepare("INSERT INTO bench_baseline (at, payload) VALUES (?1, ?2)");
    s.bind(1, isoUtc(QDateTime::currentDateTimeUtc())).bind(2, QStringLiteral("x")).exec();
    tx.commit();
    return msSince(start);
}

// Scans plan[from, to); after each one, one bare commit on `floor` when given.
void runScans(ReceivingService &service, const std::vector<PlannedScan> &plan, size_t from, size_t to,
              ScanRun &run, Database *floor, std::vector<double> *floorMs)
{
    run.ms.reserve(to - from);
    for (size_t i = from; i < to; ++i) {
        const PlannedScan &p = plan[i];
        ScanEvent event;
        event.raw = p.raw;
        event.sourceId = QStringLiteral("bench");
        event.timestampMs = QDateTime::currentMSecsSinceEpoch();
        const auto start = SteadyClock::now();
        const Verdict v = service.scan(event, StationId);
        run.ms.push_back(msSince(start));
        ++run.outcomes[v.outcome];
        if (v.outcome != p.expected && run.wrong++ < 5)
            std::fprintf(stderr, "WRONG VERDICT for %s: %s (expected %s): %s\n", p.raw.constData(),
                         qPrintable(outcomeName(v.outcome)), qPrintable(outcomeName(p.expected)),
                         qPrintable(v.message));
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

void printRow(const char *name, const char *unit, const Percentiles &p, const char *target,
              const char *result)
{
    std::printf("%-36s %-3s %7lld %9.3f %9.3f %9.3f %9.3f   %-15s %s\n", name, unit,
                static_cast<long long>(p.n), p.p50, p.p90, p.p99, p.max, target, result);
}
} // namespace

int main(int argc, char *argv[])
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Scan-to-verdict latency benchmark"));
    parser.addHelpOption();
    const QCommandLineOption quickOption(QStringLiteral("quick"),
                                         QStringLiteral("Tiny size, only to prove the benchmark runs."));
    const QCommandLineOption dirOption(QStringLiteral("dir"),
                                       QStringLiteral("Folder for the temporary database (a real disk)."),
                                       QStringLiteral("folder"));
    const QCommandLineOption keepOption(QStringLiteral("keep"),
                                        QStringLiteral("Keep the database afterwards."));
    const QCommandLineOption cacheOption(
        QStringLiteral("cache-mib"),
        QStringLiteral("Page cache of the station connection (SQLite's default "
                       "is 2 MiB), to try tuning."),
        QStringLiteral("MiB"));
    parser.addOptions({quickOption, dirOption, keepOption, cacheOption});
    parser.process(app);
    const Size size = parser.isSet(quickOption) ? QuickSize : FullSize;

    const QString base = chooseBase(parser.value(dirOption));
    QDir().mkpath(base);
    QTemporaryDir dir(base + QStringLiteral("/bench_scan-XXXXXX"));
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot create a folder under %s\n", qPrintable(base));
        return 2;
    }
    dir.setAutoRemove(!parser.isSet(keepOption));
    const QStorageInfo storage(dir.path());
    std::printf("bench_scan (%s)\n", parser.isSet(quickOption) ? "quick" : "full");
    std::printf("  folder      %s\n", qPrintable(dir.path()));
    std::printf("  filesystem  %s on %s\n", storage.fileSystemType().constData(),
                storage.device().constData());
    if (isMemoryFs(storage.fileSystemType()))
        std::printf("  WARNING: %s is in memory; commit latency means nothing here. Use --dir.\n",
                    storage.fileSystemType().constData());
    std::printf("  sqlite      %s\n", sqlite3_libversion());
    std::printf(
        "  size        %lld expected serials, %lld receipts, %d scans (+%d without fsync), %d lookups\n",
        static_cast<long long>(size.serials), static_cast<long long>(size.receipts), size.scans,
        size.scans / 5, size.lookups);
    std::printf("  load avg    %s\n", qPrintable(loadAverage()));

    try {
        Database db;
        db.open(dir.filePath(QStringLiteral("station.db")));
        if (parser.isSet(cacheOption))
            db.exec(QByteArray("PRAGMA cache_size=-" +
                               QByteArray::number(parser.value(cacheOption).toInt() * 1024))
                        .constData());
        std::printf("  pragmas     journal_mode=%s synchronous=%s (2 = FULL) cache_size=%s\n",
                    qPrintable(pragmaText(db, "PRAGMA journal_mode")),
                    qPrintable(pragmaText(db, "PRAGMA synchronous")),
                    qPrintable(pragmaText(db, "PRAGMA cache_size")));

        const SystemClock clock;
        const QDateTime now = clock.nowUtc();
        auto t = SteadyClock::now();
        const DemoData::Summary demo = DemoData::write(db, DemoData::Options{now.date(), size.serials, true});
        std::printf("\nsetup\n  expected    %lld serials in %d cases: %.1f s\n",
                    static_cast<long long>(demo.serials), demo.cases, msSince(t) / 1000);
        t = SteadyClock::now();
        seedReceipts(db, size.receipts, now);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        std::printf("  receipts    %lld in closed boxes, with outbox and audit rows: %.1f s\n",
                    static_cast<long long>(size.receipts), msSince(t) / 1000);
        std::printf("  file        %.0f MB\n",
                    double(QFileInfo(dir.filePath(QStringLiteral("station.db"))).size()) / 1e6);

        // Scan to verdict, each scan followed by one bare commit on the same disk so both see the same
        // moment's disk latency (a shared or virtual disk drifts by milliseconds over a minute).
        ReceivingService service(db, clock, ReceivingService::Options{});
        service.signIn(StationId, OperatorBadge);
        const qint64 firstFreeCase = (size.receipts + LinesPerCase - 1) / LinesPerCase + 1;
        const int noSyncScans = size.scans / 5;
        const std::vector<PlannedScan> plan =
            planScans(size.scans + noSyncScans, firstFreeCase, size.serials);
        Database floor;
        floor.open(dir.filePath(QStringLiteral("baseline.db")));
        floor.exec("CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, at TEXT NOT NULL, payload TEXT)");
        ScanRun durable;
        std::vector<double> baselineMs;
        const qint64 writtenBefore = diskWriteBytes();
        runScans(service, plan, 0, size_t(size.scans), durable, &floor, &baselineMs);
        const qint64 writtenAfter = diskWriteBytes();

        // For reference only: the same scans without fsync, i.e. the CPU and SQLite work alone.
        db.exec("PRAGMA synchronous=OFF");
        ScanRun noSync;
        runScans(service, plan, size_t(size.scans), plan.size(), noSync, nullptr, nullptr);
        db.exec("PRAGMA synchronous=FULL");

        // The classifier's lookups alone.
        const char *expectedSql = "SELECT case_id, line, sku FROM expected_items WHERE serial = ?1";
        const char *liveSql = "SELECT id, box_id FROM receipts WHERE serial = ?1 AND voided = 0";
        std::vector<QByteArray> serials;
        serials.reserve(size_t(size.lookups));
        QRandomGenerator rng(7);
        for (int i = 0; i < size.lookups; ++i) {
            const QString serial = int(rng.bounded(100)) < UnknownPercent
                                       ? unknownSerial(rng)
                                       : DemoData::bulkSerial(qint64(rng.bounded(quint64(size.serials))));
            serials.push_back(serial.toUtf8());
        }
        qint64 found = 0;
        db.exec("BEGIN"); // as inside a scan, which already holds its transaction
        const std::vector<double> lookupUs = measureLookups(db, serials, expectedSql, liveSql, found);
        db.exec("COMMIT");
        const std::vector<double> lookupAutocommitUs =
            measureLookups(db, serials, expectedSql, liveSql, found);

        std::printf("\nscans by outcome:");
        std::map<Outcome, int> outcomes = durable.outcomes;
        for (const auto &[outcome, count] : noSync.outcomes)
            outcomes[outcome] += count;
        for (const auto &[outcome, count] : outcomes)
            std::printf(" %s=%d", qPrintable(outcomeName(outcome)), count);
        if (writtenBefore >= 0 && writtenAfter >= 0)
            std::printf("\ndisk writes: %.1f KiB per durable scan and its bare commit (WAL, checkpoints)",
                        double(writtenAfter - writtenBefore) / 1024 / size.scans);
        std::printf("\nquery plans:\n  %s\n", expectedSql);
        printQueryPlan(db,
                       "EXPLAIN QUERY PLAN SELECT case_id, line, sku FROM expected_items WHERE serial = ?1");
        std::printf("  %s\n", liveSql);
        printQueryPlan(db,
                       "EXPLAIN QUERY PLAN SELECT id, box_id FROM receipts WHERE serial = ?1 AND voided = 0");
        std::printf("  (lookup checksum %lld)\n", static_cast<long long>(found));
        std::printf("load average at the end: %s\n", qPrintable(loadAverage()));

        const Percentiles scan = percentiles(durable.ms);
        const Percentiles scanNoSync = percentiles(noSync.ms);
        const Percentiles lookup = percentiles(lookupUs);
        const Percentiles lookupAutocommit = percentiles(lookupAutocommitUs);
        const Percentiles bare = percentiles(baselineMs);
        std::printf("\n%-36s %-3s %7s %9s %9s %9s %9s   %-15s %s\n", "measure", "", "n", "p50", "p90", "p99",
                    "max", "target", "result");
        printRow("scan to verdict (whole scan call)", "ms", scan, "p50<0.6 p99<3",
                 scan.p50 < 0.6 && scan.p99 < 3 ? "met" : "MISSED");
        printRow("lookup: expected items + live", "µs", lookup, "p50,p99<20",
                 lookup.p50 < 20 && lookup.p99 < 20 ? "met" : "MISSED");
        printRow("baseline: 1-row INSERT+COMMIT", "ms", bare, "(floor)", "");
        printRow("ref: scan, synchronous=OFF", "ms", scanNoSync, "(no fsync)", "");
        printRow("ref: lookup in autocommit", "µs", lookupAutocommit, "(own read lock)", "");
        std::printf("\nscan above the bare commit: p50 %+.3f ms, p99 %+.3f ms\n", scan.p50 - bare.p50,
                    scan.p99 - bare.p99);
        const int wrong = durable.wrong + noSync.wrong;
        if (wrong) {
            std::fprintf(stderr, "FAILED: %d of %zu scans got the wrong verdict\n", wrong, plan.size());
            return 1;
        }
    } catch (const DbException &e) {
        std::fprintf(stderr, "FAILED: %s\n", qPrintable(e.error().message));
        return 1;
    }
    return 0;
}
