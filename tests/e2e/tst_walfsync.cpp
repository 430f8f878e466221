// SPDX-License-Identifier: GPL-3.0-or-later
#include "IsolatedEnvironment.h"
#include "Operators.h"
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// Watches `receiving-cli scan` under strace: before a verdict that records something reaches stdout, the
// write-ahead log must have been synced to disk, so a power cut after the operator saw "received" loses
// nothing.

namespace {

const QString Cli = QStringLiteral(RS_CLI_PATH);
constexpr int ProcessTimeoutMs = 90'000;

// Outcomes whose scan changes nothing, so nothing needs syncing before they are shown.
const QSet<QString> NonRecording{
    QStringLiteral("sku_expected"),    QStringLiteral("duplicate"),     QStringLiteral("no_box"),
    QStringLiteral("nothing_to_undo"), QStringLiteral("wrong_barcode"), QStringLiteral("invalid"),
};

// About 30 scans covering every outcome that writes: sign-in, boxes, matches, SKU binding, exceptions,
// undo, close; with a few that write nothing in between.
const QList<QByteArray> Scans{
    "BADGE-1002",             // signed_in
    "2026-1103-0001",         // box_opened
    "JN11F3A2BAFA",           // matched
    "CAHZ4512",               // matched
    "CAHZ4512",               // duplicate (writes nothing, refers to the receipt above)
    "WALSYNC0001",            // awaiting_sku
    "WALSYNC0002",            // sku_expected (writes nothing)
    "SRX345",                 // matched_by_sku
    "WALSYNC0003",            // awaiting_sku
    "SRX345",                 // matched_by_sku
    "CAHZ4519",               // matched, case complete
    "WALSYNC0004",            // unexpected
    ":undo",                  // undone
    ":done",                  // box_closed
    ":done",                  // no_box (writes nothing)
    "WALSYNC0005",            // unmatched
    "PE3716460123",           // matched without a box
    "1Z12345E0205271688",     // box_opened by tracking number
    "CAKC1002",               // matched
    "PE3716460124",           // cross_case
    "JN12A7C1DAFB",           // destruction_case
    "CW0218AF0042",           // case_closed
    "JN11F3A2BAFA",           // already_received
    "WALSYNC0006",            // unexpected
    "",                       // invalid (writes nothing)
    "2026-1103-0001",         // box_opened, closing the previous box
    "WALSYNC0007",            // unexpected (the case is complete)
    ":undo",                  // undone
    "9400111201080805483016", // box_unknown (a valid USPS number no case knows)
    ":done",                  // box_closed
};

// strace prints strings C-style: \" \\ \n \t \r \v \f, octal \NNN and hex \xNN.
QByteArray unescape(QStringView quoted, qsizetype *end)
{
    QByteArray out;
    qsizetype i = 1; // after the opening quote
    while (i < quoted.size() && quoted[i] != QLatin1Char('"')) {
        if (quoted[i] != QLatin1Char('\\')) {
            out += quoted[i].toLatin1();
            ++i;
            continue;
        }
        const QChar c = quoted[i + 1];
        i += 2;
        switch (c.toLatin1()) {
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case 'r':
            out += '\r';
            break;
        case 'v':
            out += '\v';
            break;
        case 'f':
            out += '\f';
            break;
        case 'x':
            out += char(quoted.sliced(i, 2).toString().toInt(nullptr, 16));
            i += 2;
            break;
        default:
            if (c.isDigit()) {
                qsizetype n = 0;
                while (n < 3 && i - 1 + n < quoted.size() && quoted[i - 1 + n].isDigit())
                    ++n;
                out += char(quoted.sliced(i - 1, n).toString().toInt(nullptr, 8));
                i += n - 1;
            } else {
                out += c.toLatin1();
            }
        }
    }
    *end = i;
    return out;
}

// One event of interest in the trace, in the order the kernel saw them.
struct TraceEvent
{
    enum Kind { StdoutWrite, WalSync, OtherSync } kind;
    QByteArray data; // StdoutWrite: the bytes written
    QString path;    // syncs: the file
    int traceLine = 0;
};

// Reads `strace -f -y` output. Calls split across threads ("<unfinished ...>" / "<... resumed>") are
// handled: a sync counts when it returns, a write when it starts.
bool parseTrace(const QString &text, const QString &walPath, QList<TraceEvent> *events, QString *error)
{
    static const QRegularExpression call(
        QStringLiteral(R"(^(?:\[pid\s+)?(\d+)\]?\s+(write|fsync|fdatasync)\((\d+)<([^>]*)>(.*)$)"));
    static const QRegularExpression resumed(
        QStringLiteral(R"(^(?:\[pid\s+)?(\d+)\]?\s+<\.\.\. (fsync|fdatasync) resumed>.*=\s*(-?\d+))"));
    static const QRegularExpression result(QStringLiteral(R"(\)\s*=\s*(-?\d+))"));
    QHash<QString, QString> pendingSync; // pid -> path
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int n = 0; n < lines.size(); ++n) {
        const QString &line = lines[n];
        if (line.isEmpty() || line.contains(QLatin1String("+++ exited")) ||
            line.contains(QLatin1String("---")))
            continue;
        if (const QRegularExpressionMatch m = resumed.match(line); m.hasMatch()) {
            const QString path = pendingSync.take(m.captured(1));
            if (m.captured(3) != QLatin1String("0")) {
                *error = QStringLiteral("a sync failed at trace line %1: %2").arg(n + 1).arg(line);
                return false;
            }
            events->append({path == walPath ? TraceEvent::WalSync : TraceEvent::OtherSync, {}, path, n + 1});
            continue;
        }
        const QRegularExpressionMatch m = call.match(line);
        if (!m.hasMatch())
            continue;
        const QString syscall = m.captured(2);
        const int fd = m.captured(3).toInt();
        const QString path = m.captured(4);
        const QString rest = m.captured(5);
        if (syscall == QLatin1String("write")) {
            if (fd != 1)
                continue;
            const qsizetype quote = rest.indexOf(QLatin1Char('"'));
            if (quote < 0) {
                *error = QStringLiteral("cannot read the write at trace line %1: %2").arg(n + 1).arg(line);
                return false;
            }
            qsizetype end = 0;
            const QByteArray data = unescape(QStringView(rest).sliced(quote), &end);
            if (QStringView(rest).sliced(quote + end).startsWith(QLatin1String("\"..."))) {
                *error = QStringLiteral("strace cut the write at trace line %1 short").arg(n + 1);
                return false;
            }
            events->append({TraceEvent::StdoutWrite, data, {}, n + 1});
            continue;
        }
        if (line.contains(QLatin1String("<unfinished ...>"))) {
            pendingSync.insert(m.captured(1), path);
            continue;
        }
        const QRegularExpressionMatch r = result.match(rest);
        if (!r.hasMatch() || r.captured(1) != QLatin1String("0")) {
            *error = QStringLiteral("a sync failed at trace line %1: %2").arg(n + 1).arg(line);
            return false;
        }
        events->append({path == walPath ? TraceEvent::WalSync : TraceEvent::OtherSync, {}, path, n + 1});
    }
    return true;
}

} // namespace

