// SPDX-License-Identifier: GPL-3.0-or-later
// bench_reports: the receipts report of 100,000 live receipts in each format (query + file) and the
// certificate of receipt of a 500-unit case (issue: read, render, audit row, file), on SQLite and on
// PostgreSQL (a private cluster, unless --db URL). Prints figures against the issue's targets (2 s, 300 ms);
// exits non-zero only when a report or certificate could not be made, never for a time.
//   build/dev/tests/bench/bench_reports [--receipts N] [--engine sqlite|postgresql|both] [--db URL]
#include "CertificateOfReceipt.h"
#include "Clock.h"
#include "Database.h"
#include "DemoData.h"
#include "PrivatePostgres.h"
#include "ReportQueries.h"
#include "ReportWriters.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTimeZone>

#include <cstdio>

namespace {
const QTimeZone Zone(QByteArrayLiteral("America/Chicago"));
const QDate Today(2026, 11, 20);

void say(const QString &s)
{
    std::fputs(qPrintable(s + u'\n'), stdout);
    std::fflush(stdout);
}

QString at(qint64 i)
{
    // Receipts spread over the first 20 days of November, station time.
    return QDateTime(QDate(2026, 11, 1), QTime(8, 0), Zone)
        .toUTC()
        .addSecs(i * 17)
        .toString(Qt::ISODateWithMs);
}

// `receipts` live receipts of the demo's bulk serials (cases of ten lines, one box each, one outbox event
// each) and a case BENCH-500 of 500 lines, all received; in one transaction of plain INSERTs.
void fill(Database &db, qint64 receipts)
{
    QElapsedTimer t;
    t.start();
    DemoData::write(db, DemoData::Options{Today, receipts, true});
    Transaction tx(db);
    QHash<QString, qint64> cases;
    {
        Statement s = db.prepare("SELECT id, case_number FROM cases");
        while (s.next())
            cases.insert(s.text(1), s.int64(0));
    }
    db.exec("INSERT INTO cases (case_number, phase, disposition, status, customer_name, partner, order_date, "
            "due_date, "
            "updated_at) VALUES ('2026-9999-0500', 2, 'trade_in', 'open', 'Bench Five Hundred Inc', 'Bench "
            "Partner', "
            "'2026-10-01', '2026-11-10', '2026-11-01T00:00:00.000Z')");
    Statement big = db.prepare("SELECT id FROM cases WHERE case_number = '2026-9999-0500'");
    big.next();
    const qint64 bigId = big.int64(0);
    big.reset();
    Statement item =
        db.prepare("INSERT INTO expected_items (case_id, line, sku, description, serial, quantity) "
                   "VALUES (?1, ?2, 'EX4300-48T', 'EX4300 48-port switch', ?3, 1)");
    Statement box =
        db.prepare("INSERT INTO boxes (label, case_id, station_id, operator_id, opened_at, closed_at) "
                   "VALUES (?1, ?2, ?3, 'BADGE-1001', ?4, ?4)");
    Statement receipt = db.prepare(
        "INSERT INTO receipts (serial, sku, case_id, line, box_id, station_id, operator_id, received_at, "
        "condition, "
        "outcome, late) VALUES (?1, 'SKU-BULK', ?2, ?3, ?4, ?5, 'BADGE-1001', ?6, ?7, 'matched', ?8)");
    Statement event =
        db.prepare("INSERT INTO outbox (idempotency_key, kind, case_number, receipt_id, payload, state, "
                   "created_at) VALUES (?1, 'receipt', ?2, ?3, '{}', ?4, ?5)");
    qint64 boxId = 0;
    QString caseNumber;
    for (qint64 i = 0; i < receipts + 500; ++i) {
        const bool bench = i >= receipts;
        const QString number = bench ? QStringLiteral("2026-9999-0500")
                                     : DemoData::bulkCaseNumber(i / 10 + 1); // bulk cases count from 1
        const qint64 caseId = bench ? bigId : cases.value(number);
        const QString serial = bench ? QStringLiteral("BN%1").arg(i - receipts, 10, 10, QLatin1Char('0'))
                                     : DemoData::bulkSerial(i);
        const int line = bench ? int(i - receipts + 1) : int(i % 10 + 1);
        if (bench)
            item.bind(1, caseId).bind(2, line).bind(3, serial).exec();
        const QString when = at(i);
        const QString station = QStringLiteral("DOOR-%1").arg(i % 3 + 1);
        if (number != caseNumber || (bench && (i - receipts) % 50 == 0)) {
            box.bind(1, QStringLiteral("BOX-%1").arg(i, 8, 10, QLatin1Char('0')))
                .bind(2, caseId)
                .bind(3, station)
                .bind(4, when)
                .exec();
            boxId = db.lastInsertId();
            caseNumber = number;
        }
        receipt.bind(1, serial)
            .bind(2, caseId)
            .bind(3, line)
            .bind(4, boxId)
            .bind(5, station)
            .bind(6, when)
            .bind(7, i % 97 == 0 ? QStringLiteral("damaged") : QStringLiteral("working"))
            .bind(8, bench && i % 7 == 0)
            .exec();
        const qint64 receiptId = db.lastInsertId();
        static const char *const states[] = {"delivered", "delivered", "pending", "held"};
        event.bind(1, QStringLiteral("bench-%1").arg(i))
            .bind(2, number)
            .bind(3, receiptId)
            .bind(4, QLatin1String(states[i % 4]))
            .bind(5, when)
            .exec();
    }
    tx.commit();
    say(QStringLiteral("  filled: %1 receipts + a 500-unit case in %2 s")
            .arg(receipts)
            .arg(t.elapsed() / 1000.0, 0, 'f', 1));
}

bool measure(const QString &engine, const QString &location, qint64 receipts, const QString &folder)
{
    say(QStringLiteral("%1 (%2)").arg(engine, Database::displayLocation(location)));
    Database db;
    db.open(location);
    fill(db, receipts);
    const QDateTime now = QDateTime(Today, QTime(18, 0), Qt::UTC);
    bool pass = true;
    for (const QString &format : {QStringLiteral("csv"), QStringLiteral("xlsx"), QStringLiteral("pdf")}) {
        QElapsedTimer t;
        t.start();
        ReportQueries q(db, Zone, now);
        const Report r = q.receipts(QDate(2026, 11, 1), QDate(2026, 11, 30));
        const qint64 queryMs = t.elapsed();
        const QString path = QStringLiteral("%1/receipts-%2.%3").arg(folder, engine.toLower(), format);
        QString why;
        const bool ok = format == u"csv" ? CsvReportWriter::write(r, path, &why)
                        : format == u"xlsx"
                            ? XlsxReportWriter::write(q.heading(QStringLiteral("A4")), r, path, &why)
                            : PdfReportWriter::write(q.heading(QStringLiteral("A4")), r, path, &why);
        const qint64 ms = t.elapsed();
        const bool good = ok && r.rows.size() >= receipts && ms < 2000;
        pass = pass && ok && r.rows.size() >= receipts; // figures are printed, never asserted
        say(QStringLiteral("  receipts report %1: %2 rows, query %3 ms, total %4 ms, %5 MB  %6")
                .arg(format, 4)
                .arg(r.rows.size())
                .arg(queryMs)
                .arg(ms)
                .arg(QFileInfo(path).size() / 1e6, 0, 'f', 1)
                .arg(!ok    ? QStringLiteral("FAIL: ") + why
                     : good ? QStringLiteral("PASS (< 2000 ms)")
                            : QStringLiteral("FAIL (>= 2000 ms)")));
    }
    QList<qint64> times;
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer t;
        t.start();
        QString why;
        const auto issued = CertificateOfReceipt(db, Zone).issue(
            QStringLiteral("2026-9999-0500"),
            QStringLiteral("%1/certificate-%2-%3.pdf").arg(folder, engine.toLower()).arg(run),
            QStringLiteral("A4"), QStringLiteral("BADGE-2001"), QStringLiteral("BENCH"), now, &why);
        times.append(t.elapsed());
        if (!issued || issued->units != 500) {
            say(QStringLiteral("  certificate FAIL: %1").arg(why));
            return false;
        }
    }
    std::sort(times.begin(), times.end());
    const bool good = times[2] < 300;
    say(QStringLiteral("  certificate of a 500-unit case: median %1 ms, max %2 ms (5 runs)  %3")
            .arg(times[2])
            .arg(times.last())
            .arg(good ? QStringLiteral("PASS (< 300 ms)") : QStringLiteral("FAIL (>= 300 ms)")));
    return pass;
}
} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    app.setProperty("rs_allow_gui_thread_io", true); // a benchmark: no screen to keep responsive
    QCommandLineParser p;
    p.addHelpOption();
    p.addOptions({{QStringLiteral("receipts"), QStringLiteral("Live receipts (100000)."), QStringLiteral("n"),
                   QStringLiteral("100000")},
                  {QStringLiteral("engine"), QStringLiteral("sqlite, postgresql or both."),
                   QStringLiteral("engine"), QStringLiteral("both")},
                  {QStringLiteral("db"), QStringLiteral("PostgreSQL URL instead of a private cluster."),
                   QStringLiteral("url")},
                  {QStringLiteral("quick"), QStringLiteral("2,000 receipts, to prove it runs.")}});
    p.process(app);
    const qint64 receipts =
        p.isSet(QStringLiteral("quick")) ? 2000 : p.value(QStringLiteral("receipts")).toLongLong();
    const QString engine = p.value(QStringLiteral("engine"));
    QDir().mkpath(QStringLiteral(RS_BENCH_DIR)); // on the build disk: tmpfs would hide the file writes' cost
    QTemporaryDir dir(QStringLiteral(RS_BENCH_DIR "/reports-XXXXXX"));
    if (!dir.isValid()) {
        say(QStringLiteral("cannot create a folder under %1").arg(QStringLiteral(RS_BENCH_DIR)));
        return 1;
    }
    bool ok = true;
    try {
        if (engine != u"postgresql")
            ok = measure(QStringLiteral("SQLite"), dir.filePath(QStringLiteral("bench.db")), receipts,
                         dir.path()) &&
                 ok;
        if (engine != u"sqlite") {
            PrivatePostgres pg;
            QString url = p.value(QStringLiteral("db"));
            if (url.isEmpty()) {
                if (!pg.start()) {
                    say(QStringLiteral("PostgreSQL: no private cluster: %1").arg(pg.error()));
                    return p.isSet(QStringLiteral("quick")) && ok ? 0 : 1;
                }
                url = pg.createDatabase(QStringLiteral("bench_reports"));
            }
            ok = measure(QStringLiteral("PostgreSQL"), url, receipts, dir.path()) && ok;
        }
    } catch (const DbException &e) {
        say(QStringLiteral("store failed: %1").arg(e.error().message));
        return 1;
    }
    return ok ? 0 : 1;
}
