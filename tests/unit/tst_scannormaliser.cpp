// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanNormaliser.h"

#include <QStandardPaths>
#include <QTest>

namespace {

QString problemName(ScanNormaliser::Problem p)
{
    switch (p) {
    case ScanNormaliser::Problem::None:
        return QStringLiteral("none");
    case ScanNormaliser::Problem::Empty:
        return QStringLiteral("empty");
    case ScanNormaliser::Problem::TooLong:
        return QStringLiteral("too_long");
    case ScanNormaliser::Problem::InvalidUtf8:
        return QStringLiteral("invalid_utf8");
    case ScanNormaliser::Problem::ControlCharacter:
        return QStringLiteral("control");
    }
    return QString();
}

QByteArray repeated(const char *utf8, int times)
{
    QByteArray out;
    for (int i = 0; i < times; ++i)
        out += utf8;
    return out;
}

} // namespace

// The scan normaliser's contract: what is trimmed, what is refused, and how long a scan may be.
class TestScanNormaliser : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void normalise_data();
    void normalise();
    void everyForbiddenControlCharacter_data();
    void everyForbiddenControlCharacter();
    void truncatedBySourceIsTooLong();
    void refusedScanStillHasSafeDisplay();
    void everyProblemHasMessage();
};

void TestScanNormaliser::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestScanNormaliser::normalise_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("text");  // expected when valid
    QTest::addColumn<QString>("upper"); // expected when valid

    const QString none = QStringLiteral("none");
    const QString empty = QStringLiteral("empty");
    const QString tooLong = QStringLiteral("too_long");
    const QString badUtf8 = QStringLiteral("invalid_utf8");
    const QString control = QStringLiteral("control");

    QTest::newRow("plain") << QByteArray("ABC123") << none << "ABC123"
                           << "ABC123";
    QTest::newRow("lower case keeps text, upper for matching") << QByteArray("sn-a1") << none << "sn-a1"
                                                               << "SN-A1";
    QTest::newRow("trailing CR LF") << QByteArray("abc\r\n") << none << "abc"
                                    << "ABC";
    QTest::newRow("trailing LF") << QByteArray("abc\n") << none << "abc"
                                 << "ABC";
    QTest::newRow("trailing CR") << QByteArray("abc\r") << none << "abc"
                                 << "ABC";
    QTest::newRow("leading and trailing spaces") << QByteArray("   abc  ") << none << "abc"
                                                 << "ABC";
    QTest::newRow("spaces before CR LF") << QByteArray("  abc  \r\n") << none << "abc"
                                         << "ABC";
    QTest::newRow("inner spaces kept") << QByteArray("a b  c") << none << "a b  c"
                                       << "A B  C";
    QTest::newRow("empty") << QByteArray() << empty << QString() << QString();
    QTest::newRow("only spaces") << QByteArray("     ") << empty << QString() << QString();
    QTest::newRow("only CR LF") << QByteArray("\r\n") << empty << QString() << QString();
    QTest::newRow("spaces and CR LF") << QByteArray("   \r\n") << empty << QString() << QString();
    QTest::newRow("leading LF is a control character")
        << QByteArray("\nabc") << control << QString() << QString();
    QTest::newRow("CR inside is a control character")
        << QByteArray("ab\rc") << control << QString() << QString();
    QTest::newRow("tab inside") << QByteArray("ab\tc") << control << QString() << QString();
    QTest::newRow("NUL inside") << QByteArray("ab\0c", 4) << control << QString() << QString();
    QTest::newRow("DEL") << QByteArray("ab\x7F"
                                       "c")
                         << control << QString() << QString();
    QTest::newRow("C1 control U+0085") << QByteArray("ab\xC2\x85"
                                                     "c")
                                       << control << QString() << QString();
    const QString gsText =
        QStringLiteral("]C1010950110153000310LOT1") + QChar(0x1D) + QStringLiteral("21sn7");
    QTest::newRow("GS 0x1D allowed") << gsText.toUtf8() << none << gsText << gsText.toUpper();

    const QString a128(128, QLatin1Char('A'));
    QTest::newRow("128 characters") << a128.toUtf8() << none << a128 << a128;
    QTest::newRow("129 characters") << QByteArray(129, 'A') << tooLong << QString() << QString();
    QTest::newRow("128 characters plus CR LF and spaces")
        << QByteArray("  " + a128.toUtf8() + "  \r\n") << none << a128 << a128;
    QTest::newRow("10 kB") << QByteArray(10 * 1024, 'A') << tooLong << QString() << QString();

    // Multi-byte UTF-8 characters count as one character each.
    const QString e128 = QString::fromUtf8(repeated("\xC3\xA9", 128)); // e-acute, 2 bytes
    QTest::newRow("128 two-byte characters") << e128.toUtf8() << none << e128 << e128.toUpper();
    QTest::newRow("129 two-byte characters")
        << repeated("\xC3\xA9", 129) << tooLong << QString() << QString();
    const QString euro128 = QString::fromUtf8(repeated("\xE2\x82\xAC", 128)); // euro sign, 3 bytes
    QTest::newRow("128 three-byte characters") << euro128.toUtf8() << none << euro128 << euro128;
    QTest::newRow("129 three-byte characters")
        << repeated("\xE2\x82\xAC", 129) << tooLong << QString() << QString();
    const QString clef128 = QString::fromUtf8(repeated("\xF0\x9D\x84\x9E", 128)); // U+1D11E, 4 bytes
    QTest::newRow("128 four-byte characters") << clef128.toUtf8() << none << clef128 << clef128;
    QTest::newRow("129 four-byte characters")
        << repeated("\xF0\x9D\x84\x9E", 129) << tooLong << QString() << QString();
    const QString mixed =
        QStringLiteral("x").repeated(125) + QString::fromUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E");
    QTest::newRow("128 mixed-width characters") << mixed.toUtf8() << none << mixed << mixed.toUpper();

    QTest::newRow("lone 0xFF") << QByteArray("ab\xFF") << badUtf8 << QString() << QString();
    QTest::newRow("lone continuation byte") << QByteArray("ab\x80"
                                                          "c")
                                            << badUtf8 << QString() << QString();
    QTest::newRow("latin-1 e-acute") << QByteArray("caf\xE9") << badUtf8 << QString() << QString();
    QTest::newRow("overlong slash") << QByteArray("a\xC0\xAF"
                                                  "b")
                                    << badUtf8 << QString() << QString();
    QTest::newRow("encoded surrogate") << QByteArray("a\xED\xA0\x80"
                                                     "b")
                                       << badUtf8 << QString() << QString();
    QTest::newRow("truncated sequence at the end")
        << QByteArray("abc\xE2\x82") << badUtf8 << QString() << QString();
    QTest::newRow("beyond U+10FFFF") << QByteArray("a\xF4\x90\x80\x80") << badUtf8 << QString() << QString();
}

