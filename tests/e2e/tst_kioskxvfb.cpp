// SPDX-License-Identifier: GPL-3.0-or-later
#include "IsolatedEnvironment.h"
#include "PrivatePostgres.h"
#include "XvfbServer.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <optional>

// The real kiosk end to end: receiving-station under a private Xvfb on a demo database, signed in and fed
// box labels and serials by `xdotool type --delay 8` (the way a keyboard-wedge scanner types) while a text
// field has focus; receiving-cli scans the same database at the same time and then checks what both
// recorded. The station runs with --automation, which reports its state as JSON on stdout (focused item,
// every text field's text, last verdict) and takes a few commands on stdin; sign-in and scans still come
// through the X keyboard only.

namespace {

const QString Cli = QStringLiteral(RS_CLI_PATH);
const QString StationPath = QStringLiteral(RS_STATION_PATH);
const QString KioskId = QStringLiteral("E2E-KIOSK");
const QString CliStationId = QStringLiteral("E2E-CLI");
constexpr int ProcessTimeoutMs = 60'000;
constexpr int VerdictTimeoutMs = 20'000;
constexpr int ReadyTimeoutMs = 60'000;

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
    bool ok() const { return finished && exitCode == 0; }
};

Result runProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env,
                  const QByteArray &input = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Result r;
    if (!p.waitForStarted(ProcessTimeoutMs)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    r.finished = p.waitForFinished(ProcessTimeoutMs) && p.exitStatus() == QProcess::NormalExit;
    if (!r.finished) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool isReadyEvent(const QJsonObject &o)
{
    return o[QLatin1String("event")].toString() == QLatin1String("ready");
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A process that answers one JSON line per line of input: the kiosk with --automation, or `receiving-cli
// scan`. Lines are read as they come; waitFor() returns the first one the predicate accepts.
class JsonLineProcess
{
public:
    JsonLineProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env)
        : m_display(env.value(QStringLiteral("DISPLAY")))
    {
        m_process.setProcessEnvironment(env);
        m_process.start(program, args);
        if (!m_process.waitForStarted(ProcessTimeoutMs))
            m_error = QStringLiteral("%1 did not start: %2").arg(program, m_process.errorString());
    }
    ~JsonLineProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10'000);
        }
    }

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    qint64 pid() const { return m_process.processId(); }
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    QString display() const { return m_display; } // the X display it was started on

    void send(const QByteArray &line)
    {
        m_process.write(line + '\n');
        m_process.waitForBytesWritten(5'000);
    }

    template <typename Predicate>
    std::optional<QJsonObject> waitFor(Predicate accept, int timeoutMs, const QString &what)
    {
        const QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            while (m_lines.isEmpty() && readLine()) {
            }
            while (!m_lines.isEmpty()) {
                const QJsonObject o = m_lines.takeFirst();
                if (accept(o))
                    return o;
            }
            if (deadline.hasExpired() || m_process.state() != QProcess::Running) {
                m_error = QStringLiteral("no %1 within %2 ms (running: %3)\n--- stderr:\n%4")
                              .arg(what)
                              .arg(timeoutMs)
                              .arg(m_process.state() == QProcess::Running ? QStringLiteral("yes")
                                                                          : QStringLiteral("no"))
                              .arg(stderrText());
                return std::nullopt;
            }
            m_process.waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 500)));
        }
    }

    // For the kiosk: a command, and its answer (the line whose "event" is `event`).
    std::optional<QJsonObject> command(const QByteArray &command, const QString &event)
    {
        send(command);
        return waitFor(
            [&event](const QJsonObject &o) { return o[QLatin1String("event")].toString() == event; },
            VerdictTimeoutMs, QStringLiteral("answer to %1").arg(QString::fromUtf8(command)));
    }

    // For `receiving-cli scan`: one line in, its verdict out.
    std::optional<QJsonObject> scan(const QByteArray &line)
    {
        send(line);
        return waitFor([](const QJsonObject &o) { return o.contains(QLatin1String("outcome")); },
                       VerdictTimeoutMs, QStringLiteral("verdict for %1").arg(QString::fromUtf8(line)));
    }

    // Closes stdin and waits for the exit code.
    std::optional<int> finish(int timeoutMs = ProcessTimeoutMs)
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(timeoutMs) || m_process.exitStatus() != QProcess::NormalExit)
            return std::nullopt;
        return m_process.exitCode();
    }
    std::optional<int> waitForExit(int timeoutMs)
    {
        if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs))
            return std::nullopt;
        if (m_process.exitStatus() != QProcess::NormalExit)
            return std::nullopt;
        return m_process.exitCode();
    }

    QString stderrText()
    {
        m_stderr += m_process.readAllStandardError();
        return QString::fromUtf8(m_stderr.right(6000));
    }

private:
    bool readLine()
    {
        if (!m_process.canReadLine())
            return false;
        const QByteArray line = m_process.readLine().trimmed();
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            m_lines.append(doc.object());
        return true;
    }

    QProcess m_process;
    QString m_display;
    QList<QJsonObject> m_lines;
    QByteArray m_stderr;
    QString m_error;
};

} // namespace

class TestKioskXvfb : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void wedgeScansNeverLandInTheFocusedField();
    void kioskRefusesEveryWayOutButASupervisorsQuit();
    void windowedStationClosesLikeAnyWindow();
    void twoKiosksOnePostgres();
    void supervisorImportsATradeInForm();

