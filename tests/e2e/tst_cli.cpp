// SPDX-License-Identifier: GPL-3.0-or-later
#include "Database.h"
#include "IsolatedEnvironment.h"
#include "TestStore.h"
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <memory>
#include <optional>

// Every receiving-cli command end to end: the real binary as a separate process, a fresh database per test,
// exit codes, stdout and stderr as a script or the dock's scanner bridge sees them.

namespace {

const QString Cli = QStringLiteral(RS_CLI_PATH);
constexpr int ProcessTimeoutMs = 60'000;
constexpr int VerdictTimeoutMs = 20'000;

// The verdict line is a contract with other programs: these fields are always present.
const QStringList VerdictFields{
    QStringLiteral("input"),         QStringLiteral("kind"),        QStringLiteral("outcome"),
    QStringLiteral("severity"),      QStringLiteral("case_number"), QStringLiteral("line"),
    QStringLiteral("serial"),        QStringLiteral("sku"),         QStringLiteral("late"),
    QStringLiteral("case_complete"), QStringLiteral("receipt_id"),  QStringLiteral("exception_id"),
    QStringLiteral("missing_lines"), QStringLiteral("message"),
};

const QStringList Kinds{
    QStringLiteral("command"),     QStringLiteral("badge"),
    QStringLiteral("case_number"), QStringLiteral("tracking_number"),
    QStringLiteral("serial"),      QStringLiteral("sku"),
    QStringLiteral("gs1"),         QStringLiteral("mac"),
    QStringLiteral("clei"),        QStringLiteral("part_number"),
    QStringLiteral("invalid"),
};

const QStringList Outcomes{
    QStringLiteral("signed_in"),       QStringLiteral("box_opened"),       QStringLiteral("box_unknown"),
    QStringLiteral("matched"),         QStringLiteral("cross_case"),       QStringLiteral("ambiguous"),
    QStringLiteral("awaiting_sku"),    QStringLiteral("matched_by_sku"),   QStringLiteral("sku_expected"),
    QStringLiteral("duplicate"),       QStringLiteral("already_received"), QStringLiteral("unexpected"),
    QStringLiteral("unmatched"),       QStringLiteral("destruction_case"), QStringLiteral("case_closed"),
    QStringLiteral("box_closed"),      QStringLiteral("no_box"),           QStringLiteral("undone"),
    QStringLiteral("nothing_to_undo"), QStringLiteral("wrong_barcode"),    QStringLiteral("invalid"),
    QStringLiteral("not_recorded"),    QStringLiteral("badge_disabled"),
};

bool isWholeNumber(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() == double(v.toInteger());
}

bool isStringOrNull(const QJsonValue &v)
{
    return v.isNull() || (v.isString() && !v.toString().isEmpty());
}

// Empty when the verdict has every field with the right JSON type.
QString verdictShapeProblem(const QJsonObject &v)
{
    for (const QString &f : VerdictFields) {
        if (!v.contains(f))
            return QStringLiteral("field %1 is missing").arg(f);
    }
    if (!v[QLatin1String("input")].isString())
        return QStringLiteral("input is not text");
    if (!Kinds.contains(v[QLatin1String("kind")].toString()))
        return QStringLiteral("kind is not a known kind");
    if (!Outcomes.contains(v[QLatin1String("outcome")].toString()))
        return QStringLiteral("outcome is not a known outcome");
    const QString severity = v[QLatin1String("severity")].toString();
    if (severity != QLatin1String("success") && severity != QLatin1String("attention") &&
        severity != QLatin1String("error"))
        return QStringLiteral("severity is not success, attention or error");
    for (const char *f : {"case_number", "serial", "sku"}) {
        if (!isStringOrNull(v[QLatin1String(f)]))
            return QStringLiteral("%1 is neither non-empty text nor null").arg(QLatin1String(f));
    }
    for (const char *f : {"line", "receipt_id", "exception_id"}) {
        const QJsonValue x = v[QLatin1String(f)];
        if (!x.isNull() && !(isWholeNumber(x) && x.toInteger() > 0))
            return QStringLiteral("%1 is neither a positive whole number nor null").arg(QLatin1String(f));
    }
    for (const char *f : {"late", "case_complete"}) {
        if (!v[QLatin1String(f)].isBool())
            return QStringLiteral("%1 is not true/false").arg(QLatin1String(f));
    }
    const QJsonValue missing = v[QLatin1String("missing_lines")];
    if (!missing.isNull()) {
        if (!missing.isArray())
            return QStringLiteral("missing_lines is neither a list nor null");
        for (const QJsonValue l : missing.toArray()) {
            if (!isWholeNumber(l) || l.toInteger() < 1)
                return QStringLiteral("missing_lines holds something other than line numbers");
        }
    }
    if (v[QLatin1String("message")].toString().trimmed().isEmpty())
        return QStringLiteral("message is empty");
    return QString();
}

QString compactJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// What a finished command left behind.
struct Result
{
    bool finished = false; // exited by itself within the timeout
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QString describe() const
    {
        return QStringLiteral("finished %1, exit %2\n--- stdout:\n%3\n--- stderr:\n%4")
            .arg(finished ? QStringLiteral("yes") : QStringLiteral("no"))
            .arg(exitCode)
            .arg(QString::fromUtf8(out.left(4000)), QString::fromUtf8(err.left(4000)));
    }
    QString errText() const { return QString::fromUtf8(err).trimmed(); }
    QString outText() const { return QString::fromUtf8(out); }
    QJsonObject jsonObject() const { return QJsonDocument::fromJson(out).object(); }
    QJsonArray jsonArray() const { return QJsonDocument::fromJson(out).array(); }
    bool isJsonObject() const { return QJsonDocument::fromJson(out).isObject(); }
    bool isJsonArray() const { return QJsonDocument::fromJson(out).isArray(); }
};

// One `receiving-cli scan` fed one line at a time: the verdict of each line is read before the next line is
// written, so a verdict held in a buffer instead of flushed shows up as a timeout.
class ScanSession
{
public:
    ScanSession(const QStringList &args, const QProcessEnvironment &env, const QString &workDir)
    {
        m_process.setProcessEnvironment(env);
        m_process.setWorkingDirectory(workDir);
        m_process.setStandardErrorFile(workDir + QStringLiteral("/scan-stderr.log"), QIODevice::Append);
        m_process.start(Cli, args);
        if (!m_process.waitForStarted(ProcessTimeoutMs))
            m_error = QStringLiteral("receiving-cli scan did not start: ") + m_process.errorString();
    }
    ~ScanSession()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(ProcessTimeoutMs);
        }
    }

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    // Writes `line` and a newline, then returns the one verdict line it produced.
    std::optional<QJsonObject> scan(const QByteArray &line)
    {
        if (!ok())
            return std::nullopt;
        if (m_process.bytesAvailable() > 0) {
            m_error = QStringLiteral("output nobody asked for before writing %1: %2")
                          .arg(printable(line), QString::fromUtf8(m_process.readAll()));
            return std::nullopt;
        }
        m_process.write(line + '\n');
        QDeadlineTimer deadline(VerdictTimeoutMs);
        while (!m_process.canReadLine()) {
            if (deadline.hasExpired()) {
                m_error = QStringLiteral("no verdict line within %1 ms for %2 (not flushed per line?)")
                              .arg(VerdictTimeoutMs)
                              .arg(printable(line));
                return std::nullopt;
            }
            if (!m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))) &&
                !m_process.canReadLine() && m_process.state() == QProcess::NotRunning) {
                m_error = QStringLiteral("receiving-cli scan ended (exit %1) without a verdict for %2")
                              .arg(m_process.exitCode())
                              .arg(printable(line));
                return std::nullopt;
            }
        }
        QByteArray verdictLine = m_process.readLine();
        verdictLine.chop(1);
        if (m_process.bytesAvailable() > 0) {
            m_error = QStringLiteral("more than one line of output for %1: %2 then %3")
                          .arg(printable(line), QString::fromUtf8(verdictLine),
                               QString::fromUtf8(m_process.readAll()));
            return std::nullopt;
        }
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(verdictLine, &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
            m_error = QStringLiteral("verdict for %1 is not a JSON object: %2")
                          .arg(printable(line), QString::fromUtf8(verdictLine.left(2000)));
            return std::nullopt;
        }
        const QString shape = verdictShapeProblem(doc.object());
        if (!shape.isEmpty()) {
            m_error = QStringLiteral("verdict for %1 is malformed (%2): %3")
                          .arg(printable(line), shape, QString::fromUtf8(verdictLine));
            return std::nullopt;
        }
        return doc.object();
    }

    // Ends the input and waits for the process; false with error() set on anything unexpected.
    bool finish()
    {
        if (!ok())
            return false;
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(ProcessTimeoutMs)) {
            m_error = QStringLiteral("receiving-cli scan did not end after its input was closed");
            return false;
        }
        const QByteArray rest = m_process.readAll();
        if (m_process.exitStatus() != QProcess::NormalExit || m_process.exitCode() != 0) {
            m_error = QStringLiteral("receiving-cli scan exited with %1").arg(m_process.exitCode());
            return false;
        }
        if (!rest.isEmpty()) {
            m_error = QStringLiteral("output after the last verdict: ") + QString::fromUtf8(rest.left(2000));
            return false;
        }
        return true;
    }

    static QString printable(const QByteArray &line)
    {
        if (line.size() > 40)
            return QStringLiteral("a %1-byte line").arg(line.size());
        return QStringLiteral("\"%1\"").arg(QString::fromLatin1(line.toPercentEncoding(" :-_.")));
    }

private:
    QProcess m_process;
    QString m_error;
};

// One expected verdict in a scripted scan session. `receipt`: "none", "new", or "same:N" (the receipt of
// step N). Empty strings expect null.
struct Step
{
    Step(QByteArray line, QString outcome, QString kind, QString caseNumber = {}, int lineNo = 0,
         QString serial = {}, QString sku = {}, QString receipt = QStringLiteral("none"),
         bool exception = false, bool caseComplete = false, bool late = false)
        : line(std::move(line)), outcome(std::move(outcome)), kind(std::move(kind)),
          caseNumber(std::move(caseNumber)), lineNo(lineNo), serial(std::move(serial)), sku(std::move(sku)),
          receipt(std::move(receipt)), exception(exception), caseComplete(caseComplete), late(late),
          input(QString::fromUtf8(this->line))
    {
    }
    QByteArray line;
    QString outcome;
    QString kind;
    QString caseNumber;
    int lineNo; // 0: null
    QString serial;
    QString sku;
    QString receipt;
    bool exception;
    bool caseComplete;
    bool late;
    QString input;   // the verdict's echo of the line: the line itself, but a badge shows masked
    QString message; // checked when not empty
};

// A badge read: the verdict shows the badge masked and names who signed in.
Step badgeStep(QByteArray line, QString masked, QString message)
{
    Step s(std::move(line), QStringLiteral("signed_in"), QStringLiteral("badge"));
    s.input = std::move(masked);
    s.message = std::move(message);
    return s;
}

QString nullableText(const QJsonValue &v)
{
    return v.isNull() ? QString() : v.toString();
}

