// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"
#include "AuditLog.h"
#include "BarcodeDecoder.h"
#include "CaseStore.h"
#include "CliSupport.h"
#include "Clock.h"
#include "CurlTransport.h"
#include "Database.h"
#include "DecoderProcess.h"
#include "DemoData.h"
#include "ExceptionQueue.h"
#include "IdleBoxes.h"
#include "LineScanSource.h"
#include "Operators.h"
#include "OutboxStore.h"
#include "PinSignIn.h"
#include "ReceivingService.h"
#include "ScanNormaliser.h"
#include "StationConfig.h"
#include "SupervisorService.h"
#include "SyncEngine.h"
#include "TradeInForm.h"
#include "UnitCondition.h"
#include "UpstreamConfig.h"

#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <pwd.h>
#include <termios.h>
#include <unistd.h>

namespace {
enum Exit { Ok = 0, Failed = 1, Usage = 2, DatabaseUnusable = 3, DeadLetters = 4, UpstreamUnavailable = 5 };

const char *const Commands = R"(Commands:
  init                          create or upgrade the database
  import-cases FILE             import {"cases": [...]} (all or nothing)
  import-form FILE [--case CASE] [--dry-run] [--json] --operator ID
                                load a customer's Trade-In Form (.xlsx, .xls, .csv) into its case:
                                shows what changes, then applies it, all or nothing (supervisors)
  scan [--pretty]               one scan per stdin line, one JSON verdict per line on stdout
  case NUMBER [--json]          a case with the progress of each line
  case close-partial CASE --note TEXT --operator ID
                                approve closing an open case with lines missing (supervisors)
  cases search TEXT             cases by case number, serial, tracking number or customer
  cases due-soon [--days N]     open cases due within N days (14) with nothing received
  boxes                         the boxes still open, per station
  exceptions [--kind K] [--older-than HOURS] [--now-expected] [--all] [--json]
                                the exception queue (open ones unless --all; --now-expected: only
                                units a case now expects after a case change)
  exceptions show ID            one exception with the scans of its serial and its box
  exceptions assign ID --operator ID
                                receive a "now expected" unit on the case line it is now expected on
                                (supervisors)
  exceptions resolve ID --resolution assign_to_case|confirm_cross_case|not_tmip|return_to_sender
                 [--case CASE] [--sku SKU] --note TEXT --operator ID
                                resolve an exception (supervisors)
  condition RECEIPT_ID working|damaged|not_working [--note TEXT] --station S --operator ID
                                a unit's condition, while its box is open
  settings [--json]             the station's settings
  settings set KEY VALUE --operator ID
                                change a setting (supervisors, audited)
  audit verify [--expect-head [ID:]HASH]
                                check the audit log's hash chain (and that it still holds an anchor)
  operator add --badge B --name N --role dock|supervisor [--pin-file F] --operator SUPERVISOR-BADGE
                                register an operator (the first supervisor: without --operator)
  operator disable BADGE --operator SUPERVISOR-BADGE
  operator set-pin BADGE --pin-file F --operator SUPERVISOR-BADGE
                                Supervisor commands need the supervisor's PIN: asked on the terminal,
                                or --pin-file F (operator add/set-pin: --operator-pin-file F)
  decode FILE [--json]          the barcodes in a PNG/JPEG picture, through the station's decoder
  sync [--once]                 pull cases, push the outbox (exit 4: dead letters, 5: upstream unavailable)
  outbox [--json]               outbox events by state
  outbox retry ID --operator SUPERVISOR-BADGE
                                send a dead letter again after fixing its cause
  demo-data [--serials N] [--today YYYY-MM-DD]
                                deterministic demo cases and badges, plus N bulk serials
  backup [--to DIR]             an online, checked copy of the database (see: backup --help)
  restore FILE                  replace the database with a backup that passes integrity_check
                                (the station must be stopped; see: restore --help))";

void err(const QString &message)
{
    const QByteArray b = message.toUtf8() + '\n';
    fwrite(b.constData(), 1, size_t(b.size()), stderr);
    fflush(stderr);
}

void out(const QByteArray &bytes)
{
    fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    fflush(stdout);
}

