// SPDX-License-Identifier: GPL-3.0-or-later
#include "Database.h"
#include "IsolatedEnvironment.h"
#include "TestStore.h"
#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

#include <memory>
#include <optional>

// Who may do what through receiving-cli, end to end: scans need a registered, enabled operator; supervisor
// commands need the named supervisor's PIN (file or no-echo terminal prompt), and a wrong one is audited
// without the PIN and counts towards the station's lock; the first supervisor bootstraps a database; disabled
// badges sign nobody in; badges show masked; demo data stays out of real databases; audit rows name the
// uid's user whatever $USER says.

namespace {

const QString Cli = QStringLiteral(RS_CLI_PATH);
const QString PtyAnswer = QStringLiteral(RS_SOURCE_DIR "/tests/e2e/pty_answer.py");
constexpr int ProcessTimeoutMs = 60'000;
constexpr int VerdictTimeoutMs = 20'000;

// Demo data's badges (PINs 9876, 1234 and 2345, written to files in init()), and a PIN nobody has: eight
// digits, so finding it anywhere cannot be chance.
const QString Supervisor = QStringLiteral("BADGE-2001");
const QString Dock = QStringLiteral("BADGE-1001");
const QString OtherDock = QStringLiteral("BADGE-1002");
const QByteArray WrongPin = "73190846";

// The refusal while a station's PIN sign-in is locked names the minutes left ("minute(s)" or a proper
// plural).
bool isLockedMessage(const QString &err, int minutes)
{
    static const QRegularExpression form(QStringLiteral(
        "^receiving-cli: Too many wrong PINs at this station\\. PIN sign-in is locked for (\\d+) more "
        "minute(?:s|\\(s\\))?\\.$"));
    const QRegularExpressionMatch m = form.match(err);
    return m.hasMatch() && m.captured(1).toInt() == minutes;
}

// A wrong PIN's answer: not right, and how many more wrong PINs lock the station.
bool isWrongPinMessage(const QString &err, int triesLeft)
{
    static const QRegularExpression form(
        QStringLiteral("^receiving-cli: That PIN is not right\\. (\\d+|One) more wrong PIN"));
    const QRegularExpressionMatch m = form.match(err);
    if (!m.hasMatch())
        return false;
    return m.captured(1) == QLatin1String("One") ? triesLeft == 1 : m.captured(1).toInt() == triesLeft;
}

QString masked(const QString &head, int bullets, const QString &tail)
{
    return head + QString(bullets, QChar(0x2022)) + tail;
}

struct Result
{
    bool finished = false;
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
    bool refused() const { return finished && exitCode == 1 && out.isEmpty() && !err.trimmed().isEmpty(); }
    QList<QJsonObject> verdicts() const
    {
        QList<QJsonObject> list;
        for (const QByteArray &line : out.split('\n')) {
            if (!line.isEmpty())
                list << QJsonDocument::fromJson(line).object();
        }
        return list;
    }
};

// Every row of a query, each column as text ("NULL" for NULL); empty on any database error. Either engine,
// through the project's Database, opened read-only.
QList<QStringList> sqlRows(const QString &location, const QByteArray &sql)
{
    QList<QStringList> rows;
    try {
        Database db;
        Database::Options readOnly;
        readOnly.readOnly = true;
        db.open(location, readOnly);
        Statement st = db.prepare(sql.constData());
        while (st.next()) {
            QStringList row;
            for (int i = 0; i < st.columnCount(); ++i)
                row << (st.isNull(i) ? QStringLiteral("NULL") : st.text(i));
            rows << row;
        }
    } catch (const DbException &) {
        return {};
    }
    return rows;
}

QString sqlText(const QString &dbPath, const QByteArray &sql)
{
    const QList<QStringList> rows = sqlRows(dbPath, sql);
    return rows.isEmpty() || rows.first().isEmpty() ? QString() : rows.first().first();
}

qint64 sqlInteger(const QString &dbPath, const QByteArray &sql)
{
    bool ok = false;
    const qint64 v = sqlText(dbPath, sql).toLongLong(&ok);
    return ok ? v : -1;
}

bool sqlExec(const QString &location, const QByteArray &sql)
{
    try {
        Database db;
        db.open(location);
        db.exec(sql.constData());
        return true;
    } catch (const DbException &) {
        return false;
    }
}

// What "nothing changed" compares: every row of each table, in a stable order.
const QStringList StateTables{
    QStringLiteral("cases"),    QStringLiteral("expected_items"), QStringLiteral("operators"),
    QStringLiteral("receipts"), QStringLiteral("exceptions"),     QStringLiteral("outbox"),
    QStringLiteral("settings"), QStringLiteral("boxes"),          QStringLiteral("station_state"),
    QStringLiteral("secrets"),
};
const QStringList AuditTables{QStringLiteral("audit_log"), QStringLiteral("audit_head")};

using Snapshot = QMap<QString, QStringList>;

Snapshot snapshot(const QString &dbPath, const QStringList &tables)
{
    Snapshot s;
    for (const QString &t : tables) {
        QStringList rows;
        for (const QStringList &row : sqlRows(dbPath, "SELECT * FROM " + t.toLatin1()))
            rows << row.join(QLatin1Char('|'));
        rows.sort();
        s.insert(t, rows);
    }
    return s;
}

// Empty when equal, else the first table that differs with what it held before and after.
QString difference(const Snapshot &before, const Snapshot &after)
{
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        const QStringList now = after.value(it.key());
        if (now != it.value())
            return QStringLiteral("table %1 changed:\n  before: %2\n  after:  %3")
                .arg(it.key(), it.value().join(QLatin1String("\n          ")),
                     now.join(QLatin1String("\n          ")));
    }
    return QString();
}

struct AuditRow
{
    qint64 id = 0;
    QString at, station, actor, action, subject, details, prevHash, unixUser;
    QString everything() const
    {
        return QStringList{
            QString::number(id), at, station, actor, action, subject, details, prevHash, unixUser}
            .join(QLatin1Char('|'));
    }
};

QList<AuditRow> auditRows(const QString &dbPath, qint64 afterId = 0)
{
    QList<AuditRow> rows;
    for (const QStringList &r :
         sqlRows(dbPath, "SELECT id, at, station_id, actor, action, subject, details, prev_hash, unix_user "
                         "FROM audit_log WHERE id > " +
                             QByteArray::number(afterId) + " ORDER BY id")) {
        rows << AuditRow{r[0].toLongLong(), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]};
    }
    return rows;
}

qint64 lastAuditId(const QString &dbPath)
{
    return qMax<qint64>(0, sqlInteger(dbPath, "SELECT coalesce(max(id), 0) FROM audit_log"));
}

QStringList actions(const QList<AuditRow> &rows)
{
    QStringList a;
    for (const AuditRow &r : rows)
        a << r.action;
    return a;
}

// One `receiving-cli scan` kept running and fed a line at a time, each line's verdict read before the next.
class ScanSession
{
public:
    ScanSession(const QProcessEnvironment &env, const QString &workDir, const QStringList &args)
    {
        m_process.setProcessEnvironment(env);
        m_process.setWorkingDirectory(workDir);
        m_process.start(Cli, args);
        m_process.waitForStarted(ProcessTimeoutMs);
    }
    ~ScanSession()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(ProcessTimeoutMs);
        }
    }
    bool started() const { return m_process.state() == QProcess::Running; }
    // The verdict of `line`; an empty object when none came in time.
    QJsonObject scan(const QByteArray &line)
    {
        m_process.write(line + '\n');
        QDeadlineTimer deadline(VerdictTimeoutMs);
        while (!m_process.canReadLine() && !deadline.hasExpired() && m_process.state() == QProcess::Running)
            m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        return QJsonDocument::fromJson(m_process.readLine()).object();
    }
    // Ends the input; the exit code, or -1 when the process did not end by itself.
    int finish()
    {
        m_process.closeWriteChannel();
        // waitForFinished() is false for a process that already ended (a refused session exits by itself).
        if ((m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(ProcessTimeoutMs)) ||
            m_process.exitStatus() != QProcess::NormalExit)
            return -1;
        return m_process.exitCode();
    }