QString stepMismatch(const QJsonObject &v, const Step &s, int index, const QList<qint64> &receipts)
{
    QStringList wrong;
    const auto expect = [&](const char *field, const QString &actual, const QString &expected) {
        if (actual != expected)
            wrong << QStringLiteral("%1 is \"%2\", expected \"%3\"")
                         .arg(QLatin1String(field), actual, expected);
    };
    expect("outcome", v[QLatin1String("outcome")].toString(), s.outcome);
    expect("kind", v[QLatin1String("kind")].toString(), s.kind);
    expect("case_number", nullableText(v[QLatin1String("case_number")]), s.caseNumber);
    expect("serial", nullableText(v[QLatin1String("serial")]), s.serial);
    expect("sku", nullableText(v[QLatin1String("sku")]), s.sku);
    expect("line",
           v[QLatin1String("line")].isNull() ? QString()
                                             : QString::number(v[QLatin1String("line")].toInteger()),
           s.lineNo ? QString::number(s.lineNo) : QString());
    expect("input", v[QLatin1String("input")].toString(), s.input);
    if (!s.message.isEmpty())
        expect("message", v[QLatin1String("message")].toString(), s.message);
    if (v[QLatin1String("case_complete")].toBool() != s.caseComplete)
        wrong << QStringLiteral("case_complete is wrong");
    if (v[QLatin1String("late")].toBool() != s.late)
        wrong << QStringLiteral("late is wrong");
    if (v[QLatin1String("exception_id")].isNull() == s.exception)
        wrong << QStringLiteral("exception_id should be %1").arg(s.exception ? "set" : "null");
    const QJsonValue r = v[QLatin1String("receipt_id")];
    if (s.receipt == QLatin1String("none")) {
        if (!r.isNull())
            wrong << QStringLiteral("receipt_id should be null");
    } else if (s.receipt == QLatin1String("new")) {
        if (r.isNull() || receipts.contains(r.toInteger()))
            wrong << QStringLiteral("receipt_id should be a new receipt");
    } else {
        const int other = s.receipt.mid(5).toInt();
        if (r.isNull() || r.toInteger() != receipts.value(other))
            wrong << QStringLiteral("receipt_id should be the receipt of step %1 (%2)")
                         .arg(other)
                         .arg(receipts.value(other));
    }
    const QString expectedSeverity =
        QStringList{QStringLiteral("signed_in"),      QStringLiteral("box_opened"), QStringLiteral("matched"),
                    QStringLiteral("matched_by_sku"), QStringLiteral("box_closed"), QStringLiteral("undone")}
                .contains(s.outcome)
            ? QStringLiteral("success")
        : s.outcome == QLatin1String("invalid") ? QStringLiteral("error")
                                                : QStringLiteral("attention");
    expect("severity", v[QLatin1String("severity")].toString(), expectedSeverity);
    if (wrong.isEmpty())
        return QString();
    return QStringLiteral("step %1 (%2): %3\nverdict: %4")
        .arg(index)
        .arg(QString::fromUtf8(s.line), wrong.join(QLatin1String("; ")), compactJson(v));
}

// Opens the database (either engine) behind the CLI's back, for what the CLI deliberately cannot do
// (tampering).
bool sqlExec(const QString &location, const QByteArray &sql, QString *error)
{
    try {
        Database db;
        db.open(location);
        db.exec(sql.constData());
        return true;
    } catch (const DbException &e) {
        if (error)
            *error = e.error().message;
        return false;
    }
}

// The first column of the first row, or -1 when there is none (or no database to read).
qint64 sqlInteger(const QString &location, const QByteArray &sql)
{
    try {
        Database db;
        Database::Options readOnly;
        readOnly.readOnly = true;
        db.open(location, readOnly);
        Statement s = db.prepare(sql.constData());
        return s.next() ? s.int64(0) : -1;
    } catch (const DbException &) {
        return -1;
    }
}

// The first column of the first row from a SQLite file, through the SQLite C API (-1 when there is none): for
// a SQLite-only check of a database from newer code, which Database refuses to open.
qint64 sqliteInteger(const QString &dbPath, const QByteArray &sql)
{
    sqlite3 *db = nullptr;
    qint64 value = -1;
    if (sqlite3_open_v2(dbPath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, sql.constData(), -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            value = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close_v2(db);
    return value;
}

qint64 sqliteUserVersion(const QString &dbPath)
{
    return sqliteInteger(dbPath, "PRAGMA user_version");
}

qint64 sqliteCount(const QString &dbPath, const QByteArray &table)
{
    return sqliteInteger(dbPath, "SELECT count(*) FROM " + table);
}

QByteArray caseJson(const QString &number, const QString &customer, const QString &updatedAt,
                    const QString &extra = QString())
{
    return QStringLiteral(R"({"case_number":"%1","phase":1,"disposition":"trade_in","status":"open",)"
                          R"("customer":{"name":"%2"},"order_date":"2026-10-01",)"
                          R"("items":[{"line":1,"sku":"EX4300-48T","serial":"SER-%1"},)"
                          R"({"line":2,"sku":"SRX345","serial":null,"quantity":2}],"updated_at":"%3"%4})")
        .arg(number, customer, updatedAt, extra)
        .toUtf8();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void initCreatesDatabase();
    void importCasesValid();
    void importCasesRejected_data();
    void importCasesRejected();
    void scanVerdicts();
    void scanRefusesGarbage();
    void scanKeepsOpenBoxAcrossProcesses();
    void caseShowsProgress();
    void exceptionsListUnknownSerial();
    void auditVerifyFindsTampering_data();
    void auditVerifyFindsTampering();
    void operatorAdd();
    void demoDataBulkSerials();
    void configPrecedence();
    void databaseNewerThanCode();
    void unusableDatabaseFile();
    void usageErrors_data();
    void usageErrors();
    void supervisorCommands_data();
    void supervisorCommands();
    void importFormAndAssign();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    bool writeFile(const QString &name, const QByteArray &data) const;
    Result run(const QStringList &args, const QByteArray &input = {},
               std::optional<QProcessEnvironment> env = std::nullopt) const;
    // `args` against the test's database.
    Result cli(const QStringList &args, const QByteArray &input = {}) const
    {
        return run(QStringList{QStringLiteral("--db"), m_db} + args, input);
    }
    ScanSession *scanSession(const QString &station);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ScanSession> m_session;
    QString m_sqlitePath; // the SQLite file, for what only SQLite has (the file itself, PRAGMA user_version)
    QString m_db;         // the database the test's commands use: that file, or its PostgreSQL database
    QProcessEnvironment m_env;
};

bool TestCli::writeFile(const QString &name, const QByteArray &data) const
{
    QFile f(path(name));
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

Result TestCli::run(const QStringList &args, const QByteArray &input,
                    std::optional<QProcessEnvironment> env) const
{
    Result r;
    QProcess p;
    p.setProcessEnvironment(env ? *env : m_env);
    p.setWorkingDirectory(m_dir->path());
    p.start(Cli, args);
    if (!p.waitForStarted(ProcessTimeoutMs)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    r.finished = p.waitForFinished(ProcessTimeoutMs) && p.exitStatus() == QProcess::NormalExit;
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(ProcessTimeoutMs);
    }
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

ScanSession *TestCli::scanSession(const QString &station)
{
    m_session = std::make_unique<ScanSession>(
        QStringList{QStringLiteral("--db"), m_db, QStringLiteral("scan"), QStringLiteral("--station"),
                    station, QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
        m_env, m_dir->path());
    return m_session.get();
}

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo(Cli).isExecutable(), qPrintable(Cli + QStringLiteral(" is not built")));
}

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_sqlitePath = path(QStringLiteral("data/receiving.db"));
    m_db = TestStore::location(m_sqlitePath);
    m_env = isolatedEnvironment(m_dir->path());
    QVERIFY(!m_env.isEmpty());
}

void TestCli::cleanup()
{
    m_session.reset();
    m_dir.reset();
}

void TestCli::initCreatesDatabase()
{
    m_db = m_sqlitePath; // the file and its PRAGMA user_version: SQLite's
    const Result first = cli({QStringLiteral("init")});
    QVERIFY2(first.finished && first.exitCode == 0, qPrintable(first.describe()));
    QVERIFY2(first.outText().contains(m_db), qPrintable(first.describe()));
    QVERIFY2(first.outText().contains(QLatin1String("schema version")), qPrintable(first.describe()));
    QVERIFY(QFileInfo::exists(m_db));
    const qint64 version = sqliteUserVersion(m_db);
    QVERIFY(version >= 1);
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM cases"), qint64(0));

    const Result again = cli({QStringLiteral("init")});
    QVERIFY2(again.finished && again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(again.out, first.out);
    QCOMPARE(sqliteUserVersion(m_db), version);

    const Result verify = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(verify.finished && verify.exitCode == 0, qPrintable(verify.describe()));
}

void TestCli::importCasesValid()
{
    const QByteArray file = "{\"cases\":[" +
                            caseJson(QStringLiteral("2026-0101-0001"), QStringLiteral("First Co"),
                                     QStringLiteral("2026-11-20T14:00:00Z"),
                                     QStringLiteral(R"(,"tracking_numbers":["1Z999AA10123456784"])")) +
                            "," +
                            caseJson(QStringLiteral("2026-0101-0002"), QStringLiteral("Second Co"),
                                     QStringLiteral("2026-11-20T14:00:00Z")) +
                            "]}";
    QVERIFY(writeFile(QStringLiteral("cases.json"), file));
    const Result imported = cli({QStringLiteral("import-cases"), path(QStringLiteral("cases.json"))});
    QVERIFY2(imported.finished && imported.exitCode == 0, qPrintable(imported.describe()));
    QCOMPARE(imported.outText().trimmed(),
             QStringLiteral("Imported 2 new and 0 updated cases (0 unchanged), 4 lines."));

    const Result c =
        cli({QStringLiteral("case"), QStringLiteral("2026-0101-0001"), QStringLiteral("--json")});
    QVERIFY2(c.finished && c.exitCode == 0 && c.isJsonObject(), qPrintable(c.describe()));
    const QJsonObject o = c.jsonObject();
    QCOMPARE(o[QLatin1String("case_number")].toString(), QStringLiteral("2026-0101-0001"));
    QCOMPARE(o[QLatin1String("customer")].toObject()[QLatin1String("name")].toString(),
             QStringLiteral("First Co"));
    QCOMPARE(o[QLatin1String("due_date")].toString(), QStringLiteral("2027-01-01")); // three months on
    QCOMPARE(o[QLatin1String("tracking_numbers")].toArray(),
             QJsonArray{QStringLiteral("1Z999AA10123456784")});
    const QJsonArray items = o[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items[0].toObject()[QLatin1String("serial")].toString(), QStringLiteral("SER-2026-0101-0001"));
    QVERIFY(items[1].toObject()[QLatin1String("serial")].isNull());
    QCOMPARE(items[1].toObject()[QLatin1String("quantity")].toInteger(), 2);
    QCOMPARE(o[QLatin1String("expected_units")].toInteger(), 3);
    QCOMPARE(o[QLatin1String("received_units")].toInteger(), 0);

    // The same file again changes nothing.
    const Result again = cli({QStringLiteral("import-cases"), path(QStringLiteral("cases.json"))});
    QVERIFY2(again.finished && again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(again.outText().trimmed(),
             QStringLiteral("Imported 0 new and 0 updated cases (2 unchanged), 4 lines."));

    // A newer copy of one case updates it.
    QVERIFY(writeFile(QStringLiteral("update.json"),
                      "{\"cases\":[" +
                          caseJson(QStringLiteral("2026-0101-0002"), QStringLiteral("Renamed Co"),
                                   QStringLiteral("2026-11-21T09:00:00Z")) +
                          "]}"));
    const Result update = cli({QStringLiteral("import-cases"), path(QStringLiteral("update.json"))});
    QVERIFY2(update.finished && update.exitCode == 0, qPrintable(update.describe()));
    QCOMPARE(update.outText().trimmed(),
             QStringLiteral("Imported 0 new and 1 updated cases (0 unchanged), 2 lines."));
    const Result c2 =
        cli({QStringLiteral("case"), QStringLiteral("2026-0101-0002"), QStringLiteral("--json")});
    QVERIFY2(c2.finished && c2.exitCode == 0, qPrintable(c2.describe()));
    QCOMPARE(c2.jsonObject()[QLatin1String("customer")].toObject()[QLatin1String("name")].toString(),
             QStringLiteral("Renamed Co"));
}

void TestCli::importCasesRejected_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("stderrMentions");

    // Each file would, if it were accepted in part, update 2026-0101-0001 and add 2026-0101-0002.
    const QByteArray update = caseJson(QStringLiteral("2026-0101-0001"), QStringLiteral("Changed Co"),
                                       QStringLiteral("2026-11-22T10:00:00Z"));
    const QByteArray added = caseJson(QStringLiteral("2026-0101-0002"), QStringLiteral("New Co"),
                                      QStringLiteral("2026-11-22T10:00:00Z"));
    QTest::addRow("invalid JSON") << QByteArray("{\"cases\":[" + update + "," + added)
                                  << QStringLiteral("not valid JSON");
    QTest::addRow("empty file") << QByteArray() << QStringLiteral("not valid JSON");
    QTest::addRow("array at top") << QByteArray("[" + update + "," + added + "]")
                                  << QStringLiteral("\"cases\" list");
    QTest::addRow("cases not a list")
        << QByteArray("{\"cases\":" + added + "}") << QStringLiteral("\"cases\" list");
    QTest::addRow("bad phase") << QByteArray("{\"cases\":[" + update + "," + added + "," +
                                             QByteArray(caseJson(QStringLiteral("2026-0101-0003"),
                                                                 QStringLiteral("Bad Co"),
                                                                 QStringLiteral("2026-11-22T10:00:00Z"))
                                                            .replace("\"phase\":1", "\"phase\":3")) +
                                             "]}")
                               << QStringLiteral("phase must be 1 or 2");
    QTest::addRow("bad case number") << QByteArray("{\"cases\":[" + update + "," + added + "," +
                                                   caseJson(QStringLiteral("26-1"), QStringLiteral("Bad Co"),
                                                            QStringLiteral("2026-11-22T10:00:00Z")) +
                                                   "]}")
                                     << QStringLiteral("case_number");
    QTest::addRow("bad updated_at") << QByteArray("{\"cases\":[" + update + "," +
                                                  caseJson(QStringLiteral("2026-0101-0002"),
                                                           QStringLiteral("New Co"),
                                                           QStringLiteral("yesterday")) +
                                                  "]}")
                                    << QStringLiteral("updated_at");
    QTest::addRow("duplicate case numbers")
        << QByteArray("{\"cases\":[" + update + "," + added + "," + added + "]}")
        << QStringLiteral("appears twice");
}

void TestCli::importCasesRejected()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, stderrMentions);

    QVERIFY(writeFile(QStringLiteral("seed.json"),
                      "{\"cases\":[" +
                          caseJson(QStringLiteral("2026-0101-0001"), QStringLiteral("Original Co"),
                                   QStringLiteral("2026-11-20T14:00:00Z")) +
                          "]}"));
    const Result seed = cli({QStringLiteral("import-cases"), path(QStringLiteral("seed.json"))});
    QVERIFY2(seed.finished && seed.exitCode == 0, qPrintable(seed.describe()));
    const Result auditBefore = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(auditBefore.finished && auditBefore.exitCode == 0, qPrintable(auditBefore.describe()));
    const qint64 auditRows = sqlInteger(m_db, "SELECT count(*) FROM audit_log");
    QVERIFY(auditRows > 0);

    QVERIFY(writeFile(QStringLiteral("bad.json"), file));
    const Result bad = cli({QStringLiteral("import-cases"), path(QStringLiteral("bad.json"))});
    QVERIFY2(bad.finished, qPrintable(bad.describe()));
    QVERIFY2(bad.exitCode != 0, qPrintable(bad.describe()));
    QVERIFY2(bad.out.isEmpty(), qPrintable(bad.describe()));
    // One sentence that says what is wrong.
    QVERIFY2(bad.errText().contains(stderrMentions), qPrintable(bad.describe()));
    QVERIFY2(bad.errText().endsWith(QLatin1Char('.')), qPrintable(bad.describe()));
    QVERIFY2(!bad.errText().contains(QLatin1Char('\n')), qPrintable(bad.describe()));

    // Nothing imported: the new case is unknown, the existing one unchanged, no audit row added.
    const Result added =
        cli({QStringLiteral("case"), QStringLiteral("2026-0101-0002"), QStringLiteral("--json")});
    QVERIFY2(added.finished && added.exitCode == 1 && added.out.isEmpty(), qPrintable(added.describe()));
    QVERIFY2(added.errText().contains(QLatin1String("2026-0101-0002")), qPrintable(added.describe()));
    const Result added3 =
        cli({QStringLiteral("case"), QStringLiteral("2026-0101-0003"), QStringLiteral("--json")});
    QVERIFY2(added3.finished && added3.exitCode == 1, qPrintable(added3.describe()));
    const Result kept =
        cli({QStringLiteral("case"), QStringLiteral("2026-0101-0001"), QStringLiteral("--json")});
    QVERIFY2(kept.finished && kept.exitCode == 0 && kept.isJsonObject(), qPrintable(kept.describe()));
    QCOMPARE(kept.jsonObject()[QLatin1String("customer")].toObject()[QLatin1String("name")].toString(),
             QStringLiteral("Original Co"));
    QCOMPARE(kept.jsonObject()[QLatin1String("updated_at")].toString(),
             QStringLiteral("2026-11-20T14:00:00.000Z"));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM cases"), qint64(1));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM audit_log"), auditRows);
}

