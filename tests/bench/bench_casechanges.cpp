// SPDX-License-Identifier: GPL-3.0-or-later
// Re-matching after a pull (issue #12): 10,000 open exceptions (units scanned before their case listed them),
// then a pull of 1,000 changed cases, each gaining serial lines for 5 of those units, in one transaction as
// SyncEngine stores a page: CaseStore::upsert per case (CaseChanges), then one CaseChanges::rematch. Prints
// the pull's case changes and the re-matching separately, on SQLite and on PostgreSQL (a private cluster
// unless --db URL), against the 2 s for the re-matching.
//
// Then, in the same store, the import of a Trade-In Form of 5,000 lines end to end as `receiving-cli
// import-form` applies it (issue #12: under 1 s): the file (a .csv written into the bench's folder) is
// hashed, read with SpreadsheetReader, parsed with TradeInForm::fromWorkbook and applied with
// SupervisorService::importForm(dryRun = false) by a supervisor. Each run imports into a fresh case of 4
// lines with 3 of them received and 2 unexpected units in its box; the form keeps the 4 lines, lists the 2
// unexpected units and 10 units held as unmatched exceptions, and adds the rest. Prints the median and the
// fastest run; a slow import is reported FAIL but only a failed import makes the exit status non-zero.
//
//   build/dev/tests/bench/bench_casechanges [--quick] [--engine sqlite|postgresql] [--db URL]
//
// --quick: 200 cases and 2,000 exceptions, a form of 1,000 lines imported twice (CI proves it runs).
#include "CaseChanges.h"
#include "CaseStore.h"
#include "Clock.h"
#include "Database.h"
#include "Operators.h"
#include "PrivatePostgres.h"
#include "ReceivingService.h"
#include "Spreadsheet.h"
#include "SupervisorService.h"
#include "TradeInForm.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {
struct Figures
{
    double fillMs = 0;
    double changesMs = 0;
    double rematchMs = 0;
    int marked = 0;
    qint64 markedInStore = 0;
    // The form imports, one entry per run.
    QList<double> formReadMs, formImportMs, formTotalMs;
    int formNowExpected = 0;
    QString formError; // empty: every import applied all the form's lines
};

struct FormSize
{
    int lines = 5000;
    int runs = 5;
};

const QString FormSku = QStringLiteral("EX4300-48T");
const QString Supervisor = QStringLiteral("BENCH-SUP");
const QString DockWorker = QStringLiteral("BENCH-DOCK");

QString formCase(int run)
{
    return QStringLiteral("2026-0600-%1").arg(run, 4, 10, QLatin1Char('0'));
}

QString caseSerial(int run, int line)
{
    return QStringLiteral("FC%1L%2").arg(run, 2, 10, QLatin1Char('0')).arg(line);
}

QString unexpectedSerial(int run, int i)
{
    return QStringLiteral("FU%1N%2").arg(run, 2, 10, QLatin1Char('0')).arg(i);
}

// The form as a Trade-In Form CSV (like bench_forms'): the case's 4 lines, then the 2 units found in the
// case's box, 10 units held as unmatched exceptions (UX…, not claimed by the pull), and new serials.
bool writeForm(const QString &path, int run, int lines, int firstHeld)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray out = "\xEF\xBB\xBFTMIP Case #;" + formCase(run).toUtf8() +
                     "\r\n\r\nLine;SKU;Description;Serial Number;Qty\r\n";
    for (int i = 1; i <= lines; ++i) {
        QString serial;
        if (i <= 4)
            serial = caseSerial(run, i);
        else if (i <= 6)
            serial = unexpectedSerial(run, i - 4);
        else if (i <= 16)
            serial = QStringLiteral("UX%1").arg(firstHeld + i - 7, 6, 10, QLatin1Char('0'));
        else
            serial =
                QStringLiteral("FS%1N%2").arg(run, 2, 10, QLatin1Char('0')).arg(i, 6, 10, QLatin1Char('0'));
        out += QStringLiteral("%1;%2;\"Juniper EX4300; returned\";%3;1\r\n")
                   .arg(i)
                   .arg(FormSku, serial)
                   .toUtf8();
    }
    return f.write(out) == out.size();
}