void outLine(const QString &s)
{
    out(s.toUtf8() + '\n');
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

struct Context
{
    QCommandLineParser &parser;
    StationConfig config;
    Database db;
};

int openDatabase(Context &ctx)
{
    try {
        ctx.db.open(ctx.config.databasePath);
        return Ok;
    } catch (const DbException &e) {
        err(QStringLiteral("receiving-cli: cannot use the database %1: %2")
                .arg(ctx.config.databasePath, e.error().message));
        return DatabaseUnusable;
    }
}

// The Unix account running this process, from its uid: $USER is whatever the caller set.
QString unixUser()
{
    if (const passwd *pw = getpwuid(geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("uid %1").arg(geteuid());
}

QString actor(const Context &ctx)
{
    const QString op = ctx.parser.value(QStringLiteral("operator")).trimmed().toUpper();
    return op.isEmpty() ? QStringLiteral("cli:") + unixUser() : op;
}

// A PIN from a file (first line; the file is read, never echoed), so it never shows in a process list or a
// shell history.
std::optional<QString> pinFromFile(const QString &path, QString *why)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *why = QStringLiteral("cannot read the PIN file %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    return QString::fromUtf8(f.read(64)).section(QLatin1Char('\n'), 0, 0).trimmed();
}

// Asks on the terminal with echo off; nullopt when there is no terminal to ask on.
std::optional<QString> pinFromTerminal(const QString &prompt)
{
    if (!isatty(STDIN_FILENO))
        return std::nullopt;
    const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0)
        return std::nullopt;
    termios old{};
    const bool canHide = tcgetattr(tty, &old) == 0;
    if (canHide) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= ECHONL;
        tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    const QByteArray p = prompt.toUtf8();
    [[maybe_unused]] const ssize_t w = ::write(tty, p.constData(), size_t(p.size()));
    QByteArray line;
    char c;
    while (line.size() < 64 && ::read(tty, &c, 1) == 1 && c != '\n')
        line += c;
    if (canHide)
        tcsetattr(tty, TCSAFLUSH, &old);
    ::close(tty);
    return QString::fromUtf8(line).trimmed();
}

// Supervisor commands prove who acts: the --operator badge must be an enabled supervisor and its PIN must
// come with the command (`pinOption`'s file, or typed at the terminal's prompt). Each wrong PIN counts
// towards the station's lock like the keypad's. Ok, or Failed with a sentence on stderr and nothing changed.
int requireSupervisorPin(Context &ctx, const QString &pinOption)
{
    const QString badge = ctx.parser.value(QStringLiteral("operator")).trimmed().toUpper();
    if (badge.isEmpty()) {
        err(QStringLiteral("receiving-cli: only a supervisor can do this: give --operator with your badge."));
        return Failed;
    }
    std::optional<QString> pin;
    if (ctx.parser.isSet(pinOption)) {
        QString why;
        pin = pinFromFile(ctx.parser.value(pinOption), &why);
        if (!pin) {
            err(QStringLiteral("receiving-cli: ") + why);
            return Failed;
        }
    } else {
        pin = pinFromTerminal(QStringLiteral("PIN of %1: ").arg(Operators::maskBadge(badge)));
        if (!pin) {
            err(QStringLiteral("receiving-cli: this is a supervisor command: give the supervisor's PIN with "
                               "--%1 FILE, or run it on a terminal to be asked for it.")
                    .arg(pinOption));
            return Failed;
        }
    }
    if (int rc = openDatabase(ctx))
        return rc;
    SystemClock clock;
    try {
        const PinSignIn::Outcome o =
            PinSignIn(ctx.db, clock, ctx.config.stationId, QStringLiteral("cli")).confirm(badge, *pin, true);
        if (o.result != PinSignIn::Result::Accepted) {
            err(QStringLiteral("receiving-cli: ") + o.message);
            return Failed;
        }
    } catch (const DbException &e) {
        err(QStringLiteral("receiving-cli: cannot check the PIN: ") + e.error().message);
        return DatabaseUnusable;
    }
    return Ok;
}

int cmdInit(Context &ctx)
{
    if (int rc = openDatabase(ctx))
        return rc;
    outLine(QStringLiteral("Database ready: %1 (schema version %2)")
                .arg(ctx.config.databasePath)
                .arg(ctx.db.userVersion()));
    return Ok;
}

int cmdImport(Context &ctx, const QStringList &args)
{
    if (args.size() != 2) {
        err(QStringLiteral("usage: receiving-cli import-cases FILE"));
        return Usage;
    }
    QFile f(args[1]);
    if (!f.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("receiving-cli: cannot read %1: %2").arg(args[1], f.errorString()));
        return Failed;
    }
    constexpr qint64 MaxImport = 512LL * 1024 * 1024;
    if (f.size() > MaxImport) {
        err(QStringLiteral("receiving-cli: %1 is larger than 512 MiB; split it into several files.")
                .arg(args[1]));
        return Failed;
    }
    const QByteArray data = f.readAll();
    if (int rc = openDatabase(ctx))
        return rc;
    QString why;
    const auto summary = CaseStore(ctx.db).importJson(data, actor(ctx), &why);
    if (!summary) {
        err(QStringLiteral("receiving-cli: %1").arg(why));
        return Failed;
    }
    outLine(QStringLiteral("Imported %1 new and %2 updated cases (%3 unchanged), %4 lines.")
                .arg(summary->inserted)
                .arg(summary->updated)
                .arg(summary->unchanged)
                .arg(summary->items));
    return Ok;
}

// A line a person reads on a terminal: severity badge, what was scanned, outcome, message.
QByteArray prettyLine(const Verdict &v)
{
    static const char *const badges[] = {"\033[42;30m  OK  \033[0m", "\033[43;30m LOOK \033[0m",
                                         "\033[41;97m STOP \033[0m"};
    const bool tty = isatty(STDOUT_FILENO);
    const char *plain[] = {"[ OK ]", "[LOOK]", "[STOP]"};
    const int i = int(v.severity());
    return (QLatin1String(tty ? badges[i] : plain[i]) + QLatin1Char(' ') + v.input.leftJustified(20) +
            QLatin1Char(' ') + outcomeName(v.outcome).leftJustified(17) + QLatin1Char(' ') + v.message)
               .toUtf8() +
           '\n';
}

int cmdScan(Context &ctx)
{
    if (int rc = openDatabase(ctx))
        return rc;
    SystemClock clock;
    QString patternError;
    ReceivingService::Options options{ctx.config.timeZone,
                                      LabelFields::fromConfig(ctx.config.values, &patternError)};
    if (!patternError.isEmpty()) {
        err(QStringLiteral("receiving-cli: ") + patternError);
        return Usage;
    }
    ReceivingService service(ctx.db, clock, options);
    const QString station = ctx.config.stationId;
    const QString op = ctx.parser.value(QStringLiteral("operator")).trimmed().toUpper();
    // Every receipt names who made it: no scans without a registered, enabled operator.
    if (op.isEmpty()) {
        err(QStringLiteral("receiving-cli: scan needs --operator with the badge of who is scanning."));
        return Failed;
    }
    try {
        const std::optional<Operators::Operator> who = Operators(ctx.db).byBadge(op);
        if (!who) {
            err(QStringLiteral("receiving-cli: %1 is not a registered badge.").arg(Operators::maskBadge(op)));
            return Failed;
        }
        if (who->disabled) {
            err(QStringLiteral("receiving-cli: badge disabled — see a supervisor."));
            return Failed;
        }
        service.signIn(station, op);
    } catch (const DbException &e) {
        err(QStringLiteral("receiving-cli: cannot sign in: %1").arg(e.error().message));
        return DatabaseUnusable;
    }
    const bool pretty = ctx.parser.isSet(QStringLiteral("pretty"));
    LineScanSource source(STDIN_FILENO, QStringLiteral("stdin"));
    while (std::optional<ScanEvent> ev = source.next()) {
        // A badge disabled meanwhile (by a supervisor elsewhere) ends this session: every receipt names an
        // operator allowed to make it.
        try {
            Statement current = ctx.db.prepare("SELECT o.disabled_at FROM station_state s JOIN operators o "
                                               "ON o.badge = s.operator_id WHERE s.station_id = ?1");
            if (!current.bind(1, station).next() || !current.text(0).isEmpty()) {
                err(QStringLiteral("receiving-cli: badge disabled — see a supervisor. Nothing more is "
                                   "recorded in this session."));
                return Failed;
            }
        } catch (const DbException &e) {
            if (!e.error().isTransient()) {
                err(QStringLiteral("receiving-cli: cannot check the operator: %1").arg(e.error().message));
                return DatabaseUnusable;
            }
            // The depot's server is away: this scan is not recorded, and the session goes on (the connection
            // comes back by itself) instead of ending.
            Verdict v;
            v.input = ScanNormaliser::normalise(ev->raw, ev->truncated).display;
            v.outcome = Outcome::NotRecorded;
            v.message = e.error().kind == DbError::Kind::Unreachable
                            ? QCoreApplication::translate(
                                  "Verdict", "NOT SAVED - the depot database is not reachable. Scan again.")
                            : QCoreApplication::translate("Verdict", "NOT SAVED - scan this unit again. %1")
                                  .arg(e.error().message);
            out(pretty ? prettyLine(v) : compact(v.toJson()));
            continue;
        }
        // Printed only after scan() returned, which is after its transaction committed.
        const Verdict v = service.scan(*ev, station);
        out(pretty ? prettyLine(v) : compact(v.toJson()));
    }
    return Ok;
}

QString lineState(const QJsonObject &item)
{
    const qint64 qty = item.value(QLatin1String("quantity")).toInteger();
    const qint64 got = item.value(QLatin1String("received")).toInteger();
    return got >= qty ? QStringLiteral("[x]") : got > 0 ? QStringLiteral("[~]") : QStringLiteral("[ ]");
}

int cmdClosePartial(Context &ctx, const QStringList &args);

int cmdCase(Context &ctx, const QStringList &args)
{
    if (args.size() >= 2 && args[1] == QLatin1String("close-partial"))
        return cmdClosePartial(ctx, args);
    if (args.size() != 2) {
        err(QStringLiteral("usage: receiving-cli case NUMBER [--json]"));
        return Usage;
    }
    if (int rc = openDatabase(ctx))
        return rc;
    const std::optional<QJsonObject> c = CaseStore(ctx.db).detail(args[1].trimmed());
    if (!c) {
        err(QStringLiteral("receiving-cli: no case %1 is known to this station.").arg(args[1]));
        return Failed;
    }
    if (ctx.parser.isSet(QStringLiteral("json"))) {
        out(compact(*c));
        return Ok;
    }
    const QJsonObject o = *c;
    outLine(QStringLiteral("Case %1  phase %2  %3  %4")
                .arg(o[QLatin1String("case_number")].toString())
                .arg(o[QLatin1String("phase")].toInt())
                .arg(o[QLatin1String("disposition")].toString(), o[QLatin1String("status")].toString()));
    outLine(QStringLiteral("Customer %1   ordered %2   due %3")
                .arg(o[QLatin1String("customer")].toObject()[QLatin1String("name")].toString(),
                     o[QLatin1String("order_date")].toString(), o[QLatin1String("due_date")].toString()));
    outLine(QStringLiteral("Received %1 of %2")
                .arg(o[QLatin1String("received_units")].toInteger())
                .arg(o[QLatin1String("expected_units")].toInteger()));
    for (const QJsonValue v : o[QLatin1String("items")].toArray()) {
        const QJsonObject it = v.toObject();
        const QString serial = it[QLatin1String("serial")].isNull() ? QStringLiteral("serial at dock")
                                                                    : it[QLatin1String("serial")].toString();
        outLine(QStringLiteral("  %1 line %2  %3  %4  (%5 of %6)")
                    .arg(lineState(it))
                    .arg(it[QLatin1String("line")].toInt())
                    .arg(it[QLatin1String("sku")].toString(), serial)
                    .arg(it[QLatin1String("received")].toInteger())
                    .arg(it[QLatin1String("quantity")].toInteger()));
    }
    return Ok;
}

// Supervisor actions and the dock's unit condition: SupervisorService's refusals become exit 1 with its
// sentence.
SupervisorService supervisorService(Context &ctx, const Clock &clock)
{
    SupervisorService s(ctx.db, clock);
    s.setStationId(ctx.config.stationId);
    s.setTimeZone(ctx.config.timeZone);
    return s;
}

int refused(const SupervisorError &e)
{
    err(QStringLiteral("receiving-cli: ") + e.message());
    return Failed;
}

int notSaved(const DbException &e)
{
    err(QStringLiteral("receiving-cli: nothing was changed: %1").arg(e.error().message));
    return Failed;
}

void printJsonArray(const QJsonArray &a)
{
    out(QJsonDocument(a).toJson(QJsonDocument::Compact) + '\n');
}

int cmdExceptionShow(Context &ctx, const QStringList &args)
{
    bool ok = false;
    const qint64 id = args.value(2).toLongLong(&ok);
    if (args.size() != 3 || !ok) {
        err(QStringLiteral("usage: receiving-cli exceptions show ID [--json]"));
        return Usage;
    }
    if (int rc = openDatabase(ctx))
        return rc;
    SystemClock clock;
    try {
        const QJsonObject d = supervisorService(ctx, clock).exceptionDetail(id);
        if (ctx.parser.isSet(QStringLiteral("json"))) {
            out(compact(d));
            return Ok;
        }
        const QJsonObject x = d[QLatin1String("exception")].toObject();
        outLine(QStringLiteral("Exception #%1  %2  %3  serial %4  case %5  %6 hours old")
                    .arg(id)
                    .arg(x[QLatin1String("kind")].toString(), x[QLatin1String("status")].toString(),
                         x[QLatin1String("serial")].toString(QStringLiteral("-")),
                         x[QLatin1String("case_number")].toString(QStringLiteral("-")))
                    .arg(x[QLatin1String("age_hours")].toDouble()));
        if (!x[QLatin1String("resolution")].isNull())
            outLine(
                QStringLiteral("Resolved %1 by %2 at %3: %4")
                    .arg(x[QLatin1String("resolution")].toString(), x[QLatin1String("resolver")].toString(),
                         x[QLatin1String("resolved_at")].toString(), x[QLatin1String("notes")].toString()));
        const auto history = [](const QString &title, const QJsonArray &rows) {
            outLine(title);
            for (const QJsonValue v : rows) {
                const QJsonObject r = v.toObject();
                outLine(
                    QStringLiteral("  #%1 %2  %3  %4  box %5  case %6  %7%8")
                        .arg(r[QLatin1String("receipt_id")].toInteger())
                        .arg(r[QLatin1String("received_at")].toString(),
                             r[QLatin1String("serial")].toString(), r[QLatin1String("outcome")].toString(),
                             r[QLatin1String("box")].toString(QStringLiteral("-")),
                             r[QLatin1String("case_number")].toString(QStringLiteral("-")),
                             r[QLatin1String("station_id")].toString(),
                             r[QLatin1String("voided")].toBool() ? QStringLiteral("  (undone)") : QString()));
            }
        };
        history(QStringLiteral("Scans of this serial:"), d[QLatin1String("serial_history")].toArray());
        history(QStringLiteral("Scans in this box:"), d[QLatin1String("box_history")].toArray());
    } catch (const SupervisorError &e) {
        return refused(e);
    }
    return Ok;
}

int cmdExceptionResolve(Context &ctx, const QStringList &args)
{
    const QCommandLineParser &p = ctx.parser;
    bool ok = false;
    const qint64 id = args.value(2).toLongLong(&ok);
    if (args.size() != 3 || !ok || !p.isSet(QStringLiteral("resolution")) ||
        !p.isSet(QStringLiteral("note")) || !p.isSet(QStringLiteral("operator"))) {
        err(QStringLiteral(
            "usage: receiving-cli exceptions resolve ID --resolution "
            "assign_to_case|confirm_cross_case|not_tmip|return_to_sender [--case CASE] [--sku SKU] "
            "--note TEXT --operator SUPERVISOR-BADGE [--pin-file F]"));
        return Usage;
    }
    if (int rc = requireSupervisorPin(ctx, QStringLiteral("pin-file")))
        return rc;
    SystemClock clock;
    const QString resolution = p.value(QStringLiteral("resolution"));
    try {
        supervisorService(ctx, clock)
            .resolveException(id, resolution, p.value(QStringLiteral("note")),
                              p.value(QStringLiteral("operator")), p.value(QStringLiteral("case")),
                              p.value(QStringLiteral("sku")));
    } catch (const SupervisorError &e) {
        return refused(e);
    } catch (const DbException &e) {
        return notSaved(e);
    }
    outLine(resolution == QLatin1String("assign_to_case")
                ? QStringLiteral("Exception %1 resolved: the unit is received on case %2.")
                      .arg(id)
                      .arg(p.value(QStringLiteral("case")).trimmed().toUpper())
                : QStringLiteral("Exception %1 resolved: %2.").arg(id).arg(resolution));
    return Ok;
}

// One call for a unit marked "now expected": it is received on that case line (SupervisorService).
int cmdExceptionAssign(Context &ctx, const QStringList &args)
{
    bool ok = false;
    const qint64 id = args.value(2).toLongLong(&ok);
    if (args.size() != 3 || !ok || !ctx.parser.isSet(QStringLiteral("operator"))) {
        err(QStringLiteral(
            "usage: receiving-cli exceptions assign ID --operator SUPERVISOR-BADGE [--pin-file F] [--json]"));
        return Usage;
    }
    if (int rc = requireSupervisorPin(ctx, QStringLiteral("pin-file")))
        return rc;
    SystemClock clock;
    QJsonObject done;
    try {
        done =
            supervisorService(ctx, clock).assignNowExpected(id, ctx.parser.value(QStringLiteral("operator")));
    } catch (const SupervisorError &e) {
        return refused(e);
    } catch (const DbException &e) {
        return notSaved(e);
    }
    if (ctx.parser.isSet(QStringLiteral("json"))) {
        out(compact(done));
        return Ok;
    }
    outLine(QStringLiteral("Exception %1 resolved: the unit is received on case %2, line %3.%4")
                .arg(id)
                .arg(done[QLatin1String("case_number")].toString())
                .arg(done[QLatin1String("line")].toInteger())
                .arg(done[QLatin1String("case_complete")].toBool()
                         ? QStringLiteral(" Case %1 is complete.")
                               .arg(done[QLatin1String("case_number")].toString())
                         : QString()));
    return Ok;
}

void printFormChange(const QJsonObject &o)
{
    const auto lines = [&o](const char *key) {
        QStringList l;
        for (const QJsonValue v : o[QLatin1String(key)].toArray())
            l.append(QString::number(v.toInteger()));
        return l.isEmpty() ? QStringLiteral("none") : l.join(QLatin1String(", "));
    };
    outLine(QStringLiteral("Case %1 from %2 (SHA-256 %3): %4 lines before, %5 after.")
                .arg(o[QLatin1String("case_number")].toString(), o[QLatin1String("file_name")].toString(),
                     o[QLatin1String("sha256")].toString())
                .arg(o[QLatin1String("lines_before")].toInteger())
                .arg(o[QLatin1String("lines_after")].toInteger()));
    outLine(QStringLiteral("  lines added: %1").arg(lines("lines_added")));
    outLine(QStringLiteral("  lines changed: %1").arg(lines("lines_changed")));
    outLine(QStringLiteral("  lines removed: %1").arg(lines("lines_removed")));
    for (const QJsonValue v : o[QLatin1String("receipts_moved")].toArray())
        outLine(QStringLiteral("  received unit %1 moves from line %2 to line %3")
                    .arg(v[QLatin1String("serial")].toString())
                    .arg(v[QLatin1String("from_line")].toInteger())
                    .arg(v[QLatin1String("to_line")].toInteger()));
    for (const QJsonValue v : o[QLatin1String("receipts_orphaned")].toArray())
        outLine(QStringLiteral("  received unit %1 loses line %2 and becomes an exception")
                    .arg(v[QLatin1String("serial")].toString())
                    .arg(v[QLatin1String("line")].toInteger()));
    for (const QJsonValue v : o[QLatin1String("now_expected")].toArray())
        outLine(QStringLiteral("  exception #%1 (%2, serial %3) becomes now expected on line %4")
                    .arg(v[QLatin1String("exception_id")].toInteger())
                    .arg(v[QLatin1String("kind")].toString(), v[QLatin1String("serial")].toString())
                    .arg(v[QLatin1String("line")].toInteger()));
}

// Reads the form (rs_forms), previews the change (the same import rolled back), asks on a terminal, applies.
int cmdImportForm(Context &ctx, const QStringList &args)
{
    const QCommandLineParser &p = ctx.parser;
    if (args.size() != 2 || !p.isSet(QStringLiteral("operator"))) {
        err(QStringLiteral(
            "usage: receiving-cli import-form FILE [--case CASE] [--dry-run] [--json] --operator "
            "SUPERVISOR-BADGE [--pin-file F]"));
        return Usage;
    }
    QFile f(args[1]);
    if (!f.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("receiving-cli: cannot read %1: %2").arg(args[1], f.errorString()));
        return Failed;
    }
    const QString sha256 =
        QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
    f.close();
    QString why;
    const std::optional<Workbook> book = SpreadsheetReader::read(args[1], &why);
    if (!book) {
        err(QStringLiteral("receiving-cli: ") + why);
        return Failed;
    }
    const std::optional<TradeInForm> form =
        TradeInForm::fromWorkbook(*book, p.value(QStringLiteral("case")), &why);
    if (!form) {
        err(QStringLiteral("receiving-cli: ") + why);
        return Failed;
    }
    TradeInFormImport in;
    in.caseNumber = form->caseNumber;
    in.sheetName = form->sheetName;
    in.fileName = QFileInfo(args[1]).fileName();
    in.sha256 = sha256;
    for (const TradeInForm::Line &l : form->lines)
        in.lines.append(TradeInFormImport::Line{l.line, l.sku, l.description, l.serial, l.quantity, l.sheet,
                                                l.row, l.serialColumn});
    if (int rc = requireSupervisorPin(ctx, QStringLiteral("pin-file")))
        return rc;
    SystemClock clock;
    const bool dryRun = p.isSet(QStringLiteral("dry-run"));
    const bool json = p.isSet(QStringLiteral("json"));
    const QString op = p.value(QStringLiteral("operator"));
    try {
        SupervisorService service = supervisorService(ctx, clock);
        const QJsonObject preview = service.importForm(in, true, op);
        if (dryRun) {
            json ? out(compact(preview)) : printFormChange(preview);
            if (!json)
                outLine(QStringLiteral("Dry run: nothing was changed."));
            return Ok;
        }
        if (!json) {
            printFormChange(preview);
            if (isatty(STDIN_FILENO)) {
                out("Apply this change? [y/N] ");
                char answer[16] = {};
                if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
                    outLine(QStringLiteral("Nothing was changed."));
                    return Failed;
                }
            }
        }
        const QJsonObject done = service.importForm(in, false, op);
        if (json)
            out(compact(done));
        else
            outLine(QStringLiteral("Imported: case %1 now has %2 lines.")
                        .arg(done[QLatin1String("case_number")].toString())
                        .arg(done[QLatin1String("lines_after")].toInteger()));
    } catch (const SupervisorError &e) {
        return refused(e);
    } catch (const DbException &e) {
        return notSaved(e);
    }
    return Ok;
}