void TestCli::scanVerdicts()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));

    const QString c1 = QStringLiteral("2026-1103-0001");
    const QList<Step> steps{
        {"2026-1103-0001", "box_opened", "case_number", c1},
        {"JN11F3A2BAFA", "matched", "serial", c1, 1, "JN11F3A2BAFA", "CHAS-BP3-MX960-S", "new"},
        {"cahz4512", "matched", "serial", c1, 2, "CAHZ4512", "MPC7E-10G", "new"},
        {"CAHZ4519", "matched", "serial", c1, 3, "CAHZ4519", "MPC7E-10G", "new"},
        {"SRXDOCK0001", "awaiting_sku", "serial", c1, 0, "SRXDOCK0001", {}, "new"},
        {"SRX345", "matched_by_sku", "sku", c1, 4, "SRXDOCK0001", "SRX345", "same:4"},
        {"SRXDOCK0002", "awaiting_sku", "serial", c1, 0, "SRXDOCK0002", {}, "new"},
        {" srx345 ", "matched_by_sku", "sku", c1, 4, "SRXDOCK0002", "SRX345", "same:6", false, true},
        {"CAHZ4512", "duplicate", "serial", c1, 0, "CAHZ4512", {}, "same:2"},
        {"NOTONCASE01", "unexpected", "serial", c1, 0, "NOTONCASE01", {}, "new", true},
        {":undo", "undone", "command", c1, 0, "NOTONCASE01", {}, "same:9"},
        {":done", "box_closed", "command", c1},
        {":done", "no_box", "command"},
        {":undo", "nothing_to_undo", "command"},
        {"PE3716460123", "matched", "serial", "2026-1020-0002", 1, "PE3716460123", "EX4300-48T", "new"},
        {"JN11F3A2BAFA", "already_received", "serial", {}, 0, "JN11F3A2BAFA", {}, "none", true},
        // README: `late` is true when the scan's date is after the due date of the case the verdict names.
        {"CW0218AF0042", "case_closed", "serial", "2026-0815-0004", 0, "CW0218AF0042", "SRX345", "new", true,
         false, true},
        {"JN12A7C1DAFB", "destruction_case", "serial", "2026-1001-0005", 0, "JN12A7C1DAFB",
         "MX480-PREMIUM2-AC", "new", true},
        {"CAKB7701", "ambiguous", "serial", {}, 0, "CAKB7701", {}, "new", true},
        {"WS3718090001", "matched", "serial", "2026-0610-0003", 1, "WS3718090001", "QFX5100-48S-AFO", "new",
         false, false, true},
        {"UNKNOWN0001", "unmatched", "serial", {}, 0, "UNKNOWN0001", {}, "new", true},
        {"1Z12345E0205271688", "box_opened", "tracking_number", "2026-1105-0007"},
        {"PE3716460124", "cross_case", "serial", "2026-1020-0002", 2, "PE3716460124", "EX4300-48T", "new",
         true},
        {"2026-0610-0003",
         "box_opened",
         "case_number",
         "2026-0610-0003",
         0,
         {},
         {},
         "none",
         false,
         false,
         true},
        {"WS3718090002", "matched", "serial", "2026-0610-0003", 2, "WS3718090002", "QFX5100-48S-AFO", "new",
         false, true, true},
        {":done", "box_closed", "command", "2026-0610-0003", 0, {}, {}, "none", false, false, true},
        // A badge is no secret but still not echoed whole: masked, and the verdict names who signed in.
        badgeStep("BADGE-1002", QStringLiteral("BADGE-\u2022\u202202"),
                  QStringLiteral("Signed in: Lee Nguyen.")),
    };

    ScanSession *session = scanSession(QStringLiteral("S1"));
    QVERIFY2(session->ok(), qPrintable(session->error()));
    QList<qint64> receipts;
    QSet<qint64> exceptions;
    for (int i = 0; i < steps.size(); ++i) {
        const std::optional<QJsonObject> v = session->scan(steps[i].line);
        QVERIFY2(v, qPrintable(session->error()));
        const QString mismatch = stepMismatch(*v, steps[i], i, receipts);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        receipts.append((*v)[QLatin1String("receipt_id")].toInteger());
        if (steps[i].exception) {
            const qint64 x = (*v)[QLatin1String("exception_id")].toInteger();
            QVERIFY2(!exceptions.contains(x), "an exception id was reported twice");
            exceptions.insert(x);
        }
        // A box closes with :done, or when the next box label opens another box.
        const QJsonValue missing = (*v)[QLatin1String("missing_lines")];
        const QJsonValue closedBox = (*v)[QLatin1String("closed_box")];
        if (steps[i].outcome == QLatin1String("box_closed")) {
            QCOMPARE(missing.toArray(), QJsonArray()); // both cases got everything
            QCOMPARE(closedBox.toString(), steps[i].caseNumber);
        } else if (steps[i].line == "2026-0610-0003") {
            QCOMPARE(closedBox.toString(), QStringLiteral("1Z12345E0205271688"));
            QCOMPARE(missing.toArray(), (QJsonArray{1, 2})); // CAKB7701 went elsewhere, CAKC1002 never came
        } else {
            QVERIFY2(missing.isNull() && closedBox.isNull(), qPrintable(compactJson(*v)));
        }
    }
    QVERIFY2(session->finish(), qPrintable(session->error()));

    // The same lines through a plain pipe: one verdict line per input line, in order, the last line counting
    // even without its newline.
    QByteArray input;
    for (const Step &s : steps)
        input += s.line + '\n';
    input.chop(1);
    const Result piped = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S9"),
                              QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                             input);
    QVERIFY2(piped.finished && piped.exitCode == 0, qPrintable(piped.describe()));
    QVERIFY(piped.out.endsWith('\n'));
    const QList<QByteArray> lines = piped.out.chopped(1).split('\n');
    QCOMPARE(lines.size(), steps.size());
    for (int i = 0; i < lines.size(); ++i) {
        const QJsonObject v = QJsonDocument::fromJson(lines[i]).object();
        QVERIFY2(verdictShapeProblem(v).isEmpty(), lines[i].constData());
        QCOMPARE(v[QLatin1String("input")].toString(), steps[i].input);
    }
}