private:
    Result cli(const QStringList &args, const QByteArray &input = {});
    QStringList dbArgs() const { return {QStringLiteral("--db"), m_dir->filePath(QStringLiteral("r.db"))}; }
    std::unique_ptr<JsonLineProcess> startStation(const QStringList &extra);
    // A kiosk on any database (a file or a postgresql:// URL) as station `stationId`, in `env`.
    std::unique_ptr<JsonLineProcess> startStationOn(const QString &db, const QString &stationId,
                                                    const QProcessEnvironment &env, const QStringList &extra);
    // xdotool on `display` (":N"; empty: the shared Xvfb's).
    Result xdotool(const QStringList &args, const QString &display = {});
    bool findWindow(JsonLineProcess &station, QString *windowId, QString *why);
    bool focusWindow(const QString &windowId, QString *why, const QString &display = {});
    // Types `text` + Return as a wedge scanner does and waits for the kiosk's next verdict.
    std::optional<QJsonObject> scanAtKiosk(JsonLineProcess &station, const QString &windowId,
                                           const QString &text, QString *why);
    // A finger on the item named `objectName`: a real pointer click where automation's locate says it is.
    bool tap(JsonLineProcess &station, const QString &windowId, const QString &objectName, QString *why);
    // Taps the digits, then OK, on the visible keypad; waits until the PIN was answered.
    std::optional<QJsonObject> typePinOnKeypad(JsonLineProcess &station, const QString &windowId,
                                               const QString &pin, QString *why);

    std::unique_ptr<XvfbServer> m_xvfb;
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env;
};

void TestKioskXvfb::initTestCase()
{
    for (const char *tool : {"xdotool", "Xvfb"}) {
        QVERIFY2(!QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty(),
                 qPrintable(QStringLiteral("%1 is missing (deploy/dev installs xvfb and xdotool)")
                                .arg(QLatin1String(tool))));
    }
    QVERIFY2(QFileInfo(StationPath).isExecutable(), qPrintable(StationPath));
    m_xvfb = std::make_unique<XvfbServer>();
    QVERIFY2(m_xvfb->isRunning(), qPrintable(m_xvfb->error()));
}

void TestKioskXvfb::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_env = isolatedEnvironment(m_dir->path());
    QVERIFY(!m_env.isEmpty());
    m_env.insert(QStringLiteral("DISPLAY"), m_xvfb->display());
    m_env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    m_env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    const Result init = cli({QStringLiteral("init")});
    QVERIFY2(init.ok(), qPrintable(init.describe()));
    const Result demo = cli({QStringLiteral("demo-data")});
    QVERIFY2(demo.ok(), qPrintable(demo.describe()));
}

void TestKioskXvfb::cleanup()
{
    // RS_KEEP_TEST_DIR set keeps every test's folder (twoKiosksOnePostgres's screenshot, for one).
    if (QTest::currentTestFailed() || qEnvironmentVariableIsSet("RS_KEEP_TEST_DIR")) {
        m_dir->setAutoRemove(false);
        qWarning() << "test folder kept:" << m_dir->path();
    }
    m_dir.reset();
}

Result TestKioskXvfb::cli(const QStringList &args, const QByteArray &input)
{
    return runProcess(Cli, dbArgs() + args, m_env, input);
}

Result TestKioskXvfb::xdotool(const QStringList &args, const QString &display)
{
    QProcessEnvironment env = m_env;
    if (!display.isEmpty())
        env.insert(QStringLiteral("DISPLAY"), display);
    return runProcess(QStringLiteral("xdotool"), args, env);
}

std::unique_ptr<JsonLineProcess> TestKioskXvfb::startStation(const QStringList &extra)
{
    return startStationOn(m_dir->filePath(QStringLiteral("r.db")), KioskId, m_env, extra);
}

std::unique_ptr<JsonLineProcess> TestKioskXvfb::startStationOn(const QString &db, const QString &stationId,
                                                               const QProcessEnvironment &env,
                                                               const QStringList &extra)
{
    return std::make_unique<JsonLineProcess>(
        StationPath,
        QStringList{QStringLiteral("--db"), db, QStringLiteral("--station"), stationId,
                    QStringLiteral("--silent"), QStringLiteral("--automation")} +
            extra,
        env);
}

bool TestKioskXvfb::findWindow(JsonLineProcess &station, QString *windowId, QString *why)
{
    const QDeadlineTimer deadline(ReadyTimeoutMs);
    Result r;
    while (!deadline.hasExpired()) {
        r = xdotool({QStringLiteral("search"), QStringLiteral("--onlyvisible"), QStringLiteral("--pid"),
                     QString::number(station.pid())},
                    station.display());
        const QStringList ids = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (r.ok() && ids.size() == 1) {
            *windowId = ids.front().trimmed();
            return true;
        }
        QTest::qWait(100);
    }
    *why = QStringLiteral("no single visible window of the station: %1\n%2")
               .arg(r.describe(), station.stderrText());
    return false;
}

bool TestKioskXvfb::focusWindow(const QString &windowId, QString *why, const QString &display)
{
    const Result r = xdotool({QStringLiteral("windowfocus"), QStringLiteral("--sync"), windowId}, display);
    if (!r.ok())
        *why = QStringLiteral("xdotool windowfocus: %1").arg(r.describe());
    return r.ok();
}