void TestScanNormaliser::normalise()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, problem);
    QFETCH(QString, text);
    QFETCH(QString, upper);

    const ScanNormaliser::Result r = ScanNormaliser::normalise(raw);
    QCOMPARE(problemName(r.problem), problem);
    QCOMPARE(r.isValid(), problem == QLatin1String("none"));
    if (r.isValid()) {
        QCOMPARE(r.text, text);
        QCOMPARE(r.upper, upper);
    } else {
        QVERIFY(r.text.isEmpty());
        QVERIFY(r.upper.isEmpty());
    }
}

void TestScanNormaliser::everyForbiddenControlCharacter_data()
{
    QTest::addColumn<QByteArray>("raw");

    for (int c = 0; c <= 0x1F; ++c) {
        if (c == 0x1D)
            continue;
        const QByteArray name = "C0 0x" + QByteArray::number(c, 16).rightJustified(2, '0');
        QTest::newRow((name + " inside").constData()) << (QByteArray("AB") + char(c) + "CD");
        QTest::newRow((name + " at the start").constData()) << (QByteArray(1, char(c)) + "ABCD");
        if (c != '\r' && c != '\n')
            QTest::newRow((name + " at the end").constData()) << (QByteArray("ABCD") + char(c));
    }
    QTest::newRow("DEL 0x7f inside") << QByteArray("AB\x7F"
                                                   "CD");
    QTest::newRow("DEL 0x7f at the end") << QByteArray("ABCD\x7F");
}

void TestScanNormaliser::everyForbiddenControlCharacter()
{
    QFETCH(QByteArray, raw);
    const ScanNormaliser::Result r = ScanNormaliser::normalise(raw);
    QCOMPARE(problemName(r.problem), QStringLiteral("control"));
    QVERIFY(!r.isValid());
}

void TestScanNormaliser::truncatedBySourceIsTooLong()
{
    const ScanNormaliser::Result r = ScanNormaliser::normalise(QByteArray("ABC"), true);
    QCOMPARE(problemName(r.problem), QStringLiteral("too_long"));
}

void TestScanNormaliser::refusedScanStillHasSafeDisplay()
{
    const ScanNormaliser::Result r = ScanNormaliser::normalise(QByteArray("AB\x01\xFF"
                                                                          "C"));
    QVERIFY(!r.isValid());
    QVERIFY(!r.display.isEmpty());
    for (const QChar c : r.display)
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7F, qPrintable(r.display));

    const ScanNormaliser::Result huge = ScanNormaliser::normalise(QByteArray(10 * 1024, 'A'));
    QVERIFY(huge.display.size() <= 65); // bounded, with an ellipsis
}

void TestScanNormaliser::everyProblemHasMessage()
{
    using P = ScanNormaliser::Problem;
    QVERIFY(ScanNormaliser::problemMessage(P::None).isEmpty());
    for (P p : {P::Empty, P::TooLong, P::InvalidUtf8, P::ControlCharacter})
        QVERIFY(!ScanNormaliser::problemMessage(p).isEmpty());
}

QTEST_GUILESS_MAIN(TestScanNormaliser)
#include "tst_scannormaliser.moc"