void TestCli::scanRefusesGarbage()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));

    const QList<std::pair<const char *, QByteArray>> garbage{
        {"empty line", QByteArray()},
        {"spaces only", QByteArray("    ")},
        {"carriage return only", QByteArray("\r")},
        {"control characters", QByteArray("AB\x01\x02"
                                          "CD")},
        {"escape sequence", QByteArray("\x1b[31mRED")},
        {"NUL byte", QByteArray("AB\0CD", 5)},
        {"invalid UTF-8", QByteArray("\xff\xfe\xfd"
                                     "ABC")},
        {"truncated UTF-8", QByteArray("ABC\xc3")},
        {"129 characters", QByteArray(129, 'C')},
        {"10 kB line", QByteArray(10 * 1024, 'A')},
        {"1 MB line", QByteArray(1024 * 1024, 'B')},
    };
    ScanSession *session = scanSession(QStringLiteral("S1"));
    QVERIFY2(session->ok(), qPrintable(session->error()));
    int serial = 0;
    for (const auto &[what, line] : garbage) {
        const std::optional<QJsonObject> v = session->scan(line);
        QVERIFY2(v, qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(what), session->error())));
        const QString context = QLatin1String(what) + QStringLiteral(": ") + compactJson(*v).left(600);
        QVERIFY2((*v)[QLatin1String("outcome")].toString() == QLatin1String("invalid"), qPrintable(context));
        QVERIFY2((*v)[QLatin1String("kind")].toString() == QLatin1String("invalid"), qPrintable(context));
        QVERIFY2((*v)[QLatin1String("severity")].toString() == QLatin1String("error"), qPrintable(context));
        QVERIFY2((*v)[QLatin1String("receipt_id")].isNull(), qPrintable(context));
        QVERIFY2((*v)[QLatin1String("exception_id")].isNull(), qPrintable(context));
        // The echo of what was scanned stays short and printable whatever came in.
        const QString input = (*v)[QLatin1String("input")].toString();
        QVERIFY2(input.size() <= 65, qPrintable(context));
        for (const QChar c : input)
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(context));

        // The process keeps going, and the line after the garbage is read as exactly that line.
        const QByteArray next = QStringLiteral("GARBAGE%1").arg(++serial, 4, 10, QLatin1Char('0')).toLatin1();
        const std::optional<QJsonObject> after = session->scan(next);
        QVERIFY2(after,
                 qPrintable(QStringLiteral("after %1: %2").arg(QLatin1String(what), session->error())));
        QCOMPARE((*after)[QLatin1String("input")].toString(), QString::fromLatin1(next));
        QCOMPARE((*after)[QLatin1String("outcome")].toString(), QStringLiteral("unmatched"));
    }
    QVERIFY2(session->finish(), qPrintable(session->error()));

    // Only the real serials were recorded.
    const Result ex = cli({QStringLiteral("exceptions"), QStringLiteral("--json")});
    QVERIFY2(ex.finished && ex.exitCode == 0 && ex.isJsonArray(), qPrintable(ex.describe()));
    QCOMPARE(ex.jsonArray().size(), serial);
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM receipts"), qint64(serial));
}

void TestCli::scanKeepsOpenBoxAcrossProcesses()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const QStringList scanS1{QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), QStringLiteral("BADGE-1001")};

    const Result first = cli(scanS1, "2026-1020-0002\nPE3716460123\n");
    QVERIFY2(first.finished && first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(first.out.count('\n'), 2);

    // A second process for the same station continues the box the first one left open.
    const Result second = cli(scanS1, "PE3716460124\nNOTINBOX01\n:done\n");
    QVERIFY2(second.finished && second.exitCode == 0, qPrintable(second.describe()));
    const QList<QByteArray> lines = second.out.chopped(1).split('\n');
    QCOMPARE(lines.size(), 3);
    const QJsonObject matched = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(matched[QLatin1String("outcome")].toString(), QStringLiteral("matched"));
    QCOMPARE(matched[QLatin1String("case_number")].toString(), QStringLiteral("2026-1020-0002"));
    QCOMPARE(matched[QLatin1String("line")].toInteger(), 2);
    const QJsonObject unexpected = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(unexpected[QLatin1String("outcome")].toString(), QStringLiteral("unexpected"));
    QCOMPARE(unexpected[QLatin1String("case_number")].toString(), QStringLiteral("2026-1020-0002"));
    const QJsonObject closed = QJsonDocument::fromJson(lines[2]).object();
    QCOMPARE(closed[QLatin1String("outcome")].toString(), QStringLiteral("box_closed"));
    QCOMPARE(closed[QLatin1String("missing_lines")].toArray(), QJsonArray{3});

    // Another station never had that box.
    const Result other = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S2"),
                              QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                             "NOTINBOX02\n:done\n");
    QVERIFY2(other.finished && other.exitCode == 0, qPrintable(other.describe()));
    const QList<QByteArray> otherLines = other.out.chopped(1).split('\n');
    QCOMPARE(otherLines.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(otherLines[0]).object()[QLatin1String("outcome")].toString(),
             QStringLiteral("unmatched"));
    QCOMPARE(QJsonDocument::fromJson(otherLines[1]).object()[QLatin1String("outcome")].toString(),
             QStringLiteral("no_box"));

    // And once closed, the box stays closed for S1 too.
    const Result third = cli(scanS1, ":done\n");
    QVERIFY2(third.finished && third.exitCode == 0, qPrintable(third.describe()));
    QCOMPARE(QJsonDocument::fromJson(third.out).object()[QLatin1String("outcome")].toString(),
             QStringLiteral("no_box"));
}

void TestCli::caseShowsProgress()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const Result scan = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                            "2026-1103-0001\nJN11F3A2BAFA\nCAHZ4519\nSRXDOCK0001\nSRX345\n");
    QVERIFY2(scan.finished && scan.exitCode == 0, qPrintable(scan.describe()));

    const Result text = cli({QStringLiteral("case"), QStringLiteral("2026-1103-0001")});
    QVERIFY2(text.finished && text.exitCode == 0, qPrintable(text.describe()));
    const QStringList lines = text.outText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 7);
    QVERIFY2(lines[0].startsWith(QLatin1String("Case 2026-1103-0001")), qPrintable(text.describe()));
    QVERIFY2(lines[1].contains(QLatin1String("Acme Regional Networks")), qPrintable(text.describe()));
    QCOMPARE(lines[2], QStringLiteral("Received 3 of 5"));
    QCOMPARE(lines[3].trimmed(), QStringLiteral("[x] line 1  CHAS-BP3-MX960-S  JN11F3A2BAFA  (1 of 1)"));
    QCOMPARE(lines[4].trimmed(), QStringLiteral("[ ] line 2  MPC7E-10G  CAHZ4512  (0 of 1)"));
    QCOMPARE(lines[5].trimmed(), QStringLiteral("[x] line 3  MPC7E-10G  CAHZ4519  (1 of 1)"));
    QCOMPARE(lines[6].trimmed(), QStringLiteral("[~] line 4  SRX345  serial at dock  (1 of 2)"));

    const Result json =
        cli({QStringLiteral("case"), QStringLiteral("2026-1103-0001"), QStringLiteral("--json")});
    QVERIFY2(json.finished && json.exitCode == 0 && json.isJsonObject(), qPrintable(json.describe()));
    QCOMPARE(json.out.count('\n'), 1);
    const QJsonObject o = json.jsonObject();
    QCOMPARE(o[QLatin1String("expected_units")].toInteger(), 5);
    QCOMPARE(o[QLatin1String("received_units")].toInteger(), 3);
    const QJsonArray items = o[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 4);
    const QList<qint64> received{1, 0, 1, 1};
    const QList<QJsonArray> serials{
        {QStringLiteral("JN11F3A2BAFA")}, {}, {QStringLiteral("CAHZ4519")}, {QStringLiteral("SRXDOCK0001")}};
    for (int i = 0; i < items.size(); ++i) {
        const QJsonObject it = items[i].toObject();
        QCOMPARE(it[QLatin1String("line")].toInteger(), i + 1);
        QCOMPARE(it[QLatin1String("received")].toInteger(), received[i]);
        QCOMPARE(it[QLatin1String("received_serials")].toArray(), serials[i]);
        QCOMPARE(it[QLatin1String("complete")].toBool(),
                 received[i] >= it[QLatin1String("quantity")].toInteger());
    }

    // Case numbers are found whatever their case and surrounding blanks; unknown ones are refused.
    const Result unknown = cli({QStringLiteral("case"), QStringLiteral("2099-0101-0001")});
    QVERIFY2(unknown.finished && unknown.exitCode == 1 && unknown.out.isEmpty(),
             qPrintable(unknown.describe()));
    QVERIFY2(unknown.errText().contains(QLatin1String("2099-0101-0001")), qPrintable(unknown.describe()));
    const Result noNumber = cli({QStringLiteral("case")});
    QVERIFY2(noNumber.finished && noNumber.exitCode == 2, qPrintable(noNumber.describe()));
}