private:
    QProcess m_process;
};

// The name of the uid this test runs as: what audit rows must record, whatever $USER says.
QString uidUser()
{
    if (const passwd *pw = getpwuid(geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return QString::number(geteuid());
}

} // namespace

class TestCliTrust : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void scanNeedsARegisteredEnabledOperator();
    void supervisorCommandNeedsTheSupervisorsPin_data();
    void supervisorCommandNeedsTheSupervisorsPin();
    void wrongPinIsAuditedWithoutThePin();
    void fiveWrongPinsLockTheStation();
    void rightPinBetweenWrongOnesDoesNotResetTheCount();
    void firstSupervisorBootstrapsTheDatabase();
    void disabledBadgeSignsNobodyIn();
    void disabledOperatorsRunningScanRecordsNothingMore();
    void disablingTheLastSupervisorKeepsBootstrapClosed();
    void setPinReplacesTheOldPin();
    void badgeScanShowsTheBadgeMasked();
    void demoDataRefusesForeignCases();
    void auditRowsNameTheUidsUserNotUSER();
    void terminalPromptHidesThePin();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    bool writeFile(const QString &name, const QByteArray &data) const;
    Result run(const QString &program, const QStringList &args, const QByteArray &input = {},
               std::optional<QProcessEnvironment> env = std::nullopt) const;
    // `args` against the test's database.
    Result cli(const QStringList &args, const QByteArray &input = {},
               std::optional<QProcessEnvironment> env = std::nullopt) const
    {
        return run(Cli, QStringList{QStringLiteral("--db"), m_db} + args, input, env);
    }
    // `settings set volume VALUE` by `badge` with the PIN in `pinFile` at `station`.
    Result setVolume(const QString &value, const QString &badge, const QString &pinFile,
                     const QString &station = QStringLiteral("CLI-7")) const
    {
        return cli({QStringLiteral("--station"), station, QStringLiteral("settings"), QStringLiteral("set"),
                    QStringLiteral("volume"), value, QStringLiteral("--operator"), badge,
                    QStringLiteral("--pin-file"), path(pinFile)});
    }
    // receiving-cli on a pseudo-terminal through pty_answer.py, typing `answer` at `prompt`.
    Result onTerminal(const QString &prompt, const QString &answer, const QStringList &args) const;
    QString volume() const { return sqlText(m_db, "SELECT value FROM settings WHERE key = 'volume'"); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_sqlitePath; // the SQLite file, for what only SQLite has (the file and its WAL)
    QString m_db;         // the database the test's commands use: that file, or its PostgreSQL database
    QProcessEnvironment m_env;
    QString m_python;
};

bool TestCliTrust::writeFile(const QString &name, const QByteArray &data) const
{
    QFile f(path(name));
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

Result TestCliTrust::run(const QString &program, const QStringList &args, const QByteArray &input,
                         std::optional<QProcessEnvironment> env) const
{
    Result r;
    QProcess p;
    p.setProcessEnvironment(env ? *env : m_env);
    p.setWorkingDirectory(m_dir->path());
    p.start(program, args);
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

Result TestCliTrust::onTerminal(const QString &prompt, const QString &answer, const QStringList &args) const
{
    return run(m_python, QStringList{PtyAnswer, prompt, answer, QStringLiteral("30"), Cli,
                                     QStringLiteral("--db"), m_db} +
                             args);
}

void TestCliTrust::initTestCase()
{
    QVERIFY2(QFileInfo(Cli).isExecutable(), qPrintable(Cli + QStringLiteral(" is not built")));
    QVERIFY2(QFileInfo::exists(PtyAnswer), qPrintable(PtyAnswer));
    // deploy/dev installs python3; the terminal prompt is tested through its pty module.
    m_python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QVERIFY2(!m_python.isEmpty(), "python3 is needed to run receiving-cli on a pseudo-terminal");
}

void TestCliTrust::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_sqlitePath = path(QStringLiteral("data/receiving.db"));
    m_db = TestStore::location(m_sqlitePath);
    m_env = isolatedEnvironment(m_dir->path());
    QVERIFY(!m_env.isEmpty());
    QVERIFY(writeFile(QStringLiteral("supervisor-pin"), "9876\n"));
    QVERIFY(writeFile(QStringLiteral("dock-pin"), "1234\n"));
    QVERIFY(writeFile(QStringLiteral("wrong-pin"), WrongPin + '\n'));
    QVERIFY(writeFile(QStringLiteral("new-pin"), "5678\n"));
}

void TestCliTrust::cleanup()
{
    m_dir.reset();
}

void TestCliTrust::scanNeedsARegisteredEnabledOperator()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const QByteArray scans = "2026-1103-0001\nJN11F3A2BAFA\n";
    const Snapshot before = snapshot(m_db, StateTables + AuditTables);

    // Every receipt names who made it: no operator, no scans, and not one line is read.
    const Result nobody =
        cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1")}, scans);
    QVERIFY2(nobody.refused(), qPrintable(nobody.describe()));
    QVERIFY2(nobody.errText().contains(QLatin1String("--operator")), qPrintable(nobody.describe()));
    QVERIFY2(nobody.errText().endsWith(QLatin1Char('.')) && !nobody.errText().contains(QLatin1Char('\n')),
             qPrintable(nobody.describe()));
    QString changed = difference(before, snapshot(m_db, StateTables + AuditTables));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));

    // A badge nobody registered; the refusal shows it masked like any badge.
    const Result stranger = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                                 QStringLiteral("--operator"), QStringLiteral("BADGE-9999")},
                                scans);
    QVERIFY2(stranger.refused(), qPrintable(stranger.describe()));
    QVERIFY2(stranger.errText().contains(QLatin1String("not a registered badge")),
             qPrintable(stranger.describe()));
    QVERIFY2(stranger.errText().contains(masked(QStringLiteral("BADGE-"), 2, QStringLiteral("99"))),
             qPrintable(stranger.describe()));
    QVERIFY2(!stranger.errText().contains(QLatin1String("BADGE-9999")), qPrintable(stranger.describe()));
    changed = difference(before, snapshot(m_db, StateTables + AuditTables));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));

    // A registered operator scans, and the receipt carries them.
    const Result dock = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), Dock.toLower()},
                            scans);
    QVERIFY2(dock.finished && dock.exitCode == 0, qPrintable(dock.describe()));
    const QList<QJsonObject> v = dock.verdicts();
    QCOMPARE(v.size(), 2);
    QCOMPARE(v[1][QLatin1String("outcome")].toString(), QStringLiteral("matched"));
    QCOMPARE(sqlText(m_db, "SELECT operator_id FROM receipts WHERE serial = 'JN11F3A2BAFA'"), Dock);
}