int cmdExceptions(Context &ctx, const QStringList &args)
{
    if (args.size() >= 2 && args[1] == QLatin1String("show"))
        return cmdExceptionShow(ctx, args);
    if (args.size() >= 2 && args[1] == QLatin1String("resolve"))
        return cmdExceptionResolve(ctx, args);
    if (args.size() >= 2 && args[1] == QLatin1String("assign"))
        return cmdExceptionAssign(ctx, args);
    SupervisorService::ExceptionFilter filter;
    filter.includeClosed = ctx.parser.isSet(QStringLiteral("all"));
    filter.nowExpected = ctx.parser.isSet(QStringLiteral("now-expected"));
    filter.kind = ctx.parser.value(QStringLiteral("kind"));
    if (ctx.parser.isSet(QStringLiteral("older-than"))) {
        bool ok = false;
        filter.minAgeHours = ctx.parser.value(QStringLiteral("older-than")).toInt(&ok);
        if (!ok || filter.minAgeHours < 0) {
            err(QStringLiteral("receiving-cli: --older-than must be a whole number of hours."));
            return Usage;
        }
    }
    if (args.size() != 1) {
        err(QStringLiteral(
            "usage: receiving-cli exceptions [--kind K] [--older-than HOURS] [--now-expected] [--all] "
            "[--json] | exceptions show ID | exceptions resolve ID ... | exceptions assign ID ..."));
        return Usage;
    }
    if (int rc = openDatabase(ctx))
        return rc;
    SystemClock clock;
    const QJsonArray list = supervisorService(ctx, clock).exceptions(filter);
    if (ctx.parser.isSet(QStringLiteral("json"))) {
        printJsonArray(list);
        return Ok;
    }
    if (list.isEmpty()) {
        outLine(filter.includeClosed ? QStringLiteral("No exceptions.")
                                     : QStringLiteral("No open exceptions."));
        return Ok;
    }
    for (const QJsonValue v : list) {
        const QJsonObject x = v.toObject();
        const QJsonObject ne = x[QLatin1String("now_expected")].toObject();
        outLine(QStringLiteral("#%1  %2  %3  serial %4  box %5  case %6  %7%8")
                    .arg(x[QLatin1String("id")].toInteger())
                    .arg(x[QLatin1String("kind")].toString(), x[QLatin1String("status")].toString(),
                         x[QLatin1String("serial")].toString(QStringLiteral("-")),
                         x[QLatin1String("box")].toString(QStringLiteral("-")),
                         x[QLatin1String("case_number")].toString(QStringLiteral("-")),
                         x[QLatin1String("created_at")].toString(),
                         ne.isEmpty() ? QString()
                                      : QStringLiteral("  now expected: case %1, line %2")
                                            .arg(ne[QLatin1String("case_number")].toString())
                                            .arg(ne[QLatin1String("line")].toInteger())));
    }
    return Ok;
}