void TestCli::exceptionsListUnknownSerial()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const Result none = cli({QStringLiteral("exceptions")});
    QVERIFY2(none.finished && none.exitCode == 0, qPrintable(none.describe()));
    QCOMPARE(none.outText().trimmed(), QStringLiteral("No open exceptions."));

    ScanSession *session = scanSession(QStringLiteral("S1"));
    QVERIFY2(session->ok(), qPrintable(session->error()));
    const std::optional<QJsonObject> v = session->scan("ZZUNKNOWN42");
    QVERIFY2(v, qPrintable(session->error()));
    QVERIFY2(session->finish(), qPrintable(session->error()));
    QCOMPARE((*v)[QLatin1String("outcome")].toString(), QStringLiteral("unmatched"));
    const qint64 exceptionId = (*v)[QLatin1String("exception_id")].toInteger();
    const qint64 receiptId = (*v)[QLatin1String("receipt_id")].toInteger();
    QVERIFY(exceptionId > 0 && receiptId > 0);

    const Result json = cli({QStringLiteral("exceptions"), QStringLiteral("--json")});
    QVERIFY2(json.finished && json.exitCode == 0 && json.isJsonArray(), qPrintable(json.describe()));
    const QJsonArray list = json.jsonArray();
    QCOMPARE(list.size(), 1);
    const QJsonObject x = list[0].toObject();
    QCOMPARE(x[QLatin1String("id")].toInteger(), exceptionId);
    QCOMPARE(x[QLatin1String("receipt_id")].toInteger(), receiptId);
    QCOMPARE(x[QLatin1String("kind")].toString(), QStringLiteral("unmatched"));
    QCOMPARE(x[QLatin1String("status")].toString(), QStringLiteral("open"));
    QCOMPARE(x[QLatin1String("serial")].toString(), QStringLiteral("ZZUNKNOWN42"));
    QCOMPARE(x[QLatin1String("station_id")].toString(), QStringLiteral("S1"));
    QCOMPARE(x[QLatin1String("operator_id")].toString(), QStringLiteral("BADGE-1001"));
    QVERIFY(x[QLatin1String("box")].isNull());
    QVERIFY(x[QLatin1String("case_number")].isNull());

    const Result text = cli({QStringLiteral("exceptions")});
    QVERIFY2(text.finished && text.exitCode == 0, qPrintable(text.describe()));
    QVERIFY2(text.outText().startsWith(
                 QStringLiteral("#%1  unmatched  open  serial ZZUNKNOWN42").arg(exceptionId)),
             qPrintable(text.describe()));

    // Undoing the unit cancels its exception: gone from the open list, still there with --all.
    const Result undo = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                            "2026-1020-0002\nZZUNKNOWN43\n:undo\n");
    QVERIFY2(undo.finished && undo.exitCode == 0, qPrintable(undo.describe()));
    const QList<QByteArray> lines = undo.out.chopped(1).split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(QJsonDocument::fromJson(lines[1]).object()[QLatin1String("outcome")].toString(),
             QStringLiteral("unexpected"));
    QCOMPARE(QJsonDocument::fromJson(lines[2]).object()[QLatin1String("outcome")].toString(),
             QStringLiteral("undone"));
    const Result open = cli({QStringLiteral("exceptions"), QStringLiteral("--json")});
    QVERIFY2(open.finished && open.exitCode == 0, qPrintable(open.describe()));
    QCOMPARE(open.jsonArray().size(), 1);
    const Result all = cli({QStringLiteral("exceptions"), QStringLiteral("--json"), QStringLiteral("--all")});
    QVERIFY2(all.finished && all.exitCode == 0, qPrintable(all.describe()));
    QCOMPARE(all.jsonArray().size(), 2);
    QCOMPARE(all.jsonArray()[0].toObject()[QLatin1String("status")].toString(), QStringLiteral("cancelled"));
    QCOMPARE(all.jsonArray()[0].toObject()[QLatin1String("serial")].toString(),
             QStringLiteral("ZZUNKNOWN43"));
}

void TestCli::auditVerifyFindsTampering_data()
{
    QTest::addColumn<QString>("tamper"); // {first}, {middle} and {last} stand for row ids
    QTest::addColumn<QString>("names");  // the rows the message may name, as a regex alternative
    QTest::addRow("edited middle row")
        << QStringLiteral("UPDATE audit_log SET actor = 'MALLORY' WHERE id = {middle}")
        << QStringLiteral("{middle}|{middle+1}");
    QTest::addRow("edited first row")
        << QStringLiteral("UPDATE audit_log SET details = 'TAMPERED' WHERE id = {first}")
        << QStringLiteral("{first}|{first+1}");
    QTest::addRow("edited newest row")
        << QStringLiteral("UPDATE audit_log SET subject = 'X' WHERE id = {last}") << QStringLiteral("{last}");
    QTest::addRow("deleted middle row") << QStringLiteral("DELETE FROM audit_log WHERE id = {middle}")
                                        << QStringLiteral("{middle}|{middle+1}");
    QTest::addRow("deleted newest row")
        << QStringLiteral("DELETE FROM audit_log WHERE id = {last}") << QStringLiteral("{last}|{last-1}");
}

void TestCli::auditVerifyFindsTampering()
{
    QFETCH(QString, tamper);
    QFETCH(QString, names);

    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const Result scan = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                            "2026-1103-0001\nJN11F3A2BAFA\n:undo\n:done\n");
    QVERIFY2(scan.finished && scan.exitCode == 0, qPrintable(scan.describe()));

    const Result ok = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(ok.finished && ok.exitCode == 0, qPrintable(ok.describe()));
    const qint64 rows = sqlInteger(m_db, "SELECT count(*) FROM audit_log");
    const qint64 first = sqlInteger(m_db, "SELECT min(id) FROM audit_log");
    const qint64 last = sqlInteger(m_db, "SELECT max(id) FROM audit_log");
    QVERIFY2(first >= 1 && last - first + 1 == rows && rows >= 5, qPrintable(QString::number(rows)));
    // The count, and the head (newest row id and its hash) that an anchor kept elsewhere is checked against.
    const QRegularExpression intact(
        QStringLiteral("^Audit log intact: %1 rows; head %2:[0-9a-f]{64}\\.$").arg(rows).arg(last));
    QVERIFY2(intact.match(ok.outText().trimmed()).hasMatch(), qPrintable(ok.describe()));
    const qint64 middle = first + rows / 2;

    const auto expand = [&](QString s) {
        return s.replace(QLatin1String("{middle+1}"), QString::number(middle + 1))
            .replace(QLatin1String("{middle}"), QString::number(middle))
            .replace(QLatin1String("{first+1}"), QString::number(first + 1))
            .replace(QLatin1String("{first}"), QString::number(first))
            .replace(QLatin1String("{last-1}"), QString::number(last - 1))
            .replace(QLatin1String("{last}"), QString::number(last));
    };
    QString error;
    QVERIFY2(sqlExec(m_db, expand(tamper).toUtf8(), &error), qPrintable(error));

    const Result broken = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(broken.finished && broken.exitCode == 1, qPrintable(broken.describe()));
    QVERIFY2(broken.out.isEmpty(), qPrintable(broken.describe()));
    const QRegularExpression namesRow(QStringLiteral("\\brows? (%1)\\b").arg(expand(names)));
    QVERIFY2(namesRow.match(broken.errText()).hasMatch(),
             qPrintable(QStringLiteral("expected a row among %1 to be named\n").arg(expand(names)) +
                        broken.describe()));
}

void TestCli::operatorAdd()
{
    const Result init = cli({QStringLiteral("init")});
    QVERIFY2(init.finished && init.exitCode == 0, qPrintable(init.describe()));
    QVERIFY(writeFile(QStringLiteral("pin"), "4821\n"));
    const auto addOperator = [](const QString &badge, const QString &name, const QString &role) {
        return QStringList{QStringLiteral("operator"), QStringLiteral("add"),
                           QStringLiteral("--badge"),  badge,
                           QStringLiteral("--name"),   name,
                           QStringLiteral("--role"),   role};
    };
    const QStringList addDock =
        addOperator(QStringLiteral("BADGE-7002"), QStringLiteral("Ann Roe"), QStringLiteral("dock"));
    const QStringList add =
        addOperator(QStringLiteral("BADGE-7001"), QStringLiteral("Kim Lopez"), QStringLiteral("supervisor")) +
        QStringList{QStringLiteral("--pin-file"), path(QStringLiteral("pin"))};
    // The acting supervisor and their PIN (--pin-file is the new operator's own PIN).
    const QStringList bySupervisor{QStringLiteral("--operator"), QStringLiteral("BADGE-7001"),
                                   QStringLiteral("--operator-pin-file"), path(QStringLiteral("pin"))};

    // Only a supervisor adds operators, so the first one must be a supervisor.
    const Result dockFirst = cli(addDock);
    QVERIFY2(dockFirst.finished && dockFirst.exitCode == 1 && dockFirst.out.isEmpty(),
             qPrintable(dockFirst.describe()));
    QVERIFY2(dockFirst.errText().contains(QLatin1String("add one first")), qPrintable(dockFirst.describe()));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM operators"), qint64(0));

    // The first supervisor needs nobody's PIN (there is nobody to ask), but a PIN of their own.
    const Result added = cli(add);
    QVERIFY2(added.finished && added.exitCode == 0, qPrintable(added.describe()));
    QCOMPARE(added.outText().trimmed(),
             QStringLiteral("Added supervisor operator Kim Lopez with badge BADGE-7001 and a PIN."));
    // The PIN is stored only as a salted hash.
    QCOMPARE(sqlInteger(m_db,
                        "SELECT count(*) FROM operators WHERE badge = 'BADGE-7001' AND role = 'supervisor' "
                        "AND pin_hash LIKE 'pbkdf2-sha256$%' AND pin_hash NOT LIKE '%4821%'"),
             qint64(1));

    // Once there is a supervisor, the same command without one's badge and PIN is refused (it used to add
    // operators for anyone who could run the CLI).
    const Result unconfirmed = cli(add);
    QVERIFY2(unconfirmed.finished && unconfirmed.exitCode == 1 && unconfirmed.out.isEmpty(),
             qPrintable(unconfirmed.describe()));
    QVERIFY2(unconfirmed.errText().contains(QLatin1String("supervisor")), qPrintable(unconfirmed.describe()));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM operators"), qint64(1));

    const Result duplicate = cli(add + bySupervisor);
    QVERIFY2(duplicate.finished && duplicate.exitCode == 1 && duplicate.out.isEmpty(),
             qPrintable(duplicate.describe()));
    QVERIFY2(duplicate.errText().contains(QLatin1String("BADGE-7001")), qPrintable(duplicate.describe()));
    QVERIFY2(duplicate.errText().contains(QLatin1String("already registered")),
             qPrintable(duplicate.describe()));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM operators"), qint64(1));

    const Result badRole =
        cli(addOperator(QStringLiteral("BADGE-7002"), QStringLiteral("Ann Roe"), QStringLiteral("boss")) +
            bySupervisor);
    QVERIFY2(badRole.finished && badRole.exitCode == 2 && !badRole.errText().isEmpty(),
             qPrintable(badRole.describe()));
    const Result noName =
        cli(QStringList{QStringLiteral("operator"), QStringLiteral("add"), QStringLiteral("--badge"),
                        QStringLiteral("BADGE-7002"), QStringLiteral("--role"), QStringLiteral("dock")} +
            bySupervisor);
    QVERIFY2(noName.finished && noName.exitCode == 2, qPrintable(noName.describe()));
    const Result noPinFile =
        cli(addDock + QStringList{QStringLiteral("--pin-file"), path(QStringLiteral("no-such-pin"))} +
            bySupervisor);
    QVERIFY2(noPinFile.finished && noPinFile.exitCode == 1, qPrintable(noPinFile.describe()));
    QVERIFY(writeFile(QStringLiteral("badpin"), "12ab\n"));
    const Result badPin = cli(
        addDock + QStringList{QStringLiteral("--pin-file"), path(QStringLiteral("badpin"))} + bySupervisor);
    QVERIFY2(badPin.finished && badPin.exitCode == 1, qPrintable(badPin.describe()));
    QVERIFY2(badPin.errText().contains(QLatin1String("4 to 8 digits")), qPrintable(badPin.describe()));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM operators"), qint64(1));

    // A dock operator without a PIN file, added by the supervisor; the new badge signs in at a station.
    const Result dock = cli(addDock + bySupervisor);
    QVERIFY2(dock.finished && dock.exitCode == 0, qPrintable(dock.describe()));
    QCOMPARE(dock.outText().trimmed(), QStringLiteral("Added dock operator Ann Roe with badge BADGE-7002."));
    const Result signIn = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                               QStringLiteral("--operator"), QStringLiteral("BADGE-7001")},
                              "BADGE-7002\n");
    QVERIFY2(signIn.finished && signIn.exitCode == 0, qPrintable(signIn.describe()));
    const QJsonObject v = QJsonDocument::fromJson(signIn.out).object();
    QCOMPARE(v[QLatin1String("outcome")].toString(), QStringLiteral("signed_in"));
    QCOMPARE(v[QLatin1String("input")].toString(), QStringLiteral("BADGE-\u2022\u202202"));
    QCOMPARE(v[QLatin1String("message")].toString(), QStringLiteral("Signed in: Ann Roe."));
    const Result audit = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(audit.finished && audit.exitCode == 0, qPrintable(audit.describe()));
}