bool TestKioskXvfb::tap(JsonLineProcess &station, const QString &windowId, const QString &objectName,
                        QString *why)
{
    // Found, and at the same place twice: an item that just became visible is laid out at the next frame.
    const QDeadlineTimer deadline(VerdictTimeoutMs);
    std::optional<QJsonObject> at, previous;
    while (!deadline.hasExpired()) {
        at = station.command(QByteArray("locate ") + objectName.toUtf8(), QStringLiteral("locate"));
        if (!at) {
            *why = station.error();
            return false;
        }
        if ((*at)[QLatin1String("found")].toBool() && previous && *previous == *at)
            break;
        previous = at;
        QTest::qWait(100); // the page may still be loading or laid out
    }
    if (!at || !(*at)[QLatin1String("found")].toBool()) {
        const std::optional<QJsonObject> state = station.command("state", QStringLiteral("state"));
        *why = QStringLiteral("no visible item %1 to tap; the kiosk: %2")
                   .arg(objectName, state ? compact(*state) : station.error());
        return false;
    }
    // Move first and let the window see the pointer arrive, then press and release, as a finger does.
    const Result moved =
        xdotool({QStringLiteral("mousemove"), QStringLiteral("--window"), windowId, QStringLiteral("--sync"),
                 QString::number((*at)[QLatin1String("x")].toInt()),
                 QString::number((*at)[QLatin1String("y")].toInt())},
                station.display());
    QTest::qWait(30);
    const Result r =
        moved.ok() ? xdotool({QStringLiteral("click"), QStringLiteral("1")}, station.display()) : moved;
    if (!r.ok())
        *why = QStringLiteral("xdotool mousemove/click: %1").arg(r.describe());
    QTest::qWait(30);
    return r.ok();
}

std::optional<QJsonObject> TestKioskXvfb::typePinOnKeypad(JsonLineProcess &station, const QString &windowId,
                                                          const QString &pin, QString *why)
{
    for (const QChar digit : pin) {
        if (!tap(station, windowId, QStringLiteral("key_") + digit, why))
            return std::nullopt;
    }
    if (!tap(station, windowId, QStringLiteral("key_ok"), why))
        return std::nullopt;
    // Answered: the keypad takes taps again, and the session or the PIN message says how it went.
    const QDeadlineTimer deadline(VerdictTimeoutMs);
    while (!deadline.hasExpired()) {
        QTest::qWait(50);
        const std::optional<QJsonObject> s = station.command("state", QStringLiteral("state"));
        if (!s) {
            *why = station.error();
            return std::nullopt;
        }
        if ((*s)[QLatin1String("supervisor")].toBool() ||
            !(*s)[QLatin1String("pin_message")].toString().isEmpty())
            return s;
    }
    *why = QStringLiteral("the PIN was never answered");
    return std::nullopt;
}

std::optional<QJsonObject> TestKioskXvfb::scanAtKiosk(JsonLineProcess &station, const QString &windowId,
                                                      const QString &text, QString *why)
{
    const std::optional<QJsonObject> before = station.command("state", QStringLiteral("state"));
    if (!before) {
        *why = station.error();
        return std::nullopt;
    }
    const int count = (*before)[QLatin1String("verdicts")].toInt();
    if (!focusWindow(windowId, why, station.display()))
        return std::nullopt;
    // One xdotool call for the whole read, Return included ("\n" would type nothing under Xvfb): the
    // terminator follows the last character as closely as a scanner's does.
    const Result typed = xdotool(
        {QStringLiteral("type"), QStringLiteral("--delay"), QStringLiteral("8"), text + QLatin1Char('\r')},
        station.display());
    if (!typed.ok()) {
        *why = QStringLiteral("xdotool type: %1").arg(typed.describe());
        return std::nullopt;
    }
    const QDeadlineTimer deadline(VerdictTimeoutMs);
    while (!deadline.hasExpired()) {
        const std::optional<QJsonObject> s = station.command("state", QStringLiteral("state"));
        if (!s) {
            *why = station.error();
            return std::nullopt;
        }
        if ((*s)[QLatin1String("verdicts")].toInt() > count)
            return s;
        QTest::qWait(20);
    }
    *why = QStringLiteral("no verdict for %1 at the kiosk\n%2").arg(text, station.stderrText());
    return std::nullopt;
}