int cmdClosePartial(Context &ctx, const QStringList &args)
{
    const QCommandLineParser &p = ctx.parser;
    if (args.size() != 3 || !p.isSet(QStringLiteral("note")) || !p.isSet(QStringLiteral("operator"))) {
        err(QStringLiteral(
            "usage: receiving-cli case close-partial CASE --note TEXT --operator SUPERVISOR-BADGE "
            "[--pin-file F]"));
        return Usage;
    }
    if (int rc = requireSupervisorPin(ctx, QStringLiteral("pin-file")))
        return rc;
    SystemClock clock;
    try {
        supervisorService(ctx, clock)
            .approvePartialClosure(args[2], p.value(QStringLiteral("note")),
                                   p.value(QStringLiteral("operator")));
    } catch (const SupervisorError &e) {
        return refused(e);
    } catch (const DbException &e) {
        return notSaved(e);
    }
    outLine(QStringLiteral("Case %1 closed with lines missing; the partial closure goes upstream after its "
                           "receipts.")
                .arg(args[2].trimmed().toUpper()));
    return Ok;
}

void printCaseRows(const QJsonArray &cases, bool dueSoon)
{
    for (const QJsonValue v : cases) {
        const QJsonObject c = v.toObject();
        if (dueSoon)
            outLine(
                QStringLiteral("%1  due %2 (%3)  %4  %5 units expected, none received")
                    .arg(c[QLatin1String("case_number")].toString(), c[QLatin1String("due_date")].toString(),
                         c[QLatin1String("late")].toBool()
                             ? QStringLiteral("LATE by %1 days")
                                   .arg(-c[QLatin1String("days_left")].toInteger())
                             : QStringLiteral("%1 days left").arg(c[QLatin1String("days_left")].toInteger()),
                         c[QLatin1String("customer")].toString())
                    .arg(c[QLatin1String("expected_units")].toInteger()));
        else
            outLine(QStringLiteral("%1  %2  %3  due %4  %5 of %6 received  (by %7)")
                        .arg(c[QLatin1String("case_number")].toString(),
                             c[QLatin1String("status")].toString(), c[QLatin1String("customer")].toString(),
                             c[QLatin1String("due_date")].toString())
                        .arg(c[QLatin1String("received_units")].toInteger())
                        .arg(c[QLatin1String("expected_units")].toInteger())
                        .arg(c[QLatin1String("matched_by")].toString()));
    }
}