void TestCli::demoDataBulkSerials()
{
    const Result demo = cli({QStringLiteral("demo-data"), QStringLiteral("--serials"), QStringLiteral("1000"),
                             QStringLiteral("--today"), QStringLiteral("2026-11-26")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    QCOMPARE(demo.outText().trimmed(),
             QStringLiteral("Demo data written: 108 cases, 1014 expected serials, 3 new operators."));

    const Result c =
        cli({QStringLiteral("case"), QStringLiteral("9000-0000-000001"), QStringLiteral("--json")});
    QVERIFY2(c.finished && c.exitCode == 0 && c.isJsonObject(), qPrintable(c.describe()));
    const QJsonArray items = c.jsonObject()[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 10);
    QSet<QString> serials;
    for (int i = 0; i < items.size(); ++i) {
        const QJsonObject it = items[i].toObject();
        QCOMPARE(it[QLatin1String("line")].toInteger(), i + 1);
        QVERIFY(it[QLatin1String("serial")].isString());
        serials.insert(it[QLatin1String("serial")].toString());
    }
    QCOMPARE(serials.size(), 10);
    QCOMPARE(c.jsonObject()[QLatin1String("order_date")].toString(), QStringLiteral("2026-10-27"));

    const Result lastCase =
        cli({QStringLiteral("case"), QStringLiteral("9000-0000-000100"), QStringLiteral("--json")});
    QVERIFY2(lastCase.finished && lastCase.exitCode == 0, qPrintable(lastCase.describe()));
    QCOMPARE(lastCase.jsonObject()[QLatin1String("items")].toArray().size(), 10);
    const Result beyond = cli({QStringLiteral("case"), QStringLiteral("9000-0000-000101")});
    QVERIFY2(beyond.finished && beyond.exitCode == 1, qPrintable(beyond.describe()));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM expected_items WHERE serial IS NOT NULL"), qint64(1014));

    // A bulk serial is matched to its case; running demo-data again adds nothing.
    const QString serial = items[3].toObject()[QLatin1String("serial")].toString();
    const Result scan = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                            serial.toLatin1() + '\n');
    QVERIFY2(scan.finished && scan.exitCode == 0, qPrintable(scan.describe()));
    const QJsonObject v = QJsonDocument::fromJson(scan.out).object();
    QCOMPARE(v[QLatin1String("outcome")].toString(), QStringLiteral("matched"));
    QCOMPARE(v[QLatin1String("case_number")].toString(), QStringLiteral("9000-0000-000001"));
    QCOMPARE(v[QLatin1String("line")].toInteger(), 4);
    const Result again =
        cli({QStringLiteral("demo-data"), QStringLiteral("--serials"), QStringLiteral("1000"),
             QStringLiteral("--today"), QStringLiteral("2026-11-26")});
    QVERIFY2(again.finished && again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM cases"), qint64(108));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM operators"), qint64(3));

    const Result badCount =
        cli({QStringLiteral("demo-data"), QStringLiteral("--serials"), QStringLiteral("many")});
    QVERIFY2(badCount.finished && badCount.exitCode == 2, qPrintable(badCount.describe()));
    const Result badDate =
        cli({QStringLiteral("demo-data"), QStringLiteral("--today"), QStringLiteral("26/11/2026")});
    QVERIFY2(badDate.finished && badDate.exitCode == 2, qPrintable(badDate.describe()));
}

void TestCli::configPrecedence()
{
    const QString fileDb = path(QStringLiteral("from-file/receiving.db"));
    const QString envDb = path(QStringLiteral("from-env/receiving.db"));
    const QString flagDb = path(QStringLiteral("from-flag/receiving.db"));
    QVERIFY(writeFile(
        QStringLiteral("station.conf"),
        QStringLiteral("[database]\npath=%1\n\n[station]\nid=FILE-STATION\n").arg(fileDb).toUtf8()));
    const QString conf = path(QStringLiteral("station.conf"));
    QProcessEnvironment withEnv = m_env;
    withEnv.insert(QStringLiteral("RECEIVING_DATABASE_PATH"), envDb);
    withEnv.insert(QStringLiteral("RECEIVING_STATION_ID"), QStringLiteral("ENV-STATION"));

    // Which database and which station a command used, seen through the exception an unknown serial leaves.
    const auto stationOf = [&](const QString &db, const QString &serial) -> QString {
        const Result r =
            run({QStringLiteral("--db"), db, QStringLiteral("exceptions"), QStringLiteral("--json")});
        for (const QJsonValue v : r.jsonArray()) {
            if (v.toObject()[QLatin1String("serial")].toString() == serial)
                return v.toObject()[QLatin1String("station_id")].toString();
        }
        return QStringLiteral("(not in %1)").arg(db);
    };

    // Scans need a registered operator: each database gets its first supervisor, through the same options.
    QVERIFY(writeFile(QStringLiteral("pin"), "4821\n"));
    const auto registerOperator = [&](const QStringList &options, const QProcessEnvironment &env) {
        const Result r = run(options + QStringList{QStringLiteral("operator"), QStringLiteral("add"),
                                                   QStringLiteral("--badge"), QStringLiteral("BADGE-3001"),
                                                   QStringLiteral("--name"), QStringLiteral("Conf Tester"),
                                                   QStringLiteral("--role"), QStringLiteral("supervisor"),
                                                   QStringLiteral("--pin-file"), path(QStringLiteral("pin"))},
                             {}, env);
        return r.finished && r.exitCode == 0 ? QString() : r.describe();
    };
    const QStringList scan{QStringLiteral("scan"), QStringLiteral("--operator"),
                           QStringLiteral("BADGE-3001")};

    // The file alone.
    const Result fileInit = run({QStringLiteral("--config"), conf, QStringLiteral("init")});
    QVERIFY2(fileInit.finished && fileInit.exitCode == 0, qPrintable(fileInit.describe()));
    QVERIFY2(fileInit.outText().contains(fileDb), qPrintable(fileInit.describe()));
    QString problem = registerOperator({QStringLiteral("--config"), conf}, m_env);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const Result fileScan = run(QStringList{QStringLiteral("--config"), conf} + scan, "CONFSERIAL1\n");
    QVERIFY2(fileScan.finished && fileScan.exitCode == 0, qPrintable(fileScan.describe()));
    QCOMPARE(stationOf(fileDb, QStringLiteral("CONFSERIAL1")), QStringLiteral("FILE-STATION"));
    QVERIFY(!QFileInfo::exists(envDb));
    QVERIFY(!QFileInfo::exists(flagDb));

    // The environment over the file.
    const Result envInit = run({QStringLiteral("--config"), conf, QStringLiteral("init")}, {}, withEnv);
    QVERIFY2(envInit.finished && envInit.exitCode == 0, qPrintable(envInit.describe()));
    QVERIFY2(envInit.outText().contains(envDb), qPrintable(envInit.describe()));
    problem = registerOperator({QStringLiteral("--config"), conf}, withEnv);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const Result envScan =
        run(QStringList{QStringLiteral("--config"), conf} + scan, "CONFSERIAL2\n", withEnv);
    QVERIFY2(envScan.finished && envScan.exitCode == 0, qPrintable(envScan.describe()));
    QCOMPARE(stationOf(envDb, QStringLiteral("CONFSERIAL2")), QStringLiteral("ENV-STATION"));
    QCOMPARE(stationOf(fileDb, QStringLiteral("CONFSERIAL2")), QStringLiteral("(not in %1)").arg(fileDb));

    // Flags over both.
    problem = registerOperator({QStringLiteral("--config"), conf, QStringLiteral("--db"), flagDb}, withEnv);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const Result flagScan = run(QStringList{QStringLiteral("--config"), conf, QStringLiteral("--db"), flagDb,
                                            QStringLiteral("--station"), QStringLiteral("FLAG-STATION")} +
                                    scan,
                                "CONFSERIAL3\n", withEnv);
    QVERIFY2(flagScan.finished && flagScan.exitCode == 0, qPrintable(flagScan.describe()));
    QCOMPARE(stationOf(flagDb, QStringLiteral("CONFSERIAL3")), QStringLiteral("FLAG-STATION"));
    QCOMPARE(stationOf(envDb, QStringLiteral("CONFSERIAL3")), QStringLiteral("(not in %1)").arg(envDb));
    QCOMPARE(stationOf(fileDb, QStringLiteral("CONFSERIAL3")), QStringLiteral("(not in %1)").arg(fileDb));

    // --db alone over the environment's database, the environment's station still applies.
    const Result mixed =
        run(QStringList{QStringLiteral("--config"), conf, QStringLiteral("--db"), flagDb} + scan,
            "CONFSERIAL4\n", withEnv);
    QVERIFY2(mixed.finished && mixed.exitCode == 0, qPrintable(mixed.describe()));
    QCOMPARE(stationOf(flagDb, QStringLiteral("CONFSERIAL4")), QStringLiteral("ENV-STATION"));

    // A configuration file that does not exist is a usage error that names it.
    const Result missing =
        run({QStringLiteral("--config"), path(QStringLiteral("nope.conf")), QStringLiteral("init")});
    QVERIFY2(missing.finished && missing.exitCode == 2, qPrintable(missing.describe()));
    QVERIFY2(missing.errText().contains(QLatin1String("nope.conf")), qPrintable(missing.describe()));
}

