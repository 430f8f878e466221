// SPDX-License-Identifier: GPL-3.0-or-later
#include "Keymap.h"

#include <QTest>

#include <linux/input-event-codes.h>

// What each layout prints for a key, with and without Shift, Caps Lock and AltGr.
class TestKeymap : public QObject
{
    Q_OBJECT

private slots:
    void byName();
    void map_data();
    void map();
    void capsLockOnlyAffectsLetters();
    void unmappedKeysPrintNothing();
};

void TestKeymap::byName()
{
    QCOMPARE(Keymap::names(),
             (QStringList{QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("us")}));
    for (const QString &name : Keymap::names()) {
        const std::optional<Keymap> map = Keymap::byName(name);
        QVERIFY(map);
        QCOMPARE(map->name(), name);
    }
    QVERIFY(Keymap::byName(u" DE "));
    QVERIFY(!Keymap::byName(u"dvorak"));
    QVERIFY(!Keymap::byName(u""));
    QCOMPARE(Keymap::us().name(), QStringLiteral("us"));
}

void TestKeymap::map_data()
{
    QTest::addColumn<QString>("layout");
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("shift");
    QTest::addColumn<bool>("altGr");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char *name, const char *layout, int code, bool shift, bool altGr, QString c) {
        QTest::newRow(name) << QString::fromLatin1(layout) << code << shift << altGr << c;
    };
    // US
    row("us a", "us", KEY_A, false, false, QStringLiteral("a"));
    row("us A", "us", KEY_A, true, false, QStringLiteral("A"));
    row("us y", "us", KEY_Y, false, false, QStringLiteral("y"));
    row("us z", "us", KEY_Z, false, false, QStringLiteral("z"));
    row("us 1", "us", KEY_1, false, false, QStringLiteral("1"));
    row("us !", "us", KEY_1, true, false, QStringLiteral("!"));
    row("us @", "us", KEY_2, true, false, QStringLiteral("@"));
    row("us &", "us", KEY_7, true, false, QStringLiteral("&"));
    row("us -", "us", KEY_MINUS, false, false, QStringLiteral("-"));
    row("us _", "us", KEY_MINUS, true, false, QStringLiteral("_"));
    row("us ]", "us", KEY_RIGHTBRACE, false, false, QStringLiteral("]"));
    row("us '", "us", KEY_APOSTROPHE, false, false, QStringLiteral("'"));
    row("us \"", "us", KEY_APOSTROPHE, true, false, QStringLiteral("\""));
    row("us /", "us", KEY_SLASH, false, false, QStringLiteral("/"));
    row("us .", "us", KEY_DOT, false, false, QStringLiteral("."));
    row("us space", "us", KEY_SPACE, false, false, QStringLiteral(" "));
    row("us kp 5", "us", KEY_KP5, false, false, QStringLiteral("5"));
    row("us kp .", "us", KEY_KPDOT, false, false, QStringLiteral("."));
    // German QWERTZ
    row("de y->z", "de", KEY_Y, false, false, QStringLiteral("z"));
    row("de z->y", "de", KEY_Z, false, false, QStringLiteral("y"));
    row("de Y->Z", "de", KEY_Y, true, false, QStringLiteral("Z"));
    row("de 1", "de", KEY_1, false, false, QStringLiteral("1"));
    row("de shift 2", "de", KEY_2, true, false, QStringLiteral("\""));
    row("de shift 3", "de", KEY_3, true, false, QStringLiteral("§"));
    row("de shift 7", "de", KEY_7, true, false, QStringLiteral("/"));
    row("de shift 8", "de", KEY_8, true, false, QStringLiteral("("));
    row("de shift 0", "de", KEY_0, true, false, QStringLiteral("="));
    row("de sz", "de", KEY_MINUS, false, false, QStringLiteral("ß"));
    row("de ?", "de", KEY_MINUS, true, false, QStringLiteral("?"));
    row("de ue", "de", KEY_LEFTBRACE, false, false, QStringLiteral("ü"));
    row("de Ue", "de", KEY_LEFTBRACE, true, false, QStringLiteral("Ü"));
    row("de oe", "de", KEY_SEMICOLON, false, false, QStringLiteral("ö"));
    row("de ae", "de", KEY_APOSTROPHE, false, false, QStringLiteral("ä"));
    row("de +", "de", KEY_RIGHTBRACE, false, false, QStringLiteral("+"));
    row("de *", "de", KEY_RIGHTBRACE, true, false, QStringLiteral("*"));
    row("de #", "de", KEY_BACKSLASH, false, false, QStringLiteral("#"));
    row("de -", "de", KEY_SLASH, false, false, QStringLiteral("-"));
    row("de _", "de", KEY_SLASH, true, false, QStringLiteral("_"));
    row("de ;", "de", KEY_COMMA, true, false, QStringLiteral(";"));
    row("de :", "de", KEY_DOT, true, false, QStringLiteral(":"));
    row("de <", "de", KEY_102ND, false, false, QStringLiteral("<"));
    row("de altgr q", "de", KEY_Q, false, true, QStringLiteral("@"));
    row("de altgr 8", "de", KEY_8, false, true, QStringLiteral("["));
    row("de altgr sz", "de", KEY_MINUS, false, true, QStringLiteral("\\"));
    row("de altgr e", "de", KEY_E, false, true, QStringLiteral("€"));
    row("de kp decimal", "de", KEY_KPDOT, false, false, QStringLiteral(","));
    // French AZERTY
    row("fr q->a", "fr", KEY_Q, false, false, QStringLiteral("a"));
    row("fr a->q", "fr", KEY_A, false, false, QStringLiteral("q"));
    row("fr w->z", "fr", KEY_W, false, false, QStringLiteral("z"));
    row("fr semicolon->m", "fr", KEY_SEMICOLON, false, false, QStringLiteral("m"));
    row("fr m->,", "fr", KEY_M, false, false, QStringLiteral(","));
    row("fr 1 unshifted", "fr", KEY_1, false, false, QStringLiteral("&"));
    row("fr 1 shifted", "fr", KEY_1, true, false, QStringLiteral("1"));
    row("fr 2", "fr", KEY_2, false, false, QStringLiteral("é"));
    row("fr shift 0", "fr", KEY_0, true, false, QStringLiteral("0"));
    row("fr 6 dash", "fr", KEY_6, false, false, QStringLiteral("-"));
    row("fr altgr 0", "fr", KEY_0, false, true, QStringLiteral("@"));
}