// A fresh case of 4 lines, 3 received and 2 unexpected units in its box (scanned at the dock, box closed).
void prepareCase(Database &db, const Clock &clock, int run)
{
    {
        CaseRecord r;
        r.caseNumber = formCase(run);
        r.disposition = QStringLiteral("trade_in");
        r.status = QStringLiteral("open");
        r.customerName = QStringLiteral("Bench customer");
        r.orderDate = QDate(2026, 1, 1);
        r.dueDate = QDate(2026, 6, 1);
        r.updatedAt = QStringLiteral("2026-01-01T00:00:00.000Z");
        for (int l = 1; l <= 4; ++l)
            r.items.append(CaseRecord::Item{l, FormSku, QStringLiteral("Unit"), caseSerial(run, l), 1});
        Transaction tx(db);
        CaseStore store(db);
        store.upsert(r);
        store.rematch();
        tx.commit();
    }
    ReceivingService receiving(db, clock, ReceivingService::Options{});
    const QString station = QStringLiteral("BENCH-%1").arg(run);
    receiving.signIn(station, DockWorker);
    QStringList scans{formCase(run),      caseSerial(run, 1),       caseSerial(run, 2),
                      caseSerial(run, 3), unexpectedSerial(run, 1), unexpectedSerial(run, 2)};
    for (const QString &raw : scans) {
        ScanEvent e;
        e.raw = raw.toUtf8();
        e.sourceId = QStringLiteral("bench");
        receiving.scan(e, station);
    }
    receiving.signOut(station);
}

// What receiving-cli import-form does with FILE (cmdImportForm), minus the preview and the question.
void importForm(Database &db, const Clock &clock, const QString &path, int lines, Figures &f)
{
    QElapsedTimer t;
    t.start();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        f.formError = file.errorString();
        return;
    }
    const QString sha256 =
        QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
    file.close();
    QString why;
    const std::optional<Workbook> book = SpreadsheetReader::read(path, &why);
    const std::optional<TradeInForm> form =
        book ? TradeInForm::fromWorkbook(*book, QString(), &why) : std::optional<TradeInForm>();
    if (!form) {
        f.formError = why;
        return;
    }
    TradeInFormImport in;
    in.caseNumber = form->caseNumber;
    in.sheetName = form->sheetName;
    in.fileName = QFileInfo(path).fileName();
    in.sha256 = sha256;
    for (const TradeInForm::Line &l : form->lines)
        in.lines.append(TradeInFormImport::Line{l.line, l.sku, l.description, l.serial, l.quantity, l.sheet,
                                                l.row, l.serialColumn});
    const double readMs = t.nsecsElapsed() / 1e6;
    t.restart();
    SupervisorService service(db, clock);
    service.setStationId(QStringLiteral("BENCH-DESK"));
    QJsonObject done;
    try {
        done = service.importForm(in, false, Supervisor);
    } catch (const SupervisorError &e) {
        f.formError = e.message();
        return;
    }
    const double importMs = t.nsecsElapsed() / 1e6;
    if (done[QLatin1String("lines_after")].toInteger() != lines) {
        f.formError = QStringLiteral("the case has %1 lines after the import, not %2")
                          .arg(done[QLatin1String("lines_after")].toInteger())
                          .arg(lines);
        return;
    }
    f.formReadMs.append(readMs);
    f.formImportMs.append(importMs);
    f.formTotalMs.append(readMs + importMs);
    f.formNowExpected = int(done[QLatin1String("now_expected")].toArray().size());
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

double fastest(const QList<double> &v)
{
    return v.isEmpty() ? 0 : *std::min_element(v.begin(), v.end());
}

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

