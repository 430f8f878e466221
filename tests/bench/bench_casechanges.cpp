// SPDX-License-Identifier: GPL-3.0-or-later
// Re-matching after a pull (issue #12): 10,000 open exceptions (units scanned before their case listed them),
// then a pull of 1,000 changed cases, each gaining serial lines for 5 of those units, in one transaction as
// SyncEngine stores a page: CaseStore::upsert per case (CaseChanges), then one CaseChanges::rematch. Prints
// the pull's case changes and the re-matching separately, on SQLite and on PostgreSQL (a private cluster
// unless
// --db URL), against the 2 s for the re-matching.
//
//   build/dev/tests/bench/bench_casechanges [--quick] [--engine sqlite|postgresql] [--db URL]
//
// --quick: 200 cases and 2,000 exceptions (CI proves it runs).
#include "CaseChanges.h"
#include "CaseStore.h"
#include "Database.h"
#include "PrivatePostgres.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

namespace {
struct Figures
{
    double fillMs = 0;
    double changesMs = 0;
    double rematchMs = 0;
    int marked = 0;
    qint64 markedInStore = 0;
};

CaseRecord caseRecord(int n, int version, int extraSerialsFrom, int extra)
{
    CaseRecord r;
    r.caseNumber = QStringLiteral("2026-0500-%1").arg(n, 4, 10, QLatin1Char('0'));
    r.disposition = QStringLiteral("trade_in");
    r.status = QStringLiteral("open");
    r.customerName = QStringLiteral("Bench customer");
    r.orderDate = QDate(2026, 1, 1);
    r.dueDate = QDate(2026, 6, 1);
    r.updatedAt = QStringLiteral("2026-01-0%1T00:00:00.000Z").arg(version);
    for (int l = 1; l <= 5; ++l)
        r.items.append(CaseRecord::Item{l, QStringLiteral("SKU-B"), QStringLiteral("Unit"),
                                        QStringLiteral("CS%1L%2").arg(n, 5, 10, QLatin1Char('0')).arg(l), 1});
    for (int i = 0; i < extra; ++i)
        r.items.append(
            CaseRecord::Item{6 + i, QStringLiteral("SKU-B"), QStringLiteral("Unit"),
                             QStringLiteral("UX%1").arg(extraSerialsFrom + i, 6, 10, QLatin1Char('0')), 1});
    return r;
}

Figures run(const QString &location, int cases, int exceptions)
{
    Figures f;
    Database db;
    db.open(location);
    QElapsedTimer t;
    t.start();
    {
        Transaction tx(db);
        CaseStore store(db);
        for (int n = 0; n < cases * 2; ++n)
            store.upsert(caseRecord(n, 1, 0, 0));
        Statement r = db.prepare("INSERT INTO receipts (serial, station_id, received_at, outcome) "
                                 "VALUES (?1, 'BENCH', '2026-01-02T00:00:00.000Z', 'unmatched')");
        Statement x = db.prepare("INSERT INTO exceptions (kind, receipt_id, serial, station_id, created_at) "
                                 "VALUES ('unmatched', ?1, ?2, 'BENCH', '2026-01-02T00:00:00.000Z')");
        for (int i = 0; i < exceptions; ++i) {
            const QString serial = QStringLiteral("UX%1").arg(i, 6, 10, QLatin1Char('0'));
            r.bind(1, serial).exec();
            x.bind(1, db.lastInsertId()).bind(2, serial).exec();
        }
        tx.commit();
    }
    f.fillMs = t.nsecsElapsed() / 1e6;
    // A depot's tables are analysed by autovacuum long before a pull; a freshly filled one is not yet.
    if (db.isPostgres() && qEnvironmentVariableIsSet("RS_BENCH_ANALYZE"))
        db.exec("ANALYZE");

    // The pull: `cases` changed cases, each now listing 5 of the units held as exceptions.
    Transaction tx(db);
    CaseStore store(db);
    t.restart();
    for (int n = 0; n < cases; ++n)
        store.upsert(caseRecord(n, 2, n * 5, 5));
    f.changesMs = t.nsecsElapsed() / 1e6;
    t.restart();
    f.marked = store.rematch();
    f.rematchMs = t.nsecsElapsed() / 1e6;
    tx.commit();
    Statement c = db.prepare("SELECT count(*) FROM exceptions WHERE now_expected_case_id IS NOT NULL");
    c.next();
    f.markedInStore = c.int64(0);
    return f;
}

void print(const char *engine, const Figures &f, int cases, int exceptions)
{
    std::printf("%-10s  fill %8.0f ms | pull of %d changed cases %8.1f ms | re-matching against %d open "
                "exceptions %7.1f ms, %d marked (%lld in the store) | %s (< 2000 ms)\n",
                engine, f.fillMs, cases, f.changesMs, exceptions, f.rematchMs, f.marked,
                static_cast<long long>(f.markedInStore), f.rematchMs < 2000 ? "PASS" : "FAIL");
    std::fflush(stdout);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QLatin1String("--quick"));
    const int cases = quick ? 200 : 1000;
    const int exceptions = quick ? 2000 : 10000;
    const qsizetype engineAt = args.indexOf(QLatin1String("--engine"));
    const QString engine = engineAt > 0 ? args.value(engineAt + 1) : QString();
    const qsizetype dbAt = args.indexOf(QLatin1String("--db"));
    int rc = 0;
    try {
        if (engine.isEmpty() || engine == QLatin1String("sqlite")) {
            QDir().mkpath(QStringLiteral(RS_BENCH_DIR));
            QTemporaryDir dir(QStringLiteral(RS_BENCH_DIR "/casechanges-XXXXXX"));
            const Figures f = run(dir.filePath(QStringLiteral("bench.db")), cases, exceptions);
            print("SQLite", f, cases, exceptions);
            rc |= f.rematchMs < 2000 && f.markedInStore == qint64(cases) * 5 ? 0 : 1;
        }
        if (engine.isEmpty() || engine == QLatin1String("postgresql")) {
            QString url = dbAt > 0 ? args.value(dbAt + 1) : QString();
            PrivatePostgres server;
            if (url.isEmpty()) {
                if (!server.start()) {
                    std::printf("PostgreSQL  not measured: %s\n", qPrintable(server.error()));
                    return quick ? rc : 1;
                }
                url = server.createDatabase(QStringLiteral("bench_casechanges"));
            }
            const Figures f = run(url, cases, exceptions);
            print("PostgreSQL", f, cases, exceptions);
            rc |= f.rematchMs < 2000 && f.markedInStore == qint64(cases) * 5 ? 0 : 1;
        }
    } catch (const DbException &e) {
        std::printf("bench_casechanges: %s\n", qPrintable(e.error().message));
        return 1;
    }
    return rc;
}