// Each supervisor command on a demo database with an open exception, a closed box and a dead letter, done
// four ways: without a PIN, with a wrong one, by a dock worker with their right PIN, and (the control that
// the command line itself is sound) by the supervisor with the right PIN.
void TestCliTrust::supervisorCommandNeedsTheSupervisorsPin_data()
{
    QTest::addColumn<QStringList>("command"); // {exception}, {dead}, {new-pin} are filled in
    QTest::addColumn<QString>("pinOption");   // where the acting supervisor's PIN goes
    QTest::addColumn<QString>("way");
    QTest::addColumn<QString>("changes"); // the table the right PIN changes

    const QList<std::tuple<const char *, QStringList, QString, QString>> commands{
        {"exceptions resolve",
         {"exceptions", "resolve", "{exception}", "--resolution", "not_tmip", "--note", "not ours"},
         "--pin-file",
         "exceptions"},
        {"case close-partial",
         {"case", "close-partial", "2026-1103-0001", "--note", "customer kept the rest"},
         "--pin-file",
         "cases"},
        {"settings set", {"settings", "set", "volume", "70"}, "--pin-file", "settings"},
        {"outbox retry", {"outbox", "retry", "{dead}"}, "--pin-file", "outbox"},
        {"operator add",
         {"operator", "add", "--badge", "BADGE-4001", "--name", "Pat Doe", "--role", "dock", "--pin-file",
          "{new-pin}"},
         "--operator-pin-file",
         "operators"},
        {"operator disable", {"operator", "disable", "BADGE-1002"}, "--pin-file", "operators"},
        {"operator set-pin",
         {"operator", "set-pin", "BADGE-1002", "--pin-file", "{new-pin}"},
         "--operator-pin-file",
         "operators"},
    };
    for (const auto &[name, command, pinOption, changes] : commands) {
        for (const char *way : {"no PIN", "wrong PIN", "dock worker's PIN", "right PIN"})
            QTest::addRow("%s, %s", name, way) << command << pinOption << QString::fromLatin1(way) << changes;
    }
}

void TestCliTrust::supervisorCommandNeedsTheSupervisorsPin()
{
    QFETCH(QStringList, command);
    QFETCH(QString, pinOption);
    QFETCH(QString, way);
    QFETCH(QString, changes);

    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const Result scans = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                              QStringLiteral("--operator"), Dock},
                             "ZZUNKNOWN42\n2026-1103-0001\nJN11F3A2BAFA\n:done\n");
    QVERIFY2(scans.finished && scans.exitCode == 0, qPrintable(scans.describe()));
    const qint64 exception = scans.verdicts().value(0)[QLatin1String("exception_id")].toInteger();
    QVERIFY2(exception > 0, qPrintable(scans.describe()));
    // The receipt's event as a dead letter (the upstream refused it), for outbox retry.
    QVERIFY(sqlExec(m_db, "UPDATE outbox SET state = 'dead', attempts = 3, last_error = 'HTTP 422' "
                          "WHERE id = (SELECT max(id) FROM outbox WHERE kind = 'receipt')"));
    const QString dead = sqlText(m_db, "SELECT id FROM outbox WHERE state = 'dead'");
    QVERIFY(!dead.isEmpty());

    command.replaceInStrings(QStringLiteral("{exception}"), QString::number(exception));
    command.replaceInStrings(QStringLiteral("{dead}"), dead);
    command.replaceInStrings(QStringLiteral("{new-pin}"), path(QStringLiteral("new-pin")));
    if (way == QLatin1String("no PIN"))
        command << QStringLiteral("--operator") << Supervisor;
    else if (way == QLatin1String("wrong PIN"))
        command << QStringLiteral("--operator") << Supervisor << pinOption
                << path(QStringLiteral("wrong-pin"));
    else if (way == QLatin1String("dock worker's PIN"))
        command << QStringLiteral("--operator") << Dock << pinOption << path(QStringLiteral("dock-pin"));
    else
        command << QStringLiteral("--operator") << Supervisor << pinOption
                << path(QStringLiteral("supervisor-pin"));

    const Snapshot state = snapshot(m_db, StateTables);
    const Snapshot audit = snapshot(m_db, AuditTables);
    const qint64 lastAudit = lastAuditId(m_db);
    const Result r = cli(QStringList{QStringLiteral("--station"), QStringLiteral("CLI-7")} + command);

    if (way == QLatin1String("right PIN")) {
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
        const Snapshot after = snapshot(m_db, StateTables);
        QVERIFY2(after.value(changes) != state.value(changes),
                 qPrintable(QStringLiteral("%1 should have changed\n").arg(changes) + r.describe()));
        const QList<AuditRow> added = auditRows(m_db, lastAudit);
        QVERIFY2(!added.isEmpty() && added.first().action == QLatin1String("supervisor_confirmed") &&
                     added.first().subject == Supervisor && added.first().station == QLatin1String("CLI-7"),
                 qPrintable(actions(added).join(QLatin1Char(' '))));
        return;
    }

    QVERIFY2(r.refused(), qPrintable(r.describe()));
    const QString changed = difference(state, snapshot(m_db, StateTables));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
    if (way == QLatin1String("no PIN")) {
        QVERIFY2(r.errText().contains(QLatin1String("PIN")), qPrintable(r.describe()));
        QVERIFY2(r.errText().contains(pinOption), qPrintable(r.describe()));
        const QString audited = difference(audit, snapshot(m_db, AuditTables));
        QVERIFY2(audited.isEmpty(), qPrintable(audited));
    } else if (way == QLatin1String("wrong PIN")) {
        QVERIFY2(r.errText().contains(QLatin1String("That PIN is not right.")), qPrintable(r.describe()));
        const QList<AuditRow> added = auditRows(m_db, lastAudit);
        QCOMPARE(actions(added), QStringList{QStringLiteral("sign_in_failed")});
        QCOMPARE(added.first().subject, Supervisor);
    } else {
        QCOMPARE(r.errText(), QStringLiteral("receiving-cli: Only a supervisor can do this."));
        const QString audited = difference(audit, snapshot(m_db, AuditTables));
        QVERIFY2(audited.isEmpty(), qPrintable(audited));
    }
}

void TestCliTrust::wrongPinIsAuditedWithoutThePin()
{
    m_db = m_sqlitePath; // reads the database file and its WAL: SQLite's
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const qint64 lastAudit = lastAuditId(m_db);

    const Result wrong = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("wrong-pin"));
    QVERIFY2(wrong.refused(), qPrintable(wrong.describe()));
    QVERIFY2(isWrongPinMessage(wrong.errText(), 4), qPrintable(wrong.describe()));
    QVERIFY(volume().isEmpty());

    const QList<AuditRow> rows = auditRows(m_db, lastAudit);
    QCOMPARE(rows.size(), 1);
    const AuditRow &failed = rows.first();
    QCOMPARE(failed.action, QStringLiteral("sign_in_failed"));
    QCOMPARE(failed.station, QStringLiteral("CLI-7"));
    QCOMPARE(failed.subject, Supervisor);
    QCOMPARE(QJsonDocument::fromJson(failed.details.toUtf8()).object(),
             (QJsonObject{{QStringLiteral("method"), QStringLiteral("cli")},
                          {QStringLiteral("reason"), QStringLiteral("wrong_pin")}}));
    QCOMPARE(failed.unixUser, uidUser());
    QVERIFY2(!failed.everything().contains(QLatin1String(WrongPin)), qPrintable(failed.everything()));

    // A badge nobody has: the same answer (it tells nobody which badges exist), audited without a subject.
    const Result stranger =
        setVolume(QStringLiteral("70"), QStringLiteral("BADGE-9999"), QStringLiteral("wrong-pin"));
    QVERIFY2(stranger.refused(), qPrintable(stranger.describe()));
    QVERIFY2(isWrongPinMessage(stranger.errText(), 3), qPrintable(stranger.describe()));
    const QList<AuditRow> strangerRows = auditRows(m_db, failed.id);
    QCOMPARE(actions(strangerRows), QStringList{QStringLiteral("sign_in_failed")});
    QVERIFY2(strangerRows.first().subject.isEmpty() || strangerRows.first().subject == QLatin1String("NULL"),
             qPrintable(strangerRows.first().everything()));

    // The wrong PIN is nowhere: not in the audit log, not in the database file or its journal.
    for (const AuditRow &row : auditRows(m_db))
        QVERIFY2(!row.everything().contains(QLatin1String(WrongPin)), qPrintable(row.everything()));
    for (const QString &file : {m_db, m_db + QStringLiteral("-wal")}) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            QVERIFY2(!f.readAll().contains(WrongPin), qPrintable(file));
    }
    QVERIFY(!wrong.err.contains(WrongPin) && !stranger.err.contains(WrongPin));
    const Result verify = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(verify.finished && verify.exitCode == 0, qPrintable(verify.describe()));
}