void TestCli::databaseNewerThanCode()
{
    m_db = m_sqlitePath; // PRAGMA user_version: SQLite's
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    QString error;
    QVERIFY2(sqlExec(m_db, "PRAGMA user_version = 99", &error), qPrintable(error));

    const QList<QStringList> commands{
        {QStringLiteral("init")},
        {QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
         QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
        {QStringLiteral("case"), QStringLiteral("2026-1103-0001")},
        {QStringLiteral("exceptions")},
        {QStringLiteral("audit"), QStringLiteral("verify")},
        {QStringLiteral("demo-data")},
    };
    for (const QStringList &command : commands) {
        const Result r = cli(command, "JN11F3A2BAFA\n");
        QVERIFY2(r.finished && r.exitCode == 3,
                 qPrintable(command.join(QLatin1Char(' ')) + QLatin1Char('\n') + r.describe()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(r.errText().contains(QLatin1String("newer")) && r.errText().contains(QLatin1String("99")),
                 qPrintable(r.describe()));
    }
    // Refused untouched.
    QCOMPARE(sqliteUserVersion(m_db), qint64(99));
    QCOMPARE(sqliteCount(m_db, "receipts"), qint64(0));
}

void TestCli::unusableDatabaseFile()
{
    QVERIFY(writeFile(QStringLiteral("junk.db"), QByteArray(8192, 'x')));
    const Result junk =
        run({QStringLiteral("--db"), path(QStringLiteral("junk.db")), QStringLiteral("init")});
    QVERIFY2(junk.finished && junk.exitCode == 3 && junk.out.isEmpty() && !junk.errText().isEmpty(),
             qPrintable(junk.describe()));
    QCOMPARE(QFileInfo(path(QStringLiteral("junk.db"))).size(), 8192);

    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("adir")));
    const Result dir = run({QStringLiteral("--db"), path(QStringLiteral("adir")), QStringLiteral("init")});
    QVERIFY2(dir.finished && dir.exitCode == 3 && !dir.errText().isEmpty(), qPrintable(dir.describe()));
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("stderrMentions");
    QTest::addRow("unknown command") << QStringList{QStringLiteral("frobnicate")}
                                     << QStringLiteral("frobnicate");
    QTest::addRow("no command") << QStringList{} << QStringLiteral("which command");
    QTest::addRow("unknown option") << QStringList{QStringLiteral("--frobnicate"), QStringLiteral("init")}
                                    << QStringLiteral("frobnicate");
    QTest::addRow("audit without verify")
        << QStringList{QStringLiteral("audit")} << QStringLiteral("audit verify");
    QTest::addRow("operator without add")
        << QStringList{QStringLiteral("operator"), QStringLiteral("list")} << QStringLiteral("operator add");
    QTest::addRow("import without file")
        << QStringList{QStringLiteral("import-cases")} << QStringLiteral("import-cases FILE");
    QTest::addRow("exceptions resolve without a resolution")
        << QStringList{QStringLiteral("exceptions"), QStringLiteral("resolve"), QStringLiteral("1"),
                       QStringLiteral("--note"),     QStringLiteral("x"),       QStringLiteral("--operator"),
                       QStringLiteral("BADGE-2001")}
        << QStringLiteral("--resolution");
    QTest::addRow("exceptions --older-than not a number")
        << QStringList{QStringLiteral("exceptions"), QStringLiteral("--older-than"), QStringLiteral("soon")}
        << QStringLiteral("--older-than");
    QTest::addRow("cases without search or due-soon")
        << QStringList{QStringLiteral("cases")} << QStringLiteral("cases search TEXT");
    QTest::addRow("case close-partial without a note")
        << QStringList{QStringLiteral("case"), QStringLiteral("close-partial"),
                       QStringLiteral("2026-1103-0001"), QStringLiteral("--operator"),
                       QStringLiteral("BADGE-2001")}
        << QStringLiteral("--note TEXT");
    QTest::addRow("condition without an operator")
        << QStringList{QStringLiteral("condition"), QStringLiteral("1"), QStringLiteral("damaged")}
        << QStringLiteral("--operator");
    QTest::addRow("settings set without an operator")
        << QStringList{QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("volume"),
                       QStringLiteral("50")}
        << QStringLiteral("--operator");
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, stderrMentions);
    m_db = m_sqlitePath; // checks that no database file appears
    const Result r = cli(args);
    QVERIFY2(r.finished && r.exitCode == 2, qPrintable(r.describe()));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
    QVERIFY2(r.errText().contains(stderrMentions), qPrintable(r.describe()));
    QVERIFY2(!QFileInfo::exists(m_db), "a usage error must not create the database");
}

// Supervisor commands and the dock's unit condition, each row on a fresh demo database: an optional scan
// session first (station S1, dock worker BADGE-1001), then the command, then an optional follow-up command.
// {exception} and {receipt} stand for the newest exception and receipt ids the scans reported.
void TestCli::supervisorCommands_data()
{
    QTest::addColumn<QByteArray>("scans");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("mentions"); // in stdout when exit 0, else in stderr
    QTest::addColumn<QStringList>("after");
    QTest::addColumn<int>("afterExit");
    QTest::addColumn<QString>("afterMentions"); // in stdout or stderr

    const QByteArray unknown = "ZZUNKNOWN42\n";
    const QByteArray openBox = "2026-1103-0001\nJN11F3A2BAFA\n";
    const QByteArray closedBox = "2026-1103-0001\nJN11F3A2BAFA\n:done\n";
    const QStringList noAfter;
    const QString sup = QStringLiteral("BADGE-2001");
    const QString dock = QStringLiteral("BADGE-1001");
    // {supervisor-pin} and {dock-pin} stand for files holding BADGE-2001's and BADGE-1001's PINs.
    const QString supPin = QStringLiteral("{supervisor-pin}");
    const QString dockPin = QStringLiteral("{dock-pin}");
    const auto resolve = [](const QString &resolution, const QString &op, const QString &pinFile) {
        QStringList a{"exceptions",           "resolve",    "{exception}",
                      "--resolution",         resolution,   "--note",
                      "checked at the bench", "--operator", op};
        if (!pinFile.isEmpty())
            a << QStringLiteral("--pin-file") << pinFile;
        return a;
    };

    QTest::newRow("exceptions --kind other kind")
        << unknown << QStringList{"exceptions", "--kind", "ambiguous"} << 0 << "No open exceptions."
        << noAfter << 0 << "";
    QTest::newRow("exceptions --kind unmatched")
        << unknown << QStringList{"exceptions", "--kind", "unmatched"} << 0
        << "unmatched  open  serial ZZUNKNOWN42" << noAfter << 0 << "";
    QTest::newRow("exceptions --older-than 1") << unknown << QStringList{"exceptions", "--older-than", "1"}
                                               << 0 << "No open exceptions." << noAfter << 0 << "";
    QTest::newRow("exceptions --json has age_hours")
        << unknown << QStringList{"exceptions", "--json"} << 0 << "\"age_hours\"" << noAfter << 0 << "";
    QTest::newRow("exceptions show") << unknown << QStringList{"exceptions", "show", "{exception}"} << 0
                                     << "Scans of this serial:" << noAfter << 0 << "";
    QTest::newRow("exceptions show --json")
        << unknown << QStringList{"exceptions", "show", "{exception}", "--json"} << 0 << "\"serial_history\""
        << noAfter << 0 << "";
    QTest::newRow("exceptions show unknown")
        << unknown << QStringList{"exceptions", "show", "9999"} << 1 << "#9999" << noAfter << 0 << "";
    QTest::newRow("resolve by a dock worker is refused, nothing changes")
        << unknown << resolve("not_tmip", dock, dockPin) << 1 << "only a supervisor"
        << QStringList{"exceptions"} << 0 << "unmatched  open  serial ZZUNKNOWN42";
    // A supervisor's badge is printed on a card: without the PIN it proves nothing.
    QTest::newRow("resolve with a supervisor's badge but no PIN is refused, nothing changes")
        << unknown << resolve("not_tmip", sup, {}) << 1 << "PIN" << QStringList{"exceptions"} << 0
        << "unmatched  open  serial ZZUNKNOWN42";
    QTest::newRow("resolve not_tmip")
        << unknown << resolve("not_tmip", sup, supPin) << 0 << "resolved"
        << QStringList{"exceptions", "--all", "--json"} << 0 << "\"resolution\":\"not_tmip\"";
    QTest::newRow("resolve return_to_sender twice: conflict")
        << unknown << resolve("return_to_sender", sup, supPin) << 0 << "resolved"
        << resolve("return_to_sender", sup, supPin) << 1 << "already resolved by BADGE-2001";
    QTest::newRow("resolve assign_to_case puts the unit on the case's serial-less line")
        << unknown << (resolve("assign_to_case", sup, supPin) + QStringList{"--case", "2026-1103-0001"}) << 0
        << "received on case 2026-1103-0001" << QStringList{"case", "2026-1103-0001"} << 0
        << "[~] line 4  SRX345  serial at dock  (1 of 2)";
    QTest::newRow("assign to a closed case is refused")
        << unknown << (resolve("assign_to_case", sup, supPin) + QStringList{"--case", "2026-0815-0004"}) << 1
        << "closed" << noAfter << 0 << "";
    QTest::newRow("assign to a destruction case is refused")
        << unknown << (resolve("assign_to_case", sup, supPin) + QStringList{"--case", "2026-1001-0005"}) << 1
        << "destruction" << noAfter << 0 << "";
    QTest::newRow("confirm_cross_case on an unmatched unit is refused")
        << unknown << resolve("confirm_cross_case", sup, supPin) << 1 << "not a cross-case unit" << noAfter
        << 0 << "";
    QTest::newRow("confirm a cross-case unit")
        << QByteArray("2026-1103-0001\nPE3716460123\n") << resolve("confirm_cross_case", sup, supPin) << 0
        << "resolved" << noAfter << 0 << "";
    QTest::newRow("resolve with an empty note")
        << unknown
        << QStringList{"exceptions", "resolve",    "{exception}", "--resolution", "not_tmip", "--note",
                       " ",          "--operator", sup,           "--pin-file",   supPin}
        << 1 << "note" << noAfter << 0 << "";
    QTest::newRow("cases search customer") << QByteArray() << QStringList{"cases", "search", "hill country"}
                                           << 0 << "2026-1020-0002" << noAfter << 0 << "";
    QTest::newRow("cases search serial") << QByteArray() << QStringList{"cases", "search", "CAKB7701"} << 0
                                         << "2026-1106-0008" << noAfter << 0 << "";
    QTest::newRow("cases search tracking number")
        << QByteArray() << QStringList{"cases", "search", "9400100000000000000017"} << 0 << "2026-0610-0003"
        << noAfter << 0 << "";
    QTest::newRow("cases search --json")
        << QByteArray() << QStringList{"cases", "search", "CAKB7701", "--json"} << 0
        << "\"matched_by\":\"serial\"" << noAfter << 0 << "";
    QTest::newRow("cases search nothing") << QByteArray() << QStringList{"cases", "search", "NO-SUCH-THING"}
                                          << 0 << "No case matches" << noAfter << 0 << "";
    QTest::newRow("cases due-soon") << QByteArray() << QStringList{"cases", "due-soon"} << 0
                                    << "2026-1020-0002" << noAfter << 0 << "";
    QTest::newRow("cases due-soon lists late cases")
        << QByteArray() << QStringList{"cases", "due-soon", "--days", "0"} << 0 << "LATE" << noAfter << 0
        << "";
    QTest::newRow("boxes: none") << QByteArray() << QStringList{"boxes"} << 0 << "No box is open." << noAfter
                                 << 0 << "";
    QTest::newRow("boxes: the open one")
        << openBox << QStringList{"boxes"} << 0 << "S1  box 2026-1103-0001" << noAfter << 0 << "";
    QTest::newRow("boxes --json") << openBox << QStringList{"boxes", "--json"} << 0
                                  << "\"operator_id\":\"BADGE-1001\"" << noAfter << 0 << "";
    const auto closePartial = [](const QString &caseNumber, const QString &op, const QString &pinFile) {
        QStringList a{"case", "close-partial", caseNumber, "--note", "customer kept the rest", "--operator",
                      op};
        if (!pinFile.isEmpty())
            a << QStringLiteral("--pin-file") << pinFile;
        return a;
    };
    QTest::newRow("case close-partial")
        << closedBox << closePartial("2026-1103-0001", sup, supPin) << 0 << "closed with lines missing"
        << QStringList{"case", "2026-1103-0001"} << 0 << "closed";
    QTest::newRow("case close-partial by a dock worker")
        << closedBox << closePartial("2026-1103-0001", dock, dockPin) << 1 << "only a supervisor"
        << QStringList{"case", "2026-1103-0001"} << 0 << "open";
    QTest::newRow("case close-partial with a supervisor's badge but no PIN")
        << closedBox << closePartial("2026-1103-0001", sup, {}) << 1 << "PIN"
        << QStringList{"case", "2026-1103-0001"} << 0 << "open";
    QTest::newRow("case close-partial of a closed case")
        << QByteArray() << closePartial("2026-0815-0004", sup, supPin) << 1 << "closed" << noAfter << 0 << "";
    QTest::newRow("condition damaged in the open box")
        << openBox << QStringList{"condition", "{receipt}", "damaged",    "--note", "cracked",
                                  "--station", "S1",        "--operator", dock}
        << 0 << "marked damaged" << QStringList{"audit", "verify"} << 0 << "intact";
    QTest::newRow("condition damaged without a note")
        << openBox << QStringList{"condition", "{receipt}", "damaged", "--station", "S1", "--operator", dock}
        << 1 << "note" << noAfter << 0 << "";
    QTest::newRow("condition after the box closed")
        << closedBox << QStringList{"condition", "{receipt}", "not_working", "--note", "dead",
                                    "--station", "S1",        "--operator",  dock}
        << 1 << "open box" << noAfter << 0 << "";
    QTest::newRow("condition at another station")
        << openBox << QStringList{"condition", "{receipt}", "damaged",    "--note", "dent",
                                  "--station", "S2",        "--operator", dock}
        << 1 << "open box" << noAfter << 0 << "";
    QTest::newRow("settings") << QByteArray() << QStringList{"settings"} << 0 << "volume = (not set)"
                              << noAfter << 0 << "";
    const auto setSetting = [](const QString &key, const QString &value, const QString &op,
                               const QString &pinFile) {
        QStringList a{"settings", "set", key, value, "--operator", op};
        if (!pinFile.isEmpty())
            a << QStringLiteral("--pin-file") << pinFile;
        return a;
    };
    QTest::newRow("settings set by a supervisor")
        << QByteArray() << setSetting("volume", "70", sup, supPin) << 0 << "volume is now 70"
        << QStringList{"settings", "--json"} << 0 << "\"volume\":\"70\"";
    QTest::newRow("settings set out of range")
        << QByteArray() << setSetting("volume", "101", sup, supPin) << 1 << "0 to 100" << noAfter << 0 << "";
    QTest::newRow("settings set a bad station id")
        << QByteArray() << setSetting("station_id", "DOCK 1", sup, supPin) << 1 << "station_id" << noAfter
        << 0 << "";
    QTest::newRow("settings set idle minutes 0")
        << QByteArray() << setSetting("idle_minutes", "0", sup, supPin) << 1 << "idle_minutes" << noAfter << 0
        << "";
    QTest::newRow("settings set by a dock worker")
        << QByteArray() << setSetting("volume", "70", dock, dockPin) << 1 << "only a supervisor"
        << QStringList{"settings"} << 0 << "volume = (not set)";
    QTest::newRow("settings set with a supervisor's badge but no PIN")
        << QByteArray() << setSetting("volume", "70", sup, {}) << 1 << "PIN" << QStringList{"settings"} << 0
        << "volume = (not set)";
}

