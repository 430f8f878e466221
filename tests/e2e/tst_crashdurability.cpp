// SPDX-License-Identifier: GPL-3.0-or-later
#include "DemoData.h"
#include "IsolatedEnvironment.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <QUrl>
#include <sqlite3.h>

#include "PrivatePostgres.h"
#include "TestStore.h"

#include <array>
#include <memory>
#include <optional>

// Pulls the plug on `receiving-cli scan` again and again (SIGKILL at random moments) and then checks that
// everything a printed verdict promised is in the database: a verdict on the screen means the scan is saved.

namespace {

const QString Cli = QStringLiteral(RS_CLI_PATH);
constexpr quint32 Seed = 20261126;
constexpr int MinKills = 80;
constexpr int MinVerdicts = 2500;
constexpr int MaxVerdictsPerRun = 60;
constexpr qint64 BulkSerials = 2000;
constexpr int ProcessTimeoutMs = 60'000;
constexpr int VerdictTimeoutMs = 20'000;
constexpr qint64 BudgetMs = 110'000;

// A deterministic stream of what a dock scans: box labels of demo cases, expected serials, many unknown
// serials (each new, so most scans write a receipt), SKUs for units waiting for one, :done and :undo.
class ScanMix
{
public:
    explicit ScanMix(quint32 seed) : m_rng(seed) {}

    QByteArray next()
    {
        static const QList<QByteArray> labels{
            "2026-1103-0001", "2026-1103-0001", "1Z999AA10123456784", "2026-1020-0002",   "123456789012",
            "2026-0610-0003", "2026-1105-0007", "9000-0000-000001",   "9000-0000-000002",
        };
        static const QList<QByteArray> demoSerials{
            "JN11F3A2BAFA", "CAHZ4512",     "CAHZ4519",     "PE3716460123", "PE3716460124", "PE3716460125",
            "WS3718090001", "WS3718090002", "CW0218AF0042", "JN12A7C1DAFB", "CAKB7701",     "CAKC1002",
        };
        static const QList<QByteArray> skus{"SRX345", "SRX345", "SRX345", "EX4300-48T", "MPC7E-10G"};
        const int dice = int(m_rng.bounded(100));
        if (dice < 55)
            return QByteArray("CRASH") + QByteArray::number(++m_unknown).rightJustified(6, '0');
        if (dice < 65)
            return DemoData::bulkSerial(qint64(m_rng.bounded(quint32(BulkSerials)))).toLatin1();
        if (dice < 70)
            return demoSerials.at(int(m_rng.bounded(quint32(demoSerials.size()))));
        if (dice < 79)
            return labels.at(int(m_rng.bounded(quint32(labels.size()))));
        if (dice < 86)
            return ":undo";
        if (dice < 90)
            return ":done";
        return skus.at(int(m_rng.bounded(quint32(skus.size()))));
    }

private:
    QRandomGenerator m_rng;
    int m_unknown = 0;
};

// One verdict read from a scan process, and where it came from.
struct Seen
{
    int run = 0;
    QByteArray input;
    QString outcome;
    std::optional<qint64> receipt;
    std::optional<qint64> exception;
    QString serial;
    QString unboundSerial;
    QByteArray raw;
};

std::optional<qint64> optionalId(const QJsonValue &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toInteger());
}

QString nullableText(const QJsonValue &v)
{
    return v.isNull() ? QString() : v.toString();
}

// Parses one verdict line; empty error when it is a well-formed verdict.
Seen parseVerdict(const QByteArray &line, const QByteArray &input, int run, QString *error)
{
    Seen s;
    s.run = run;
    s.input = input;
    s.raw = line;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("not a JSON object: ") + QString::fromUtf8(line.left(500));
        return s;
    }
    const QJsonObject o = doc.object();
    for (const char *f : {"input", "outcome", "receipt_id", "exception_id", "serial"}) {
        if (!o.contains(QLatin1String(f))) {
            *error = QStringLiteral("verdict without %1: %2").arg(QLatin1String(f), QString::fromUtf8(line));
            return s;
        }
    }
    s.outcome = o[QLatin1String("outcome")].toString();
    s.receipt = optionalId(o[QLatin1String("receipt_id")]);
    s.exception = optionalId(o[QLatin1String("exception_id")]);
    s.serial = nullableText(o[QLatin1String("serial")]);
    s.unboundSerial = nullableText(o[QLatin1String("unbound_serial")]);
    if (o[QLatin1String("input")].toString() != QString::fromLatin1(input))
        *error = QStringLiteral("verdict for \"%1\" answers \"%2\"")
                     .arg(QString::fromLatin1(input), o[QLatin1String("input")].toString());
    else if (s.outcome == QLatin1String("not_recorded") || s.outcome == QLatin1String("invalid"))
        *error = QStringLiteral("scan not recorded after a crash: ") + QString::fromUtf8(line);
    return s;
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