void TestCliTrust::fiveWrongPinsLockTheStation()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const qint64 lastAudit = lastAuditId(m_db);

    for (int i = 1; i <= 4; ++i) {
        const Result wrong = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("wrong-pin"));
        QVERIFY2(wrong.refused(), qPrintable(wrong.describe()));
        QVERIFY2(isWrongPinMessage(wrong.errText(), 5 - i), qPrintable(wrong.describe()));
    }
    // The fifth wrong PIN within ten minutes locks the station.
    const Result fifth = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("wrong-pin"));
    QVERIFY2(fifth.refused(), qPrintable(fifth.describe()));
    QVERIFY2(isLockedMessage(fifth.errText(), 5), qPrintable(fifth.describe()));
    const QList<AuditRow> rows = auditRows(m_db, lastAudit);
    // Two locks: the station's, and the badge's (all five guesses were at one supervisor's PIN).
    QCOMPARE(actions(rows), (QStringList{QStringLiteral("sign_in_failed"), QStringLiteral("sign_in_failed"),
                                         QStringLiteral("sign_in_failed"), QStringLiteral("sign_in_failed"),
                                         QStringLiteral("sign_in_failed"), QStringLiteral("sign_in_locked"),
                                         QStringLiteral("sign_in_locked")}));
    const AuditRow &lock = rows.at(5);
    QVERIFY2(lock.subject.isEmpty() || lock.subject == QLatin1String("NULL"), qPrintable(lock.everything()));
    QCOMPARE(rows.at(6).subject, Supervisor);
    QVERIFY2(rows.at(6).details.contains(QLatin1String("\"scope\":\"badge\"")),
             qPrintable(rows.at(6).everything()));
    QCOMPARE(lock.station, QStringLiteral("CLI-7"));
    const QJsonObject details = QJsonDocument::fromJson(lock.details.toUtf8()).object();
    const QDateTime at = QDateTime::fromString(lock.at, Qt::ISODateWithMs);
    const QDateTime until =
        QDateTime::fromString(details[QLatin1String("until")].toString(), Qt::ISODateWithMs);
    QVERIFY2(at.isValid() && until.isValid(), qPrintable(lock.everything()));
    QCOMPARE(at.secsTo(until), 5 * 60);
    QVERIFY2(!lock.everything().contains(QLatin1String(WrongPin)), qPrintable(lock.everything()));

    // Now even the right PIN is refused there, for any supervisor command, and nothing changes.
    const qint64 lockedAt = lock.id;
    const Snapshot state = snapshot(m_db, StateTables);
    const Result right = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("supervisor-pin"));
    QVERIFY2(right.refused(), qPrintable(right.describe()));
    QVERIFY2(isLockedMessage(right.errText(), 5), qPrintable(right.describe()));
    const Result disable =
        cli({QStringLiteral("--station"), QStringLiteral("CLI-7"), QStringLiteral("operator"),
             QStringLiteral("disable"), OtherDock, QStringLiteral("--operator"), Supervisor,
             QStringLiteral("--pin-file"), path(QStringLiteral("supervisor-pin"))});
    QVERIFY2(disable.refused(), qPrintable(disable.describe()));
    QVERIFY2(isLockedMessage(disable.errText(), 5), qPrintable(disable.describe()));
    const QString changed = difference(state, snapshot(m_db, StateTables));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
    QVERIFY(volume().isEmpty());
    QCOMPARE(auditRows(m_db, lockedAt + 1).size(), 0); // refused without looking at the PIN: nothing to count

    // Another station (a new --station for each guess) does not reopen the guessed badge...
    const Result elsewhere = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("supervisor-pin"),
                                       QStringLiteral("CLI-8"));
    QVERIFY2(elsewhere.refused(), qPrintable(elsewhere.describe()));
    QVERIFY2(isLockedMessage(elsewhere.errText(), 5), qPrintable(elsewhere.describe()));
    QVERIFY(volume().isEmpty());
    // ...but that station is not locked for other badges: a dock worker's right PIN is checked (and is no
    // supervisor's).
    const Result dockElsewhere =
        setVolume(QStringLiteral("70"), Dock, QStringLiteral("dock-pin"), QStringLiteral("CLI-8"));
    QVERIFY2(dockElsewhere.refused(), qPrintable(dockElsewhere.describe()));
    QVERIFY2(dockElsewhere.errText().contains(QLatin1String("Only a supervisor")),
             qPrintable(dockElsewhere.describe()));
}

void TestCliTrust::rightPinBetweenWrongOnesDoesNotResetTheCount()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    for (int i = 0; i < 4; ++i) {
        const Result wrong = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("wrong-pin"));
        QVERIFY2(wrong.refused(), qPrintable(wrong.describe()));
    }
    const Result right = setVolume(QStringLiteral("60"), Supervisor, QStringLiteral("supervisor-pin"));
    QVERIFY2(right.finished && right.exitCode == 0, qPrintable(right.describe()));
    QCOMPARE(volume(), QStringLiteral("60"));
    // Five wrong PINs within ten minutes, whatever came between them.
    const Result fifth = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("wrong-pin"));
    QVERIFY2(fifth.refused(), qPrintable(fifth.describe()));
    QVERIFY2(isLockedMessage(fifth.errText(), 5), qPrintable(fifth.describe()));
    const Result after = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("supervisor-pin"));
    QVERIFY2(isLockedMessage(after.errText(), 5), qPrintable(after.describe()));
    QCOMPARE(volume(), QStringLiteral("60"));
}

