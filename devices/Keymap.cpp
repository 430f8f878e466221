// SPDX-License-Identifier: GPL-3.0-or-later
#include "Keymap.h"

#include <linux/input-event-codes.h>

namespace {

// Keys every layout here prints alike. The keypad assumes Num Lock on, which is how scanners use it.
constexpr std::pair<int, std::array<char16_t, 3>> Common[] = {
    {KEY_SPACE, {u' ', u' ', 0}},  {KEY_KP0, {u'0', u'0', 0}},        {KEY_KP1, {u'1', u'1', 0}},
    {KEY_KP2, {u'2', u'2', 0}},    {KEY_KP3, {u'3', u'3', 0}},        {KEY_KP4, {u'4', u'4', 0}},
    {KEY_KP5, {u'5', u'5', 0}},    {KEY_KP6, {u'6', u'6', 0}},        {KEY_KP7, {u'7', u'7', 0}},
    {KEY_KP8, {u'8', u'8', 0}},    {KEY_KP9, {u'9', u'9', 0}},        {KEY_KPMINUS, {u'-', u'-', 0}},
    {KEY_KPPLUS, {u'+', u'+', 0}}, {KEY_KPASTERISK, {u'*', u'*', 0}}, {KEY_KPSLASH, {u'/', u'/', 0}},
    {KEY_KPDOT, {u'.', u'.', 0}},
};

// Letters in keyboard order, so each layout only states where its letters sit.
constexpr int LetterKeys[] = {KEY_Q, KEY_W, KEY_E, KEY_R, KEY_T, KEY_Y, KEY_U, KEY_I, KEY_O,
                              KEY_P, KEY_A, KEY_S, KEY_D, KEY_F, KEY_G, KEY_H, KEY_J, KEY_K,
                              KEY_L, KEY_Z, KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M};

} // namespace

Keymap::Keymap(QString name, std::initializer_list<Row> rows) : m_name(std::move(name))
{
    for (const auto &[code, levels] : Common)
        m_levels[code] = Levels{levels[0], levels[1], levels[2]};
    for (const Row &row : rows) {
        Q_ASSERT(row.first >= 0 && row.first < KeyCount);
        m_levels[row.first] = row.second;
    }
}

QStringList Keymap::names()
{
    return {QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("us")};
}

Keymap Keymap::us()
{
    return *byName(u"us");
}

