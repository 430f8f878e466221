// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportCommands.h"
#include "CertificateOfReceipt.h"
#include "CliSupport.h"
#include "Database.h"
#include "ReportQueries.h"
#include "ReportWriters.h"
#include "StationConfig.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstdio>
#include <pwd.h>
#include <unistd.h>

namespace {
enum Exit { Ok = 0, Failed = 1, Usage = 2, DatabaseUnusable = 3 };

const char *const Help =
    R"(Reports (supervisors: --operator BADGE and the PIN, by --pin-file F or on the terminal):
  report receipts --from DATE --to DATE [--format csv|xlsx|pdf] [--out FILE]
                                every live receipt received in the period (station time)
  report cases [--closed-since DATE] [...]
                                open cases by due date, late ones first, with what arrived
  report exceptions [...]       the open exceptions by kind and age
  report osd --case CASE | --box LABEL [...]
                                over (unexpected units in its boxes), short (missing lines), damaged
                                and not working units
                                csv goes to stdout without --out; xlsx and pdf need --out
  certificate CASE --out FILE.pdf
                                a certificate of receipt of the case (recorded in the audit log)
  certificate CASE --verify FILE.pdf
                                check a certificate: unchanged, issued here, and the case still as certified)";

// Options of every receiving-cli command that take a value, so the command word can be found among them.
const QStringList ValueOptions{QStringLiteral("db"),           QStringLiteral("config"),
                               QStringLiteral("station"),      QStringLiteral("operator"),
                               QStringLiteral("badge"),        QStringLiteral("name"),
                               QStringLiteral("role"),         QStringLiteral("pin-file"),
                               QStringLiteral("serials"),      QStringLiteral("today"),
                               QStringLiteral("to"),           QStringLiteral("from"),
                               QStringLiteral("format"),       QStringLiteral("out"),
                               QStringLiteral("case"),         QStringLiteral("box"),
                               QStringLiteral("closed-since"), QStringLiteral("verify"),
                               QStringLiteral("kind"),         QStringLiteral("older-than"),
                               QStringLiteral("resolution"),   QStringLiteral("sku"),
                               QStringLiteral("note"),         QStringLiteral("expect-head"),
                               QStringLiteral("days"),         QStringLiteral("operator-pin-file")};

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

template <typename Args> QString firstPositional(const Args &arguments, qsizetype count)
{
    for (qsizetype i = 1; i < count; ++i) {
        const QString a = arguments(i);
        if (a == QLatin1String("--"))
            return i + 1 < count ? arguments(i + 1) : QString();
        if (a.startsWith(QLatin1Char('-'))) {
            const QString name = a.mid(a.startsWith(QLatin1String("--")) ? 2 : 1);
            if (!name.contains(QLatin1Char('=')) && ValueOptions.contains(name))
                ++i;
            continue;
        }
        return a;
    }
    return {};
}

bool isReportCommand(const QString &word)
{
    return word == QLatin1String("report") || word == QLatin1String("certificate");
}