void TestCliTrust::firstSupervisorBootstrapsTheDatabase()
{
    const Result init = cli({QStringLiteral("init")});
    QVERIFY2(init.finished && init.exitCode == 0, qPrintable(init.describe()));
    QVERIFY(writeFile(QStringLiteral("first-pin"), "4821\n"));
    QVERIFY(writeFile(QStringLiteral("second-pin"), "6543\n"));
    const auto add = [](const QString &badge, const QString &name, const QString &role) {
        return QStringList{QStringLiteral("operator"), QStringLiteral("add"),
                           QStringLiteral("--badge"),  badge,
                           QStringLiteral("--name"),   name,
                           QStringLiteral("--role"),   role};
    };
    const auto pinFile = [&](const QString &option, const QString &file) {
        return QStringList{option, path(file)};
    };
    const auto by = [&](const QString &badge, const QString &file) {
        return QStringList{QStringLiteral("--operator"), badge} +
               pinFile(QStringLiteral("--operator-pin-file"), file);
    };
    const QString first = QStringLiteral("BADGE-8001");
    const QStringList addFirst = add(first, QStringLiteral("Rita Moss"), QStringLiteral("supervisor"));
    const QStringList addSecond =
        add(QStringLiteral("BADGE-8002"), QStringLiteral("Omar Diaz"), QStringLiteral("supervisor"));
    const QStringList addDock =
        add(QStringLiteral("BADGE-8101"), QStringLiteral("Joe Bell"), QStringLiteral("dock"));
    const auto operators = [&] { return sqlInteger(m_db, "SELECT count(*) FROM operators"); };

    // No supervisor yet: a dock operator is refused, named supervisor or not.
    const Result dockFirst = cli(addDock);
    QVERIFY2(dockFirst.refused(), qPrintable(dockFirst.describe()));
    QVERIFY2(dockFirst.errText().contains(QLatin1String("add one first")), qPrintable(dockFirst.describe()));
    const Result dockFirstNamed = cli(addDock + by(first, QStringLiteral("first-pin")));
    QVERIFY2(dockFirstNamed.refused(), qPrintable(dockFirstNamed.describe()));
    QVERIFY2(dockFirstNamed.errText().contains(QLatin1String("add one first")),
             qPrintable(dockFirstNamed.describe()));
    // A supervisor always needs a PIN, the first one too.
    const Result noPin = cli(addFirst);
    QVERIFY2(noPin.refused(), qPrintable(noPin.describe()));
    QVERIFY2(noPin.errText().contains(QLatin1String("needs a PIN")), qPrintable(noPin.describe()));
    QCOMPARE(operators(), qint64(0));

    // The first supervisor: no --operator, and the audit row names the Unix account that added them.
    const qint64 lastAudit = lastAuditId(m_db);
    const Result bootstrap =
        cli(addFirst + pinFile(QStringLiteral("--pin-file"), QStringLiteral("first-pin")));
    QVERIFY2(bootstrap.finished && bootstrap.exitCode == 0, qPrintable(bootstrap.describe()));
    QCOMPARE(bootstrap.outText().trimmed(),
             QStringLiteral("Added supervisor operator Rita Moss with badge BADGE-8001 and a PIN."));
    const QList<AuditRow> added = auditRows(m_db, lastAudit);
    QCOMPARE(actions(added), QStringList{QStringLiteral("operator_added")});
    QCOMPARE(added.first().actor, QStringLiteral("cli:") + uidUser());
    QCOMPARE(added.first().subject, first);
    QVERIFY2(!added.first().everything().contains(QLatin1String("4821")),
             qPrintable(added.first().everything()));

    // From now on operators are added by a supervisor with their PIN.
    const Result again = cli(addSecond + pinFile(QStringLiteral("--pin-file"), QStringLiteral("second-pin")));
    QVERIFY2(again.refused(), qPrintable(again.describe()));
    QVERIFY2(again.errText().contains(QLatin1String("--operator")), qPrintable(again.describe()));
    const Result badgeOnly =
        cli(addSecond + pinFile(QStringLiteral("--pin-file"), QStringLiteral("second-pin")) +
            QStringList{QStringLiteral("--operator"), first});
    QVERIFY2(badgeOnly.refused(), qPrintable(badgeOnly.describe()));
    QVERIFY2(badgeOnly.errText().contains(QLatin1String("--operator-pin-file")),
             qPrintable(badgeOnly.describe()));
    const qint64 beforeWrong = lastAuditId(m_db);
    const Result wrong = cli(addSecond + pinFile(QStringLiteral("--pin-file"), QStringLiteral("second-pin")) +
                             by(first, QStringLiteral("wrong-pin")));
    QVERIFY2(wrong.refused(), qPrintable(wrong.describe()));
    QCOMPARE(actions(auditRows(m_db, beforeWrong)), QStringList{QStringLiteral("sign_in_failed")});
    const Result secondWithoutPin = cli(addSecond + by(first, QStringLiteral("first-pin")));
    QVERIFY2(secondWithoutPin.refused(), qPrintable(secondWithoutPin.describe()));
    QVERIFY2(secondWithoutPin.errText().contains(QLatin1String("needs a PIN")),
             qPrintable(secondWithoutPin.describe()));
    const Result samePin =
        cli(addSecond + pinFile(QStringLiteral("--pin-file"), QStringLiteral("first-pin")) +
            by(first, QStringLiteral("first-pin")));
    QVERIFY2(samePin.refused(), qPrintable(samePin.describe()));
    QVERIFY2(samePin.errText().contains(QLatin1String("already uses that PIN")),
             qPrintable(samePin.describe()));
    QCOMPARE(operators(), qint64(1));

    const qint64 beforeSecond = lastAuditId(m_db);
    const Result second =
        cli(addSecond + pinFile(QStringLiteral("--pin-file"), QStringLiteral("second-pin")) +
            by(first, QStringLiteral("first-pin")));
    QVERIFY2(second.finished && second.exitCode == 0, qPrintable(second.describe()));
    const QList<AuditRow> secondRows = auditRows(m_db, beforeSecond);
    QCOMPARE(actions(secondRows),
             (QStringList{QStringLiteral("supervisor_confirmed"), QStringLiteral("operator_added")}));
    QCOMPARE(secondRows.last().actor, first);
    const Result dock = cli(addDock + by(first, QStringLiteral("first-pin")));
    QVERIFY2(dock.finished && dock.exitCode == 0, qPrintable(dock.describe()));
    QCOMPARE(operators(), qint64(3));

    // A dock operator with a PIN of their own still adds nobody.
    QVERIFY(writeFile(QStringLiteral("joe-pin"), "2468\n"));
    const Result joePin =
        cli({QStringLiteral("operator"), QStringLiteral("set-pin"), QStringLiteral("BADGE-8101"),
             QStringLiteral("--pin-file"), path(QStringLiteral("joe-pin")), QStringLiteral("--operator"),
             first, QStringLiteral("--operator-pin-file"), path(QStringLiteral("first-pin"))});
    QVERIFY2(joePin.finished && joePin.exitCode == 0, qPrintable(joePin.describe()));
    const Result byDock =
        cli(add(QStringLiteral("BADGE-8102"), QStringLiteral("Sue Park"), QStringLiteral("dock")) +
            by(QStringLiteral("BADGE-8101"), QStringLiteral("joe-pin")));
    QVERIFY2(byDock.refused(), qPrintable(byDock.describe()));
    QCOMPARE(byDock.errText(), QStringLiteral("receiving-cli: Only a supervisor can do this."));
    QCOMPARE(operators(), qint64(3));
    const Result verify = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(verify.finished && verify.exitCode == 0, qPrintable(verify.describe()));
}

