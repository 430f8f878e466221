// SPDX-License-Identifier: GPL-3.0-or-later
#include "StationSettings.h"
#include "Database.h"
#include "WedgeScannerFilter.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QTimeZone>

namespace {
using Scope = StationSettings::Scope;
using Type = StationSettings::Type;
using Applies = StationSettings::Applies;
using Wedge = WedgeScannerFilter::Settings;

// Ranges two keys share: the configuration's value and the settings table's, which wins when set.
constexpr qint64 IdleMinutesMin = 1, IdleMinutesMax = 8 * 60;        // a shift
constexpr qint64 BoxIdleMinutesMin = 1, BoxIdleMinutesMax = 24 * 60; // a day
// Timed backups at most a (leap) year apart; MaintenanceWorker wakes at least hourly to check the due time,
// so no interval here has to fit a QTimer's int milliseconds.
constexpr qint64 BackupIntervalMax = 366 * 24 * 60;
// The metrics timer is a plain QTimer: at most an hour (a textfile older than that is stale anyway).
constexpr qint64 MetricsIntervalMax = 60 * 60;

QString unitSuffix(const QString &unit)
{
    if (unit == u"minutes")
        return QCoreApplication::translate("StationSettings", " minutes");
    if (unit == u"seconds")
        return QCoreApplication::translate("StationSettings", " seconds");
    if (unit == u"ms")
        return QCoreApplication::translate("StationSettings", " ms");
    if (unit == u"percent")
        return QCoreApplication::translate("StationSettings", " (percent)");
    if (unit == u"MB")
        return QCoreApplication::translate("StationSettings", " MB");
    return QString();
}

StationSettings::Key integerKey(const char *name, Scope scope, qint64 min, qint64 max, const char *unit,
                                const QString &defaultValue, Applies applies, const char *fallback = "")
{
    return {QLatin1String(name), scope,         Type::Integer,           min,    max, QLatin1String(unit),
            defaultValue,        QStringList(), QLatin1String(fallback), applies};
}

StationSettings::Key textKey(const char *name, qint64 minLength, qint64 maxLength,
                             const char *defaultValue = "")
{
    return {QLatin1String(name),
            Scope::Station,
            Type::Text,
            minLength,
            maxLength,
            QStringLiteral("characters"),
            QLatin1String(defaultValue),
            QStringList(),
            QString(),
            Applies::AtStart};
}

const QRegularExpression &scannerKey()
{
    static const QRegularExpression re(QStringLiteral("^scanner\\.[A-Za-z0-9_-]+\\.([a-z_]+)$"));
    return re;
}
} // namespace