struct ReceiptRow
{
    QString serial;
    bool voided = false;
};

struct ExceptionRow
{
    QString serial;
};

// Read-back independent of the code under test: the SQLite C API, or psql on the test's PostgreSQL cluster.
class Inspector
{
public:
    explicit Inspector(const QString &location) : m_location(location)
    {
        if (TestStore::postgres())
            return;
        if (sqlite3_open_v2(location.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE, nullptr) !=
            SQLITE_OK)
            m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    }
    ~Inspector() { sqlite3_close_v2(m_db); }
    QString error() const { return m_error; }

    // Every row of a query as text columns.
    QList<QStringList> rows(const char *sql)
    {
        QList<QStringList> out;
        if (TestStore::postgres()) {
            // postgresql:///NAME?host=...: the database's name is the URL's path.
            const QString name = QUrl(m_location).path().mid(1);
            QString text;
            if (!TestStore::cluster()->psql(name, QString::fromUtf8(sql), &text)) {
                m_error = TestStore::cluster()->error();
                return out;
            }
            for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                out << line.split(QLatin1Char('|'));
            return out;
        }
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &st, nullptr) != SQLITE_OK) {
            m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
            return out;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            QStringList row;
            for (int i = 0; i < sqlite3_column_count(st); ++i)
                row << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, i)));
            out << row;
        }
        if (rc != SQLITE_DONE)
            m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
        sqlite3_finalize(st);
        return out;
    }

private:
    QString m_location;
    sqlite3 *m_db = nullptr;
    QString m_error;
};

} // namespace

class TestCrashDurability : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void killedScansKeepEveryPrintedVerdict();

private:
    bool runCli(const QStringList &args, const QByteArray &input, QByteArray *out, QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    QProcessEnvironment m_env;
};

void TestCrashDurability::initTestCase()
{
    QVERIFY2(QFileInfo(Cli).isExecutable(), qPrintable(Cli + QStringLiteral(" is not built")));
}

void TestCrashDurability::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = TestStore::location(m_dir->filePath(QStringLiteral("receiving.db")));
    m_env = isolatedEnvironment(m_dir->path());
    QVERIFY(!m_env.isEmpty());
}

void TestCrashDurability::cleanup()
{
    m_dir.reset();
}

bool TestCrashDurability::runCli(const QStringList &args, const QByteArray &input, QByteArray *out,
                                 QString *error)
{
    QProcess p;
    p.setProcessEnvironment(m_env);
    p.start(Cli, QStringList{QStringLiteral("--db"), m_db} + args);
    if (!p.waitForStarted(ProcessTimeoutMs)) {
        *error = p.errorString();
        return false;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(ProcessTimeoutMs)) {
        p.kill();
        p.waitForFinished(ProcessTimeoutMs);
        *error = args.join(QLatin1Char(' ')) + QStringLiteral(" did not finish");
        return false;
    }
    *out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("%1 exited with %2: %3")
                     .arg(args.join(QLatin1Char(' ')))
                     .arg(p.exitCode())
                     .arg(QString::fromUtf8(err));
        return false;
    }
    return true;
}

