// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChar>
#include <QString>
#include <QStringList>

#include <array>
#include <initializer_list>
#include <optional>
#include <utility>

// Turns Linux key codes (linux/input-event-codes.h) into the characters a keyboard layout prints, so a
// grabbed evdev scanner decodes the same way it would have typed into the desktop. Pure value class: no I/O,
// no state beyond the table. Dead keys print their own character, because a scanner never composes.
class Keymap
{
public:
    struct Modifiers
    {
        bool shift = false;
        bool capsLock = false; // inverts shift for letters only, as the console and xkb do
        bool altGr = false;    // third level (right Alt); only layouts that need it for ASCII define it
    };

    // "us", "de" (QWERTZ) or "fr" (AZERTY); case-insensitive. nullopt for an unknown name.
    static std::optional<Keymap> byName(QStringView name);
    static QStringList names();
    static Keymap us();

    QString name() const { return m_name; }

    // The character of `keycode`, or a null QChar when the key prints nothing in this layout.
    QChar map(int keycode, bool shift) const { return map(keycode, Modifiers{shift, false, false}); }
    QChar map(int keycode, Modifiers modifiers) const;

private:
    struct Levels
    {
        char16_t plain = 0;
        char16_t shifted = 0;
        char16_t altGr = 0;
    };
    using Row = std::pair<int, Levels>;

    Keymap(QString name, std::initializer_list<Row> rows);

    static constexpr int KeyCount = 128; // every printing key of a PC keyboard has a code below this
    QString m_name;
    std::array<Levels, KeyCount> m_levels{};
};
