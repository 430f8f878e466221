// SPDX-License-Identifier: GPL-3.0-or-later
#include "LabelFields.h"

#include <QTest>

class TestLabelFields : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recognise_data();
    void recognise();
    void serialPatternsWin();
    void serialFitsSku_data();
    void serialFitsSku();
    void invalidPatternIsReported();
    void messagesNameTheField();
};

void TestLabelFields::recognise_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");

    QTest::newRow("mac colons") << "3C:8A:B0:12:34:56"
                                << "mac";
    QTest::newRow("mac dashes") << "3C-8A-B0-12-34-56"
                                << "mac";
    QTest::newRow("mac cisco dots") << "3C8A.B012.3456"
                                    << "mac";
    QTest::newRow("mac bare") << "3C8AB0123456"
                              << "mac";
    QTest::newRow("mac mixed separators") << "3C:8A-B0:12:34:56"
                                          << "";
    QTest::newRow("mac non-hex") << "3C:8A:B0:12:34:5G"
                                 << "";
    QTest::newRow("mac truncated") << "3C:8A:B0:12:34"
                                   << "";
    QTest::newRow("bare 12 decimal digits is an EX serial") << "PE3716460123"
                                                            << "";
    QTest::newRow("bare all digits") << "371646012345"
                                     << "";
    QTest::newRow("bare hex with one digit") << "ABCDEFABCDE1"
                                             << "";
    QTest::newRow("juniper serial with J and N") << "JN11F3A2BAFA"
                                                 << "";
    QTest::newRow("bare 11 hex") << "3C8AB012345"
                                 << "";
    QTest::newRow("bare 13 hex") << "3C8AB01234567"
                                 << "";

    QTest::newRow("clei IPMJ610DRA") << "IPMJ610DRA"
                                     << "clei";
    QTest::newRow("clei COUIA8PBAA") << "COUIA8PBAA"
                                     << "clei";
    QTest::newRow("clei CMM1X00DRA") << "CMM1X00DRA"
                                     << "clei";
    QTest::newRow("clei without digits") << "ABCDEFGHIJ"
                                         << "";
    QTest::newRow("clei ending in a digit") << "IPMJ610DR1"
                                            << "";
    QTest::newRow("clei 9 characters") << "IPMJ610DR"
                                       << "";
    QTest::newRow("clei 11 characters") << "IPMJ610DRAA"
                                        << "";
    QTest::newRow("clei starting with a digit") << "1PMJ610DRA"
                                                << "";
    QTest::newRow("clei with a dash") << "IPMJ-10DRA"
                                      << "";

    QTest::newRow("part 740") << "740-012345"
                              << "part_number";
    QTest::newRow("part 750") << "750-054321"
                              << "part_number";
    QTest::newRow("part 711") << "711-000001"
                              << "part_number";
    QTest::newRow("part with revision") << "740-012345 REV 05"
                                        << "part_number";
    QTest::newRow("part with dash revision") << "750-054321-01"
                                             << "part_number";
    QTest::newRow("part 799 is not juniper") << "799-012345"
                                             << "";
    QTest::newRow("part too few digits") << "740-01234"
                                         << "";
    QTest::newRow("part too many digits") << "740-0123456"
                                          << "";
    QTest::newRow("case number is not a part") << "2026-1103-0001"
                                               << "";

    QTest::newRow("plain serial") << "CAHZ4512"
                                  << "";
    QTest::newRow("empty") << ""
                           << "";
}

void TestLabelFields::recognise()
{
    QFETCH(QString, text);
    QFETCH(QString, field);
    QCOMPARE(LabelFields::fieldName(LabelFields().recognise(text)), field);
}

void TestLabelFields::serialPatternsWin()
{
    // A family whose serials happen to look like CLEI codes: the configured pattern says it is a serial.
    QString error;
    const LabelFields fields = LabelFields::fromConfig(
        {{QStringLiteral("serial.pattern.ACX"), QStringLiteral("[A-Z]{2}[0-9]{4}[A-Z0-9]{3}[A-Z]")}}, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(fields.recognise(QStringLiteral("NX0216ABCD")), LabelFields::Field::None);
    QVERIFY(fields.matchesSerialPattern(QStringLiteral("NX0216ABCD")));
    QCOMPARE(fields.recognise(QStringLiteral("IPMJ610DRA")), LabelFields::Field::Clei);
    // Patterns are anchored: a longer text containing a match is no serial.
    QVERIFY(!fields.matchesSerialPattern(QStringLiteral("XNX0216ABCD")));
}

void TestLabelFields::serialFitsSku_data()
{
    QTest::addColumn<QString>("serial");
    QTest::addColumn<QString>("sku");
    QTest::addColumn<bool>("fits");
    QTest::newRow("mx960 chassis fits") << "JN11F3A2BAFA"
                                        << "MX960-PREMIUM-AC" << true;
    QTest::newRow("mx960 wrong shape") << "CAHZ4512"
                                       << "MX960-PREMIUM-AC" << false;
    QTest::newRow("longest family wins") << "PE3716460123"
                                         << "EX4300-48T" << true;
    QTest::newRow("no pattern for the family") << "ANYTHING"
                                               << "SRX345" << true;
}

void TestLabelFields::serialFitsSku()
{
    QFETCH(QString, serial);
    QFETCH(QString, sku);
    QFETCH(bool, fits);
    const LabelFields fields = LabelFields::fromConfig({
        {QStringLiteral("serial.pattern.MX960"), QStringLiteral("JN[0-9A-F]{10}")},
        {QStringLiteral("serial.pattern.EX"), QStringLiteral("XX.*")},
        {QStringLiteral("serial.pattern.EX4300"), QStringLiteral("PE[0-9]{10}")},
    });
    QCOMPARE(fields.serialFitsSku(serial, sku), fits);
}

void TestLabelFields::invalidPatternIsReported()
{
    QString error;
    const LabelFields fields =
        LabelFields::fromConfig({{QStringLiteral("serial.pattern.MX"), QStringLiteral("JN[0-9")}}, &error);
    QVERIFY(error.contains(QLatin1String("serial.pattern.MX")));
    QVERIFY(!fields.matchesSerialPattern(QStringLiteral("JN0")));
}

void TestLabelFields::messagesNameTheField()
{
    QVERIFY(LabelFields::wrongBarcodeMessage(LabelFields::Field::Mac).contains(QLatin1String("MAC")));
    QVERIFY(LabelFields::wrongBarcodeMessage(LabelFields::Field::Clei).contains(QLatin1String("CLEI")));
    QVERIFY(LabelFields::wrongBarcodeMessage(LabelFields::Field::PartNumber)
                .contains(QLatin1String("part number")));
    for (auto f : {LabelFields::Field::Mac, LabelFields::Field::Clei, LabelFields::Field::PartNumber})
        QVERIFY(LabelFields::wrongBarcodeMessage(f).contains(QLatin1String("S/N")));
}

QTEST_GUILESS_MAIN(TestLabelFields)
#include "tst_labelfields.moc"