void TestCliTrust::disabledBadgeSignsNobodyIn()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    // BADGE-1002 is signed in at S2 when it is disabled.
    const Result atS2 = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S2"),
                             QStringLiteral("--operator"), OtherDock});
    QVERIFY2(atS2.finished && atS2.exitCode == 0, qPrintable(atS2.describe()));
    QCOMPARE(sqlText(m_db, "SELECT operator_id FROM station_state WHERE station_id = 'S2'"), OtherDock);

    const QStringList disable{QStringLiteral("operator"), QStringLiteral("disable"), OtherDock};
    const Result byDock =
        cli(disable + QStringList{QStringLiteral("--operator"), Dock, QStringLiteral("--pin-file"),
                                  path(QStringLiteral("dock-pin"))});
    QVERIFY2(byDock.refused(), qPrintable(byDock.describe()));
    QCOMPARE(sqlText(m_db, "SELECT disabled_at FROM operators WHERE badge = 'BADGE-1002'"),
             QStringLiteral("NULL"));

    const qint64 lastAudit = lastAuditId(m_db);
    const Result disabled =
        cli(disable + QStringList{QStringLiteral("--operator"), Supervisor, QStringLiteral("--pin-file"),
                                  path(QStringLiteral("supervisor-pin"))});
    QVERIFY2(disabled.finished && disabled.exitCode == 0, qPrintable(disabled.describe()));
    QVERIFY2(disabled.outText().contains(QLatin1String("disabled")), qPrintable(disabled.describe()));
    QVERIFY(sqlText(m_db, "SELECT disabled_at FROM operators WHERE badge = 'BADGE-1002'") !=
            QLatin1String("NULL"));
    const QList<AuditRow> rows = auditRows(m_db, lastAudit);
    QCOMPARE(actions(rows),
             (QStringList{QStringLiteral("supervisor_confirmed"), QStringLiteral("operator_disabled")}));
    QCOMPARE(rows.last().actor, Supervisor);
    QCOMPARE(rows.last().subject, OtherDock);
    // Its session at S2 ended with it.
    QCOMPARE(sqlText(m_db, "SELECT operator_id FROM station_state WHERE station_id = 'S2'"),
             QStringLiteral("NULL"));

    // It cannot scan...
    const Snapshot before = snapshot(m_db, StateTables + AuditTables);
    const Result scan = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S2"),
                             QStringLiteral("--operator"), OtherDock},
                            "2026-1103-0001\nJN11F3A2BAFA\n");
    QVERIFY2(scan.refused(), qPrintable(scan.describe()));
    QVERIFY2(scan.errText().contains(QLatin1String("disabled")), qPrintable(scan.describe()));
    QString changed = difference(before, snapshot(m_db, StateTables + AuditTables));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));

    // ...and scanning it at a station signs nobody in: whoever was signed in stays, nothing is recorded.
    ScanSession session(m_env, m_dir->path(),
                        {QStringLiteral("--db"), m_db, QStringLiteral("scan"), QStringLiteral("--station"),
                         QStringLiteral("S1"), QStringLiteral("--operator"), Dock});
    QVERIFY(session.started());
    QCOMPARE(session.scan("2026-1103-0001")[QLatin1String("outcome")].toString(),
             QStringLiteral("box_opened"));
    const Snapshot open = snapshot(m_db, StateTables + AuditTables);
    const QJsonObject v = session.scan(OtherDock.toLatin1());
    QCOMPARE(v[QLatin1String("outcome")].toString(), QStringLiteral("badge_disabled"));
    QCOMPARE(v[QLatin1String("severity")].toString(), QStringLiteral("error"));
    QCOMPARE(v[QLatin1String("kind")].toString(), QStringLiteral("badge"));
    QCOMPARE(v[QLatin1String("message")].toString(),
             QStringLiteral("Badge disabled \u2014 see a supervisor."));
    QCOMPARE(v[QLatin1String("input")].toString(), masked(QStringLiteral("BADGE-"), 2, QStringLiteral("02")));
    QVERIFY(v[QLatin1String("receipt_id")].isNull() && v[QLatin1String("exception_id")].isNull());
    changed = difference(open, snapshot(m_db, StateTables + AuditTables));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
    // The next unit is still BADGE-1001's, in the box that stayed open.
    const QJsonObject unit = session.scan("JN11F3A2BAFA");
    QCOMPARE(unit[QLatin1String("outcome")].toString(), QStringLiteral("matched"));
    QCOMPARE(session.finish(), 0);
    QCOMPARE(sqlText(m_db, "SELECT operator_id FROM receipts WHERE serial = 'JN11F3A2BAFA'"), Dock);

    // A disabled supervisor's right PIN confirms nothing.
    QVERIFY(writeFile(QStringLiteral("second-pin"), "6543\n"));
    const Result second =
        cli({QStringLiteral("operator"), QStringLiteral("add"), QStringLiteral("--badge"),
             QStringLiteral("BADGE-2002"), QStringLiteral("--name"), QStringLiteral("Ines Ko"),
             QStringLiteral("--role"), QStringLiteral("supervisor"), QStringLiteral("--pin-file"),
             path(QStringLiteral("second-pin")), QStringLiteral("--operator"), Supervisor,
             QStringLiteral("--operator-pin-file"), path(QStringLiteral("supervisor-pin"))});
    QVERIFY2(second.finished && second.exitCode == 0, qPrintable(second.describe()));
    const Result disableSecond = cli({QStringLiteral("operator"), QStringLiteral("disable"),
                                      QStringLiteral("BADGE-2002"), QStringLiteral("--operator"), Supervisor,
                                      QStringLiteral("--pin-file"), path(QStringLiteral("supervisor-pin"))});
    QVERIFY2(disableSecond.finished && disableSecond.exitCode == 0, qPrintable(disableSecond.describe()));
    const Result bySecond =
        setVolume(QStringLiteral("70"), QStringLiteral("BADGE-2002"), QStringLiteral("second-pin"));
    QVERIFY2(bySecond.refused(), qPrintable(bySecond.describe()));
    QVERIFY2(bySecond.errText().contains(QLatin1String("disabled")), qPrintable(bySecond.describe()));
    QVERIFY(volume().isEmpty());
}

// A scan process started before its operator was disabled: the badge signs nobody in any more, so the units
// scanned after it must not be recorded (today they are, with no operator at all).
void TestCliTrust::disabledOperatorsRunningScanRecordsNothingMore()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    ScanSession session(m_env, m_dir->path(),
                        {QStringLiteral("--db"), m_db, QStringLiteral("scan"), QStringLiteral("--station"),
                         QStringLiteral("S1"), QStringLiteral("--operator"), OtherDock});
    QVERIFY(session.started());
    QCOMPARE(session.scan("2026-1103-0001")[QLatin1String("outcome")].toString(),
             QStringLiteral("box_opened"));
    const Result disabled =
        cli({QStringLiteral("operator"), QStringLiteral("disable"), OtherDock, QStringLiteral("--operator"),
             Supervisor, QStringLiteral("--pin-file"), path(QStringLiteral("supervisor-pin"))});
    QVERIFY2(disabled.finished && disabled.exitCode == 0, qPrintable(disabled.describe()));

    const qint64 receipts = sqlInteger(m_db, "SELECT count(*) FROM receipts");
    const QJsonObject v = session.scan("JN11F3A2BAFA");
    QVERIFY2(v.isEmpty(), "the session gave a verdict after its badge was disabled");
    QCOMPARE(session.finish(), 1);
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM receipts"), receipts);
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM receipts WHERE coalesce(operator_id, '') = ''"),
             qint64(0));
}

// Bootstrap is for a database that never had a supervisor: disabling the last one (themselves, here) must not
// let anyone who can run the CLI make themselves supervisor without a PIN. Either way of closing it passes:
// refusing to disable the last enabled supervisor, or refusing the PIN-less add.
void TestCliTrust::disablingTheLastSupervisorKeepsBootstrapClosed()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const Result last =
        cli({QStringLiteral("operator"), QStringLiteral("disable"), Supervisor, QStringLiteral("--operator"),
             Supervisor, QStringLiteral("--pin-file"), path(QStringLiteral("supervisor-pin"))});
    QVERIFY2(last.refused() && last.errText().contains(QLatin1String("last supervisor")),
             qPrintable(last.describe()));
    // Even with every supervisor disabled behind the CLI's back, the database once had one: no bootstrap.
    QVERIFY(sqlExec(
        m_db, "UPDATE operators SET disabled_at = '2026-01-01T00:00:00.000Z' WHERE role = 'supervisor'"));
    QVERIFY(writeFile(QStringLiteral("mallory-pin"), "1111\n"));
    const Result selfMade =
        cli({QStringLiteral("operator"), QStringLiteral("add"), QStringLiteral("--badge"),
             QStringLiteral("EVIL-0001"), QStringLiteral("--name"), QStringLiteral("Mallory"),
             QStringLiteral("--role"), QStringLiteral("supervisor"), QStringLiteral("--pin-file"),
             path(QStringLiteral("mallory-pin"))});
    QVERIFY2(selfMade.refused(), qPrintable(selfMade.describe()));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM operators WHERE badge = 'EVIL-0001'"), qint64(0));
}