Figures run(const QString &location, int cases, int exceptions, const FormSize &form, const QString &formDir)
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

    // The form imports, in the store the pull left behind.
    QString why;
    Operators ops(db);
    if (!ops.add(Supervisor, QStringLiteral("Bench Supervisor"), Operators::Role::Supervisor, {},
                 QStringLiteral("bench"), &why) ||
        !ops.add(DockWorker, QStringLiteral("Bench Dock"), Operators::Role::Dock, {}, QStringLiteral("bench"),
                 &why)) {
        f.formError = why;
        return f;
    }
    SystemClock clock;
    for (int run = 0; run < form.runs && f.formError.isEmpty(); ++run) {
        prepareCase(db, clock, run);
        const QString path = QDir(formDir).filePath(QStringLiteral("trade-in-%1.csv").arg(run));
        // Held units past those the pull claimed (cases * 5), 10 per run.
        if (!writeForm(path, run, form.lines, cases * 5 + run * 10)) {
            f.formError = QStringLiteral("cannot write ") + path;
            break;
        }
        importForm(db, clock, path, form.lines, f);
    }
    return f;
}

void print(const char *engine, const Figures &f, int cases, int exceptions, const FormSize &form)
{
    std::printf("%-10s  fill %8.0f ms | pull of %d changed cases %8.1f ms | re-matching against %d open "
                "exceptions %7.1f ms, %d marked (%lld in the store) | %s (< 2000 ms)\n",
                engine, f.fillMs, cases, f.changesMs, exceptions, f.rematchMs, f.marked,
                static_cast<long long>(f.markedInStore), f.rematchMs < 2000 ? "PASS" : "FAIL");
    if (!f.formError.isEmpty())
        std::printf("%-10s  import of a %d-line Trade-In Form FAILED: %s\n", engine, form.lines,
                    qPrintable(f.formError));
    else
        std::printf(
            "%-10s  import of a %d-line Trade-In Form (csv), %lld runs: total median %7.1f ms, min %7.1f "
            "ms (read+parse median %6.1f ms, importForm median %7.1f ms), %d now expected | %s "
            "(< 1000 ms)\n",
            engine, form.lines, static_cast<long long>(f.formTotalMs.size()), median(f.formTotalMs),
            fastest(f.formTotalMs), median(f.formReadMs), median(f.formImportMs), f.formNowExpected,
            median(f.formTotalMs) < 1000 ? "PASS" : "FAIL");
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
    const FormSize form = quick ? FormSize{1000, 2} : FormSize{};
    const qsizetype engineAt = args.indexOf(QLatin1String("--engine"));
    const QString engine = engineAt > 0 ? args.value(engineAt + 1) : QString();
    const qsizetype dbAt = args.indexOf(QLatin1String("--db"));
    int rc = 0;
    try {
        if (engine.isEmpty() || engine == QLatin1String("sqlite")) {
            QDir().mkpath(QStringLiteral(RS_BENCH_DIR));
            QTemporaryDir dir(QStringLiteral(RS_BENCH_DIR "/casechanges-XXXXXX"));
            const Figures f =
                run(dir.filePath(QStringLiteral("bench.db")), cases, exceptions, form, dir.path());
            print("SQLite", f, cases, exceptions, form);
            rc |= f.rematchMs < 2000 && f.markedInStore == qint64(cases) * 5 ? 0 : 1;
            rc |= f.formError.isEmpty() ? 0 : 1;
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
            QDir().mkpath(QStringLiteral(RS_BENCH_DIR));
            QTemporaryDir formDir(QStringLiteral(RS_BENCH_DIR "/casechanges-XXXXXX"));
            const Figures f = run(url, cases, exceptions, form, formDir.path());
            print("PostgreSQL", f, cases, exceptions, form);
            rc |= f.rematchMs < 2000 && f.markedInStore == qint64(cases) * 5 ? 0 : 1;
            rc |= f.formError.isEmpty() ? 0 : 1;
        }
    } catch (const DbException &e) {
        std::printf("bench_casechanges: %s\n", qPrintable(e.error().message));
        return 1;
    }
    return rc;
}