const QList<StationSettings::Key> &StationSettings::keys()
{
    static const Wedge wedge;
    static const QList<Key> table{
        // The station's configuration (StationConfig).
        textKey("database.path", 1, 4096), // default: $XDG_DATA_HOME/receiving-station/receiving.db
        // A depot's PostgreSQL (postgresql:// or postgres:// URI, or libpq key=value); wins over
        // database.path.
        textKey("database.url", 0, 4096),
        textKey("station.id", 1, 64), // default: the host name
        {QStringLiteral("station.timezone"), Scope::Station, Type::TimeZone, 0, 0, QString(),
         QStringLiteral("America/Chicago"), QStringList(), QString(), Applies::AtStart},
        integerKey("station.idle_minutes", Scope::Station, IdleMinutesMin, IdleMinutesMax, "minutes",
                   QStringLiteral("10"), Applies::AtStart),
        integerKey("station.box_idle_minutes", Scope::Station, BoxIdleMinutesMin, BoxIdleMinutesMax,
                   "minutes", QStringLiteral("30"), Applies::AtStart),
        textKey("backup.directory", 0, 4096), // default: "backups" beside the database
        integerKey("backup.interval_minutes", Scope::Station, 0, BackupIntervalMax, "minutes",
                   QStringLiteral("60"), Applies::AtStart),
        integerKey("backup.keep", Scope::Station, 1, 10000, "backups", QStringLiteral("14"),
                   Applies::AtStart),
        textKey("metrics.textfile", 0, 4096), // default: no metrics file
        integerKey("metrics.interval_seconds", Scope::Station, 1, MetricsIntervalMax, "seconds",
                   QStringLiteral("15"), Applies::AtStart),
        // Reports and certificates of receipt (src/reports): the paper of their PDFs, the folder the daily
        // export and the certificates issued on an accepted closure go to (default "reports" beside the
        // database), and the local time of the daily export (empty: none).
        {QStringLiteral("report.paper"), Scope::Station, Type::Choice, 0, 0, QString(), QStringLiteral("A4"),
         QStringList{QStringLiteral("A4"), QStringLiteral("Letter")}, QString(), Applies::AtStart},
        textKey("report.directory", 0, 4096),
        {QStringLiteral("report.daily_at"), Scope::Station, Type::TimeOfDay, 0, 0, QString(), QString(),
         QStringList(), QString(), Applies::AtStart},
        integerKey("disk.low_free_mb", Scope::Station, 0, 1000LL * 1000 * 1000, "MB", QStringLiteral("1024"),
                   Applies::AtStart),
        // The upstream's numbers (UpstreamConfig).
        integerKey("upstream.pull_interval", Scope::Station, 5, 24 * 60 * 60, "seconds", QStringLiteral("60"),
                   Applies::AtStart),
        integerKey("upstream.concurrency", Scope::Station, 1, 16, "", QStringLiteral("8"), Applies::AtStart),
        integerKey("upstream.connect_timeout_ms", Scope::Station, 100, 120000, "ms", QStringLiteral("5000"),
                   Applies::AtStart),
        integerKey("upstream.timeout_ms", Scope::Station, 1000, 600000, "ms", QStringLiteral("30000"),
                   Applies::AtStart),
        integerKey("upstream.backoff_cap", Scope::Station, 1, 3600, "seconds", QStringLiteral("60"),
                   Applies::AtStart),
        // The folder the Import a Trade-In Form page lists beside removable media (/media, /run/media);
        // empty: removable media only. Read by the page's chooser, never written.
        textKey("forms.directory", 0, 4096),
        // The keyboard wedge's tuning ([scanner.NAME] of type wedge): WedgeScannerFilter's ranges.
        integerKey("scanner.*.max_inter_key_ms", Scope::Station, Wedge::MaxInterKeyMsRange.minimum,
                   Wedge::MaxInterKeyMsRange.maximum, "ms", QString::number(wedge.maxInterKeyMs),
                   Applies::AtStart),
        integerKey("scanner.*.min_length", Scope::Station, Wedge::MinLengthRange.minimum,
                   Wedge::MinLengthRange.maximum, "characters", QString::number(wedge.minLength),
                   Applies::AtStart),
        integerKey("scanner.*.hold_ms", Scope::Station, Wedge::HoldMsRange.minimum,
                   Wedge::HoldMsRange.maximum, "ms", QString::number(wedge.holdMs), Applies::AtStart),

        // The depot's settings table (SupervisorService), in the Settings page's order.
        integerKey("idle_minutes", Scope::Depot, IdleMinutesMin, IdleMinutesMax, "minutes", QString(),
                   Applies::AtOnce, "station.idle_minutes"),
        integerKey("box_idle_minutes", Scope::Depot, BoxIdleMinutesMin, BoxIdleMinutesMax, "minutes",
                   QString(), Applies::AtOnce, "station.box_idle_minutes"),
        integerKey("supervisor_minutes", Scope::Depot, 1, 60, "minutes", QStringLiteral("5"),
                   Applies::AtOnce),
        integerKey("volume", Scope::Depot, 0, 100, "percent", QString(), Applies::AtOnce),
        {QStringLiteral("language"), Scope::Depot, Type::Choice, 0, 0, QString(), QString(),
         QStringList{QStringLiteral("en"), QStringLiteral("es")}, QString(), Applies::NextSignIn},
        // The depot as reports and certificates of receipt print it in their heading.
        {QStringLiteral("depot.name"), Scope::Depot, Type::Text, 0, 120, QStringLiteral("characters"),
         QString(), QStringList(), QString(), Applies::AtOnce},
        {QStringLiteral("depot.address"), Scope::Depot, Type::Text, 0, 300, QStringLiteral("characters"),
         QString(), QStringList(), QString(), Applies::AtOnce},
    };
    return table;
}