void TestCliTrust::setPinReplacesTheOldPin()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const auto setPin = [&](const QString &badge, const QString &newPinFile,
                            const QString &supervisorPinFile) {
        return cli({QStringLiteral("operator"), QStringLiteral("set-pin"), badge,
                    QStringLiteral("--pin-file"), path(newPinFile), QStringLiteral("--operator"), Supervisor,
                    QStringLiteral("--operator-pin-file"), path(supervisorPinFile)});
    };

    // A dock worker's PIN, proven through a supervisor command: the right PIN gets "only a supervisor", a
    // wrong one "not right" and an audit row.
    const qint64 beforeSet = lastAuditId(m_db);
    const Result set = setPin(Dock, QStringLiteral("new-pin"), QStringLiteral("supervisor-pin"));
    QVERIFY2(set.finished && set.exitCode == 0, qPrintable(set.describe()));
    QCOMPARE(set.outText().trimmed(), QStringLiteral("New PIN set for BADGE-1001."));
    const QList<AuditRow> setRows = auditRows(m_db, beforeSet);
    QCOMPARE(actions(setRows),
             (QStringList{QStringLiteral("supervisor_confirmed"), QStringLiteral("operator_pin_set")}));
    QCOMPARE(setRows.last().subject, Dock);
    QCOMPARE(setRows.last().actor, Supervisor);
    for (const AuditRow &r : setRows) {
        for (const QString &field : {r.at, r.station, r.actor, r.subject, r.details})
            QVERIFY2(!field.contains(QLatin1String("5678")), qPrintable(r.everything()));
    }
    const qint64 beforeOld = lastAuditId(m_db);
    const Result oldPin = setVolume(QStringLiteral("70"), Dock, QStringLiteral("dock-pin"));
    QVERIFY2(oldPin.refused(), qPrintable(oldPin.describe()));
    QVERIFY2(oldPin.errText().contains(QLatin1String("That PIN is not right.")),
             qPrintable(oldPin.describe()));
    QCOMPARE(actions(auditRows(m_db, beforeOld)), QStringList{QStringLiteral("sign_in_failed")});
    const qint64 beforeNew = lastAuditId(m_db);
    const Result newPin = setVolume(QStringLiteral("70"), Dock, QStringLiteral("new-pin"));
    QCOMPARE(newPin.errText(), QStringLiteral("receiving-cli: Only a supervisor can do this."));
    QCOMPARE(auditRows(m_db, beforeNew).size(), 0);

    // The supervisor's own PIN: the old one stops working, the new one works.
    QVERIFY(writeFile(QStringLiteral("supervisor-new-pin"), "4444\n"));
    const Result own =
        setPin(Supervisor, QStringLiteral("supervisor-new-pin"), QStringLiteral("supervisor-pin"));
    QVERIFY2(own.finished && own.exitCode == 0, qPrintable(own.describe()));
    const Result old = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("supervisor-pin"));
    QVERIFY2(old.refused(), qPrintable(old.describe()));
    QVERIFY(volume().isEmpty());
    const Result renewed = setVolume(QStringLiteral("70"), Supervisor, QStringLiteral("supervisor-new-pin"));
    QVERIFY2(renewed.finished && renewed.exitCode == 0, qPrintable(renewed.describe()));
    QCOMPARE(volume(), QStringLiteral("70"));

    // PINs stay unique and 4 to 8 digits; the dock worker cannot set anyone's PIN.
    QVERIFY(writeFile(QStringLiteral("short-pin"), "12\n"));
    const Snapshot operators = snapshot(m_db, {QStringLiteral("operators")});
    const Result taken = setPin(OtherDock, QStringLiteral("new-pin"), QStringLiteral("supervisor-new-pin"));
    QVERIFY2(taken.refused(), qPrintable(taken.describe()));
    QVERIFY2(taken.errText().contains(QLatin1String("already uses that PIN")), qPrintable(taken.describe()));
    const Result tooShort =
        setPin(OtherDock, QStringLiteral("short-pin"), QStringLiteral("supervisor-new-pin"));
    QVERIFY2(tooShort.refused(), qPrintable(tooShort.describe()));
    QVERIFY2(tooShort.errText().contains(QLatin1String("4 to 8 digits")), qPrintable(tooShort.describe()));
    const Result byDock =
        cli({QStringLiteral("operator"), QStringLiteral("set-pin"), Dock, QStringLiteral("--pin-file"),
             path(QStringLiteral("short-pin")), QStringLiteral("--operator"), Dock,
             QStringLiteral("--operator-pin-file"), path(QStringLiteral("new-pin"))});
    QCOMPARE(byDock.errText(), QStringLiteral("receiving-cli: Only a supervisor can do this."));
    const QString changed = difference(operators, snapshot(m_db, {QStringLiteral("operators")}));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
}

void TestCliTrust::badgeScanShowsTheBadgeMasked()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    for (const auto &[badge, name] :
         {std::pair{"12345678", "Al Digits"}, std::pair{"SAMPATEL", "Sam Letters"}}) {
        const Result add =
            cli({QStringLiteral("operator"), QStringLiteral("add"), QStringLiteral("--badge"),
                 QLatin1String(badge), QStringLiteral("--name"), QLatin1String(name),
                 QStringLiteral("--role"), QStringLiteral("dock"), QStringLiteral("--operator"), Supervisor,
                 QStringLiteral("--operator-pin-file"), path(QStringLiteral("supervisor-pin"))});
        QVERIFY2(add.finished && add.exitCode == 0, qPrintable(add.describe()));
    }
    const QList<std::tuple<QByteArray, QString, QString>> badges{
        {"BADGE-2001", masked(QStringLiteral("BADGE-"), 2, QStringLiteral("01")),
         QStringLiteral("Sam Patel")},
        {"BADGE-1002", masked(QStringLiteral("BADGE-"), 2, QStringLiteral("02")),
         QStringLiteral("Lee Nguyen")},
        {"12345678", masked(QString(), 6, QStringLiteral("78")), QStringLiteral("Al Digits")},
        {"SAMPATEL", masked(QStringLiteral("SAMP"), 2, QStringLiteral("EL")), QStringLiteral("Sam Letters")},
    };
    QByteArray input;
    for (const auto &b : badges)
        input += std::get<0>(b) + '\n';
    const QStringList scan{QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                           QStringLiteral("--operator"), Dock};
    const Result r = cli(scan, input);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QList<QJsonObject> v = r.verdicts();
    QCOMPARE(v.size(), badges.size());
    for (qsizetype i = 0; i < v.size(); ++i) {
        const auto &[badge, shown, name] = badges[i];
        QCOMPARE(v[i][QLatin1String("outcome")].toString(), QStringLiteral("signed_in"));
        QCOMPARE(v[i][QLatin1String("kind")].toString(), QStringLiteral("badge"));
        QCOMPARE(v[i][QLatin1String("input")].toString(), shown);
        QCOMPARE(v[i][QLatin1String("message")].toString(), QStringLiteral("Signed in: %1.").arg(name));
        QVERIFY2(!r.out.contains(badge), qPrintable(r.describe()));
    }
    // The readable form as well.
    const Result pretty = cli(scan + QStringList{QStringLiteral("--pretty")}, "BADGE-2001\n");
    QVERIFY2(pretty.finished && pretty.exitCode == 0, qPrintable(pretty.describe()));
    QVERIFY2(pretty.outText().contains(masked(QStringLiteral("BADGE-"), 2, QStringLiteral("01"))),
             qPrintable(pretty.describe()));
    QVERIFY2(!pretty.out.contains("BADGE-2001"), qPrintable(pretty.describe()));
}

void TestCliTrust::demoDataRefusesForeignCases()
{
    QVERIFY(writeFile(QStringLiteral("cases.json"),
                      R"({"cases":[{"case_number":"2026-0101-0001","phase":1,"disposition":"trade_in",)"
                      R"("status":"open","customer":{"name":"Real Customer"},"order_date":"2026-10-01",)"
                      R"("items":[{"line":1,"sku":"EX4300-48T","serial":"REALSERIAL01"}],)"
                      R"("updated_at":"2026-11-20T14:00:00Z"}]})"));
    const Result imported = cli({QStringLiteral("import-cases"), path(QStringLiteral("cases.json"))});
    QVERIFY2(imported.finished && imported.exitCode == 0, qPrintable(imported.describe()));
    const Snapshot before = snapshot(m_db, StateTables + AuditTables);

    // Demo badges with known PINs do not belong in a database with real cases.
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.refused(), qPrintable(demo.describe()));
    QVERIFY2(demo.errText().contains(QLatin1String("2026-0101-0001")), qPrintable(demo.describe()));
    QVERIFY2(demo.errText().contains(QLatin1String("did not make")), qPrintable(demo.describe()));
    QString changed = difference(before, snapshot(m_db, StateTables + AuditTables));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
    QCOMPARE(sqlInteger(m_db, "SELECT count(*) FROM operators"), qint64(0));
    const Result bulk = cli({QStringLiteral("demo-data"), QStringLiteral("--serials"), QStringLiteral("10")});
    QVERIFY2(bulk.refused(), qPrintable(bulk.describe()));
    changed = difference(before, snapshot(m_db, StateTables + AuditTables));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));

    // A demo database stays one: demo-data again is fine, but not once a real case came in.
    const QString demoDb = TestStore::location(path(QStringLiteral("demo/receiving.db")));
    const Result fresh = run(Cli, {QStringLiteral("--db"), demoDb, QStringLiteral("demo-data")});
    QVERIFY2(fresh.finished && fresh.exitCode == 0, qPrintable(fresh.describe()));
    const Result again = run(Cli, {QStringLiteral("--db"), demoDb, QStringLiteral("demo-data")});
    QVERIFY2(again.finished && again.exitCode == 0, qPrintable(again.describe()));
    const Result real = run(Cli, {QStringLiteral("--db"), demoDb, QStringLiteral("import-cases"),
                                  path(QStringLiteral("cases.json"))});
    QVERIFY2(real.finished && real.exitCode == 0, qPrintable(real.describe()));
    const Result mixed = run(Cli, {QStringLiteral("--db"), demoDb, QStringLiteral("demo-data")});
    QVERIFY2(mixed.refused(), qPrintable(mixed.describe()));
    QVERIFY2(mixed.errText().contains(QLatin1String("2026-0101-0001")), qPrintable(mixed.describe()));
}