void TestKeymap::map()
{
    QFETCH(QString, layout);
    QFETCH(int, code);
    QFETCH(bool, shift);
    QFETCH(bool, altGr);
    QFETCH(QString, expected);
    const std::optional<Keymap> map = Keymap::byName(layout);
    QVERIFY(map);
    QCOMPARE(QString(map->map(code, Keymap::Modifiers{shift, false, altGr})), expected);
    if (!altGr)
        QCOMPARE(QString(map->map(code, shift)), expected);
}

void TestKeymap::capsLockOnlyAffectsLetters()
{
    const Keymap us = Keymap::us();
    QCOMPARE(us.map(KEY_A, Keymap::Modifiers{false, true, false}), QChar(u'A'));
    QCOMPARE(us.map(KEY_A, Keymap::Modifiers{true, true, false}), QChar(u'a'));
    QCOMPARE(us.map(KEY_1, Keymap::Modifiers{false, true, false}), QChar(u'1'));
    const Keymap de = *Keymap::byName(u"de");
    QCOMPARE(de.map(KEY_SEMICOLON, Keymap::Modifiers{false, true, false}), QChar(u'Ö'));
    const Keymap fr = *Keymap::byName(u"fr");
    QCOMPARE(fr.map(KEY_2, Keymap::Modifiers{false, true, false}), QChar(u'é')); // Caps does not shift digits
}

void TestKeymap::unmappedKeysPrintNothing()
{
    const Keymap us = Keymap::us();
    QVERIFY(us.map(KEY_ESC, false).isNull());
    QVERIFY(us.map(KEY_LEFTSHIFT, false).isNull());
    QVERIFY(us.map(KEY_F1, false).isNull());
    QVERIFY(us.map(KEY_Q, Keymap::Modifiers{false, false, true}).isNull()); // US has no AltGr level
    QVERIFY(us.map(-1, false).isNull());
    QVERIFY(us.map(KEY_MAX, false).isNull());
}

QTEST_GUILESS_MAIN(TestKeymap)
#include "tst_keymap.moc"