std::optional<QDate> dateOption(const QCommandLineParser &p, const char *name, int *rc)
{
    const QString text = p.value(QLatin1String(name)).trimmed();
    const QDate d = QDate::fromString(text, Qt::ISODate);
    static const QRegularExpression shape(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (!shape.match(text).hasMatch() || !d.isValid()) {
        err(QStringLiteral("receiving-cli: --%1 must be a date YYYY-MM-DD; \"%2\" is not.")
                .arg(QLatin1String(name), text));
        *rc = Usage;
        return std::nullopt;
    }
    return d;
}

struct Run
{
    QCommandLineParser &parser;
    StationConfig config;
    Database db;
};

int openDatabase(Run &run)
{
    try {
        run.db.open(run.config.databasePath, Database::Options{5000, false});
        return Ok;
    } catch (const DbException &e) {
        err(QStringLiteral("receiving-cli: cannot use the database %1: %2")
                .arg(Database::displayLocation(run.config.databasePath), e.error().message));
        return DatabaseUnusable;
    }
}

int cmdReport(Run &run, const QStringList &args)
{
    const QCommandLineParser &p = run.parser;
    static const QStringList kinds{QStringLiteral("receipts"), QStringLiteral("cases"),
                                   QStringLiteral("exceptions"), QStringLiteral("osd")};
    if (args.size() != 2 || !kinds.contains(args[1])) {
        err(QStringLiteral("usage: receiving-cli report receipts|cases|exceptions|osd [options]\n") +
            QLatin1String(Help));
        return Usage;
    }
    const QString kind = args[1];
    const QString format = p.isSet(QStringLiteral("format"))
                               ? p.value(QStringLiteral("format")).trimmed().toLower()
                               : QStringLiteral("csv");
    if (format != u"csv" && format != u"xlsx" && format != u"pdf") {
        err(QStringLiteral("receiving-cli: --format must be csv, xlsx or pdf; \"%1\" is not.")
                .arg(p.value(QStringLiteral("format"))));
        return Usage;
    }
    const QString path = p.value(QStringLiteral("out")).trimmed();
    if (path.isEmpty() && format != u"csv") {
        err(QStringLiteral("receiving-cli: a %1 report needs --out FILE.").arg(format));
        return Usage;
    }
    int rc = Ok;
    std::optional<QDate> from, to, closedSince;
    if (kind == u"receipts") {
        if (!p.isSet(QStringLiteral("from")) || !p.isSet(QStringLiteral("to"))) {
            err(QStringLiteral(
                "receiving-cli: report receipts needs --from DATE and --to DATE (YYYY-MM-DD)."));
            return Usage;
        }
        if (!(from = dateOption(p, "from", &rc)) || !(to = dateOption(p, "to", &rc)))
            return rc;
        if (*to < *from) {
            err(QStringLiteral("receiving-cli: --to %1 is before --from %2.")
                    .arg(to->toString(Qt::ISODate), from->toString(Qt::ISODate)));
            return Usage;
        }
    }
    if (kind == u"cases" && p.isSet(QStringLiteral("closed-since")) &&
        !(closedSince = dateOption(p, "closed-since", &rc)))
        return rc;
    if (kind == u"osd" && p.isSet(QStringLiteral("case")) == p.isSet(QStringLiteral("box"))) {
        err(QStringLiteral("receiving-cli: report osd needs either --case CASE or --box LABEL."));
        return Usage;
    }
    // Reports name customers and operators: supervisors only, with their PIN.
    if (int check = requireCliSupervisorPin(run.parser, run.config, QStringLiteral("pin-file")))
        return check;
    if (int open = openDatabase(run))
        return open;
    try {
        ReportQueries q(run.db, run.config.timeZone, QDateTime::currentDateTimeUtc());
        std::optional<Report> report;
        if (kind == u"receipts")
            report = q.receipts(*from, *to);
        else if (kind == u"cases")
            report = q.cases(closedSince);
        else if (kind == u"exceptions")
            report = q.exceptions();
        else if (p.isSet(QStringLiteral("case")))
            report = q.osdForCase(p.value(QStringLiteral("case")));
        else
            report = q.osdForBox(p.value(QStringLiteral("box")));
        if (!report) {
            err(p.isSet(QStringLiteral("case"))
                    ? QStringLiteral("receiving-cli: No case %1 is known to this station.")
                          .arg(p.value(QStringLiteral("case")).trimmed().toUpper())
                    : QStringLiteral("receiving-cli: No box %1 is known to this station.")
                          .arg(p.value(QStringLiteral("box")).trimmed().toUpper()));
            return Failed;
        }
        const ReportHeading heading = q.heading(run.config.reportPaper);
        QString why;
        bool ok = true;
        if (format == u"csv" && path.isEmpty())
            out(CsvReportWriter::toCsv(*report));
        else if (format == u"csv")
            ok = CsvReportWriter::write(*report, path, &why);
        else if (format == u"xlsx")
            ok = XlsxReportWriter::write(heading, *report, path, &why);
        else
            ok = PdfReportWriter::write(heading, *report, path, &why);
        if (!ok) {
            err(QStringLiteral("receiving-cli: report not written: ") + why);
            return Failed;
        }
        if (!path.isEmpty())
            err(QStringLiteral("%1: %2 rows written to %3.")
                    .arg(report->title)
                    .arg(report->rows.size())
                    .arg(path));
    } catch (const DbException &e) {
        err(QStringLiteral("receiving-cli: cannot read the report: ") + e.error().message);
        return DatabaseUnusable;
    }
    return Ok;
}

// The Unix account running this process, for the audit row of a certificate issued without --operator.
QString unixUser()
{
    if (const passwd *pw = getpwuid(geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("uid %1").arg(geteuid());
}

int cmdCertificate(Run &run, const QStringList &args)
{
    const QCommandLineParser &p = run.parser;
    if (args.size() != 2 || (p.isSet(QStringLiteral("out")) == p.isSet(QStringLiteral("verify")))) {
        err(QStringLiteral("usage: receiving-cli certificate CASE --out FILE.pdf | --verify FILE.pdf"));
        return Usage;
    }
    const QString caseNumber = args[1].trimmed().toUpper();
    if (p.isSet(QStringLiteral("verify"))) {
        // Checking needs no rights: it shows nothing the certificate does not already show.
        QFile f(p.value(QStringLiteral("verify")));
        if (!f.open(QIODevice::ReadOnly)) {
            err(QStringLiteral("receiving-cli: cannot read %1: %2").arg(f.fileName(), f.errorString()));
            return Failed;
        }
        const QByteArray bytes = f.read(64LL * 1024 * 1024);
        if (int open = openDatabase(run))
            return open;
        try {
            const CertificateOfReceipt::Verification v =
                CertificateOfReceipt(run.db, run.config.timeZone).verify(caseNumber, bytes);
            if (p.isSet(QStringLiteral("json")))
                out(QJsonDocument(QJsonObject{{QStringLiteral("valid"), v.ok},
                                              {QStringLiteral("case_number"), v.caseNumber},
                                              {QStringLiteral("content_sha256"), v.contentSha256},
                                              {QStringLiteral("audit_head"), v.auditHead},
                                              {QStringLiteral("message"), v.message}})
                        .toJson(QJsonDocument::Compact) +
                    '\n');
            else
                out(v.message.toUtf8() + '\n');
            return v.ok ? Ok : Failed;
        } catch (const DbException &e) {
            err(QStringLiteral("receiving-cli: cannot check the certificate: ") + e.error().message);
            return DatabaseUnusable;
        }
    }
    if (int check = requireCliSupervisorPin(run.parser, run.config, QStringLiteral("pin-file")))
        return check;
    if (int open = openDatabase(run))
        return open;
    try {
        QString why;
        const QString actor = p.value(QStringLiteral("operator")).trimmed().toUpper();
        const std::optional<CertificateOfReceipt::Issued> issued =
            CertificateOfReceipt(run.db, run.config.timeZone)
                .issue(caseNumber, p.value(QStringLiteral("out")), run.config.reportPaper,
                       actor.isEmpty() ? QStringLiteral("cli:") + unixUser() : actor, run.config.stationId,
                       QDateTime::currentDateTimeUtc(), &why);
        if (!issued) {
            err(QStringLiteral("receiving-cli: certificate not written: ") + why);
            return Failed;
        }
        if (p.isSet(QStringLiteral("json")))
            out(QJsonDocument(QJsonObject{{QStringLiteral("case_number"), caseNumber},
                                          {QStringLiteral("file"), issued->path},
                                          {QStringLiteral("units"), issued->units},
                                          {QStringLiteral("missing_lines"), issued->missingLines},
                                          {QStringLiteral("content_sha256"), issued->contentSha256},
                                          {QStringLiteral("file_sha256"), issued->fileSha256},
                                          {QStringLiteral("audit_head"), issued->auditHead.text()}})
                    .toJson(QJsonDocument::Compact) +
                '\n');
        else
            out(QStringLiteral(
                    "Certificate of receipt of case %1 written to %2: %3 units, %4 missing lines, content "
                    "SHA-256 %5.\n")
                    .arg(caseNumber, issued->path)
                    .arg(issued->units)
                    .arg(issued->missingLines)
                    .arg(issued->contentSha256)
                    .toUtf8());
    } catch (const DbException &e) {
        err(QStringLiteral("receiving-cli: certificate not written: ") + e.error().message);
        return DatabaseUnusable;
    }
    return Ok;
}
} // namespace

bool reportCliNeedsGui(int argc, char **argv)
{
    return isReportCommand(
        firstPositional([argv](qsizetype i) { return QString::fromLocal8Bit(argv[i]); }, argc));
}

std::optional<int> runReportCli(const QStringList &arguments)
{
    if (!isReportCommand(
            firstPositional([&arguments](qsizetype i) { return arguments[i]; }, arguments.size())))
        return std::nullopt;
    QCommandLineParser p;
    p.setApplicationDescription(QLatin1String(Help));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("report KIND, or certificate CASE"));
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file, or a PostgreSQL URI."), QStringLiteral("path")},
        {QStringLiteral("config"), QStringLiteral("Configuration file."), QStringLiteral("path")},
        {QStringLiteral("station"), QStringLiteral("Station id (overrides station.id)."),
         QStringLiteral("id")},
        {QStringLiteral("operator"), QStringLiteral("The supervisor's badge."), QStringLiteral("id")},
        {QStringLiteral("pin-file"), QStringLiteral("File holding the supervisor's PIN (else asked)."),
         QStringLiteral("file")},
        {QStringLiteral("from"), QStringLiteral("report receipts: first day, YYYY-MM-DD."),
         QStringLiteral("date")},
        {QStringLiteral("to"), QStringLiteral("report receipts: last day, YYYY-MM-DD."),
         QStringLiteral("date")},
        {QStringLiteral("closed-since"), QStringLiteral("report cases: also cases closed since this day."),
         QStringLiteral("date")},
        {QStringLiteral("case"), QStringLiteral("report osd: the case."), QStringLiteral("case")},
        {QStringLiteral("box"), QStringLiteral("report osd: the box label."), QStringLiteral("label")},
        {QStringLiteral("format"), QStringLiteral("csv (default), xlsx or pdf."), QStringLiteral("format")},
        {QStringLiteral("out"), QStringLiteral("The file to write (csv: stdout without it)."),
         QStringLiteral("file")},
        {QStringLiteral("verify"), QStringLiteral("certificate: check this PDF."), QStringLiteral("file")},
        {QStringLiteral("json"), QStringLiteral("certificate: print JSON.")},
    });
    if (!p.parse(arguments)) {
        err(QStringLiteral("receiving-cli: %1\n").arg(p.errorText()) + QLatin1String(Help));
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out(p.helpText().toUtf8());
        return Ok;
    }
    std::optional<StationConfig> config = loadCliConfig(p);
    if (!config)
        return Usage;
    Run run{p, std::move(*config), {}};
    const QStringList args = p.positionalArguments();
    if (args.front() == u"report")
        return cmdReport(run, args);
    return cmdCertificate(run, args);
}
