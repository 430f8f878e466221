// SPDX-License-Identifier: GPL-3.0-or-later
#include "StationConfig.h"

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
    static const QStringList known{
        QStringLiteral("database.path"),           QStringLiteral("station.id"),
        QStringLiteral("station.timezone"),        QStringLiteral("backup.directory"),
        QStringLiteral("backup.interval_minutes"), QStringLiteral("backup.keep"),
        QStringLiteral("metrics.textfile"),        QStringLiteral("metrics.interval_seconds"),
        QStringLiteral("disk.low_free_mb")};
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

    c.databasePath = c.value(QStringLiteral("database.path"));
    if (c.databasePath.isEmpty())
        c.databasePath = defaultDatabasePath();
    c.stationId = c.value(QStringLiteral("station.id")).trimmed();
    if (c.stationId.isEmpty())
        c.stationId = QSysInfo::machineHostName();
    if (c.stationId.isEmpty() || c.stationId.size() > 64)
        return fail(QStringLiteral("station.id must be 1 to 64 characters."));
    const QString tz = c.value(QStringLiteral("station.timezone"), QStringLiteral("America/Chicago"));
    c.timeZone = QTimeZone(tz.toLatin1());
    if (!c.timeZone.isValid())
        return fail(
            QStringLiteral("station.timezone \"%1\" is not a known time zone (for example America/Chicago).")
                .arg(tz));
    c.backupDirectory = c.value(QStringLiteral("backup.directory"));
    if (c.backupDirectory.isEmpty())
        c.backupDirectory = QFileInfo(c.databasePath).absolutePath() + QStringLiteral("/backups");
    c.metricsTextfile = c.value(QStringLiteral("metrics.textfile"));
    const auto number = [&c](const char *key, qint64 fallback, qint64 min, qint64 *out) {
        const QString text = c.value(QLatin1String(key));
        bool ok = true;
        const qint64 v = text.isEmpty() ? fallback : text.trimmed().toLongLong(&ok);
        *out = v;
        return ok && v >= min;
    };
    qint64 interval = 0, keep = 0, metricsInterval = 0, lowMb = 0;
    if (!number("backup.interval_minutes", 60, 0, &interval) || !number("backup.keep", 14, 1, &keep) ||
        !number("metrics.interval_seconds", 15, 1, &metricsInterval) ||
        !number("disk.low_free_mb", 1024, 0, &lowMb))
        return fail(QStringLiteral("backup.interval_minutes, backup.keep, metrics.interval_seconds and "
                                   "disk.low_free_mb must be whole numbers (backup.keep and "
                                   "metrics.interval_seconds at least 1)."));
    c.backupIntervalMinutes = int(interval);
    c.backupKeep = int(keep);
    c.metricsIntervalSeconds = int(metricsInterval);
    c.lowDiskBytes = lowMb * 1024 * 1024;
    return c;
}
