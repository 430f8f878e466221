// SPDX-License-Identifier: GPL-3.0-or-later
#include "StationConfig.h"
#include "Database.h"
#include "StationSettings.h"

#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QSysInfo>

QString StationConfig::defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/receiving-station/receiving.db");
}

QString StationConfig::envName(const QString &key)
{
    return QStringLiteral("RECEIVING_") + QString(key).replace(QLatin1Char('.'), QLatin1Char('_')).toUpper();
}

std::optional<StationConfig> StationConfig::load(const QString &configPath,
                                                 const QHash<QString, QString> &flags, QString *error)
{
    const auto fail = [&](const QString &m) {
        if (error)
            *error = m;
        return std::nullopt;
    };
    StationConfig c;
    QString path = configPath;
    if (path.isEmpty())
        path = qEnvironmentVariable("RECEIVING_CONFIG");
    if (path.isEmpty() && QFileInfo::exists(defaultConfigFile()))
        path = defaultConfigFile();
    if (!path.isEmpty()) {
        const QFileInfo info(path);
        if (!info.exists())
            return fail(QStringLiteral("The configuration file %1 does not exist.").arg(path));
        if (!info.isFile() || !info.isReadable())
            return fail(QStringLiteral("The configuration file %1 cannot be read (check its permissions).")
                            .arg(path));
        QSettings ini(path, QSettings::IniFormat);
        if (ini.status() != QSettings::NoError)
            return fail(QStringLiteral("The configuration file %1 is not a valid INI file.").arg(path));
        const QStringList keys = ini.allKeys();
        for (const QString &k : keys)
            c.values.insert(QString(k).replace(QLatin1Char('/'), QLatin1Char('.')), ini.value(k).toString());
        c.configFile = path;
    }
    // Environment over file, for every key we know of and every key the file names.
    const QStringList known = StationSettings::stationKeys();
    QStringList keys = known;
    for (auto it = c.values.cbegin(); it != c.values.cend(); ++it) {
        if (!keys.contains(it.key()))
            keys.append(it.key());
    }
    for (const QString &k : std::as_const(keys)) {
        const QString env = envName(k);
        if (qEnvironmentVariableIsSet(env.toLatin1().constData()))
            c.values.insert(k, qEnvironmentVariable(env.toLatin1().constData()));
    }
    for (auto it = flags.cbegin(); it != flags.cend(); ++it) {
        if (!it.value().isNull())
            c.values.insert(it.key(), it.value());
    }

    // Each key's own sentence when it is wrong; an empty value means the key's default.
    const auto parsed = [&c, error](const char *key) -> std::optional<StationSettings::Value> {
        const StationSettings::Value v =
            StationSettings::parseOrDefault(QLatin1String(key), c.value(QLatin1String(key)));
        if (!v.ok()) {
            if (error)
                *error = v.error;
            return std::nullopt;
        }
        return v;
    };

    // A depot's shared PostgreSQL (database.url) or this station's own SQLite file (database.path).
    // --db (a path or a URL) overrides both keys.
    const QString dbFlag = flags.value(QStringLiteral("database.path"));
    const QString url = dbFlag.isNull()                   ? c.value(QStringLiteral("database.url")).trimmed()
                        : Database::isPostgresUrl(dbFlag) ? dbFlag.trimmed()
                                                          : QString();
    if (!url.isEmpty()) {
        if (!Database::isPostgresUrl(url))
            return fail(QStringLiteral("database.url must be a PostgreSQL connection URI "
                                       "(postgresql://USER@HOST/DATABASE?sslmode=verify-full) or a libpq "
                                       "key=value string; for a file use database.path."));
        c.databasePath = url;
    } else {
        c.databasePath = c.value(QStringLiteral("database.path")).trimmed();
        if (c.databasePath.isEmpty())
            c.databasePath = defaultDatabasePath();
        if (const auto path = StationSettings::parse(QStringLiteral("database.path"), c.databasePath);
            !path.ok())
            return fail(path.error);
    }
    QString id = c.value(QStringLiteral("station.id")).trimmed();
    if (id.isEmpty())
        id = QSysInfo::machineHostName();
    const auto stationId = StationSettings::parse(QStringLiteral("station.id"), id);
    if (!stationId.ok())
        return fail(stationId.error);
    c.stationId = stationId.text();
    const auto tz = parsed("station.timezone");
    if (!tz)
        return std::nullopt;
    c.timeZone = QTimeZone(tz->text().toLatin1());
    const auto formsDirectory = parsed("forms.directory");
    if (!formsDirectory)
        return std::nullopt;
    c.formsDirectory = formsDirectory->text();
    const auto backupDirectory = parsed("backup.directory");
    const auto metricsTextfile = parsed("metrics.textfile");
    if (!backupDirectory || !metricsTextfile)
        return std::nullopt;
    c.backupDirectory = backupDirectory->text();
    if (c.backupDirectory.isEmpty())
        c.backupDirectory = Database::isPostgresUrl(c.databasePath)
                                ? QString()
                                : QFileInfo(c.databasePath).absolutePath() + QStringLiteral("/backups");
    c.metricsTextfile = metricsTextfile->text();
    const auto paper = parsed("report.paper");
    const auto reportDirectory = parsed("report.directory");
    const auto dailyAt = parsed("report.daily_at");
    if (!paper || !reportDirectory || !dailyAt)
        return std::nullopt;
    c.reportPaper = paper->text();
    c.reportDirectory = reportDirectory->text();
    if (c.reportDirectory.isEmpty() && !Database::isPostgresUrl(c.databasePath))
        c.reportDirectory = QFileInfo(c.databasePath).absolutePath() + QStringLiteral("/reports");
    c.reportDailyAt = dailyAt->text();

    const std::pair<const char *, int *> numbers[] = {
        {"station.idle_minutes", &c.idleMinutes},
        {"station.box_idle_minutes", &c.boxIdleMinutes},
        {"backup.interval_minutes", &c.backupIntervalMinutes},
        {"backup.keep", &c.backupKeep},
        {"metrics.interval_seconds", &c.metricsIntervalSeconds},
    };
    for (const auto &[key, out] : numbers) {
        const auto v = parsed(key);
        if (!v)
            return std::nullopt;
        *out = int(v->integer()); // every range is within int
    }
    const auto lowMb = parsed("disk.low_free_mb");
    if (!lowMb)
        return std::nullopt;
    c.lowDiskBytes = lowMb->integer() * 1024 * 1024;
    return c;
}