int cmdCases(Context &ctx, const QStringList &args)
{
    const bool search = args.size() == 3 && args[1] == QLatin1String("search");
    const bool dueSoon = args.size() == 2 && args[1] == QLatin1String("due-soon");
    if (!search && !dueSoon) {
        err(QStringLiteral(
            "usage: receiving-cli cases search TEXT [--json] | cases due-soon [--days N] [--json]"));
        return Usage;
    }
    int days = 14;
    if (ctx.parser.isSet(QStringLiteral("days"))) {
        bool ok = false;
        days = ctx.parser.value(QStringLiteral("days")).toInt(&ok);
        if (!ok || days < 0 || days > 3650) {
            err(QStringLiteral("receiving-cli: --days must be a number from 0 to 3650."));
            return Usage;
        }
    }
    if (int rc = openDatabase(ctx))
        return rc;
    SystemClock clock;
    SupervisorService s = supervisorService(ctx, clock);
    const QJsonArray cases = search ? s.searchCases(args[2]) : s.casesDueSoon(days);
    if (ctx.parser.isSet(QStringLiteral("json"))) {
        printJsonArray(cases);
        return Ok;
    }
    if (cases.isEmpty())
        outLine(search
                    ? QStringLiteral("No case matches \"%1\".").arg(args[2])
                    : QStringLiteral("No open case is due within %1 days with nothing received.").arg(days));
    printCaseRows(cases, dueSoon);
    return Ok;
}

int cmdBoxes(Context &ctx, const QStringList &args)
{
    if (args.size() != 1) {
        err(QStringLiteral("usage: receiving-cli boxes [--json]"));
        return Usage;
    }
    if (int rc = openDatabase(ctx))
        return rc;
    SystemClock clock;
    const QJsonArray boxes = supervisorService(ctx, clock).openBoxes();
    if (ctx.parser.isSet(QStringLiteral("json"))) {
        printJsonArray(boxes);
        return Ok;
    }
    if (boxes.isEmpty())
        outLine(QStringLiteral("No box is open."));
    for (const QJsonValue v : boxes) {
        const QJsonObject b = v.toObject();
        outLine(QStringLiteral("%1  box %2  case %3  operator %4  opened %5  last scan %6  %7 units")
                    .arg(b[QLatin1String("station_id")].toString(), b[QLatin1String("label")].toString(),
                         b[QLatin1String("case_number")].toString(QStringLiteral("-")),
                         b[QLatin1String("operator_id")].toString(QStringLiteral("-")),
                         b[QLatin1String("opened_at")].toString(),
                         b[QLatin1String("last_scan_at")].toString(QStringLiteral("-")))
                    .arg(b[QLatin1String("units")].toInteger()));
    }
    return Ok;
}

int cmdCondition(Context &ctx, const QStringList &args)
{
    bool ok = false;
    const qint64 receipt = args.value(1).toLongLong(&ok);
    if (args.size() != 3 || !ok || !ctx.parser.isSet(QStringLiteral("operator"))) {
        err(QStringLiteral(
            "usage: receiving-cli condition RECEIPT_ID working|damaged|not_working [--note TEXT] "
            "--station S --operator ID"));
        return Usage;
    }
    if (int rc = openDatabase(ctx))
        return rc;
    SystemClock clock;
    try {
        setUnitCondition(ctx.db, clock, ctx.config.stationId, receipt, args[2],
                         ctx.parser.value(QStringLiteral("note")),
                         ctx.parser.value(QStringLiteral("operator")));
    } catch (const SupervisorError &e) {
        return refused(e);
    } catch (const DbException &e) {
        return notSaved(e);
    }
    outLine(QStringLiteral("Receipt %1 marked %2.").arg(receipt).arg(args[2]));
    return Ok;
}

int cmdSettings(Context &ctx, const QStringList &args)
{
    const bool set = args.size() == 4 && args[1] == QLatin1String("set");
    if (!(args.size() == 1 || (set && ctx.parser.isSet(QStringLiteral("operator"))))) {
        err(QStringLiteral("usage: receiving-cli settings [--json] | settings set KEY VALUE --operator "
                           "SUPERVISOR-BADGE [--pin-file F]"));
        return Usage;
    }
    if (int rc = set ? requireSupervisorPin(ctx, QStringLiteral("pin-file")) : openDatabase(ctx))
        return rc;
    SystemClock clock;
    SupervisorService s = supervisorService(ctx, clock);
    if (set) {
        try {
            s.setSetting(args[2], args[3], ctx.parser.value(QStringLiteral("operator")));
        } catch (const SupervisorError &e) {
            return refused(e);
        } catch (const DbException &e) {
            return notSaved(e);
        }
        outLine(QStringLiteral("Setting %1 is now %2.")
                    .arg(args[2].trimmed(), s.settings()[args[2].trimmed()].toString()));
        return Ok;
    }
    const QJsonObject o = s.settings();
    if (ctx.parser.isSet(QStringLiteral("json"))) {
        out(compact(o));
        return Ok;
    }
    for (auto it = o.constBegin(); it != o.constEnd(); ++it)
        outLine(QStringLiteral("%1 = %2").arg(it.key(), it.value().isNull() ? QStringLiteral("(not set)")
                                                                            : it.value().toString()));
    return Ok;
}

int cmdAudit(Context &ctx, const QStringList &args)
{
    if (args.size() != 2 || args[1] != QLatin1String("verify")) {
        err(QStringLiteral("usage: receiving-cli audit verify [--expect-head [ID:]HASH]"));
        return Usage;
    }
    std::optional<AuditLog::ExpectedHead> expected;
    if (ctx.parser.isSet(QStringLiteral("expect-head"))) {
        expected = AuditLog::ExpectedHead::parse(ctx.parser.value(QStringLiteral("expect-head")));
        if (!expected) {
            err(QStringLiteral(
                "receiving-cli: --expect-head takes a head as the journal, the metrics and audit "
                "verify print it: ID:HASH or HASH, HASH being 64 hex digits."));
            return Usage;
        }
    }
    if (int rc = openDatabase(ctx))
        return rc;
    const AuditLog::Verification v = AuditLog::verify(ctx.db, expected);
    if (!v.ok) {
        err(QStringLiteral("receiving-cli: ") + v.message);
        return Failed;
    }
    outLine(v.message);
    return Ok;
}