std::optional<Keymap> Keymap::byName(QStringView name)
{
    const QString n = name.trimmed().toString().toLower();
    // Letters are given in keyboard order over LetterKeys; a layout's explicit row wins over its letter row,
    // and a non-letter in the order string leaves that key to the explicit rows.
    const auto withLetters = [](Keymap map, const char16_t(&order)[27]) {
        for (int i = 0; i < 26; ++i) {
            const char16_t c = order[i];
            Levels &l = map.m_levels[LetterKeys[i]];
            if (c >= u'a' && c <= u'z' && l.plain == 0)
                l = Levels{c, char16_t(c - u'a' + u'A'), 0};
        }
        return map;
    };

    if (n == u"us") {
        return withLetters(Keymap(QStringLiteral("us"),
                                  {
                                      {KEY_GRAVE, {u'`', u'~', 0}},      {KEY_1, {u'1', u'!', 0}},
                                      {KEY_2, {u'2', u'@', 0}},          {KEY_3, {u'3', u'#', 0}},
                                      {KEY_4, {u'4', u'$', 0}},          {KEY_5, {u'5', u'%', 0}},
                                      {KEY_6, {u'6', u'^', 0}},          {KEY_7, {u'7', u'&', 0}},
                                      {KEY_8, {u'8', u'*', 0}},          {KEY_9, {u'9', u'(', 0}},
                                      {KEY_0, {u'0', u')', 0}},          {KEY_MINUS, {u'-', u'_', 0}},
                                      {KEY_EQUAL, {u'=', u'+', 0}},      {KEY_LEFTBRACE, {u'[', u'{', 0}},
                                      {KEY_RIGHTBRACE, {u']', u'}', 0}}, {KEY_BACKSLASH, {u'\\', u'|', 0}},
                                      {KEY_SEMICOLON, {u';', u':', 0}},  {KEY_APOSTROPHE, {u'\'', u'"', 0}},
                                      {KEY_COMMA, {u',', u'<', 0}},      {KEY_DOT, {u'.', u'>', 0}},
                                      {KEY_SLASH, {u'/', u'?', 0}},      {KEY_102ND, {u'<', u'>', 0}},
                                  }),
                           u"qwertyuiopasdfghjklzxcvbnm");
    }
    if (n == u"de") {
        // German T1 (xkb "de"): QWERTZ, umlauts on the US bracket/semicolon keys, ß right of the zero.
        return withLetters(Keymap(QStringLiteral("de"),
                                  {
                                      {KEY_GRAVE, {u'^', u'°', u'′'}},      {KEY_1, {u'1', u'!', u'¹'}},
                                      {KEY_2, {u'2', u'"', u'²'}},          {KEY_3, {u'3', u'§', u'³'}},
                                      {KEY_4, {u'4', u'$', u'¼'}},          {KEY_5, {u'5', u'%', u'½'}},
                                      {KEY_6, {u'6', u'&', u'¬'}},          {KEY_7, {u'7', u'/', u'{'}},
                                      {KEY_8, {u'8', u'(', u'['}},          {KEY_9, {u'9', u')', u']'}},
                                      {KEY_0, {u'0', u'=', u'}'}},          {KEY_MINUS, {u'ß', u'?', u'\\'}},
                                      {KEY_EQUAL, {u'´', u'`', 0}},         {KEY_Q, {u'q', u'Q', u'@'}},
                                      {KEY_E, {u'e', u'E', u'€'}},          {KEY_LEFTBRACE, {u'ü', u'Ü', 0}},
                                      {KEY_RIGHTBRACE, {u'+', u'*', u'~'}}, {KEY_SEMICOLON, {u'ö', u'Ö', 0}},
                                      {KEY_APOSTROPHE, {u'ä', u'Ä', 0}},    {KEY_BACKSLASH, {u'#', u'\'', 0}},
                                      {KEY_102ND, {u'<', u'>', u'|'}},      {KEY_M, {u'm', u'M', u'µ'}},
                                      {KEY_COMMA, {u',', u';', 0}},         {KEY_DOT, {u'.', u':', 0}},
                                      {KEY_SLASH, {u'-', u'_', 0}},         {KEY_KPDOT, {u',', u',', 0}},
                                  }),
                           u"qwertzuiopasdfghjklyxcvbnm");
    }
    if (n == u"fr") {
        // French AZERTY (xkb "fr"): digits need Shift, A/Q and Z/W swapped, M beside L.
        return withLetters(Keymap(QStringLiteral("fr"),
                                  {
                                      {KEY_GRAVE, {u'²', 0, 0}},        {KEY_1, {u'&', u'1', 0}},
                                      {KEY_2, {u'é', u'2', u'~'}},      {KEY_3, {u'"', u'3', u'#'}},
                                      {KEY_4, {u'\'', u'4', u'{'}},     {KEY_5, {u'(', u'5', u'['}},
                                      {KEY_6, {u'-', u'6', u'|'}},      {KEY_7, {u'è', u'7', u'`'}},
                                      {KEY_8, {u'_', u'8', u'\\'}},     {KEY_9, {u'ç', u'9', u'^'}},
                                      {KEY_0, {u'à', u'0', u'@'}},      {KEY_MINUS, {u')', u'°', u']'}},
                                      {KEY_EQUAL, {u'=', u'+', u'}'}},  {KEY_E, {u'e', u'E', u'€'}},
                                      {KEY_LEFTBRACE, {u'^', u'¨', 0}}, {KEY_RIGHTBRACE, {u'$', u'£', u'¤'}},
                                      {KEY_SEMICOLON, {u'm', u'M', 0}}, {KEY_APOSTROPHE, {u'ù', u'%', 0}},
                                      {KEY_BACKSLASH, {u'*', u'µ', 0}}, {KEY_102ND, {u'<', u'>', 0}},
                                      {KEY_M, {u',', u'?', 0}},         {KEY_COMMA, {u';', u'.', 0}},
                                      {KEY_DOT, {u':', u'/', 0}},       {KEY_SLASH, {u'!', u'§', 0}},
                                  }),
                           u"azertyuiopqsdfghjklwxcvbn ");
    }
    return std::nullopt;
}

QChar Keymap::map(int keycode, Modifiers modifiers) const
{
    if (keycode < 0 || keycode >= KeyCount)
        return QChar();
    const Levels &l = m_levels[keycode];
    if (modifiers.altGr)
        return l.altGr ? QChar(l.altGr) : QChar();
    bool shift = modifiers.shift;
    if (modifiers.capsLock && l.plain && QChar(l.plain).isLetter() &&
        QChar(l.shifted) == QChar(l.plain).toUpper())
        shift = !shift;
    const char16_t c = shift ? l.shifted : l.plain;
    return c ? QChar(c) : QChar();
}