const StationSettings::Key *StationSettings::find(const QString &name)
{
    const QList<Key> &all = keys();
    for (const Key &k : all) {
        if (k.name == name)
            return &k;
    }
    const QRegularExpressionMatch m = scannerKey().match(name);
    if (!m.hasMatch())
        return nullptr;
    const QString wildcard = QStringLiteral("scanner.*.") + m.captured(1);
    for (const Key &k : all) {
        if (k.name == wildcard)
            return &k;
    }
    return nullptr;
}

QStringList StationSettings::depotKeys()
{
    QStringList out;
    for (const Key &k : keys()) {
        if (k.scope == Scope::Depot)
            out.append(k.name);
    }
    return out;
}

QStringList StationSettings::stationKeys()
{
    QStringList out;
    for (const Key &k : keys()) {
        if (k.scope == Scope::Station && !k.name.contains(QLatin1Char('*')))
            out.append(k.name);
    }
    return out;
}

StationSettings::Value StationSettings::parse(const QString &name, const QString &textIn)
{
    Value v;
    const Key *k = find(name);
    if (!k) {
        v.error = QCoreApplication::translate("StationSettings", "\"%1\" is not a setting.").arg(name);
        return v;
    }
    const QString t = textIn.trimmed();
    static const QRegularExpression control(QStringLiteral("[\\x00-\\x1F\\x7F]"));
    if (control.match(t).hasMatch()) {
        v.error =
            QCoreApplication::translate("StationSettings", "%1 may not hold control characters.").arg(name);
        return v;
    }
    switch (k->type) {
    case Type::Integer: {
        // Digits only (an optional minus): no "0x10", "1e3", "50.5" or digits of other scripts. toLongLong
        // refuses what does not fit 64 bits, so an overlong number is refused, never wrapped.
        static const QRegularExpression digits(QStringLiteral("^-?[0-9]+$"));
        bool ok = digits.match(t).hasMatch();
        const qint64 n = ok ? t.toLongLong(&ok, 10) : 0;
        if (!ok || n < k->minimum || n > k->maximum) {
            v.error = QCoreApplication::translate("StationSettings",
                                                  "%1 must be a whole number from %2 to %3%4; \"%5\" is not.")
                          .arg(name)
                          .arg(k->minimum)
                          .arg(k->maximum)
                          .arg(unitSuffix(k->unit), textIn);
            return v;
        }
        v.value = n;
        return v;
    }
    case Type::Choice:
        if (!k->choices.contains(t)) {
            v.error = QCoreApplication::translate("StationSettings", "%1 must be one of %2; \"%3\" is not.")
                          .arg(name, k->choices.join(QLatin1String(", ")), textIn);
            return v;
        }
        v.value = t;
        return v;
    case Type::Text:
        if (t.size() < k->minimum || t.size() > k->maximum) {
            v.error = QCoreApplication::translate("StationSettings", "%1 must be %2 to %3 characters long.")
                          .arg(name)
                          .arg(k->minimum)
                          .arg(k->maximum);
            return v;
        }
        v.value = t;
        return v;
    case Type::TimeOfDay: {
        static const QRegularExpression hhmm(QStringLiteral("^([01][0-9]|2[0-3]):[0-5][0-9]$"));
        if (!t.isEmpty() && !hhmm.match(t).hasMatch()) {
            v.error =
                QCoreApplication::translate(
                    "StationSettings", "%1 must be a time of day HH:MM from 00:00 to 23:59; \"%2\" is not.")
                    .arg(name, textIn);
            return v;
        }
        v.value = t;
        return v;
    }
    case Type::TimeZone:
        if (t.isEmpty() || !QTimeZone(t.toLatin1()).isValid()) {
            v.error =
                QCoreApplication::translate(
                    "StationSettings", "%1 \"%2\" is not a known time zone (for example America/Chicago).")
                    .arg(name, textIn);
            return v;
        }
        v.value = t;
        return v;
    }
    v.error = QCoreApplication::translate("StationSettings", "\"%1\" is not a setting.").arg(name);
    return v;
}