int cmdOperator(Context &ctx, const QStringList &args)
{
    const QCommandLineParser &p = ctx.parser;
    const QString sub = args.value(1);
    const char *usage =
        "usage: receiving-cli operator add --badge B --name N --role dock|supervisor [--pin-file F] "
        "[--operator SUPERVISOR-BADGE --operator-pin-file F]\n"
        "       receiving-cli operator disable BADGE --operator SUPERVISOR-BADGE [--pin-file F]\n"
        "       receiving-cli operator set-pin BADGE --pin-file NEW-PIN-FILE --operator SUPERVISOR-BADGE "
        "[--operator-pin-file F]";
    const bool add = sub == QLatin1String("add") && args.size() == 2 && p.isSet(QStringLiteral("badge")) &&
                     p.isSet(QStringLiteral("name")) && p.isSet(QStringLiteral("role"));
    const bool disable = sub == QLatin1String("disable") && args.size() == 3;
    const bool setPin =
        sub == QLatin1String("set-pin") && args.size() == 3 && p.isSet(QStringLiteral("pin-file"));
    if (!add && !disable && !setPin) {
        err(QLatin1String(usage));
        return Usage;
    }
    std::optional<Operators::Role> role;
    if (add) {
        role = Operators::roleFromName(p.value(QStringLiteral("role")));
        if (!role) {
            err(QStringLiteral("receiving-cli: --role must be dock or supervisor."));
            return Usage;
        }
    }
    // add and set-pin: --pin-file is the operator's new PIN, and the acting supervisor's comes from
    // --operator-pin-file or the terminal; disable has no new PIN, so --pin-file is the supervisor's.
    QString newPin;
    if ((add || setPin) && p.isSet(QStringLiteral("pin-file"))) {
        QString why;
        const std::optional<QString> pin = pinFromFile(p.value(QStringLiteral("pin-file")), &why);
        if (!pin) {
            err(QStringLiteral("receiving-cli: ") + why);
            return Failed;
        }
        newPin = *pin;
    }
    if (int rc = openDatabase(ctx))
        return rc;
    Operators operators(ctx.db);
    // The first supervisor of a database is added without anyone's PIN: there is nobody to ask yet.
    const bool bootstrap = add && *role == Operators::Role::Supervisor && !operators.everHadSupervisor();
    if (bootstrap && newPin.isEmpty()) {
        err(QStringLiteral("receiving-cli: a supervisor needs a PIN: give --pin-file with 4 to 8 digits."));
        return Failed;
    }
    if (!bootstrap) {
        if (add && !operators.everHadSupervisor()) {
            err(QStringLiteral("receiving-cli: this database has no supervisor yet: add one first with "
                               "operator add --role supervisor --pin-file F."));
            return Failed;
        }
        if (add && *role == Operators::Role::Supervisor && newPin.isEmpty()) {
            err(QStringLiteral(
                "receiving-cli: a supervisor needs a PIN: give --pin-file with 4 to 8 digits."));
            return Failed;
        }
        if (int rc = requireSupervisorPin(ctx, disable ? QStringLiteral("pin-file")
                                                       : QStringLiteral("operator-pin-file")))
            return rc;
    }
    QString why;
    if (disable) {
        if (!operators.disable(args[2], actor(ctx), &why)) {
            err(QStringLiteral("receiving-cli: ") + why);
            return Failed;
        }
        outLine(QStringLiteral("Operator %1 is disabled: that badge and PIN sign nobody in.")
                    .arg(args[2].trimmed().toUpper()));
        return Ok;
    }
    if (setPin) {
        if (!operators.setPin(args[2], newPin, actor(ctx), &why)) {
            err(QStringLiteral("receiving-cli: ") + why);
            return Failed;
        }
        outLine(QStringLiteral("New PIN set for %1.").arg(args[2].trimmed().toUpper()));
        return Ok;
    }
    const auto added =
        operators.add(p.value(QStringLiteral("badge")), p.value(QStringLiteral("name")), *role, newPin,
                      bootstrap ? QStringLiteral("cli:") + unixUser() : actor(ctx), &why);
    if (!added) {
        err(QStringLiteral("receiving-cli: ") + why);
        return Failed;
    }
    outLine(QStringLiteral("Added %1 operator %2 with badge %3%4.")
                .arg(Operators::roleName(added->role), added->name, added->badge,
                     newPin.isEmpty() ? QString() : QStringLiteral(" and a PIN")));
    return Ok;
}

// A store that knows nothing: decode classifies a picture's codes by their shape alone, without a database.
class ShapeOnlyFacts : public ScanFacts
{
public:
    bool isBadge(const QString &) override { return false; }
    bool isKnownTracking(const QString &) override { return false; }
    bool isKnownSerial(const QString &) override { return false; }
    bool isSkuOfActiveCase(const QString &) override { return false; }
};

int cmdDecode(Context &ctx, const QStringList &args)
{
    if (args.size() != 2) {
        err(QStringLiteral("usage: receiving-cli decode FILE [--json]"));
        return Usage;
    }
    QImageReader reader(args[1]);
    reader.setAllocationLimit(512); // MiB: a picture bigger than any camera frame is refused, not decoded
    const QImage image = reader.read();
    if (image.isNull()) {
        err(QStringLiteral("receiving-cli: cannot read the picture %1: %2")
                .arg(args[1], reader.errorString()));
        return Failed;
    }
    QString why;
    const std::optional<DecodeSettings> settings = DecodeSettings::fromValues(
        [&] {
            // The camera's decoder settings ([scanner.NAME] of type camera) when configured, else the
            // defaults.
            QHash<QString, QString> values;
            for (auto it = ctx.config.values.cbegin(); it != ctx.config.values.cend(); ++it) {
                if (it.key().startsWith(QLatin1String("decoder.")))
                    values.insert(it.key().mid(8), it.value());
            }
            return values;
        }(),
        &why);
    if (!settings) {
        err(QStringLiteral("receiving-cli: ") + why);
        return Usage;
    }
    DecoderProcess::Options options;
    options.settings = *settings;
    DecoderProcess decoder(options);
    const QImage grey = GreyFrame::toGrayscale8(image);
    const DecoderProcess::Outcome result = decoder.decodeBlocking(GreyFrame::fromImage(grey), 30000);
    decoder.stop();
    if (!result.ok()) {
        err(QStringLiteral("receiving-cli: the picture could not be decoded: ") + result.error);
        return Failed;
    }
    ShapeOnlyFacts facts;
    const bool json = ctx.parser.isSet(QStringLiteral("json"));
    for (const DecodedBarcode &b : result.barcodes) {
        const Classification c = ScanClassifier::classify(ScanNormaliser::normalise(b.scannerBytes()), facts,
                                                          LabelFields::fromConfig(ctx.config.values));
        const QString kind = kindName(c.kind);
        if (json) {
            out(BarcodeDecoder::toJsonLine(b, kind));
            continue;
        }
        QStringList corners;
        for (const QPoint &p : b.position)
            corners << QStringLiteral("%1,%2").arg(p.x()).arg(p.y());
        outLine(QStringLiteral("%1  %2  %3  at %4")
                    .arg(b.format.leftJustified(12), kind.leftJustified(15),
                         ScanNormaliser::displayForm(b.text.toUtf8()), corners.join(QLatin1Char(' '))));
    }
    if (!json && result.barcodes.isEmpty())
        err(QStringLiteral("receiving-cli: no barcode found in %1.").arg(args[1]));
    return Ok;
}