void TestCli::supervisorCommands()
{
    QFETCH(QByteArray, scans);
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, mentions);
    QFETCH(QStringList, after);
    QFETCH(int, afterExit);
    QFETCH(QString, afterMentions);

    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    qint64 exceptionId = 0, receiptId = 0;
    if (!scans.isEmpty()) {
        const Result scan = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                                 QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                                scans);
        QVERIFY2(scan.finished && scan.exitCode == 0, qPrintable(scan.describe()));
        for (const QByteArray &line : scan.out.split('\n')) {
            const QJsonObject v = QJsonDocument::fromJson(line).object();
            if (!v.value(QLatin1String("exception_id")).isNull() && v.contains(QLatin1String("exception_id")))
                exceptionId = v.value(QLatin1String("exception_id")).toInteger();
            if (!v.value(QLatin1String("receipt_id")).isNull() && v.contains(QLatin1String("receipt_id")))
                receiptId = v.value(QLatin1String("receipt_id")).toInteger();
        }
    }
    QVERIFY(writeFile(QStringLiteral("supervisor-pin"), "9876\n"));
    QVERIFY(writeFile(QStringLiteral("dock-pin"), "1234\n"));
    const auto expand = [&](QStringList a) {
        a.replaceInStrings(QStringLiteral("{supervisor-pin}"), path(QStringLiteral("supervisor-pin")));
        a.replaceInStrings(QStringLiteral("{dock-pin}"), path(QStringLiteral("dock-pin")));
        a.replaceInStrings(QStringLiteral("{exception}"), QString::number(exceptionId));
        a.replaceInStrings(QStringLiteral("{receipt}"), QString::number(receiptId));
        return a;
    };
    const Result r = cli(expand(args));
    QVERIFY2(r.finished && r.exitCode == exitCode, qPrintable(r.describe()));
    QVERIFY2((exitCode == 0 ? r.outText() : r.errText()).contains(mentions, Qt::CaseInsensitive),
             qPrintable(r.describe()));
    if (!after.isEmpty()) {
        const Result a = cli(expand(after));
        QVERIFY2(a.finished && a.exitCode == afterExit, qPrintable(a.describe()));
        QVERIFY2((a.outText() + a.errText()).contains(afterMentions), qPrintable(a.describe()));
    }
    const Result audit = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(audit.finished && audit.exitCode == 0, qPrintable(audit.describe()));
}

// import-form (issue #12): the preview changes nothing, a refusal names the cell and changes nothing, a dock
// badge is refused; applied, the case has the form's lines and a unit held as an exception is now expected
// and assigned with one call.
void TestCli::importFormAndAssign()
{
    QVERIFY(cli({QStringLiteral("demo-data")}).exitCode == 0);
    QVERIFY(writeFile(QStringLiteral("supervisor-pin"), "9876\n"));
    const QStringList supervisor{QStringLiteral("--operator"), QStringLiteral("BADGE-2001"),
                                 QStringLiteral("--pin-file"), path(QStringLiteral("supervisor-pin"))};
    ScanSession *session = scanSession(QStringLiteral("S1"));
    QVERIFY2(session->ok(), qPrintable(session->error()));
    const std::optional<QJsonObject> v = session->scan("ZZFORM000042");
    QVERIFY2(v && session->finish(), qPrintable(session->error()));
    QCOMPARE((*v)[QLatin1String("outcome")].toString(), QStringLiteral("unmatched"));
    const QByteArray header = "TMIP Case #,2026-1103-0001\n\nLine,SKU,Description,Serial Number,Qty\n"
                              "1,CHAS-BP3-MX960-S,Chassis,JN11F3A2BAFA,1\n";
    QVERIFY(writeFile(QStringLiteral("form.csv"), header + "2,MPC7E-10G,Card,ZZFORM000042,1\n"));
    QVERIFY(writeFile(QStringLiteral("clash.csv"), header + "2,MPC7E-10G,Card,CAKC1002,1\n"));
    const auto state = [this]() {
        return cli({QStringLiteral("case"), QStringLiteral("2026-1103-0001"), QStringLiteral("--json")}).out +
               cli({QStringLiteral("exceptions"), QStringLiteral("--all"), QStringLiteral("--json")}).out;
    };
    const QByteArray before = state();

    Result r = cli(QStringList{QStringLiteral("import-form"), path(QStringLiteral("form.csv")),
                               QStringLiteral("--dry-run")} +
                   supervisor);
    QVERIFY2(r.exitCode == 0 && r.outText().contains(QLatin1String("lines removed: 3, 4")) &&
                 r.outText().contains(QLatin1String("becomes now expected on line 2")) &&
                 r.outText().contains(QLatin1String("Dry run: nothing was changed.")),
             qPrintable(r.describe()));
    QCOMPARE(state(), before);
    r = cli(QStringList{QStringLiteral("import-form"), path(QStringLiteral("clash.csv"))} + supervisor);
    QVERIFY2(r.exitCode == 1 &&
                 r.errText().contains(QLatin1String("row 5, column D: serial CAKC1002 is already expected on "
                                                    "open case 2026-1105-0007")),
             qPrintable(r.describe()));
    QCOMPARE(state(), before);
    r = cli({QStringLiteral("import-form"), path(QStringLiteral("form.csv")), QStringLiteral("--operator"),
             QStringLiteral("BADGE-1001"), QStringLiteral("--pin-file"),
             path(QStringLiteral("supervisor-pin"))});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(state(), before);

    r = cli(QStringList{QStringLiteral("import-form"), path(QStringLiteral("form.csv")),
                        QStringLiteral("--json")} +
            supervisor);
    QVERIFY2(r.exitCode == 0 && r.isJsonObject(), qPrintable(r.describe()));
    QCOMPARE(r.jsonObject()[QLatin1String("lines_after")].toInteger(), 2);
    r = cli({QStringLiteral("exceptions"), QStringLiteral("--now-expected"), QStringLiteral("--json")});
    QVERIFY2(r.jsonArray().size() == 1, qPrintable(r.describe()));
    const QString id = QString::number(r.jsonArray()[0][QLatin1String("id")].toInteger());
    r = cli(QStringList{QStringLiteral("exceptions"), QStringLiteral("assign"), id} + supervisor);
    QVERIFY2(r.exitCode == 0 && r.outText().contains(QLatin1String("case 2026-1103-0001, line 2")),
             qPrintable(r.describe()));
    r = cli({QStringLiteral("exceptions"), QStringLiteral("--json")});
    QCOMPARE(r.jsonArray().size(), 0);
    QVERIFY(cli({QStringLiteral("audit"), QStringLiteral("verify")}).exitCode == 0);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
