// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

class Database;

// Every setting of the station in one table: its name, where it is set (the station's configuration or the
// depot's settings table), its type, range and default, and the one parser that turns a text into a typed
// value or into a sentence for the person who typed it. The configuration loader, the supervisor's settings
// page, receiving-cli and the workers that apply a setting all ask here, so no range is written twice (the
// keyboard wedge's ranges are WedgeScannerFilter's, listed here as they are). Values are refused, never
// clamped or wrapped: a number out of range, or too long for 64 bits, gets a sentence.
//
// Pure apart from fromDatabase(): no QObject, no other I/O. Keys parsed by a class of their own are not
// listed: upstream.url and its credentials (UpstreamConfig), serial.pattern.* (LabelFields), and the scanner
// types' own keys (the ScanSource classes in devices/).
class StationSettings
{
public:
    enum class Scope {
        Station, // this kiosk's configuration: INI file, RECEIVING_* environment, flags; set by IT, read at
                 // start
        Depot, // the database's settings table, shared by every station on that database; set by a supervisor
               // (the kiosk's Settings page or receiving-cli), audited
    };
    enum class Type { Integer, Choice, Text, TimeZone, TimeOfDay }; // TimeOfDay: HH:MM, 00:00-23:59
    // When a saved value takes effect.
    enum class Applies {
        AtStart,    // the station's next start
        AtOnce,     // within a minute, at the running station
        NextSignIn, // when the sign-in screen next shows
    };

    struct Key
    {
        QString name; // "idle_minutes"; "scanner.*.min_length" stands for every scanner's min_length
        Scope scope;
        Type type;
        qint64 minimum;       // Integer: the smallest value; Text: the fewest characters
        qint64 maximum;       // Integer: the largest value; Text: the most characters
        QString unit;         // "minutes", "seconds", "ms", "percent", "MB", "backups", "characters" or empty
        QString defaultValue; // empty: none (the key is then optional, or its default is worked out at load)
        QStringList choices;  // Choice: the values allowed
        QString fallback;     // Depot: the configuration key that decides while the setting is unset
        Applies applies;
    };

    // What a text means for a key: its value (qint64 for Integer, QString for the others) and the canonical
    // text to store, or why it is no value of the key.
    struct Value
    {
        QVariant value;
        QString error; // a sentence for a person; empty when the text is a value
        bool ok() const { return error.isEmpty(); }
        qint64 integer() const { return value.toLongLong(); }
        QString text() const { return value.toString(); }
    };

    static const QList<Key> &keys();
    // The key `name` is ("scanner.dock.min_length" is "scanner.*.min_length"); nullptr when it is none.
    static const Key *find(const QString &name);
    // The settings table's keys, in the order the Settings page shows them.
    static QStringList depotKeys();
    // The configuration's keys without a wildcard (environment variables override these even when the file
    // does not name them).
    static QStringList stationKeys();

    // `text`, trimmed, as a value of key `name`. Integers are whole decimal numbers in the key's range;
    // choices one of the key's; texts within the key's length. No key takes control characters.
    static Value parse(const QString &name, const QString &text);
    // As parse(), with the key's default for an empty text.
    static Value parseOrDefault(const QString &name, const QString &text);
    // As parse(), for a row of the settings table: keys of the station's configuration (the station id,
    // scanners, backups, ...) are refused with a sentence saying where they are set instead.
    static Value parseDepot(const QString &name, const QString &text);

    // The depot's settings as stations apply them, from the settings table's rows (key -> stored text). A row
    // that is no value of its key is left out and named in problems(), so it never reaches a timer.
    explicit StationSettings(const QHash<QString, QString> &rows = {});
    // Reads the settings table; throws DbException.
    static StationSettings fromDatabase(Database &db);

    std::optional<int> idleMinutes() const;    // idle_minutes; unset: station.idle_minutes decides
    std::optional<int> boxIdleMinutes() const; // box_idle_minutes; unset: station.box_idle_minutes decides
    std::optional<int> volume() const;         // 0-100; unset: the sounds play at their own level
    std::optional<QString> language() const;   // en | es; unset: the sign-in screen keeps its language
    // How long a supervisor's PIN stays valid without a supervisor action; 5 unless set.
    int supervisorMinutes() const;
    // The depot as reports and certificates of receipt name it (depot.name, depot.address); empty unless set.
    QString depotName() const;
    QString depotAddress() const;
    QStringList problems() const { return m_problems; }

private:
    std::optional<qint64> integer(const char *name) const;
    QHash<QString, QVariant> m_values; // depot keys with a valid row
    QStringList m_problems;
};
