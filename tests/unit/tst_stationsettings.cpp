// SPDX-License-Identifier: GPL-3.0-or-later
// StationSettings, the one owner of every setting's name, range and parsing: each integer key's bounds, junk
// and overflow by table; the settings table's typed values; the configuration loaded through it; the wedge's
// parser, still written in devices/, agreeing with it at every bound, and the upstream's numbers read through
// it; and the long backup interval the maintenance worker keeps as a due time instead of a QTimer period that
// would overflow.
#include "Backup.h"
#include "Clock.h"
#include "Database.h"
#include "MaintenanceWorker.h"
#include "Metrics.h"
#include "StationConfig.h"
#include "StationSettings.h"
#include "UpstreamConfig.h"
#include "WedgeScannerFilter.h"

#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <climits>

using Scope = StationSettings::Scope;
using Type = StationSettings::Type;

namespace {
qint64 ms(std::chrono::milliseconds d)
{
    return qint64(d.count());
}
constexpr qint64 HourMs = 3600000;
} // namespace

class TestStationSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // The ranges, written out once more here on purpose: a changed range must change this table too.
    void integerBounds_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("minimum");
        QTest::addColumn<qint64>("maximum");
        const auto row = [](const char *key, qint64 min, qint64 max) {
            QTest::newRow(key) << QString::fromLatin1(key) << min << max;
        };
        row("idle_minutes", 1, 480);
        row("station.idle_minutes", 1, 480);
        row("box_idle_minutes", 1, 1440);
        row("station.box_idle_minutes", 1, 1440);
        row("supervisor_minutes", 1, 60);
        row("volume", 0, 100);
        row("backup.interval_minutes", 0, 527040);
        row("backup.keep", 1, 10000);
        row("metrics.interval_seconds", 1, 3600);
        row("disk.low_free_mb", 0, 1000000000);
        row("upstream.pull_interval", 5, 86400);
        row("upstream.concurrency", 1, 16);
        row("upstream.connect_timeout_ms", 100, 120000);
        row("upstream.timeout_ms", 1000, 600000);
        row("upstream.backoff_cap", 1, 3600);
        row("scanner.*.max_inter_key_ms", 5, 200);
        row("scanner.*.min_length", 1, 64);
        row("scanner.*.hold_ms", 1, 5000);
    }
    void integerBounds()
    {
        QFETCH(QString, key);
        QFETCH(qint64, minimum);
        QFETCH(qint64, maximum);
        const StationSettings::Key *k = StationSettings::find(key);
        QVERIFY(k);
        QVERIFY(k->type == Type::Integer);
        QCOMPARE(k->minimum, minimum);
        QCOMPARE(k->maximum, maximum);
        // A scanner's key is found by any scanner name.
        const QString name = QString(key).replace(QLatin1Char('*'), QLatin1String("dock"));

        for (const qint64 n : {minimum, maximum, (minimum + maximum) / 2}) {
            const StationSettings::Value v = StationSettings::parse(name, QString::number(n));
            QVERIFY2(v.ok(), qPrintable(v.error));
            QCOMPARE(v.integer(), n);
            QCOMPARE(v.text(), QString::number(n));
        }
        const StationSettings::Value padded =
            StationSettings::parse(name, QLatin1String(" ") + QString::number(maximum) + QLatin1String(" "));
        QVERIFY(padded.ok());
        QCOMPARE(padded.text(), QString::number(maximum));

        const QStringList refused{
            QString::number(minimum - 1),
            QString::number(maximum + 1),
            QString(),
            QStringLiteral("ten"),
            QStringLiteral("1.5"),
            QStringLiteral("1e3"),
            QStringLiteral("0x10"),
            QStringLiteral("+-1"),
            QStringLiteral("1 0"),
            QString::fromUtf8("\u0661\u0662"), // Arabic-Indic digits
            QString::number(minimum) + QLatin1String("\n1"),
            QStringLiteral("9223372036854775807"),     // INT64_MAX: in no range
            QStringLiteral("9223372036854775808"),     // one more: does not fit 64 bits
            QStringLiteral("-9223372036854775809"),    // one less than INT64_MIN
            QStringLiteral("99999999999999999999999"), // wraps to a small number if parsed carelessly
            QStringLiteral("4294967297"),              // 2^32 + 1: wraps to 1 in 32 bits
        };
        for (const QString &text : refused) {
            const StationSettings::Value v = StationSettings::parse(name, text);
            QVERIFY2(!v.ok(), qPrintable(QStringLiteral("%1 = \"%2\" accepted").arg(name, text)));
            QVERIFY2(v.error.contains(name), qPrintable(v.error));
            if (!text.contains(QLatin1Char('\n')))
                QVERIFY2(v.error.contains(QString::number(maximum)), qPrintable(v.error)); // says the range
        }
    }

    void everyIntegerKeyIsInTheTableAbove()
    {
        QStringList tested;
        for (const StationSettings::Key &k : StationSettings::keys()) {
            if (k.type == Type::Integer)
                tested << k.name;
        }
        const QStringList expected{QStringLiteral("idle_minutes"),
                                   QStringLiteral("station.idle_minutes"),
                                   QStringLiteral("box_idle_minutes"),
                                   QStringLiteral("station.box_idle_minutes"),
                                   QStringLiteral("supervisor_minutes"),
                                   QStringLiteral("volume"),
                                   QStringLiteral("backup.interval_minutes"),
                                   QStringLiteral("backup.keep"),
                                   QStringLiteral("metrics.interval_seconds"),
                                   QStringLiteral("disk.low_free_mb"),
                                   QStringLiteral("upstream.pull_interval"),
                                   QStringLiteral("upstream.concurrency"),
                                   QStringLiteral("upstream.connect_timeout_ms"),
                                   QStringLiteral("upstream.timeout_ms"),
                                   QStringLiteral("upstream.backoff_cap"),
                                   QStringLiteral("scanner.*.max_inter_key_ms"),
                                   QStringLiteral("scanner.*.min_length"),
                                   QStringLiteral("scanner.*.hold_ms")};
        tested.sort();
        QStringList sorted = expected;
        sorted.sort();
        QCOMPARE(tested, sorted);
    }

    // Nothing a key accepts can overflow where it is used: every value fits the int it is stored in, every
    // default is a value of its key, and a key that falls back on another shares its range.
    void everyKeyIsConsistent()
    {
        QSet<QString> names;
        for (const StationSettings::Key &k : StationSettings::keys()) {
            QVERIFY2(!names.contains(k.name), qPrintable(k.name));
            names.insert(k.name);
            QVERIFY2(k.minimum <= k.maximum, qPrintable(k.name));
            if (k.type == Type::Integer) {
                QVERIFY2(k.maximum <= INT_MAX && k.minimum >= INT_MIN, qPrintable(k.name));
                // QTimer takes int milliseconds: a key in seconds or ms must fit; minutes are due times.
                if (k.unit == u"seconds")
                    QVERIFY2(k.maximum * 1000 <= INT_MAX, qPrintable(k.name));
            }
            if (!k.defaultValue.isEmpty()) {
                const StationSettings::Value v = StationSettings::parse(
                    QString(k.name).replace(QLatin1Char('*'), QLatin1String("x")), k.defaultValue);
                QVERIFY2(v.ok(), qPrintable(v.error));
            }
            if (k.scope == Scope::Depot) {
                // One word in the table, except the depot's own facts the issue names depot.name and depot.address
                // (no configuration key starts with depot.).
                QVERIFY2(!k.name.contains(QLatin1Char('.')) || k.name.startsWith(QLatin1String("depot.")),
                         qPrintable(k.name));
                QCOMPARE(StationSettings::parseDepot(k.name, k.defaultValue.isEmpty() ? QStringLiteral("1")
                                                                                      : k.defaultValue)
                             .error.contains(QLatin1String("configuration file")),
                         false);
            }
            if (!k.fallback.isEmpty()) {
                const StationSettings::Key *f = StationSettings::find(k.fallback);
                QVERIFY2(f, qPrintable(k.fallback));
                QVERIFY(f->scope == Scope::Station);
                QCOMPARE(f->minimum, k.minimum);
                QCOMPARE(f->maximum, k.maximum);
            }
        }
        QCOMPARE(StationSettings::depotKeys(),
                 (QStringList{QStringLiteral("idle_minutes"), QStringLiteral("box_idle_minutes"),
                              QStringLiteral("supervisor_minutes"), QStringLiteral("volume"),
                              QStringLiteral("language"), QStringLiteral("depot.name"),
                              QStringLiteral("depot.address")}));
        QVERIFY(StationSettings::stationKeys().contains(QStringLiteral("backup.interval_minutes")));
        QVERIFY(!StationSettings::stationKeys().contains(QStringLiteral("idle_minutes")));
    }

    void otherTypes_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("stored"); // empty: refused
        QTest::newRow("language en") << "language"
                                     << "en"
                                     << "en";
        QTest::newRow("language es, padded") << "language"
                                             << " es "
                                             << "es";
        QTest::newRow("language fr") << "language"
                                     << "fr"
                                     << "";
        QTest::newRow("language upper case") << "language"
                                             << "ES"
                                             << "";
        QTest::newRow("language empty") << "language"
                                        << ""
                                        << "";
        QTest::newRow("time zone") << "station.timezone"
                                   << "Europe/Madrid"
                                   << "Europe/Madrid";
        QTest::newRow("time zone unknown") << "station.timezone"
                                           << "Mars/Olympus"
                                           << "";
        QTest::newRow("station id") << "station.id"
                                    << "DOCK-1"
                                    << "DOCK-1";
        QTest::newRow("station id of 64")
            << "station.id" << QString(64, QLatin1Char('A')) << QString(64, QLatin1Char('A'));
        QTest::newRow("station id of 65") << "station.id" << QString(65, QLatin1Char('A')) << "";
        QTest::newRow("station id empty") << "station.id"
                                          << "  "
                                          << "";
        QTest::newRow("station id with a newline") << "station.id"
                                                   << "DOCK\n1"
                                                   << "";
        QTest::newRow("backup folder") << "backup.directory"
                                       << "/var/backups/rs"
                                       << "/var/backups/rs";
        QTest::newRow("backup folder with a tab") << "backup.directory"
                                                  << "/var/\tbackups"
                                                  << "";
        QTest::newRow("unknown key") << "colour"
                                     << "red"
                                     << "";
        QTest::newRow("unknown scanner field") << "scanner.dock.colour"
                                               << "red"
                                               << "";
    }
    void otherTypes()
    {
        QFETCH(QString, key);
        QFETCH(QString, text);
        QFETCH(QString, stored);
        const StationSettings::Value v = StationSettings::parse(key, text);
        if (stored.isEmpty()) {
            QVERIFY2(!v.ok(), qPrintable(v.text()));
            QVERIFY2(v.error.contains(key), qPrintable(v.error));
            return;
        }
        QVERIFY2(v.ok(), qPrintable(v.error));
        QCOMPARE(v.text(), stored);
    }

    void defaults()
    {
        QCOMPARE(
            StationSettings::parseOrDefault(QStringLiteral("backup.interval_minutes"), QString()).integer(),
            60);
        QCOMPARE(StationSettings::parseOrDefault(QStringLiteral("station.idle_minutes"), QStringLiteral(" "))
                     .integer(),
                 10);
        QCOMPARE(StationSettings::parseOrDefault(QStringLiteral("station.timezone"), QString()).text(),
                 QStringLiteral("America/Chicago"));
        QCOMPARE(StationSettings::parseOrDefault(QStringLiteral("scanner.dock.max_inter_key_ms"), QString())
                     .integer(),
                 WedgeScannerFilter::Settings().maxInterKeyMs);
        // A given value is parsed, not replaced by the default.
        QVERIFY(!StationSettings::parseOrDefault(QStringLiteral("backup.keep"), QStringLiteral("0")).ok());
        // No default: an empty value is refused.
        QVERIFY(!StationSettings::parseOrDefault(QStringLiteral("volume"), QString()).ok());
    }

    // The settings table takes only what a station applies; the rest is refused with where it is set instead.
    void depotRefuses_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("says");
        QTest::newRow("station id") << "station_id"
                                    << "DOCK-2"
                                    << "station.id";
        QTest::newRow("scanner type") << "scanner.dock.type"
                                      << "evdev"
                                      << "[scanner.NAME]";
        QTest::newRow("wedge gap") << "scanner.wedge.max_inter_key_ms"
                                   << "20"
                                   << "[scanner.NAME]";
        QTest::newRow("a configuration key") << "backup.interval_minutes"
                                             << "60"
                                             << "configuration file";
        QTest::newRow("the configuration's idle time") << "station.idle_minutes"
                                                       << "10"
                                                       << "configuration file";
        QTest::newRow("unknown") << "colour"
                                 << "red"
                                 << "idle_minutes, box_idle_minutes, supervisor_minutes, volume, language, depot.name, depot.address";
        QTest::newRow("out of range") << "idle_minutes"
                                      << "481"
                                      << "480";
        QTest::newRow("supervisor minutes 61") << "supervisor_minutes"
                                               << "61"
                                               << "60";
        QTest::newRow("supervisor minutes 0") << "supervisor_minutes"
                                              << "0"
                                              << "60";
    }
    void depotRefuses()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, says);
        const StationSettings::Value v = StationSettings::parseDepot(key, value);
        QVERIFY(!v.ok());
        QVERIFY2(v.error.contains(says), qPrintable(v.error));
        QVERIFY(StationSettings::parseDepot(QStringLiteral("supervisor_minutes"), QStringLiteral("60")).ok());
    }

    void typedValues()
    {
        const StationSettings none;
        QVERIFY(!none.idleMinutes());
        QVERIFY(!none.boxIdleMinutes());
        QVERIFY(!none.volume());
        QVERIFY(!none.language());
        QCOMPARE(none.supervisorMinutes(), 5);
        QVERIFY(none.problems().isEmpty());

        const StationSettings set({{QStringLiteral("idle_minutes"), QStringLiteral("15")},
                                   {QStringLiteral("box_idle_minutes"), QStringLiteral("1440")},
                                   {QStringLiteral("volume"), QStringLiteral("0")},
                                   {QStringLiteral("language"), QStringLiteral("es")},
                                   {QStringLiteral("supervisor_minutes"), QStringLiteral("2")},
                                   {QStringLiteral("station_id"), QStringLiteral("OLD-ROW")},
                                   {QStringLiteral("scanner.dock.device"), QStringLiteral("/dev/x")}});
        QCOMPARE(set.idleMinutes().value_or(-1), 15);
        QCOMPARE(set.boxIdleMinutes().value_or(-1), 1440);
        QCOMPARE(set.volume().value_or(-1), 0);
        QCOMPARE(set.language().value_or(QString()), QStringLiteral("es"));
        QCOMPARE(set.supervisorMinutes(), 2);
        QVERIFY(set.problems().isEmpty()); // rows of keys no longer offered are not read, not problems

        // A row written by hand (or by older code) that is no value of its key never reaches a timer.
        const StationSettings bad(
            {{QStringLiteral("idle_minutes"), QStringLiteral("0")},
             {QStringLiteral("box_idle_minutes"), QStringLiteral("99999999999999999999")},
             {QStringLiteral("volume"), QStringLiteral("loud")},
             {QStringLiteral("language"), QStringLiteral("fr")},
             {QStringLiteral("supervisor_minutes"), QStringLiteral("600")}});
        QVERIFY(!bad.idleMinutes());
        QVERIFY(!bad.boxIdleMinutes());
        QVERIFY(!bad.volume());
        QVERIFY(!bad.language());
        QCOMPARE(bad.supervisorMinutes(), 5);
        QCOMPARE(bad.problems().size(), 5);
    }

    void fromDatabase()
    {
        QTemporaryDir dir;
        Database db;
        db.open(dir.filePath(QStringLiteral("s.db")));
        QCOMPARE(StationSettings::fromDatabase(db).supervisorMinutes(), 5);
        db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('supervisor_minutes', '12', 'x'), "
                   "('idle_minutes', NULL, 'x'), ('volume', ' 70 ', 'x')")
            .exec();
        const StationSettings s = StationSettings::fromDatabase(db);
        QCOMPARE(s.supervisorMinutes(), 12);
        QVERIFY(!s.idleMinutes()); // NULL: unset
        QCOMPARE(s.volume().value_or(-1), 70);
        QVERIFY(s.problems().isEmpty());
    }

    // WedgeScannerFilter parses its own keys (devices/ cannot see src/); its ranges are the ones listed here.
    void wedgeAgrees()
    {
        const struct
        {
            const char *field;
            WedgeScannerFilter::Settings::Range range;
        } fields[] = {{"max_inter_key_ms", WedgeScannerFilter::Settings::MaxInterKeyMsRange},
                      {"min_length", WedgeScannerFilter::Settings::MinLengthRange}};
        for (const auto &[field, range] : fields) {
            const QString key = QStringLiteral("scanner.wedge.") + QLatin1String(field);
            const StationSettings::Key *k = StationSettings::find(key);
            QVERIFY(k);
            QCOMPARE(k->minimum, qint64(range.minimum));
            QCOMPARE(k->maximum, qint64(range.maximum));
            for (const qint64 n : {k->minimum - 1, k->minimum, k->maximum, k->maximum + 1}) {
                SourceConfig c;
                c.id = QStringLiteral("wedge");
                c.type = QStringLiteral("wedge");
                c.values.insert(QLatin1String(field), QString::number(n));
                c.values.insert(QStringLiteral("hold_ms"), QStringLiteral("5000"));
                QString error;
                const bool wedgeTakes = WedgeScannerFilter::Settings::fromConfig(c, &error).has_value();
                QCOMPARE(wedgeTakes, StationSettings::parse(key, QString::number(n)).ok());
            }
        }
        const StationSettings::Key *hold = StationSettings::find(QStringLiteral("scanner.wedge.hold_ms"));
        QCOMPARE(hold->maximum, qint64(WedgeScannerFilter::Settings::HoldMsRange.maximum));
    }

    // UpstreamConfig reads its numbers through the table: the same verdict and sentence at every bound and
    // for junk.
    void upstreamAgrees()
    {
        for (const StationSettings::Key &k : StationSettings::keys()) {
            if (k.type != Type::Integer ||
                !(k.name.startsWith(QLatin1String("upstream.")) || k.name == u"station.box_idle_minutes"))
                continue;
            QStringList texts{QStringLiteral("0x10"), QStringLiteral("99999999999999999999"),
                              QStringLiteral("1e3"), QStringLiteral("5.5"), QStringLiteral("-")};
            for (const qint64 n : {k.minimum - 1, k.minimum, k.maximum, k.maximum + 1})
                texts.append(QString::number(n));
            texts.append(QStringLiteral(" %1 ").arg(k.minimum));
            for (const QString &text : std::as_const(texts)) {
                StationConfig c;
                c.values.insert(k.name, text);
                QString error;
                const std::optional<UpstreamConfig> u = UpstreamConfig::fromStation(c, &error);
                const StationSettings::Value v = StationSettings::parse(k.name, text);
                const QString what = QStringLiteral("%1 = \"%2\": %3").arg(k.name, text, error);
                QVERIFY2(u.has_value() == v.ok(), qPrintable(what));
                if (!v.ok())
                    QCOMPARE(error, v.error);
                else if (k.name == u"station.box_idle_minutes")
                    QCOMPARE(qint64(u->boxIdleMinutes), v.integer());
            }
        }
    }

    // The sync loops' box idle time: the settings table's box_idle_minutes when valid, else the
    // configuration's.
    void effectiveBoxIdleMinutes_data()
    {
        QTest::addColumn<QString>("setting"); // null: no row
        QTest::addColumn<int>("effective");   // with station.box_idle_minutes = 45
        QTest::newRow("no row") << QString() << 45;
        QTest::newRow("the table's") << QStringLiteral("5") << 5;
        QTest::newRow("a day") << QStringLiteral("1440") << 1440;
        QTest::newRow("over a day ignored") << QStringLiteral("1441") << 45;
        QTest::newRow("zero ignored") << QStringLiteral("0") << 45;
        QTest::newRow("junk ignored") << QStringLiteral("later") << 45;
    }
    void effectiveBoxIdleMinutes()
    {
        QFETCH(QString, setting);
        QFETCH(int, effective);
        QTemporaryDir dir;
        Database db;
        db.open(dir.filePath(QStringLiteral("s.db")));
        if (!setting.isNull())
            db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('box_idle_minutes', ?1, 'x')")
                .bind(1, setting)
                .exec();
        StationConfig c;
        c.values.insert(QStringLiteral("station.box_idle_minutes"), QStringLiteral("45"));
        QString error;
        const std::optional<UpstreamConfig> u = UpstreamConfig::fromStation(c, &error);
        QVERIFY2(u, qPrintable(error));
        QCOMPARE(u->effectiveBoxIdleMinutes(db), effective);
    }

    void configuration_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("error"); // a part of the sentence; empty: loads
        QTest::newRow("a monthly backup") << "backup.interval_minutes"
                                          << "43200"
                                          << "";
        QTest::newRow("a yearly backup") << "backup.interval_minutes"
                                         << "527040"
                                         << "";
        QTest::newRow("no timed backups") << "backup.interval_minutes"
                                          << "0"
                                          << "";
        QTest::newRow("backups further apart than a year")
            << "backup.interval_minutes"
            << "527041"
            << "backup.interval_minutes must be a whole number from 0 to 527040 minutes";
        QTest::newRow("a backup interval beyond 64 bits") << "backup.interval_minutes"
                                                          << "18446744073709551617"
                                                          << "backup.interval_minutes";
        QTest::newRow("a negative backup interval") << "backup.interval_minutes"
                                                    << "-60"
                                                    << "backup.interval_minutes";
        QTest::newRow("metrics hourly") << "metrics.interval_seconds"
                                        << "3600"
                                        << "";
        QTest::newRow("metrics less than hourly") << "metrics.interval_seconds"
                                                  << "3601"
                                                  << "metrics.interval_seconds";
        QTest::newRow("idle sign-out after a shift") << "station.idle_minutes"
                                                     << "480"
                                                     << "";
        QTest::newRow("idle sign-out after more than a shift") << "station.idle_minutes"
                                                               << "481"
                                                               << "station.idle_minutes";
        QTest::newRow("idle box closed after a day") << "station.box_idle_minutes"
                                                     << "1440"
                                                     << "";
        QTest::newRow("idle box closed after more than a day") << "station.box_idle_minutes"
                                                               << "1441"
                                                               << "station.box_idle_minutes";
        QTest::newRow("low disk at 100 TB") << "disk.low_free_mb"
                                            << "100000000"
                                            << "";
        QTest::newRow("no backups kept") << "backup.keep"
                                         << "0"
                                         << "backup.keep";
        QTest::newRow("a time zone on Mars") << "station.timezone"
                                             << "Mars/Olympus"
                                             << "station.timezone";
    }
    void configuration()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("station.conf"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QString section = key.section(QLatin1Char('.'), 0, 0);
            const QString name = key.section(QLatin1Char('.'), 1);
            f.write(QStringLiteral("[database]\npath=%1\n[station]\nid=TEST-1\n[%2]\n%3=%4\n")
                        .arg(dir.filePath(QStringLiteral("r.db")), section, name, value)
                        .toUtf8());
        }
        QString why;
        const std::optional<StationConfig> c = StationConfig::load(file, {}, &why);
        if (!error.isEmpty()) {
            QVERIFY(!c);
            QVERIFY2(why.contains(error), qPrintable(why));
            return;
        }
        QVERIFY2(c, qPrintable(why));
        const qint64 n = value.toLongLong();
        if (key == u"backup.interval_minutes")
            QCOMPARE(qint64(c->backupIntervalMinutes), n);
        else if (key == u"metrics.interval_seconds")
            QCOMPARE(qint64(c->metricsIntervalSeconds), n);
        else if (key == u"station.idle_minutes")
            QCOMPARE(qint64(c->idleMinutes), n);
        else if (key == u"station.box_idle_minutes")
            QCOMPARE(qint64(c->boxIdleMinutes), n);
        else if (key == u"disk.low_free_mb")
            QCOMPARE(c->lowDiskBytes, n * 1024 * 1024);
    }

    void configurationDefaultsAndEnvironment()
    {
        QTemporaryDir dir;
        QHash<QString, QString> flags{{QStringLiteral("database.path"), dir.filePath(QStringLiteral("r.db"))},
                                      {QStringLiteral("station.id"), QStringLiteral("TEST-1")}};
        QString why;
        const QString file = dir.filePath(QStringLiteral("empty.conf"));
        std::optional<StationConfig> c = StationConfig::load(file, flags, &why);
        QVERIFY(!c); // a named file must exist
        QFile empty(file);
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        c = StationConfig::load(file, flags, &why);
        QVERIFY2(c, qPrintable(why));
        QCOMPARE(c->idleMinutes, 10);
        QCOMPARE(c->boxIdleMinutes, 30);
        QCOMPARE(c->backupIntervalMinutes, 60);
        QCOMPARE(c->backupKeep, 14);
        QCOMPARE(c->metricsIntervalSeconds, 15);
        QCOMPARE(c->lowDiskBytes, 1024LL * 1024 * 1024);
        QCOMPARE(c->timeZone.id(), QByteArrayLiteral("America/Chicago"));
        // Every configuration key the table knows can come from the environment, named in the file or not.
        qputenv("RECEIVING_STATION_IDLE_MINUTES", "7");
        qputenv("RECEIVING_BACKUP_INTERVAL_MINUTES", "43200");
        c = StationConfig::load(file, flags, &why);
        qunsetenv("RECEIVING_STATION_IDLE_MINUTES");
        qunsetenv("RECEIVING_BACKUP_INTERVAL_MINUTES");
        QVERIFY2(c, qPrintable(why));
        QCOMPARE(c->idleMinutes, 7);
        QCOMPARE(c->backupIntervalMinutes, 43200);
    }

    // backup.interval_minutes=43200 is 2,592,000,000 ms: more than a QTimer's int holds. The worker keeps the
    // due time and wakes at most hourly, so a month's interval backs up after a month, not at once or never.
    void monthlyBackup()
    {
        QVERIFY(std::chrono::milliseconds(std::chrono::minutes(43200)).count() > INT_MAX);
        QCOMPARE(ms(MaintenanceWorker::MaxWake), HourMs);
        QTemporaryDir dir;
        const QString database = dir.filePath(QStringLiteral("r.db"));
        {
            Database db;
            db.open(database);
        }
        MaintenanceWorker::Settings s;
        s.databasePath = database;
        s.backupDirectory = dir.filePath(QStringLiteral("backups"));
        s.backupIntervalMinutes = 43200;
        StationMetrics metrics(QStringLiteral("TEST-1"));
        const QDateTime t0(QDate(2026, 11, 3), QTime(9, 0), Qt::UTC);
        FixedClock clock(t0);
        {
            MaintenanceWorker w(s, &metrics);
            w.setClock(&clock);
            QSignalSpy backups(&w, &MaintenanceWorker::backupFinished);
            w.start();
            w.checkDatabase(); // no backup yet: one now, the next in 30 days
            QCOMPARE(backups.size(), 1);
            QVERIFY(backups.at(0).at(0).toBool());
            QCOMPARE(w.nextBackupDue(), t0.addDays(30));
            QCOMPARE(ms(w.backupWake()), HourMs);

            clock.set(t0.addDays(15)); // the timer woke: not yet
            w.checkBackupDue();
            QCOMPARE(backups.size(), 1);
            QCOMPARE(ms(w.backupWake()), HourMs);
            clock.set(t0.addDays(30).addSecs(-60));
            w.checkBackupDue();
            QCOMPARE(backups.size(), 1);
            QCOMPARE(ms(w.backupWake()), qint64(60000));
            clock.set(t0.addDays(30).addSecs(1)); // due: backs up, and keeps the rhythm
            w.checkBackupDue();
            QCOMPARE(backups.size(), 2);
            QCOMPARE(w.nextBackupDue(), t0.addDays(60));
            clock.set(t0.addDays(100)); // off for a long time: one backup, the next a month from now
            w.checkBackupDue();
            QCOMPARE(backups.size(), 3);
            QCOMPARE(w.nextBackupDue(), t0.addDays(130));
        }
        // A restart 10 days after the newest backup keeps it: no copy now, the next 20 days on.
        const QString latest = Backup::latest(s.backupDirectory);
        QVERIFY(!latest.isEmpty());
        const QDateTime restart = t0.addDays(140);
        {
            QFile f(latest);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(restart.addDays(-10), QFileDevice::FileModificationTime));
        }
        clock.set(restart);
        MaintenanceWorker w(s, &metrics);
        w.setClock(&clock);
        QSignalSpy backups(&w, &MaintenanceWorker::backupFinished);
        w.start();
        w.checkDatabase();
        QCOMPARE(backups.size(), 0);
        QVERIFY(qAbs(w.nextBackupDue().secsTo(restart.addDays(20))) <= 1);
        QCOMPARE(ms(w.backupWake()), HourMs);
    }

    void wakeIsBounded_data()
    {
        QTest::addColumn<qint64>("dueInMs");
        QTest::addColumn<qint64>("wakeMs");
        QTest::newRow("past") << qint64(-5000) << qint64(0);
        QTest::newRow("now") << qint64(0) << qint64(0);
        QTest::newRow("in a minute") << qint64(60000) << qint64(60000);
        QTest::newRow("in an hour") << qint64(3600000) << qint64(3600000);
        QTest::newRow("in a month") << qint64(43200) * 60000 << qint64(3600000);
        QTest::newRow("in a century") << qint64(100) * 366 * 24 * 3600000 << qint64(3600000);
    }
    void wakeIsBounded()
    {
        QFETCH(qint64, dueInMs);
        QFETCH(qint64, wakeMs);
        const QDateTime now(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        QCOMPARE(ms(MaintenanceWorker::wakeIn(now, now.addMSecs(dueInMs))), wakeMs);
    }
};

QTEST_GUILESS_MAIN(TestStationSettings)
#include "tst_stationsettings.moc"