void TestCrashDurability::killedScansKeepEveryPrintedVerdict()
{
    QByteArray out;
    QString error;
    QVERIFY2(runCli({QStringLiteral("demo-data"), QStringLiteral("--serials"), QString::number(BulkSerials)},
                    {}, &out, &error),
             qPrintable(error));

    enum class Kill { AfterVerdicts, RightAfterWrite, WhileAnswering, NoKill };
    QRandomGenerator rng(Seed);
    ScanMix mix(Seed + 1);
    QList<Seen> seen;
    QList<QByteArray> unanswered; // lines written to a process killed before its verdict was read
    std::array<int, 4> kills{};   // by Kill
    int runs = 0;
    QElapsedTimer elapsed;
    elapsed.start();
    const QString stderrLog = m_dir->filePath(QStringLiteral("scan-stderr.log"));
    const auto totalKills = [&] {
        return kills[int(Kill::AfterVerdicts)] + kills[int(Kill::RightAfterWrite)] +
               kills[int(Kill::WhileAnswering)];
    };

    while (totalKills() < MinKills || seen.size() < MinVerdicts) {
        QVERIFY2(elapsed.elapsed() < BudgetMs,
                 qPrintable(QStringLiteral("only %1 kills and %2 verdicts in %3 ms")
                                .arg(totalKills())
                                .arg(seen.size())
                                .arg(elapsed.elapsed())));
        ++runs;
        const int dice = int(rng.bounded(10));
        const Kill kill = dice < 4   ? Kill::AfterVerdicts
                          : dice < 7 ? Kill::RightAfterWrite
                          : dice < 9 ? Kill::WhileAnswering
                                     : Kill::NoKill;
        const int answered = int(rng.bounded(MaxVerdictsPerRun + 1));

        QProcess p;
        p.setProcessEnvironment(m_env);
        p.setStandardErrorFile(stderrLog, QIODevice::Append);
        p.start(Cli, {QStringLiteral("--db"), m_db, QStringLiteral("scan"), QStringLiteral("--station"),
                      QStringLiteral("CRASH-1"), QStringLiteral("--operator"), QStringLiteral("BADGE-1001")});
        QVERIFY2(p.waitForStarted(ProcessTimeoutMs), qPrintable(p.errorString()));

        for (int i = 0; i < answered; ++i) {
            const QByteArray line = mix.next();
            p.write(line + '\n');
            QVERIFY2(waitForLine(p, VerdictTimeoutMs),
                     qPrintable(QStringLiteral("run %1: no verdict for %2 (process %3, exit %4)")
                                    .arg(runs)
                                    .arg(QString::fromLatin1(line))
                                    .arg(p.state())
                                    .arg(p.exitCode())));
            const QByteArray verdict = p.readLine().chopped(1);
            seen.append(parseVerdict(verdict, line, runs, &error));
            QVERIFY2(error.isEmpty(), qPrintable(QStringLiteral("run %1: %2").arg(runs).arg(error)));
            QVERIFY2(p.bytesAvailable() == 0, "more than one line of output for one scan");
        }

        QByteArray inFlight;
        if (kill == Kill::RightAfterWrite || kill == Kill::WhileAnswering) {
            inFlight = mix.next();
            p.write(inFlight + '\n');
            QVERIFY(p.waitForBytesWritten(ProcessTimeoutMs)); // in the pipe, so the process may act on it
            if (kill == Kill::WhileAnswering) {
                // A random kill point inside the scan: give it up to a few ms to answer, then kill it anyway.
                p.waitForReadyRead(int(rng.bounded(1, 6)));
            }
        }
        if (kill == Kill::NoKill) {
            p.closeWriteChannel();
            QVERIFY2(p.waitForFinished(ProcessTimeoutMs), "scan did not end at the end of its input");
            QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                     qPrintable(QStringLiteral("run %1 exited with %2").arg(runs).arg(p.exitCode())));
        } else {
            p.kill(); // SIGKILL: no destructors, no atexit, no flushing
            QVERIFY(p.waitForFinished(ProcessTimeoutMs));
            QCOMPARE(p.exitStatus(), QProcess::CrashExit);
            ++kills[int(kill)];
        }

        // Whatever reached the pipe before the kill was printed, so it counts as shown to the operator.
        const QByteArray rest = p.readAllStandardOutput();
        if (!rest.isEmpty()) {
            QVERIFY2(!inFlight.isEmpty() && rest.endsWith('\n') && rest.count('\n') == 1,
                     qPrintable(QStringLiteral("run %1: unexpected output after the kill: %2")
                                    .arg(runs)
                                    .arg(QString::fromUtf8(rest.left(500)))));
            seen.append(parseVerdict(rest.chopped(1), inFlight, runs, &error));
            QVERIFY2(error.isEmpty(), qPrintable(QStringLiteral("run %1: %2").arg(runs).arg(error)));
        } else if (!inFlight.isEmpty()) {
            unanswered.append(inFlight);
        }
    }
    const qint64 scanMs = elapsed.elapsed();

    // What the verdicts promised.
    QHash<qint64, QString> receiptSerial;
    QHash<qint64, int> undoneAt; // receipt -> index of the verdict that undid it
    QHash<qint64, QString> exceptionSerial;
    for (int i = 0; i < seen.size(); ++i) {
        const Seen &s = seen[i];
        if (s.receipt) {
            const auto known = receiptSerial.constFind(*s.receipt);
            QVERIFY2(known == receiptSerial.cend() || *known == s.serial,
                     qPrintable(QStringLiteral("receipt %1 reported for serials %2 and %3")
                                    .arg(*s.receipt)
                                    .arg(known == receiptSerial.cend() ? QString() : *known, s.serial)));
            receiptSerial.insert(*s.receipt, s.serial);
            QVERIFY2(!undoneAt.contains(*s.receipt),
                     qPrintable(QStringLiteral("receipt %1 reported again after it was undone: %2")
                                    .arg(*s.receipt)
                                    .arg(QString::fromUtf8(s.raw))));
            if (s.outcome == QLatin1String("undone"))
                undoneAt.insert(*s.receipt, i);
        }
        if (s.exception) {
            QVERIFY2(!exceptionSerial.contains(*s.exception),
                     qPrintable(QStringLiteral("exception %1 reported twice").arg(*s.exception)));
            exceptionSerial.insert(*s.exception, s.serial.isEmpty() ? s.unboundSerial : s.serial);
        }
    }

    Inspector db(m_db);
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    if (TestStore::postgres()) {
        // The server checks pages itself; what a crash could break is a row pointing nowhere (foreign keys
        // are enforced at once, so none may exist).
        QCOMPARE(db.rows("SELECT count(*) FROM receipts r LEFT JOIN boxes b ON b.id = r.box_id "
                         "WHERE r.box_id IS NOT NULL AND b.id IS NULL"),
                 QList<QStringList>{{QStringLiteral("0")}});
        QCOMPARE(db.rows("SELECT count(*) FROM exceptions x LEFT JOIN receipts r ON r.id = x.receipt_id "
                         "WHERE x.receipt_id IS NOT NULL AND r.id IS NULL"),
                 QList<QStringList>{{QStringLiteral("0")}});
    } else {
        const QList<QStringList> integrity = db.rows("PRAGMA integrity_check");
        QCOMPARE(integrity, QList<QStringList>{{QStringLiteral("ok")}});
        QCOMPARE(db.rows("PRAGMA foreign_key_check"), QList<QStringList>{});
    }

    QHash<qint64, ReceiptRow> receipts;
    for (const QStringList &r : db.rows("SELECT id, serial, voided FROM receipts"))
        receipts.insert(r[0].toLongLong(), ReceiptRow{r[1], r[2] == QLatin1String("1")});
    QHash<qint64, ExceptionRow> exceptions;
    for (const QStringList &r : db.rows("SELECT id, coalesce(serial, '') FROM exceptions"))
        exceptions.insert(r[0].toLongLong(), ExceptionRow{r[1]});
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));

    // Every receipt a verdict showed is there, for the same serial, voided only when a verdict said so (or by
    // an :undo whose process was killed before it could answer).
    const qsizetype unansweredUndos = unanswered.count(QByteArray(":undo"));
    QStringList silentlyVoided;
    for (auto it = receiptSerial.cbegin(); it != receiptSerial.cend(); ++it) {
        const auto row = receipts.constFind(it.key());
        QVERIFY2(row != receipts.cend(),
                 qPrintable(QStringLiteral("receipt %1 (%2) was printed but is not in the database")
                                .arg(it.key())
                                .arg(it.value())));
        QVERIFY2(row->serial == it.value(),
                 qPrintable(QStringLiteral("receipt %1 holds %2, the verdict said %3")
                                .arg(it.key())
                                .arg(row->serial, it.value())));
        if (undoneAt.contains(it.key()))
            QVERIFY2(row->voided,
                     qPrintable(QStringLiteral("receipt %1 was undone but is live").arg(it.key())));
        else if (row->voided)
            silentlyVoided << QString::number(it.key());
    }
    QVERIFY2(silentlyVoided.size() <= unansweredUndos,
             qPrintable(
                 QStringLiteral("receipts voided without a verdict saying so: %1 (only %2 unanswered :undo)")
                     .arg(silentlyVoided.join(QLatin1String(", ")))
                     .arg(unansweredUndos)));

    // Receipts nobody was shown may only come from the lines whose process died before answering.
    QSet<QString> unansweredText;
    for (const QByteArray &line : std::as_const(unanswered))
        unansweredText.insert(QString::fromLatin1(line).toUpper());
    int unseenReceipts = 0;
    for (auto it = receipts.cbegin(); it != receipts.cend(); ++it) {
        if (receiptSerial.contains(it.key()))
            continue;
        ++unseenReceipts;
        QVERIFY2(
            unansweredText.contains(it->serial),
            qPrintable(QStringLiteral("receipt %1 (%2) exists but no verdict or unanswered scan explains it")
                           .arg(it.key())
                           .arg(it->serial)));
    }
    QVERIFY2(unseenReceipts <= unanswered.size(),
             qPrintable(QStringLiteral("%1 unseen receipts for %2 unanswered scans")
                            .arg(unseenReceipts)
                            .arg(unanswered.size())));

    // Every exception a verdict showed is there, about the unit the verdict named.
    for (auto it = exceptionSerial.cbegin(); it != exceptionSerial.cend(); ++it) {
        const auto row = exceptions.constFind(it.key());
        QVERIFY2(row != exceptions.cend(),
                 qPrintable(QStringLiteral("exception %1 (%2) was printed but is not in the database")
                                .arg(it.key())
                                .arg(it.value())));
        QVERIFY2(row->serial == it.value(),
                 qPrintable(QStringLiteral("exception %1 is about %2, the verdict said %3")
                                .arg(it.key())
                                .arg(row->serial, it.value())));
    }

    QVERIFY2(runCli({QStringLiteral("audit"), QStringLiteral("verify")}, {}, &out, &error),
             qPrintable(error));
    QVERIFY2(out.startsWith("Audit log intact"), out.constData());

    // And the station works on after all that.
    QVERIFY2(runCli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("CRASH-1"),
                     QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                    ":done\nAFTERCRASH1\n", &out, &error),
             qPrintable(error));
    const QList<QByteArray> last = out.chopped(1).split('\n');
    QCOMPARE(last.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(last[1]).object()[QLatin1String("outcome")].toString(),
             QStringLiteral("unmatched"));

    int withReceipt = 0;
    for (const Seen &s : std::as_const(seen))
        withReceipt += s.receipt ? 1 : 0;
    qInfo("%d runs, %d kills (%d after N verdicts, %d right after a write, %d while answering), "
          "%d clean exits",
          runs, totalKills(), kills[int(Kill::AfterVerdicts)], kills[int(Kill::RightAfterWrite)],
          kills[int(Kill::WhileAnswering)], runs - totalKills());
    qInfo("%lld verdicts read (%d with a receipt id), %lld receipts and %lld exceptions checked, "
          "%lld unanswered scans (%d of them left a receipt, %lld receipts voided by an unanswered :undo); "
          "scanning took %lld ms",
          qlonglong(seen.size()), withReceipt, qlonglong(receiptSerial.size()),
          qlonglong(exceptionSerial.size()), qlonglong(unanswered.size()), unseenReceipts,
          qlonglong(silentlyVoided.size()), scanMs);
}

QTEST_GUILESS_MAIN(TestCrashDurability)
#include "tst_crashdurability.moc"