volatile std::sig_atomic_t stopRequested = 0;

QString countsLine(const QHash<QString, qint64> &c)
{
    return QStringLiteral(
               "Outbox: %1 held (open boxes), %2 pending, %3 delivered, %4 dead letters, %5 cancelled.")
        .arg(c.value(QStringLiteral("held")))
        .arg(c.value(QStringLiteral("pending")))
        .arg(c.value(QStringLiteral("delivered")))
        .arg(c.value(QStringLiteral("dead")))
        .arg(c.value(QStringLiteral("cancelled")));
}

int cmdSync(Context &ctx)
{
    QString why;
    const std::optional<UpstreamConfig> upstream = UpstreamConfig::fromStation(ctx.config, &why);
    if (!upstream) {
        err(QStringLiteral("receiving-cli: ") + why);
        return Usage;
    }
    if (!upstream->isConfigured()) {
        err(QStringLiteral(
            "receiving-cli: no upstream is configured (upstream.url or RECEIVING_UPSTREAM_URL)."));
        return Usage;
    }
    if (int rc = openDatabase(ctx))
        return rc;
    CurlTransport::Options topt;
    topt.caBundle = upstream->caBundle;
    topt.connectTimeoutMs = upstream->connectTimeoutMs;
    topt.totalTimeoutMs = upstream->totalTimeoutMs;
    topt.maxConnections = upstream->concurrency;
    CurlTransport transport(topt);
    SystemClock clock;
    RetryPolicy::Options popt;
    popt.capMs = qint64(upstream->backoffCapSec) * 1000;
    SyncEngine engine(ctx.db, transport, *upstream, clock, RetryPolicy(popt));
    // Boxes nobody closed are closed after the idle time, so their held receipts go upstream too.
    IdleBoxes boxes(ctx.db, clock);
    const bool once = ctx.parser.isSet(QStringLiteral("once"));
    if (!once) {
        std::signal(SIGINT, [](int) { stopRequested = 1; });
        std::signal(SIGTERM, [](int) { stopRequested = 1; });
    }
    QDateTime nextPull;
    QString shownError; // a lasting problem is printed when it starts or changes, not every round
    for (;;) {
        SyncEngine::RunSummary run;
        try {
            const int boxIdleMinutes = upstream->effectiveBoxIdleMinutes(ctx.db); // settings table first
            if (const int closed = boxes.close(boxIdleMinutes))
                outLine(
                    QStringLiteral("Closed %1 box(es) idle for %2 minutes.").arg(closed).arg(boxIdleMinutes));
            if (once || !nextPull.isValid() || clock.nowUtc() >= nextPull) {
                run = engine.runOnce();
                nextPull = clock.nowUtc().addSecs(upstream->pullIntervalSec);
            } else {
                while (!stopRequested) {
                    const SyncEngine::PushResult r = engine.pushDue();
                    run.push.sent += r.sent;
                    run.push.delivered += r.delivered;
                    run.push.retried += r.retried;
                    run.push.dead += r.dead;
                    if (r.sent == 0 || r.problem != SyncEngine::Problem::None)
                        break;
                }
            }
            const SyncStatus st = engine.status();
            if (once || run.pull.pages > 0 || run.push.sent > 0 || st.lastError != shownError) {
                shownError = st.lastError;
                outLine(QStringLiteral("Pulled %1 changed cases in %2 pages. Sent %3 events: %4 delivered, "
                                       "%5 to retry, %6 dead letters.")
                            .arg(run.pull.cases)
                            .arg(run.pull.pages)
                            .arg(run.push.sent)
                            .arg(run.push.delivered)
                            .arg(run.push.retried)
                            .arg(run.push.dead));
                outLine(countsLine(OutboxStore(ctx.db).countsByState()));
                if (!st.lastError.isEmpty())
                    err(QStringLiteral("receiving-cli: ") + st.lastError);
            }
            if (once) {
                // A closure held back by a dead receipt of its case waits for a person, not for the upstream.
                if (st.credentialProblem || !st.online || OutboxStore(ctx.db).awaitingUpstream() > 0)
                    return UpstreamUnavailable;
                return st.dead > 0 ? DeadLetters : Ok;
            }
        } catch (const DbException &e) {
            err(QStringLiteral("receiving-cli: sync stopped: %1").arg(e.error().message));
            return DatabaseUnusable;
        }
        // Sleep until the next retry or pull is due, waking often enough to notice new events and signals.
        for (int i = 0; i < 10 && !stopRequested; ++i)
            QThread::msleep(100);
        if (stopRequested)
            return Ok;
    }
}

int cmdOutbox(Context &ctx, const QStringList &args)
{
    if (int rc = openDatabase(ctx))
        return rc;
    OutboxStore outbox(ctx.db);
    if (args.size() == 3 && args[1] == QLatin1String("retry")) {
        bool ok = false;
        const qint64 id = args[2].toLongLong(&ok);
        if (!ok) {
            err(QStringLiteral("usage: receiving-cli outbox retry ID --operator SUPERVISOR-BADGE"));
            return Usage;
        }
        const QString op = ctx.parser.value(QStringLiteral("operator"));
        if (int rc = requireSupervisorPin(ctx, QStringLiteral("pin-file")))
            return rc;
        if (!outbox.retryDead(id, op.trimmed().toUpper(), QDateTime::currentDateTimeUtc())) {
            err(QStringLiteral("receiving-cli: outbox event %1 is not a dead letter.").arg(id));
            return Failed;
        }
        outLine(QStringLiteral("Event %1 will be sent again at the next sync.").arg(id));
        return Ok;
    }
    if (args.size() != 1) {
        err(QStringLiteral(
            "usage: receiving-cli outbox [--json] | outbox retry ID --operator SUPERVISOR-BADGE "
            "[--pin-file F]"));
        return Usage;
    }
    const QHash<QString, qint64> counts = outbox.countsByState();
    if (ctx.parser.isSet(QStringLiteral("json"))) {
        QJsonObject o;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            o.insert(it.key(), it.value());
        QList<QString> errors;
        const QList<OutboxStore::Event> dead = outbox.deadLetters(&errors);
        QJsonArray deadArray;
        for (qsizetype i = 0; i < dead.size(); ++i)
            deadArray.append(QJsonObject{{QStringLiteral("id"), dead[i].id},
                                         {QStringLiteral("kind"), dead[i].kind},
                                         {QStringLiteral("case_number"), dead[i].caseNumber},
                                         {QStringLiteral("attempts"), dead[i].attempts},
                                         {QStringLiteral("last_error"), errors.value(i)}});
        out(compact(QJsonObject{{QStringLiteral("counts"), o}, {QStringLiteral("dead_letters"), deadArray}}));
        return Ok;
    }
    outLine(countsLine(counts));
    QList<QString> errors;
    const QList<OutboxStore::Event> dead = outbox.deadLetters(&errors);
    for (qsizetype i = 0; i < dead.size(); ++i)
        outLine(QStringLiteral("  dead #%1 %2 %3: %4")
                    .arg(dead[i].id)
                    .arg(dead[i].kind, dead[i].caseNumber, errors.value(i)));
    return Ok;
}