void TestKioskXvfb::wedgeScansNeverLandInTheFocusedField()
{
    // The dock's second station, receiving-cli, works on the same database the whole time.
    JsonLineProcess other(Cli,
                          dbArgs() + QStringList{QStringLiteral("scan"), QStringLiteral("--station"),
                                                 CliStationId, QStringLiteral("--operator"),
                                                 QStringLiteral("BADGE-1002")},
                          m_env);
    QVERIFY2(other.ok(), qPrintable(other.error()));
    std::optional<QJsonObject> v = other.scan("2026-1103-0001");
    QVERIFY2(v, qPrintable(other.error()));
    QCOMPARE((*v)[QLatin1String("outcome")].toString(), QStringLiteral("box_opened"));

    std::unique_ptr<JsonLineProcess> station = startStation({QStringLiteral("--windowed")});
    QVERIFY2(station->ok(), qPrintable(station->error()));
    QVERIFY2(station->waitFor(isReadyEvent, ReadyTimeoutMs, QStringLiteral("ready event")),
             qPrintable(station->error()));
    QString windowId, why;
    QVERIFY2(findWindow(*station, &windowId, &why), qPrintable(why));

    // Sign in with the badge, typed like a scanner.
    std::optional<QJsonObject> s = scanAtKiosk(*station, windowId, QStringLiteral("BADGE-1001"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE((*s)[QLatin1String("verdict")][QLatin1String("outcome")].toString(),
             QStringLiteral("signed_in"));
    QVERIFY2((*s)[QLatin1String("signed_in")].toBool(), qPrintable(compact(*s)));

    // A text field takes the focus, and a person typing at human speed does reach it: the field really is
    // where keys go.
    s = station->command("focus-field", QStringLiteral("state"));
    QVERIFY2(s, qPrintable(station->error()));
    QCOMPARE((*s)[QLatin1String("focus")][QLatin1String("object_name")].toString(),
             QStringLiteral("automationField"));
    QVERIFY2(focusWindow(windowId, &why), qPrintable(why));
    const Result typed = xdotool(
        {QStringLiteral("type"), QStringLiteral("--delay"), QStringLiteral("200"), QStringLiteral("abc")});
    QVERIFY2(typed.ok(), qPrintable(typed.describe()));
    QString fieldText;
    for (const QDeadlineTimer deadline(VerdictTimeoutMs); !deadline.hasExpired(); QTest::qWait(50)) {
        s = station->command("state", QStringLiteral("state"));
        QVERIFY2(s, qPrintable(station->error()));
        fieldText = (*s)[QLatin1String("focus")][QLatin1String("text")].toString();
        if (fieldText == QLatin1String("abc"))
            break;
    }
    QCOMPARE(fieldText, QStringLiteral("abc"));

    // Box labels and serials at scanner speed while the field has focus, interleaved with the other station.
    struct Step
    {
        bool atKiosk;
        QString text;
        QString outcome;
    };
    const QList<Step> steps{
        {true, QStringLiteral("2026-1020-0002"), QStringLiteral("box_opened")},
        {false, QStringLiteral("JN11F3A2BAFA"), QStringLiteral("matched")},
        {true, QStringLiteral("PE3716460123"), QStringLiteral("matched")},
        {true, QStringLiteral("ZZE2E00042"), QStringLiteral("unexpected")},
        {false, QStringLiteral("PE3716460123"), QStringLiteral("already_received")}, // the kiosk's receipt
        {true, QStringLiteral("740-013110"), QStringLiteral("wrong_barcode")},
        {true, QStringLiteral("PE3716460123"), QStringLiteral("duplicate")},
        {true, QStringLiteral("JN11F3A2BAFA"), QStringLiteral("already_received")}, // the other's receipt
        {true, QStringLiteral("PE3716460124"), QStringLiteral("matched")},
        {false, QStringLiteral("CAHZ4512"), QStringLiteral("matched")},
        {true, QStringLiteral(":done"), QStringLiteral("box_closed")},
    };
    QStringList scanned{QStringLiteral("BADGE-1001")};
    for (const Step &step : steps) {
        if (step.atKiosk) {
            s = scanAtKiosk(*station, windowId, step.text, &why);
            QVERIFY2(s, qPrintable(why));
            const QJsonObject verdict = (*s)[QLatin1String("verdict")].toObject();
            QVERIFY2(verdict[QLatin1String("outcome")].toString() == step.outcome,
                     qPrintable(QStringLiteral("%1 at the kiosk: %2").arg(step.text, compact(*s))));
            QCOMPARE(verdict[QLatin1String("input")].toString(), step.text);
            QCOMPARE((*s)[QLatin1String("focus")][QLatin1String("object_name")].toString(),
                     QStringLiteral("automationField"));
            QCOMPARE((*s)[QLatin1String("focus")][QLatin1String("text")].toString(), QStringLiteral("abc"));
            scanned << step.text;
        } else {
            v = other.scan(step.text.toUtf8());
            QVERIFY2(v, qPrintable(other.error()));
            QVERIFY2((*v)[QLatin1String("outcome")].toString() == step.outcome,
                     qPrintable(QStringLiteral("%1 at receiving-cli: %2").arg(step.text, compact(*v))));
        }
    }
    QCOMPARE(other.finish(), std::optional<int>(0));

    // No scan text in any text field of the window (a field that takes scans on purpose, the supervisor's
    // search, excepted).
    s = station->command("state", QStringLiteral("state"));
    QVERIFY2(s, qPrintable(station->error()));
    const QJsonArray fields = (*s)[QLatin1String("text_fields")].toArray();
    QVERIFY2(!fields.isEmpty(), qPrintable(compact(*s)));
    for (const QJsonValue &f : fields) {
        const QJsonObject field = f.toObject();
        if (field[QLatin1String("accepts_scans")].toBool())
            continue;
        const QString text = field[QLatin1String("text")].toString();
        for (const QString &scan : scanned) {
            QVERIFY2(!text.contains(scan, Qt::CaseInsensitive),
                     qPrintable(QStringLiteral("scan text in a field: %1").arg(compact(field))));
        }
        if (field[QLatin1String("object_name")].toString() == QLatin1String("automationField"))
            QCOMPARE(text, QStringLiteral("abc"));
    }

    // What both stations recorded, read back through receiving-cli while the kiosk still runs.
    Result c = cli({QStringLiteral("case"), QStringLiteral("2026-1020-0002"), QStringLiteral("--json")});
    QVERIFY2(c.ok(), qPrintable(c.describe()));
    QJsonObject o = QJsonDocument::fromJson(c.out).object();
    QCOMPARE(o[QLatin1String("received_units")].toInteger(), 2);
    QJsonArray items = o[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 3);
    QCOMPARE(items[0][QLatin1String("received_serials")].toArray(),
             QJsonArray{QStringLiteral("PE3716460123")});
    QCOMPARE(items[1][QLatin1String("received_serials")].toArray(),
             QJsonArray{QStringLiteral("PE3716460124")});
    QCOMPARE(items[2][QLatin1String("received_serials")].toArray(), QJsonArray{});

    c = cli({QStringLiteral("case"), QStringLiteral("2026-1103-0001"), QStringLiteral("--json")});
    QVERIFY2(c.ok(), qPrintable(c.describe()));
    o = QJsonDocument::fromJson(c.out).object();
    QCOMPARE(o[QLatin1String("received_units")].toInteger(), 2);
    items = o[QLatin1String("items")].toArray();
    QCOMPARE(items[0][QLatin1String("received_serials")].toArray(),
             QJsonArray{QStringLiteral("JN11F3A2BAFA")});
    QCOMPARE(items[1][QLatin1String("received_serials")].toArray(), QJsonArray{QStringLiteral("CAHZ4512")});

    c = cli({QStringLiteral("exceptions"), QStringLiteral("--json")});
    QVERIFY2(c.ok(), qPrintable(c.describe()));
    const QJsonArray exceptions = QJsonDocument::fromJson(c.out).array();
    QSet<QString> found;
    for (const QJsonValue &x : exceptions) {
        const QJsonObject e = x.toObject();
        found.insert(QStringLiteral("%1 %2 %3 %4")
                         .arg(e[QLatin1String("kind")].toString(), e[QLatin1String("serial")].toString(),
                              e[QLatin1String("station_id")].toString(), e[QLatin1String("box")].toString()));
    }
    // Station and box of the scan that raised each one.
    const QSet<QString> expected{
        QStringLiteral("unexpected ZZE2E00042 E2E-KIOSK 2026-1020-0002"),
        QStringLiteral("already_received PE3716460123 E2E-CLI 2026-1103-0001"),
        QStringLiteral("already_received JN11F3A2BAFA E2E-KIOSK 2026-1020-0002"),
    };
    QVERIFY2(found == expected, qPrintable(QString::fromUtf8(c.out)));

    QVERIFY2(station->isRunning(), qPrintable(station->stderrText()));
}

void TestKioskXvfb::kioskRefusesEveryWayOutButASupervisorsQuit()
{
    std::unique_ptr<JsonLineProcess> station = startStation({});
    QVERIFY2(station->ok(), qPrintable(station->error()));
    QVERIFY2(station->waitFor(isReadyEvent, ReadyTimeoutMs, QStringLiteral("ready event")),
             qPrintable(station->error()));
    QString windowId, why;
    QVERIFY2(findWindow(*station, &windowId, &why), qPrintable(why));

    // Full screen without decorations: the whole Xvfb screen (1280x800).
    std::optional<QJsonObject> s = station->command("state", QStringLiteral("state"));
    QVERIFY2(s, qPrintable(station->error()));
    const QJsonObject window = (*s)[QLatin1String("window")].toObject();
    QVERIFY2(window[QLatin1String("full_screen")].toBool(), qPrintable(compact(*s)));
    QVERIFY2(window[QLatin1String("frameless")].toBool(), qPrintable(compact(*s)));
    const Result geometry =
        xdotool({QStringLiteral("getwindowgeometry"), QStringLiteral("--shell"), windowId});
    QVERIFY2(geometry.ok(), qPrintable(geometry.describe()));
    QVERIFY2(geometry.out.contains("WIDTH=1280\n") && geometry.out.contains("HEIGHT=800\n"),
             qPrintable(geometry.describe()));

    // The keys that close or quit elsewhere do nothing; nor does a close request.
    QVERIFY2(focusWindow(windowId, &why), qPrintable(why));
    for (const char *keys : {"alt+F4", "ctrl+q", "ctrl+w", "ctrl+F4"}) {
        const Result r = xdotool({QStringLiteral("key"), QLatin1String(keys)});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
    }
    s = station->command("close", QStringLiteral("close"));
    QVERIFY2(s, qPrintable(station->error()));
    QVERIFY2(!(*s)[QLatin1String("closed")].toBool(), qPrintable(compact(*s)));
    s = station->command("state", QStringLiteral("state"));
    QVERIFY2(s, qPrintable(station->error()));
    QVERIFY2((*s)[QLatin1String("window")][QLatin1String("visible")].toBool(), qPrintable(compact(*s)));
    QVERIFY2(station->isRunning(), qPrintable(station->stderrText()));

    // Quitting is a supervisor's: refused signed out and for a dock worker.
    s = station->command("quit", QStringLiteral("quit"));
    QVERIFY2(s, qPrintable(station->error()));
    QVERIFY2(!(*s)[QLatin1String("approved")].toBool(), qPrintable(compact(*s)));
    s = scanAtKiosk(*station, windowId, QStringLiteral("BADGE-1001"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE((*s)[QLatin1String("verdict")][QLatin1String("outcome")].toString(),
             QStringLiteral("signed_in"));
    s = station->command("quit", QStringLiteral("quit"));
    QVERIFY2(s, qPrintable(station->error()));
    QVERIFY2(!(*s)[QLatin1String("approved")].toBool(), qPrintable(compact(*s)));
    QVERIFY2(station->isRunning(), qPrintable(station->stderrText()));

    // A supervisor's badge, typed by the wedge, signs in for dock work only, and the badge is nowhere in the
    // state: the banner shows the operator's name and a masked badge.
    s = scanAtKiosk(*station, windowId, QStringLiteral("BADGE-2001"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE((*s)[QLatin1String("verdict")][QLatin1String("outcome")].toString(),
             QStringLiteral("signed_in"));
    QVERIFY2(!(*s)[QLatin1String("supervisor")].toBool(), qPrintable(compact(*s)));
    QVERIFY2((*s)[QLatin1String("supervisor_role")].toBool(), qPrintable(compact(*s)));
    QVERIFY2(!compact(*s).contains(QLatin1String("BADGE-2001")), qPrintable(compact(*s)));
    QCOMPARE((*s)[QLatin1String("verdict")][QLatin1String("input")].toString(),
             QStringLiteral("BADGE-\u2022\u202201"));
    QCOMPARE((*s)[QLatin1String("operator")].toString(), QStringLiteral("Sam Patel"));
    s = station->command("quit", QStringLiteral("quit"));
    QVERIFY2(s, qPrintable(station->error()));
    QVERIFY2(!(*s)[QLatin1String("approved")].toBool(), qPrintable(compact(*s)));

    // The supervisor button asks for the PIN on the keypad: a wrong one is refused and says so...
    QVERIFY2(tap(*station, windowId, QStringLiteral("openSupervisorPages"), &why), qPrintable(why));
    s = typePinOnKeypad(*station, windowId, QStringLiteral("1111"), &why);
    QVERIFY2(s, qPrintable(why));
    QVERIFY2(!(*s)[QLatin1String("supervisor")].toBool(), qPrintable(compact(*s)));
    QVERIFY2((*s)[QLatin1String("pin_message")].toString().contains(QLatin1String("not right")),
             qPrintable(compact(*s)));
    // ...and the supervisor's own PIN opens supervisor work, and with it the way out.
    s = typePinOnKeypad(*station, windowId, QStringLiteral("9876"), &why);
    QVERIFY2(s, qPrintable(why));
    QVERIFY2((*s)[QLatin1String("supervisor")].toBool(), qPrintable(compact(*s)));
    s = station->command("quit", QStringLiteral("quit"));
    QVERIFY2(s, qPrintable(station->error()));
    QVERIFY2((*s)[QLatin1String("approved")].toBool(), qPrintable(compact(*s)));
    QCOMPARE(station->waitForExit(ProcessTimeoutMs), std::optional<int>(0));
    // The quit, the wrong PIN and the confirmation are in the audit chain, the PIN nowhere.
    const Result audit = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(audit.ok(), qPrintable(audit.describe()));
}

void TestKioskXvfb::windowedStationClosesLikeAnyWindow()
{
    std::unique_ptr<JsonLineProcess> station = startStation({QStringLiteral("--windowed")});
    QVERIFY2(station->ok(), qPrintable(station->error()));
    QVERIFY2(station->waitFor(isReadyEvent, ReadyTimeoutMs, QStringLiteral("ready event")),
             qPrintable(station->error()));
    std::optional<QJsonObject> s = station->command("state", QStringLiteral("state"));
    QVERIFY2(s, qPrintable(station->error()));
    QVERIFY2(!(*s)[QLatin1String("window")][QLatin1String("full_screen")].toBool(), qPrintable(compact(*s)));
    QVERIFY2(!(*s)[QLatin1String("window")][QLatin1String("frameless")].toBool(), qPrintable(compact(*s)));
    station->send("close");
    QCOMPARE(station->waitForExit(ProcessTimeoutMs), std::optional<int>(0));
}

void TestKioskXvfb::twoKiosksOnePostgres()
{
    QElapsedTimer clock;
    clock.start();
    // One depot database on a private PostgreSQL cluster, made the way README's set-up makes one.
    PrivatePostgres pg;
    QVERIFY2(pg.start(), qPrintable(pg.error()));
    const QString url = pg.createDatabase(QStringLiteral("kiosks"));
    QVERIFY2(!url.isEmpty(), qPrintable(pg.error()));
    const auto cliOn = [&](const QStringList &args) {
        return runProcess(Cli, QStringList{QStringLiteral("--db"), url} + args, m_env);
    };
    Result r = cliOn({QStringLiteral("init")});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    r = cliOn({QStringLiteral("demo-data")});
    QVERIFY2(r.ok(), qPrintable(r.describe()));

    // Two doors, each a full-screen kiosk on an X server of its own (no window manager to share focus with),
    // with its own home, XDG folders and empty configuration; the same URL.
    XvfbServer secondScreen;
    QVERIFY2(secondScreen.isRunning(), qPrintable(secondScreen.error()));
    const auto doorEnv = [&](const QString &door, const QString &display) {
        const QString home = m_dir->filePath(door);
        QProcessEnvironment env = QDir().mkpath(home) ? isolatedEnvironment(home) : QProcessEnvironment();
        if (!env.isEmpty()) {
            env.insert(QStringLiteral("DISPLAY"), display);
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        }
        return env;
    };
    const QProcessEnvironment env1 = doorEnv(QStringLiteral("DOOR-1"), m_xvfb->display());
    const QProcessEnvironment env2 = doorEnv(QStringLiteral("DOOR-2"), secondScreen.display());
    QVERIFY(!env1.isEmpty() && !env2.isEmpty());
    std::unique_ptr<JsonLineProcess> door1 = startStationOn(url, QStringLiteral("DOOR-1"), env1, {});
    std::unique_ptr<JsonLineProcess> door2 = startStationOn(url, QStringLiteral("DOOR-2"), env2, {});
    QVERIFY2(door1->ok(), qPrintable(door1->error()));
    QVERIFY2(door2->ok(), qPrintable(door2->error()));
    QVERIFY2(door1->waitFor(isReadyEvent, ReadyTimeoutMs, QStringLiteral("ready event of DOOR-1")),
             qPrintable(door1->error()));
    QVERIFY2(door2->waitFor(isReadyEvent, ReadyTimeoutMs, QStringLiteral("ready event of DOOR-2")),
             qPrintable(door2->error()));
    QString window1, window2, why;
    QVERIFY2(findWindow(*door1, &window1, &why), qPrintable(why));
    QVERIFY2(findWindow(*door2, &window2, &why), qPrintable(why));

    // At each door: the badge, the case label, then the unit, typed like a wedge scanner; the banner's
    // outcome.
    QString failure;
    const auto scan = [&](JsonLineProcess &door, const QString &windowId, const QString &text,
                          const QString &outcome) -> std::optional<QJsonObject> {
        std::optional<QJsonObject> s = scanAtKiosk(door, windowId, text, &failure);
        if (!s) {
            failure = QStringLiteral("%1 on %2: %3").arg(text, door.display(), failure);
            return std::nullopt;
        }
        const QString got = (*s)[QLatin1String("verdict")][QLatin1String("outcome")].toString();
        const QString input = (*s)[QLatin1String("verdict")][QLatin1String("input")].toString();
        if (got != outcome || (outcome != QLatin1String("signed_in") && input != text)) {
            failure = QStringLiteral("%1 on %2: banner %3, expected %4: %5")
                          .arg(text, door.display(), got, outcome, compact(*s));
            return std::nullopt;
        }
        return s;
    };
    std::optional<QJsonObject> s =
        scan(*door1, window1, QStringLiteral("BADGE-1001"), QStringLiteral("signed_in"));
    QVERIFY2(s, qPrintable(failure));
    QCOMPARE((*s)[QLatin1String("operator")].toString(), QStringLiteral("Dana Ortiz"));
    // The scan page comes up after the sign-in: its first frames keep the X server busy, which a loaded
    // machine can turn into a pause between two keys that cuts the next read in two (the wedge filter's 35
    // ms).
    QTest::qWait(1000);
    s = scan(*door1, window1, QStringLiteral("2026-1103-0001"), QStringLiteral("box_opened"));
    QVERIFY2(s, qPrintable(failure));
    s = scan(*door1, window1, QStringLiteral("JN11F3A2BAFA"), QStringLiteral("matched"));
    QVERIFY2(s, qPrintable(failure));
    QCOMPARE((*s)[QLatin1String("verdict")][QLatin1String("serial")].toString(),
             QStringLiteral("JN11F3A2BAFA"));

    s = scan(*door2, window2, QStringLiteral("BADGE-1002"), QStringLiteral("signed_in"));
    QVERIFY2(s, qPrintable(failure));
    QCOMPARE((*s)[QLatin1String("operator")].toString(), QStringLiteral("Lee Nguyen"));
    // The scan page comes up after the sign-in: its first frames keep the X server busy, which a loaded
    // machine can turn into a pause between two keys that cuts the next read in two (the wedge filter's 35
    // ms).
    QTest::qWait(1000);
    s = scan(*door2, window2, QStringLiteral("2026-1103-0001"), QStringLiteral("box_opened"));
    QVERIFY2(s, qPrintable(failure));
    s = scan(*door2, window2, QStringLiteral("JN11F3A2BAFA"), QStringLiteral("already_received"));
    QVERIFY2(s, qPrintable(failure));
    QCOMPARE((*s)[QLatin1String("verdict")][QLatin1String("serial")].toString(),
             QStringLiteral("JN11F3A2BAFA"));

    // What DOOR-2's screen shows, for a person to read: the verdict on the banner.
    QTest::qWait(500); // the frame after the verdict
    const QString shot = m_dir->filePath(QStringLiteral("door2.png"));
    r = runProcess(QStringLiteral("import"),
                   {QStringLiteral("-display"), door2->display(), QStringLiteral("-window"), window2, shot},
                   m_env);
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QVERIFY2(QFileInfo(shot).size() > 0, qPrintable(shot));
    qInfo().noquote() << "DOOR-2's screen:" << shot;

    // One receipt in the depot, DOOR-1's; DOOR-2's rescan is an exception of its own.
    r = cliOn({QStringLiteral("case"), QStringLiteral("2026-1103-0001"), QStringLiteral("--json")});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    const QJsonObject c = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(c[QLatin1String("received_units")].toInteger(), 1);
    QCOMPARE(c[QLatin1String("items")][0][QLatin1String("received_serials")].toArray(),
             QJsonArray{QStringLiteral("JN11F3A2BAFA")});
    r = cliOn({QStringLiteral("exceptions"), QStringLiteral("--json")});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QSet<QString> found;
    for (const QJsonValue &x : QJsonDocument::fromJson(r.out).array()) {
        const QJsonObject e = x.toObject();
        found.insert(QStringLiteral("%1 %2 %3 %4")
                         .arg(e[QLatin1String("kind")].toString(), e[QLatin1String("serial")].toString(),
                              e[QLatin1String("station_id")].toString(), e[QLatin1String("box")].toString()));
    }
    QVERIFY2(found == QSet<QString>{QStringLiteral("already_received JN11F3A2BAFA DOOR-2 2026-1103-0001")},
             qPrintable(QString::fromUtf8(r.out)));

    QVERIFY2(door1->isRunning(), qPrintable(door1->stderrText()));
    QVERIFY2(door2->isRunning(), qPrintable(door2->stderrText()));
    qInfo().noquote() << "twoKiosksOnePostgres:" << clock.elapsed() << "ms";
}

// Issue #12 at the kiosk: a supervisor signs in (badge by the wedge, PIN on the keypad), opens Import a
// Trade-In Form, picks the fixture trade-in.xlsx from the folder configured as forms.directory, reads the
// preview (nothing changed yet), applies it, and the case has the form's lines; the unit the form now expects
// is marked in the exception queue and received on its line in one tap. Screenshots of the preview, the
// result and the queue go to the test folder (kept with RS_KEEP_TEST_DIR).
void TestKioskXvfb::supervisorImportsATradeInForm()
{
    // A unit no case expects yet, received at the other station in another case's box: an open `unexpected`
    // exception.
    Result r = cli({QStringLiteral("scan"), QStringLiteral("--station"), CliStationId,
                    QStringLiteral("--operator"), QStringLiteral("BADGE-1002")},
                   "2026-1020-0002\nPE0001\n");
    QVERIFY2(r.ok() && r.out.contains("\"unexpected\""), qPrintable(r.describe()));

    // forms.directory: the committed fixture, another form and a file that is no form.
    const QString forms = m_dir->filePath(QStringLiteral("forms"));
    QVERIFY(QDir().mkpath(forms));
    const QString fixtures = QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/forms/");
    QVERIFY(
        QFile::copy(fixtures + QStringLiteral("trade-in.xlsx"), forms + QStringLiteral("/trade-in.xlsx")));
    QVERIFY(QFile::copy(fixtures + QStringLiteral("trade-in-bom-semicolon.csv"),
                        forms + QStringLiteral("/trade-in-bom-semicolon.csv")));
    QFile notes(forms + QStringLiteral("/notes.txt"));
    QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("not a form\n") > 0);
    notes.close();
    QProcessEnvironment env = m_env;
    env.insert(QStringLiteral("RECEIVING_FORMS_DIRECTORY"), forms);

    std::unique_ptr<JsonLineProcess> station =
        startStationOn(m_dir->filePath(QStringLiteral("r.db")), KioskId, env, {});
    QVERIFY2(station->ok(), qPrintable(station->error()));
    QVERIFY2(station->waitFor(isReadyEvent, ReadyTimeoutMs, QStringLiteral("ready event")),
             qPrintable(station->error()));
    QString windowId, why;
    QVERIFY2(findWindow(*station, &windowId, &why), qPrintable(why));
    std::optional<QJsonObject> s = scanAtKiosk(*station, windowId, QStringLiteral("BADGE-2001"), &why);
    QVERIFY2(s, qPrintable(why));
    QCOMPARE((*s)[QLatin1String("verdict")][QLatin1String("outcome")].toString(),
             QStringLiteral("signed_in"));
    QVERIFY2(tap(*station, windowId, QStringLiteral("openSupervisorPages"), &why), qPrintable(why));
    s = typePinOnKeypad(*station, windowId, QStringLiteral("9876"), &why);
    QVERIFY2(s, qPrintable(why));
    QVERIFY2((*s)[QLatin1String("supervisor")].toBool(), qPrintable(compact(*s)));

    const auto screenshot = [&](const char *name) {
        QTest::qWait(500); // the frame after the change
        const QString shot = m_dir->filePath(QLatin1String(name));
        const Result shotTaken =
            runProcess(QStringLiteral("import"), {QStringLiteral("-window"), windowId, shot}, m_env);
        if (shotTaken.ok() && QFileInfo(shot).size() > 0)
            qInfo().noquote() << "screenshot:" << shot;
        return shotTaken.ok() && QFileInfo(shot).size() > 0;
    };
    const auto caseLines = [&] {
        const Result c =
            cli({QStringLiteral("case"), QStringLiteral("2026-1103-0001"), QStringLiteral("--json")});
        return c.ok() ? QJsonDocument::fromJson(c.out).object()[QLatin1String("items")].toArray()
                      : QJsonArray();
    };
    const auto waitVisible = [&](const char *name) {
        for (const QDeadlineTimer deadline(VerdictTimeoutMs); !deadline.hasExpired(); QTest::qWait(100)) {
            const std::optional<QJsonObject> found =
                station->command(QByteArray("locate ") + name, QStringLiteral("locate"));
            if (!found)
                return false;
            if ((*found)[QLatin1String("found")].toBool())
                return true;
        }
        return false;
    };
    QCOMPARE(caseLines().size(), 4);

    // The page lists the forms (not notes.txt); a tap previews one.
    QVERIFY2(tap(*station, windowId, QStringLiteral("tabImportForm"), &why), qPrintable(why));
    QVERIFY2(tap(*station, windowId, QStringLiteral("formFile_trade-in.xlsx"), &why), qPrintable(why));
    const std::optional<QJsonObject> at =
        station->command("locate formFile_notes.txt", QStringLiteral("locate"));
    QVERIFY2(at && !(*at)[QLatin1String("found")].toBool(), qPrintable(at ? compact(*at) : station->error()));
    QVERIFY2(waitVisible("applyForm"), qPrintable(station->stderrText()));
    QVERIFY(screenshot("import-form-preview.png"));
    QCOMPARE(caseLines().size(), 4); // a preview changes nothing

    // Apply: the case has the form's eight lines.
    QVERIFY2(tap(*station, windowId, QStringLiteral("applyForm"), &why), qPrintable(why));
    QVERIFY2(waitVisible("openImportedCase"),
             qPrintable(QStringLiteral("running: %1, %2").arg(station->isRunning()).arg(station->error())));
    QVERIFY(screenshot("import-form-applied.png"));
    const QJsonArray lines = caseLines();
    QCOMPARE(lines.size(), 8);
    QCOMPARE(lines[0][QLatin1String("sku")].toString(), QStringLiteral("MX960-BASE"));
    QCOMPARE(lines[3][QLatin1String("serial")].toString(), QStringLiteral("PE0001"));

    // The exception of PE0001 is now expected on line 4: behind its filter, and one tap receives it there.
    QVERIFY2(tap(*station, windowId, QStringLiteral("tabExceptions"), &why), qPrintable(why));
    QVERIFY2(tap(*station, windowId, QStringLiteral("filter_now_expected"), &why), qPrintable(why));
    QVERIFY2(waitVisible("exception_PE0001"), qPrintable(station->stderrText()));
    QVERIFY(screenshot("exceptions-now-expected.png"));
    QVERIFY2(tap(*station, windowId, QStringLiteral("exception_PE0001"), &why), qPrintable(why));
    QVERIFY2(waitVisible("assignNowExpected"), qPrintable(station->stderrText()));
    QVERIFY(screenshot("exception-now-expected.png"));
    QVERIFY2(tap(*station, windowId, QStringLiteral("assignNowExpected"), &why), qPrintable(why));
    bool received = false;
    for (const QDeadlineTimer deadline(VerdictTimeoutMs); !deadline.hasExpired() && !received;
         QTest::qWait(200)) {
        for (const QJsonValue &l : caseLines()) {
            if (l[QLatin1String("line")].toInt() == 4 &&
                l[QLatin1String("received_serials")].toArray() == QJsonArray{QStringLiteral("PE0001")})
                received = true;
        }
    }
    QVERIFY2(received, qPrintable(QJsonDocument(caseLines()).toJson()));
    r = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QVERIFY2(station->isRunning(), qPrintable(station->stderrText()));
}

QTEST_GUILESS_MAIN(TestKioskXvfb)
#include "tst_kioskxvfb.moc"
