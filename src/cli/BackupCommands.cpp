// SPDX-License-Identifier: GPL-3.0-or-later
#include "BackupCommands.h"
#include "Backup.h"
#include "Database.h"
#include "StationConfig.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>
#include <pwd.h>
#include <unistd.h>

namespace {
enum Exit { Ok = 0, Failed = 1, Usage = 2, DatabaseUnusable = 3 };

const char *const Help = R"(Backups:
  backup [--to DIR]             an online copy of the database (SQLite backup API) into backup.directory
                                or DIR, checked with quick_check; keeps the newest backup.keep
  restore FILE                  replace the database with the backup FILE after integrity_check; the station
                                must be stopped (sudo systemctl stop receiving-station); the replaced database
                                is kept beside it as <database>.replaced-<time>; the restore is written to
                                the restored database's audit log (action restore))";

// Options of every receiving-cli command that take a value, so the command word can be found among them.
const QStringList ValueOptions{
    QStringLiteral("db"),       QStringLiteral("config"),   QStringLiteral("station"),
    QStringLiteral("operator"), QStringLiteral("badge"),    QStringLiteral("name"),
    QStringLiteral("role"),     QStringLiteral("pin-file"), QStringLiteral("serials"),
    QStringLiteral("today"),    QStringLiteral("to")};

void line(FILE *f, const QString &s)
{
    const QByteArray b = s.toUtf8() + '\n';
    fwrite(b.constData(), 1, size_t(b.size()), f);
    fflush(f);
}

QString firstPositional(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        if (a == QLatin1String("--"))
            return arguments.value(i + 1);
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

std::optional<StationConfig> loadConfig(const QCommandLineParser &p, QString *why)
{
    QHash<QString, QString> flags;
    if (p.isSet(QStringLiteral("db")))
        flags.insert(QStringLiteral("database.path"), p.value(QStringLiteral("db")));
    return StationConfig::load(p.value(QStringLiteral("config")), flags, why);
}
} // namespace

void configureBackups(const QStringList &arguments)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("db"), QString(), QStringLiteral("path")},
                  {QStringLiteral("config"), QString(), QStringLiteral("path")}});
    for (const QString &o : ValueOptions) {
        if (o != QLatin1String("db") && o != QLatin1String("config"))
            p.addOption({o, QString(), QStringLiteral("value")});
    }
    p.parse(arguments); // unknown options are runCli's to report
    QString why;
    if (const std::optional<StationConfig> c = loadConfig(p, &why)) {
        Backup::setPreMigrationDirectory(c->backupDirectory);
        Backup::setKeep(c->backupKeep);
    }
}

std::optional<int> runBackupCli(const QStringList &arguments)
{
    const QString command = firstPositional(arguments);
    if (command != QLatin1String("backup") && command != QLatin1String("restore"))
        return std::nullopt;
    QCommandLineParser p;
    p.setApplicationDescription(QLatin1String(Help));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("backup or restore"));
    p.addOptions({
        {QStringLiteral("db"),
         QStringLiteral("Database file, or a PostgreSQL URI postgresql://... (overrides database.path and "
                        "database.url)."),
         QStringLiteral("path")},
        {QStringLiteral("config"), QStringLiteral("Configuration file."), QStringLiteral("path")},
        {QStringLiteral("to"), QStringLiteral("backup: the folder (overrides backup.directory)."),
         QStringLiteral("dir")},
    });
    if (!p.parse(arguments)) {
        line(stderr, QStringLiteral("receiving-cli: %1\n%2").arg(p.errorText(), QLatin1String(Help)));
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        line(stdout, p.helpText());
        return Ok;
    }
    QString why;
    const std::optional<StationConfig> config = loadConfig(p, &why);
    if (!config) {
        line(stderr, QStringLiteral("receiving-cli: ") + why);
        return Usage;
    }
    if (Database::isPostgresUrl(config->databasePath)) {
        line(stderr,
             QStringLiteral("receiving-cli: %1 works on a station's SQLite file only. Back up the depot's "
                            "PostgreSQL with its own tools (pg_dump, or base backups with WAL "
                            "archiving); see README, \"Install a depot\".")
                 .arg(command));
        return Usage;
    }
    const QStringList args = p.positionalArguments();
    if (command == QLatin1String("backup")) {
        if (args.size() != 1) {
            line(stderr, QStringLiteral("usage: receiving-cli backup [--to DIR]"));
            return Usage;
        }
        if (!QFileInfo(config->databasePath).isFile()) {
            line(stderr,
                 QStringLiteral("receiving-cli: there is no database at %1.").arg(config->databasePath));
            return DatabaseUnusable;
        }
        const QString dir =
            p.isSet(QStringLiteral("to")) ? p.value(QStringLiteral("to")) : config->backupDirectory;
        const Backup::Result r = Backup::createFromFile(config->databasePath, dir, config->backupKeep);
        if (!r.ok) {
            line(stderr, QStringLiteral("receiving-cli: ") + r.error);
            return Failed;
        }
        if (!r.warning.isEmpty())
            line(stderr, QStringLiteral("receiving-cli: warning: ") + r.warning);
        line(stdout, QStringLiteral("Backup written: %1").arg(r.file));
        for (const QString &f : r.removed)
            line(stdout, QStringLiteral("Removed old backup: %1").arg(f));
        return Ok;
    }
    if (args.size() != 2) {
        line(stderr, QStringLiteral("usage: receiving-cli restore FILE   (latest: %1)")
                         .arg(Backup::latest(config->backupDirectory)));
        return Usage;
    }
    // The same actor as the other commands run without --operator: the Unix user behind the command (by its
    // uid, not $USER, which the caller controls).
    const passwd *pw = ::getpwuid(::geteuid());
    const QString actor = QStringLiteral("cli:") + (pw ? QString::fromLocal8Bit(pw->pw_name)
                                                       : QStringLiteral("uid %1").arg(::geteuid()));
    const Backup::Result r = Backup::restore(args[1], config->databasePath, config->stationId, actor);
    if (!r.ok) {
        line(stderr, QStringLiteral("receiving-cli: ") + r.error);
        return Failed;
    }
    line(stdout, QStringLiteral("Restored %1 into %2.").arg(args[1], r.file));
    if (!r.replaced.isEmpty())
        line(stdout, QStringLiteral("The replaced database was kept as %1.").arg(r.replaced));
    // The database is back either way; a restore missing from the audit log is told, not hidden.
    if (!r.warning.isEmpty())
        line(stderr, QStringLiteral("receiving-cli: warning: ") + r.warning);
    return Ok;
}