void TestCliTrust::auditRowsNameTheUidsUserNotUSER()
{
    const QString me = uidUser();
    QVERIFY(me != QLatin1String("mallory"));
    QProcessEnvironment mallory = m_env;
    mallory.insert(QStringLiteral("USER"), QStringLiteral("mallory"));
    mallory.insert(QStringLiteral("LOGNAME"), QStringLiteral("mallory"));
    mallory.insert(QStringLiteral("USERNAME"), QStringLiteral("mallory"));

    QVERIFY(writeFile(QStringLiteral("first-pin"), "4821\n"));
    const Result first =
        cli({QStringLiteral("operator"), QStringLiteral("add"), QStringLiteral("--badge"),
             QStringLiteral("BADGE-8001"), QStringLiteral("--name"), QStringLiteral("Rita Moss"),
             QStringLiteral("--role"), QStringLiteral("supervisor"), QStringLiteral("--pin-file"),
             path(QStringLiteral("first-pin"))},
            {}, mallory);
    QVERIFY2(first.finished && first.exitCode == 0, qPrintable(first.describe()));
    const Result demo = cli({QStringLiteral("demo-data")}, {}, mallory);
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const Result scan = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), Dock},
                            "2026-1103-0001\nJN11F3A2BAFA\n:done\nBADGE-1002\n", mallory);
    QVERIFY2(scan.finished && scan.exitCode == 0, qPrintable(scan.describe()));
    const QStringList settings{QStringLiteral("--station"),  QStringLiteral("CLI-7"),
                               QStringLiteral("settings"),   QStringLiteral("set"),
                               QStringLiteral("volume"),     QStringLiteral("70"),
                               QStringLiteral("--operator"), Supervisor,
                               QStringLiteral("--pin-file")};
    const Result set = cli(settings + QStringList{path(QStringLiteral("supervisor-pin"))}, {}, mallory);
    QVERIFY2(set.finished && set.exitCode == 0, qPrintable(set.describe()));
    const Result wrong = cli(settings + QStringList{path(QStringLiteral("wrong-pin"))}, {}, mallory);
    QVERIFY2(wrong.refused(), qPrintable(wrong.describe()));

    const QList<AuditRow> rows = auditRows(m_db);
    const QStringList seen = actions(rows);
    for (const char *action :
         {"operator_added", "signed_in", "supervisor_confirmed", "setting_changed", "sign_in_failed"})
        QVERIFY2(seen.contains(QLatin1String(action)), qPrintable(seen.join(QLatin1Char(' '))));
    for (const AuditRow &r : rows) {
        QVERIFY2(r.unixUser == me, qPrintable(QStringLiteral("expected %1: ").arg(me) + r.everything()));
        QVERIFY2(!r.everything().contains(QLatin1String("mallory")), qPrintable(r.everything()));
    }
    // The first supervisor, added with nobody's badge, is credited to the Unix account.
    QCOMPARE(rows.first().action, QStringLiteral("operator_added"));
    QCOMPARE(rows.first().actor, QStringLiteral("cli:") + me);
    const Result verify = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(verify.finished && verify.exitCode == 0, qPrintable(verify.describe()));
}

void TestCliTrust::terminalPromptHidesThePin()
{
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.finished && demo.exitCode == 0, qPrintable(demo.describe()));
    const QString prompt = QStringLiteral("PIN of ") +
                           masked(QStringLiteral("BADGE-"), 2, QStringLiteral("01")) + QStringLiteral(": ");
    const auto setVolumeTo = [](const QString &value) {
        return QStringList{QStringLiteral("--station"),  QStringLiteral("CLI-7"),
                           QStringLiteral("settings"),   QStringLiteral("set"),
                           QStringLiteral("volume"),     value,
                           QStringLiteral("--operator"), Supervisor};
    };

    // The right PIN typed at the prompt: accepted, and never shown.
    qint64 lastAudit = lastAuditId(m_db);
    const Result typed = onTerminal(prompt, QStringLiteral("9876"), setVolumeTo(QStringLiteral("55")));
    QVERIFY2(typed.finished && typed.exitCode == 0, qPrintable(typed.describe()));
    QVERIFY2(typed.outText().startsWith(prompt), qPrintable(typed.describe()));
    QVERIFY2(typed.outText().contains(QLatin1String("Setting volume is now 55.")),
             qPrintable(typed.describe()));
    QVERIFY2(!typed.out.contains("9876"), qPrintable(typed.describe()));
    QCOMPARE(volume(), QStringLiteral("55"));
    const QList<AuditRow> confirmed = auditRows(m_db, lastAudit);
    QVERIFY2(!confirmed.isEmpty() && confirmed.first().action == QLatin1String("supervisor_confirmed"),
             qPrintable(actions(confirmed).join(QLatin1Char(' '))));
    QCOMPARE(QJsonDocument::fromJson(confirmed.first().details.toUtf8())
                 .object()[QLatin1String("method")]
                 .toString(),
             QStringLiteral("cli"));

    // A wrong PIN typed there counts like one from a file, and is not shown either.
    lastAudit = lastAuditId(m_db);
    const Result mistyped =
        onTerminal(prompt, QString::fromLatin1(WrongPin), setVolumeTo(QStringLiteral("65")));
    QVERIFY2(mistyped.finished && mistyped.exitCode == 1, qPrintable(mistyped.describe()));
    QVERIFY2(mistyped.outText().contains(QLatin1String("That PIN is not right.")),
             qPrintable(mistyped.describe()));
    QVERIFY2(!mistyped.out.contains(WrongPin), qPrintable(mistyped.describe()));
    QCOMPARE(actions(auditRows(m_db, lastAudit)), QStringList{QStringLiteral("sign_in_failed")});
    QCOMPARE(volume(), QStringLiteral("55"));

    // operator set-pin: --pin-file is the new PIN, so the supervisor's own is asked for on the terminal.
    const Result setPin = onTerminal(prompt, QStringLiteral("9876"),
                                     {QStringLiteral("operator"), QStringLiteral("set-pin"), OtherDock,
                                      QStringLiteral("--pin-file"), path(QStringLiteral("new-pin")),
                                      QStringLiteral("--operator"), Supervisor});
    QVERIFY2(setPin.finished && setPin.exitCode == 0, qPrintable(setPin.describe()));
    QVERIFY2(setPin.outText().contains(QLatin1String("New PIN set for BADGE-1002.")),
             qPrintable(setPin.describe()));
    QVERIFY2(!setPin.out.contains("9876"), qPrintable(setPin.describe()));
}

QTEST_GUILESS_MAIN(TestCliTrust)
#include "tst_clitrust.moc"