StationSettings::Value StationSettings::parseOrDefault(const QString &name, const QString &text)
{
    const Key *k = find(name);
    if (k && text.trimmed().isEmpty() && !k->defaultValue.isEmpty())
        return parse(name, k->defaultValue);
    return parse(name, text);
}

StationSettings::Value StationSettings::parseDepot(const QString &name, const QString &text)
{
    const Key *k = find(name);
    if (k && k->scope == Scope::Depot)
        return parse(name, text);
    Value v;
    if (name == u"station_id")
        v.error = QCoreApplication::translate(
            "StationSettings",
            "station_id is not a database setting: each station has its own id, station.id in its "
            "configuration file (or --station), because stations may share one database.");
    else if (name.startsWith(QLatin1String("scanner.")))
        v.error = QCoreApplication::translate(
            "StationSettings",
            "Scanners are not database settings: each station's scanners are the [scanner.NAME] "
            "sections of its configuration file, because they are that station's hardware.");
    else if (k)
        v.error =
            QCoreApplication::translate(
                "StationSettings", "%1 is set in each station's configuration file, not in the database.")
                .arg(name);
    else
        v.error =
            QCoreApplication::translate("StationSettings", "\"%1\" is not a setting; the settings are %2.")
                .arg(name, depotKeys().join(QLatin1String(", ")));
    return v;
}

StationSettings::StationSettings(const QHash<QString, QString> &rows)
{
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        const Key *k = find(it.key());
        if (!k || k->scope != Scope::Depot || it.value().isNull())
            continue; // rows of keys no longer offered (station_id, scanners) are not read
        const Value v = parse(it.key(), it.value());
        if (v.ok())
            m_values.insert(it.key(), v.value);
        else
            m_problems.append(v.error);
    }
    m_problems.sort();
}

StationSettings StationSettings::fromDatabase(Database &db)
{
    QHash<QString, QString> rows;
    Statement s = db.prepare("SELECT key, value FROM settings WHERE value IS NOT NULL");
    while (s.next())
        rows.insert(s.text(0), s.text(1));
    return StationSettings(rows);
}

std::optional<qint64> StationSettings::integer(const char *name) const
{
    const auto it = m_values.constFind(QLatin1String(name));
    if (it == m_values.cend())
        return std::nullopt;
    return it->toLongLong();
}

std::optional<int> StationSettings::idleMinutes() const
{
    return integer("idle_minutes");
}

std::optional<int> StationSettings::boxIdleMinutes() const
{
    return integer("box_idle_minutes");
}

std::optional<int> StationSettings::volume() const
{
    return integer("volume");
}

std::optional<QString> StationSettings::language() const
{
    const auto it = m_values.constFind(QStringLiteral("language"));
    if (it == m_values.cend())
        return std::nullopt;
    return it->toString();
}

QString StationSettings::depotName() const
{
    return m_values.value(QStringLiteral("depot.name")).toString();
}

QString StationSettings::depotAddress() const
{
    return m_values.value(QStringLiteral("depot.address")).toString();
}

int StationSettings::supervisorMinutes() const
{
    static const int fallback = find(QStringLiteral("supervisor_minutes"))->defaultValue.toInt();
    return int(integer("supervisor_minutes").value_or(fallback));
}