class TestWalFsync : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void everyRecordingVerdictFollowsWalSync();

private:
    bool runCli(const QStringList &args, QString *error);

    QString m_strace;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    QProcessEnvironment m_env;
};

void TestWalFsync::initTestCase()
{
    QVERIFY2(QFileInfo(Cli).isExecutable(), qPrintable(Cli + QStringLiteral(" is not built")));
    m_strace = QStandardPaths::findExecutable(QStringLiteral("strace"));
    if (m_strace.isEmpty())
        QFAIL("strace is not installed (apt-get install strace); this test needs it and is never skipped.");
}

void TestWalFsync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // strace -y prints resolved paths, so compare against the resolved folder.
    m_db = QDir(QFileInfo(m_dir->path()).canonicalFilePath()).filePath(QStringLiteral("receiving.db"));
    m_env = isolatedEnvironment(m_dir->path());
    QVERIFY(!m_env.isEmpty());
}

void TestWalFsync::cleanup()
{
    m_dir.reset();
}

bool TestWalFsync::runCli(const QStringList &args, QString *error)
{
    QProcess p;
    p.setProcessEnvironment(m_env);
    p.start(Cli, QStringList{QStringLiteral("--db"), m_db} + args);
    p.closeWriteChannel();
    if (!p.waitForFinished(ProcessTimeoutMs) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("%1 failed: %2")
                     .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(p.readAllStandardError()));
        return false;
    }
    return true;
}