int cmdDemoData(Context &ctx)
{
    DemoData::Options o;
    o.today = QDateTime::currentDateTimeUtc().toTimeZone(ctx.config.timeZone).date();
    if (ctx.parser.isSet(QStringLiteral("today"))) {
        o.today = QDate::fromString(ctx.parser.value(QStringLiteral("today")), Qt::ISODate);
        if (!o.today.isValid()) {
            err(QStringLiteral("receiving-cli: --today must be a date like 2026-11-26."));
            return Usage;
        }
    }
    if (ctx.parser.isSet(QStringLiteral("serials"))) {
        bool ok = false;
        o.bulkSerials = ctx.parser.value(QStringLiteral("serials")).toLongLong(&ok);
        if (!ok || o.bulkSerials < 0 || o.bulkSerials > 10'000'000) {
            err(QStringLiteral("receiving-cli: --serials must be a number from 0 to 10000000."));
            return Usage;
        }
    }
    if (int rc = openDatabase(ctx))
        return rc;
    try {
        if (const QString why = DemoData::refusal(ctx.db); !why.isEmpty()) {
            err(QStringLiteral("receiving-cli: ") + why);
            return Failed;
        }
        const DemoData::Summary s = DemoData::write(ctx.db, o);
        outLine(QStringLiteral("Demo data written: %1 cases, %2 expected serials, %3 new operators.")
                    .arg(s.cases)
                    .arg(s.serials)
                    .arg(s.operators));
    } catch (const DbException &e) {
        err(QStringLiteral("receiving-cli: demo data not written: %1").arg(e.error().message));
        return Failed;
    }
    return Ok;
}
} // namespace

int runCli(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Receiving Station command line.\n\n") +
                                QLatin1String(Commands));
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("what to do (see Commands)"));
    p.addOptions({
        {QStringLiteral("db"),
         QStringLiteral("Database file, or a PostgreSQL URI postgresql://... (overrides database.path and "
                        "database.url)."),
         QStringLiteral("path")},
        {QStringLiteral("config"),
         QStringLiteral("Configuration file (default /etc/receiving-station/station.conf)."),
         QStringLiteral("path")},
        {QStringLiteral("station"), QStringLiteral("Station id (overrides station.id)."),
         QStringLiteral("id")},
        {QStringLiteral("operator"), QStringLiteral("Operator id (badge) the scans are made by."),
         QStringLiteral("id")},
        {QStringLiteral("json"), QStringLiteral("Print JSON.")},
        {QStringLiteral("once"), QStringLiteral("sync: one pull and push, then exit.")},
        {QStringLiteral("pretty"),
         QStringLiteral("scan: print a readable line per verdict instead of JSON.")},
        {QStringLiteral("all"), QStringLiteral("exceptions: include resolved and cancelled ones.")},
        {QStringLiteral("badge"), QStringLiteral("operator add: badge id."), QStringLiteral("id")},
        {QStringLiteral("name"), QStringLiteral("operator add: full name."), QStringLiteral("name")},
        {QStringLiteral("role"), QStringLiteral("operator add: dock or supervisor."), QStringLiteral("role")},
        {QStringLiteral("pin-file"),
         QStringLiteral("Supervisor commands: file holding the acting supervisor's PIN (else asked on the "
                        "terminal). operator add/set-pin: the operator's new PIN (4-8 digits)."),
         QStringLiteral("file")},
        {QStringLiteral("operator-pin-file"),
         QStringLiteral("operator add/set-pin: file holding the acting supervisor's PIN (else asked on the "
                        "terminal)."),
         QStringLiteral("file")},
        {QStringLiteral("serials"), QStringLiteral("demo-data: bulk expected serials to add."),
         QStringLiteral("n")},
        {QStringLiteral("today"), QStringLiteral("demo-data: the date the demo is relative to."),
         QStringLiteral("date")},
        {QStringLiteral("kind"), QStringLiteral("exceptions: only this kind."), QStringLiteral("kind")},
        {QStringLiteral("older-than"), QStringLiteral("exceptions: only those at least this many hours old."),
         QStringLiteral("hours")},
        {QStringLiteral("now-expected"),
         QStringLiteral("exceptions: only units a case now expects (after a case change).")},
        {QStringLiteral("dry-run"), QStringLiteral("import-form: show what would change, change nothing.")},
        {QStringLiteral("resolution"),
         QStringLiteral(
             "exceptions resolve: assign_to_case, confirm_cross_case, not_tmip or return_to_sender."),
         QStringLiteral("resolution")},
        {QStringLiteral("case"),
         QStringLiteral("exceptions resolve: the case to assign the unit to. import-form: the form's case."),
         QStringLiteral("case")},
        {QStringLiteral("sku"), QStringLiteral("exceptions resolve: the unit's SKU, when it has none."),
         QStringLiteral("sku")},
        {QStringLiteral("note"), QStringLiteral("Why (supervisor actions, condition)."),
         QStringLiteral("text")},
        {QStringLiteral("expect-head"),
         QStringLiteral("audit verify: an audit head published earlier (journal, metrics), ID:HASH or HASH; "
                        "fails unless the log still holds it."),
         QStringLiteral("head")},
        {QStringLiteral("days"), QStringLiteral("cases due-soon: how many days ahead (14)."),
         QStringLiteral("n")},
    });
    if (!p.parse(arguments)) {
        err(QStringLiteral("receiving-cli: %1\nTry receiving-cli --help.").arg(p.errorText()));
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        outLine(p.helpText());
        return Ok;
    }
    if (p.isSet(QStringLiteral("version"))) {
        outLine(QStringLiteral("receiving-cli ") + QCoreApplication::applicationVersion());
        return Ok;
    }
    const QStringList args = p.positionalArguments();
    if (args.isEmpty()) {
        err(QStringLiteral("receiving-cli: which command?\n") + QLatin1String(Commands));
        return Usage;
    }
    std::optional<StationConfig> config = loadCliConfig(p);
    if (!config)
        return Usage;
    Context ctx{p, std::move(*config), {}};
    const QString &cmd = args.front();
    if (cmd == QLatin1String("init"))
        return cmdInit(ctx);
    if (cmd == QLatin1String("import-cases"))
        return cmdImport(ctx, args);
    if (cmd == QLatin1String("import-form"))
        return cmdImportForm(ctx, args);
    if (cmd == QLatin1String("scan"))
        return cmdScan(ctx);
    if (cmd == QLatin1String("case"))
        return cmdCase(ctx, args);
    if (cmd == QLatin1String("exceptions"))
        return cmdExceptions(ctx, args);
    if (cmd == QLatin1String("cases"))
        return cmdCases(ctx, args);
    if (cmd == QLatin1String("boxes"))
        return cmdBoxes(ctx, args);
    if (cmd == QLatin1String("condition"))
        return cmdCondition(ctx, args);
    if (cmd == QLatin1String("settings"))
        return cmdSettings(ctx, args);
    if (cmd == QLatin1String("audit"))
        return cmdAudit(ctx, args);
    if (cmd == QLatin1String("operator"))
        return cmdOperator(ctx, args);
    if (cmd == QLatin1String("decode"))
        return cmdDecode(ctx, args);
    if (cmd == QLatin1String("sync"))
        return cmdSync(ctx);
    if (cmd == QLatin1String("outbox"))
        return cmdOutbox(ctx, args);
    if (cmd == QLatin1String("demo-data"))
        return cmdDemoData(ctx);
    err(QStringLiteral("receiving-cli: unknown command \"%1\".\n").arg(cmd) + QLatin1String(Commands));
    return Usage;
}

std::optional<StationConfig> loadCliConfig(const QCommandLineParser &p)
{
    QHash<QString, QString> flags;
    if (p.isSet(QStringLiteral("db")))
        flags.insert(QStringLiteral("database.path"), p.value(QStringLiteral("db")));
    if (p.isSet(QStringLiteral("station")))
        flags.insert(QStringLiteral("station.id"), p.value(QStringLiteral("station")));
    QString why;
    std::optional<StationConfig> config = StationConfig::load(p.value(QStringLiteral("config")), flags, &why);
    if (!config)
        err(QStringLiteral("receiving-cli: ") + why);
    return config;
}

int requireCliSupervisorPin(QCommandLineParser &parser, const StationConfig &config, const QString &pinOption)
{
    Context ctx{parser, config, {}};
    return requireSupervisorPin(ctx, pinOption);
}
