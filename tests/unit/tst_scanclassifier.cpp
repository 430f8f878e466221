// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanClassifier.h"

#include <QSet>
#include <QStandardPaths>
#include <QTest>

namespace {

// The station's data as plain sets, so the classification order can be tested without a database.
class FakeFacts : public ScanFacts
{
public:
    QSet<QString> badges;
    QSet<QString> tracking;
    QSet<QString> serials;
    QSet<QString> activeSkus;

    bool isBadge(const QString &upper) override { return badges.contains(upper); }
    bool isKnownTracking(const QString &upper) override { return tracking.contains(upper); }
    bool isKnownSerial(const QString &upper) override { return serials.contains(upper); }
    bool isSkuOfActiveCase(const QString &upper) override { return activeSkus.contains(upper); }
};

QSet<QString> setOf(const QStringList &l)
{
    return QSet<QString>(l.cbegin(), l.cend());
}

// Rows write the group separator as "{GS}" so they stay readable.
QByteArray scan(const char *text)
{
    return QByteArray(text).replace("{GS}", "\x1D");
}

QString commandName(Command c)
{
    switch (c) {
    case Command::None:
        return QStringLiteral("none");
    case Command::Done:
        return QStringLiteral("done");
    case Command::Undo:
        return QStringLiteral("undo");
    }
    return QString();
}

const char *const Ups = "1Z999AA10123456784"; // valid check digit

} // namespace

// Which barcode a scan is, first match wins: every kind and every step of the order.
class TestScanClassifier : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void classify_data();
    void classify();
    void isCaseNumber_data();
    void isCaseNumber();
    void invalidScanIsNeverLookedUp();
};