void TestWalFsync::everyRecordingVerdictFollowsWalSync()
{
    QString error;
    QVERIFY2(runCli({QStringLiteral("init")}, &error), qPrintable(error));
    QVERIFY2(runCli({QStringLiteral("demo-data")}, &error), qPrintable(error));

    QByteArray input;
    for (const QByteArray &line : Scans)
        input += line + '\n';
    const QString traceFile = m_dir->filePath(QStringLiteral("scan.trace"));
    QProcess p;
    p.setProcessEnvironment(m_env);
    p.start(m_strace, {QStringLiteral("-f"), QStringLiteral("-y"), QStringLiteral("-s"),
                       QStringLiteral("65536"), QStringLiteral("-e"),
                       QStringLiteral("trace=fsync,fdatasync,write"), QStringLiteral("-o"), traceFile, Cli,
                       QStringLiteral("--db"), m_db, QStringLiteral("scan"), QStringLiteral("--station"),
                       QStringLiteral("WAL-1"), QStringLiteral("--operator"), QStringLiteral("BADGE-1001")});
    QVERIFY2(p.waitForStarted(ProcessTimeoutMs), qPrintable(p.errorString()));
    p.write(input);
    p.closeWriteChannel();
    QVERIFY2(p.waitForFinished(ProcessTimeoutMs), "strace receiving-cli scan did not finish");
    const QByteArray stdoutBytes = p.readAllStandardOutput();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
             qPrintable(QStringLiteral("strace/receiving-cli exited with %1: %2")
                            .arg(p.exitCode())
                            .arg(QString::fromUtf8(p.readAllStandardError()))));

    QFile trace(traceFile);
    QVERIFY2(trace.open(QIODevice::ReadOnly), qPrintable(trace.errorString()));
    const QString walPath = m_db + QStringLiteral("-wal");
    QList<TraceEvent> events;
    QVERIFY2(parseTrace(QString::fromUtf8(trace.readAll()), walPath, &events, &error), qPrintable(error));

    // The writes to fd 1, joined, are exactly what the program printed.
    QByteArray written;
    for (const TraceEvent &e : std::as_const(events)) {
        if (e.kind == TraceEvent::StdoutWrite)
            written += e.data;
    }
    QCOMPARE(written, stdoutBytes);
    QCOMPARE(stdoutBytes.count('\n'), Scans.size());

    // Walk the trace: each verdict line is complete with the write that ends it; the syncs that count for it
    // are those after the previous stdout write.
    int walSyncsSincePreviousWrite = 0;
    int walSyncs = 0;
    int recording = 0;
    QSet<QString> outcomes;
    QSet<qint64> durableReceipts;
    QByteArray partial;
    int verdictIndex = 0;
    for (const TraceEvent &e : std::as_const(events)) {
        if (e.kind == TraceEvent::WalSync) {
            ++walSyncs;
            ++walSyncsSincePreviousWrite;
            continue;
        }
        if (e.kind != TraceEvent::StdoutWrite)
            continue;
        const int syncsBeforeThisWrite = walSyncsSincePreviousWrite;
        walSyncsSincePreviousWrite = 0;
        partial += e.data;
        qsizetype nl;
        while ((nl = partial.indexOf('\n')) >= 0) {
            const QByteArray line = partial.left(nl);
            partial.remove(0, nl + 1);
            const QJsonObject v = QJsonDocument::fromJson(line).object();
            QVERIFY2(!v.isEmpty(), line.constData());
            // A badge read answers with the badge masked (BADGE-1002 -> BADGE-••02).
            const QString scanned = QString::fromLatin1(Scans.at(verdictIndex));
            QCOMPARE(v[QLatin1String("input")].toString(),
                     v[QLatin1String("kind")].toString() == QLatin1String("badge")
                         ? Operators::maskBadge(scanned)
                         : scanned);
            ++verdictIndex;
            const QString outcome = v[QLatin1String("outcome")].toString();
            QVERIFY2(outcome != QLatin1String("not_recorded"), line.constData());
            outcomes.insert(outcome);
            const qint64 receipt = v[QLatin1String("receipt_id")].toInteger(0); // 0: none
            if (NonRecording.contains(outcome)) {
                // A duplicate points at an earlier receipt: that one must already have been made durable.
                if (receipt)
                    QVERIFY2(durableReceipts.contains(receipt),
                             qPrintable(QStringLiteral("verdict refers to receipt %1 that no synced verdict "
                                                       "reported: %2")
                                            .arg(receipt)
                                            .arg(QString::fromUtf8(line))));
                continue;
            }
            ++recording;
            QVERIFY2(syncsBeforeThisWrite > 0,
                     qPrintable(QStringLiteral("no fsync/fdatasync of %1 before this verdict was written "
                                               "(trace line %2): %3")
                                    .arg(walPath)
                                    .arg(e.traceLine)
                                    .arg(QString::fromUtf8(line))));
            if (receipt)
                durableReceipts.insert(receipt);
        }
    }
    QVERIFY2(partial.isEmpty(), partial.constData());
    QCOMPARE(verdictIndex, Scans.size());
    QVERIFY2(
        walSyncs >= recording,
        qPrintable(QStringLiteral("%1 WAL syncs for %2 recording verdicts").arg(walSyncs).arg(recording)));

    // The scans above really exercised what writes.
    for (const char *o : {"signed_in", "box_opened", "box_unknown", "matched", "cross_case", "awaiting_sku",
                          "matched_by_sku", "already_received", "unexpected", "unmatched", "destruction_case",
                          "case_closed", "undone", "box_closed", "duplicate", "invalid"}) {
        QVERIFY2(outcomes.contains(QLatin1String(o)), o);
    }
    qInfo("%d verdicts, %d recording, %d syncs of the WAL", verdictIndex, recording, walSyncs);
}

QTEST_GUILESS_MAIN(TestWalFsync)
#include "tst_walfsync.moc"