void TestScanClassifier::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestScanClassifier::classify_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("badges");
    QTest::addColumn<QStringList>("tracking");
    QTest::addColumn<QStringList>("serials");
    QTest::addColumn<QStringList>("activeSkus");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("command");
    QTest::addColumn<bool>("boxLabel");
    QTest::addColumn<QString>("known"); // "1", "0", or "" when the classifier cannot know (case numbers)
    QTest::addColumn<QString>("sku");
    QTest::addColumn<bool>("refused"); // a problem message for the worker (invalid or wrong barcode)

    const QStringList none;
    const QString noSku;

    // invalid
    QTest::newRow("empty") << QByteArray() << none << none << none << none << "invalid" << QString() << "none"
                           << false << "0" << noSku << true;
    QTest::newRow("control character") << QByteArray("AB\x01") << none << none << none << none << "invalid"
                                       << QString() << "none" << false << "0" << noSku << true;
    QTest::newRow("invalid utf-8") << QByteArray("AB\xFF") << none << none << none << none << "invalid"
                                   << QString() << "none" << false << "0" << noSku << true;

    // commands
    QTest::newRow(":done") << scan(":done") << none << none << none << none << "command" << QString()
                           << "done" << false << "0" << noSku << false;
    QTest::newRow(":DONE upper case") << scan(":DONE") << none << none << none << none << "command"
                                      << QString() << "done" << false << "0" << noSku << false;
    QTest::newRow(":undo with spaces and CR LF")
        << scan("  :Undo \r\n") << none << none << none << none << "command" << QString() << "undo" << false
        << "0" << noSku << false;
    QTest::newRow("command beats a badge of the same text")
        << scan(":done") << QStringList{":DONE"} << none << none << none << "command" << QString() << "done"
        << false << "0" << noSku << false;
    QTest::newRow(":done2 is no command") << scan(":done2") << none << none << none << none << "serial"
                                          << ":DONE2"
                                          << "none" << false << "0" << noSku << false;

    // badge
    QTest::newRow("badge") << scan("op-7") << QStringList{"OP-7"} << none << none << none << "badge"
                           << "OP-7"
                           << "none" << false << "0" << noSku << false;
    QTest::newRow("badge that looks like a case number")
        << scan("2026-0001-0001") << QStringList{"2026-0001-0001"} << QStringList{"2026-0001-0001"} << none
        << none << "badge"
        << "2026-0001-0001"
        << "none" << false << "0" << noSku << false;
    QTest::newRow("badge beats a known serial")
        << scan("OP-7") << QStringList{"OP-7"} << none << QStringList{"OP-7"} << none << "badge"
        << "OP-7"
        << "none" << false << "0" << noSku << false;
    QTest::newRow("badge that looks like GS1")
        << scan("]C1010950110153000321SN7") << QStringList{"]C1010950110153000321SN7"} << none << none << none
        << "badge"
        << "]C1010950110153000321SN7"
        << "none" << false << "0" << noSku << false;

    // GS1 element strings
    QTest::newRow("gs1-128 ]C1 with AI 21, serial upper-cased")
        << scan("]C1010950110153000321sn-77") << none << none << none << none << "gs1"
        << "SN-77"
        << "none" << false << "0" << noSku << false;
    QTest::newRow("gs1 datamatrix ]d2 with GS separator and AI 21")
        << scan("]d201095011015300031726123110LOT42{GS}21sn-7") << none << none << QStringList{"SN-7"} << none
        << "gs1"
        << "SN-7"
        << "none" << false << "1" << noSku << false;
    QTest::newRow("gs1 AI 21 then AI 240 product id")
        << scan("]C121sn-8{GS}240sku-tab") << none << none << none << none << "gs1"
        << "SN-8"
        << "none" << false << "0"
        << "SKU-TAB" << false;
    QTest::newRow("gs1 leading FNC1 without symbology identifier")
        << scan("{GS}010950110153000321abc") << none << none << none << none << "gs1"
        << "ABC"
        << "none" << false << "0" << noSku << false;
    QTest::newRow("gs1 AI 00 is a box label")
        << scan("]C100106141411234567897") << none << none << none << none << "gs1"
        << "106141411234567897"
        << "none" << true << "0" << noSku << false;
    QTest::newRow("gs1 AI 00 known to a case") << scan("]d2{GS}00106141411234567897") << none
                                               << QStringList{"106141411234567897"} << none << none << "gs1"
                                               << "106141411234567897"
                                               << "none" << true << "1" << noSku << false;
    QTest::newRow("gs1 without AI 21 or 00 is refused")
        << scan("]C1010950110153000310LOT1") << none << none << none << none << "gs1"
        << "09501101530003"
        << "none" << false << "0" << noSku << true;
    QTest::newRow("gs1 with a bad check digit is invalid")
        << scan("]C1010950110153000421SN1") << none << none << none << none << "invalid" << QString()
        << "none" << false << "0" << noSku << true;
    QTest::newRow("gs1 with an unknown symbology identifier is invalid")
        << scan("]C0010950110153000321SN1{GS}") << none << none << none << none << "invalid" << QString()
        << "none" << false << "0" << noSku << true;

    // case numbers (the classifier has no case lookup: ReceivingService decides box_opened vs box_unknown)
    QTest::newRow("case number 4-4-4")
        << scan("2026-0001-0001") << none << none << none << none << "case_number"
        << "2026-0001-0001"
        << "none" << true << "" << noSku << false;
    QTest::newRow("case number 4-4-6")
        << scan("2026-0001-000001") << none << none << none << none << "case_number"
        << "2026-0001-000001"
        << "none" << true << "" << noSku << false;
    QTest::newRow("case number beats a known tracking number and serial")
        << scan("2026-0001-0001") << none << QStringList{"2026-0001-0001"} << QStringList{"2026-0001-0001"}
        << none << "case_number"
        << "2026-0001-0001"
        << "none" << true << "" << noSku << false;
    QTest::newRow("4-4-3 is not a case number")
        << scan("2026-0001-001") << none << none << none << none << "serial"
        << "2026-0001-001"
        << "none" << false << "0" << noSku << false;
    QTest::newRow("4-4-7 is not a case number")
        << scan("2026-0001-0000001") << none << none << none << none << "serial"
        << "2026-0001-0000001"
        << "none" << false << "0" << noSku << false;

    // tracking numbers
    QTest::newRow("known tracking number, any shape")
        << scan("trk-a-0001") << none << QStringList{"TRK-A-0001"} << none << none << "tracking_number"
        << "TRK-A-0001"
        << "none" << true << "1" << noSku << false;
    QTest::newRow("known tracking beats known serial")
        << scan("TRK-A-0001") << none << QStringList{"TRK-A-0001"} << QStringList{"TRK-A-0001"} << none
        << "tracking_number"
        << "TRK-A-0001"
        << "none" << true << "1" << noSku << false;
    QTest::newRow("known UPS number with spaces")
        << scan("1Z 999 AA1 0123 456 784") << none << QStringList{Ups} << none << none << "tracking_number"
        << Ups << "none" << true << "1" << noSku << false;
    QTest::newRow("UPS unknown to any case") << scan(Ups) << none << none << none << none << "tracking_number"
                                             << Ups << "none" << true << "0" << noSku << false;
    QTest::newRow("UPS lower case") << scan("1z999aa10123456784") << none << none << none << none
                                    << "tracking_number" << Ups << "none" << true << "0" << noSku << false;
    QTest::newRow("UPS with a wrong check digit is a serial")
        << scan("1Z999AA10123456785") << none << none << none << none << "serial"
        << "1Z999AA10123456785"
        << "none" << false << "0" << noSku << false;

    // serials and SKUs
    QTest::newRow("known serial") << scan("sn-a1") << none << none << QStringList{"SN-A1"} << none << "serial"
                                  << "SN-A1"
                                  << "none" << false << "1" << noSku << false;
    QTest::newRow("known serial matching a carrier pattern: serial wins")
        << scan(Ups) << none << none << QStringList{Ups} << none << "serial" << Ups << "none" << false << "1"
        << noSku << false;
    QTest::newRow("known serial beats SKU of the active case")
        << scan("SKU-TAB") << none << none << QStringList{"SKU-TAB"} << QStringList{"SKU-TAB"} << "serial"
        << "SKU-TAB"
        << "none" << false << "1" << noSku << false;
    QTest::newRow("SKU of the active case")
        << scan("sku-tab") << none << none << none << QStringList{"SKU-TAB"} << "sku"
        << "SKU-TAB"
        << "none" << false << "0" << noSku << false;
    QTest::newRow("SKU not of the active case is an unknown serial")
        << scan("SKU-TAB") << none << none << none << QStringList{"SKU-PHONE"} << "serial"
        << "SKU-TAB"
        << "none" << false << "0" << noSku << false;
    QTest::newRow("SKU of the active case beats a carrier pattern")
        << scan(Ups) << none << none << none << QStringList{Ups} << "sku" << Ups << "none" << false << "0"
        << noSku << false;
    // other barcodes of a network-gear label
    QTest::newRow("mac with colons") << scan("3c:8a:b0:12:34:56") << none << none << none << none << "mac"
                                     << "3C:8A:B0:12:34:56"
                                     << "none" << false << "0" << noSku << true;
    QTest::newRow("bare mac") << scan("3C8AB0123456") << none << none << none << none << "mac"
                              << "3C8AB0123456"
                              << "none" << false << "0" << noSku << true;
    QTest::newRow("known serial that looks like a mac is a serial")
        << scan("3C8AB0123456") << none << none << QStringList{"3C8AB0123456"} << none << "serial"
        << "3C8AB0123456"
        << "none" << false << "1" << noSku << false;
    QTest::newRow("clei") << scan("IPMJ610DRA") << none << none << none << none << "clei"
                          << "IPMJ610DRA"
                          << "none" << false << "0" << noSku << true;
    QTest::newRow("juniper part number")
        << scan("750-054321") << none << none << none << none << "part_number"
        << "750-054321"
        << "none" << false << "0" << noSku << true;
    QTest::newRow("all-digit serial is no mac")
        << scan("371646012346") << none << none << none << none << "serial"
        << "371646012346"
        << "none" << false << "0" << noSku << false;

    QTest::newRow("unknown serial, lower case")
        << scan("abc123\r\n") << none << none << none << none << "serial"
        << "ABC123"
        << "none" << false << "0" << noSku << false;
}

void TestScanClassifier::classify()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, badges);
    QFETCH(QStringList, tracking);
    QFETCH(QStringList, serials);
    QFETCH(QStringList, activeSkus);
    QFETCH(QString, kind);
    QFETCH(QString, value);
    QFETCH(QString, command);
    QFETCH(bool, boxLabel);
    QFETCH(QString, known);
    QFETCH(QString, sku);
    QFETCH(bool, refused);

    FakeFacts facts;
    facts.badges = setOf(badges);
    facts.tracking = setOf(tracking);
    facts.serials = setOf(serials);
    facts.activeSkus = setOf(activeSkus);

    const Classification c = ScanClassifier::classify(ScanNormaliser::normalise(input), facts);
    QCOMPARE(kindName(c.kind), kind);
    QCOMPARE(c.value, value);
    QCOMPARE(commandName(c.command), command);
    QCOMPARE(c.boxLabel, boxLabel);
    if (!known.isEmpty())
        QCOMPARE(c.known, known == QLatin1String("1"));
    QCOMPARE(c.sku, sku);
    QCOMPARE(!c.problem.isEmpty(), refused);
}

void TestScanClassifier::isCaseNumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expected");

    QTest::newRow("4-4-4") << "2026-0001-0001" << true;
    QTest::newRow("4-4-5") << "2026-0001-00001" << true;
    QTest::newRow("4-4-6") << "2026-0001-000001" << true;
    QTest::newRow("4-4-3") << "2026-0001-001" << false;
    QTest::newRow("4-4-7") << "2026-0001-0000001" << false;
    QTest::newRow("letter in the middle") << "2026-0A01-0001" << false;
    QTest::newRow("letter at the end") << "2026-0001-000A" << false;
    QTest::newRow("underscores") << "2026_0001_0001" << false;
    QTest::newRow("3-5-4") << "202-60001-0001" << false;
    QTest::newRow("empty") << "" << false;
}

void TestScanClassifier::isCaseNumber()
{
    QFETCH(QString, text);
    QFETCH(bool, expected);
    QCOMPARE(ScanClassifier::isCaseNumber(text), expected);
}

void TestScanClassifier::invalidScanIsNeverLookedUp()
{
    // A fake that fails the test if anything is asked: invalid input must be decided before any lookup.
    class Refusing : public ScanFacts
    {
    public:
        bool asked = false;
        bool isBadge(const QString &) override { return asked = true; }
        bool isKnownTracking(const QString &) override { return asked = true; }
        bool isKnownSerial(const QString &) override { return asked = true; }
        bool isSkuOfActiveCase(const QString &) override { return asked = true; }
    } facts;
    for (const QByteArray &raw :
         {QByteArray(), QByteArray("A\tB"), QByteArray(200, 'A'), QByteArray("\xC3")}) {
        const Classification c = ScanClassifier::classify(ScanNormaliser::normalise(raw), facts);
        QCOMPARE(kindName(c.kind), QStringLiteral("invalid"));
        QVERIFY(!c.problem.isEmpty());
    }
    QVERIFY(!facts.asked);
}

QTEST_GUILESS_MAIN(TestScanClassifier)
#include "tst_scanclassifier.moc"
