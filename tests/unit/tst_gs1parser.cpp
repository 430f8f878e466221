// SPDX-License-Identifier: GPL-3.0-or-later
#include "Gs1Parser.h"

#include <QTest>

// Check digits in the rows below were computed independently (GS1 mod-10, weights 3,1 from the right):
// GTIN 09501101530003, GTIN 10614141000019, SSCC 106141411234567897, GLN 9501101530003,
// GSIN 06141411234567890.

namespace {

// Test rows write the group separator as "{GS}" so they stay readable.
QString gs(const char *text)
{
    return QString::fromUtf8(text).replace(QLatin1String("{GS}"), QString(Gs1Parser::GroupSeparator));
}

QChar substituteFrom(const QString &s)
{
    return s.isEmpty() ? QChar() : s.front();
}

QStringList flatten(const Gs1Result &r)
{
    QStringList out;
    for (const Gs1Element &e : r.elements)
        out << e.ai + QLatin1Char('=') + e.value;
    return out;
}

} // namespace

class TestGs1Parser : public QObject
{
    Q_OBJECT

private slots:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void looksLikeGs1_data();
    void looksLikeGs1();
    void checkDigitValid_data();
    void checkDigitValid();
    void accessors();
    void failedResultHasNoElements();
};

void TestGs1Parser::parseValid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("substitute");
    QTest::addColumn<QString>("symbologyId");
    QTest::addColumn<QStringList>("elements");

    QTest::newRow("gs1-128 gtin + serial, fixed field needs no separator")
        << gs("]C1010950110153000321ABC123") << QString() << "]C1"
        << QStringList{"01=09501101530003", "21=ABC123"};
    QTest::newRow("datamatrix gtin + expiry + lot + serial with GS")
        << gs("]d201095011015300031726123110LOT42{GS}21SN-7") << QString() << "]d2"
        << QStringList{"01=09501101530003", "17=261231", "10=LOT42", "21=SN-7"};
    QTest::newRow("datamatrix identifier upper-cased by wedge scanner")
        << gs("]D2010950110153000321XYZ") << QString() << "]d2" << QStringList{"01=09501101530003", "21=XYZ"};
    QTest::newRow("gs1 qr identifier lower-cased")
        << gs("]q3010950110153000310B1{GS}21S1") << QString() << "]Q3"
        << QStringList{"01=09501101530003", "10=B1", "21=S1"};
    QTest::newRow("databar with net weight 3103") << gs("]e001095011015300033103000150") << QString() << "]e0"
                                                  << QStringList{"01=09501101530003", "3103=000150"};
    QTest::newRow("leading fnc1 without symbology identifier")
        << gs("{GS}010950110153000321XYZ") << QString() << QString()
        << QStringList{"01=09501101530003", "21=XYZ"};
    QTest::newRow("identifier followed by fnc1") << gs("]C1{GS}010950110153000321XYZ") << QString() << "]C1"
                                                 << QStringList{"01=09501101530003", "21=XYZ"};
    QTest::newRow("needless GS after a fixed field is tolerated")
        << gs("]C10109501101530003{GS}21ABC") << QString() << "]C1"
        << QStringList{"01=09501101530003", "21=ABC"};
    QTest::newRow("sscc alone") << gs("]C100106141411234567897") << QString() << "]C1"
                                << QStringList{"00=106141411234567897"};
    QTest::newRow("sscc + ship-to postcode + purchase order")
        << gs("]C10010614141123456789742012345{GS}400PO-998877") << QString() << "]C1"
        << QStringList{"00=106141411234567897", "420=12345", "400=PO-998877"};
    QTest::newRow("gtin 02 + count 37")
        << gs("]C102106141410000193724") << QString() << "]C1" << QStringList{"02=10614141000019", "37=24"};
    QTest::newRow("240 241 250 variable fields")
        << gs("]C1240PART-1{GS}241CUST9{GS}250SEC1") << QString() << "]C1"
        << QStringList{"240=PART-1", "241=CUST9", "250=SEC1"};
    QTest::newRow("production date 11 + giai 8004") << gs("]C1112501018004ASSET/0001") << QString() << "]C1"
                                                    << QStringList{"11=250101", "8004=ASSET/0001"};
    QTest::newRow("ship-to gln 410 + gsin 402")
        << gs("]C1410950110153000340206141411234567890") << QString() << "]C1"
        << QStringList{"410=9501101530003", "402=06141411234567890"};
    QTest::newRow("day 00 means end of month")
        << gs("]C117261200") << QString() << "]C1" << QStringList{"17=261200"};
    QTest::newRow("serial at the 20-character limit")
        << gs("]C121ABCDEFGHIJKLMNOPQRST") << QString() << "]C1" << QStringList{"21=ABCDEFGHIJKLMNOPQRST"};
    QTest::newRow("alphanumeric postcode 420")
        << gs("]C1420SW1A1AA") << QString() << "]C1" << QStringList{"420=SW1A1AA"};
    QTest::newRow("company internal 92")
        << gs("]C192INTERNAL-7") << QString() << "]C1" << QStringList{"92=INTERNAL-7"};
    QTest::newRow("substitute character instead of GS")
        << gs("]d2010950110153000310LOT|21SER") << "|"
        << "]d2" << QStringList{"01=09501101530003", "10=LOT", "21=SER"};
    QTest::newRow("substitute character as leading fnc1")
        << gs("~010950110153000310L1~21S1") << "~" << QString()
        << QStringList{"01=09501101530003", "10=L1", "21=S1"};
    QTest::newRow("parentheses gtin + serial") << gs("(01)09501101530003(21)ABC") << QString() << QString()
                                               << QStringList{"01=09501101530003", "21=ABC"};
    QTest::newRow("parentheses sscc")
        << gs("(00)106141411234567897") << QString() << QString() << QStringList{"00=106141411234567897"};
    QTest::newRow("parentheses value containing brackets")
        << gs("(01)09501101530003(10)LOT(7)(21)S1") << QString() << QString()
        << QStringList{"01=09501101530003", "10=LOT(7)", "21=S1"};
    QTest::newRow("parentheses after symbology identifier")
        << gs("]C1(01)09501101530003(17)261231") << QString() << "]C1"
        << QStringList{"01=09501101530003", "17=261231"};
    QTest::newRow("trailing carriage return from the scanner")
        << gs("]C1010950110153000321ABC\r\n") << QString() << "]C1"
        << QStringList{"01=09501101530003", "21=ABC"};
    QTest::newRow("lower-case letters kept in values")
        << gs("]C121abc-def") << QString() << "]C1" << QStringList{"21=abc-def"};
}

void TestGs1Parser::parseValid()
{
    QFETCH(QString, input);
    QFETCH(QString, substitute);
    QFETCH(QString, symbologyId);
    QFETCH(QStringList, elements);

    const Gs1Result r = Gs1Parser::parse(input, substituteFrom(substitute));
    QVERIFY2(r.ok, qPrintable(r.error));
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r.symbologyId, symbologyId);
    QCOMPARE(flatten(r), elements);
}

void TestGs1Parser::parseInvalid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("substitute");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << QString() << QString() << "The scan holds no GS1 data.";
    QTest::newRow("only fnc1") << gs("{GS}") << QString() << "The scan holds no GS1 data.";
    QTest::newRow("only symbology identifier")
        << gs("]C1") << QString() << "There is no data after the symbology identifier ]C1.";
    QTest::newRow("non-gs1 code 128 identifier")
        << gs("]C0ABC") << QString() << "The symbology identifier ]C0 does not mark GS1 data.";
    QTest::newRow("unknown two-digit AI")
        << gs("]C101095011015300030312345") << QString() << "Unknown AI 03.";
    QTest::newRow("unknown three-digit AI") << gs("]C1235ABC") << QString() << "Unknown AI 235.";
    QTest::newRow("unknown AI in parentheses") << gs("(05)ABC") << QString() << "Unknown AI 05.";
    QTest::newRow("letters where an AI should be")
        << gs("]C1ABC") << QString() << "Expected a GS1 AI (digits) but found \"ABC\".";
    QTest::newRow("data ends inside an AI")
        << gs("]C10109501101530003310") << QString() << "The data ends inside an AI (\"310\").";
    QTest::newRow("gtin wrong check digit")
        << gs("]C10109501101530004") << QString() << "AI 01 has a wrong check digit (expected 3).";
    QTest::newRow("sscc wrong check digit")
        << gs("]C100106141411234567898") << QString() << "AI 00 has a wrong check digit (expected 7).";
    QTest::newRow("gtin 02 wrong check digit in parentheses")
        << gs("(02)10614141000018") << QString() << "AI 02 has a wrong check digit (expected 9).";
    QTest::newRow("gtin truncated at end") << gs("]C1010950110153") << QString() << "AI 01 needs 14 digits.";
    QTest::newRow("gtin cut short by GS")
        << gs("]C101095011015{GS}21ABC") << QString() << "AI 01 needs 14 digits.";
    QTest::newRow("sscc truncated") << gs("]C10010614141123456789") << QString() << "AI 00 needs 18 digits.";
    QTest::newRow("gtin truncated in parentheses")
        << gs("(01)0950110153000(21)A") << QString() << "AI 01 needs 14 digits.";
    QTest::newRow("gtin too long in parentheses")
        << gs("(01)095011015300031") << QString() << "AI 01 needs 14 digits.";
    QTest::newRow("expiry date truncated") << gs("]C11726123") << QString() << "AI 17 needs 6 digits.";
    QTest::newRow("expiry month 13") << gs("]C117261331") << QString()
                                     << "AI 17 needs a date as YYMMDD, not 261331.";
    QTest::newRow("serial too long") << gs("]C121ABCDEFGHIJKLMNOPQRSTU") << QString()
                                     << "AI 21 allows at most 20 characters but has 21.";
    QTest::newRow("lot too long, missing GS swallowed the serial")
        << gs("]C110LOT12345678901234521S") << QString() << "AI 10 allows at most 20 characters but has 21.";
    QTest::newRow("empty serial before GS")
        << gs("]C1010950110153000321{GS}10ABC") << QString() << "AI 21 has no value.";
    QTest::newRow("empty serial at end") << gs("]C1010950110153000321") << QString() << "AI 21 has no value.";
    QTest::newRow("empty value in parentheses") << gs("(21)(10)A") << QString() << "AI 21 has no value.";
    QTest::newRow("letters in numeric count") << gs("]C1371A") << QString() << "AI 37 allows only digits.";
    QTest::newRow("space inside serial")
        << gs("]C121AB CD") << QString() << "AI 21 contains U+0020, which GS1 does not allow.";
    QTest::newRow("substitute character not configured") << gs("]d2010950110153000310LOT|21SER") << QString()
                                                         << "AI 10 contains \"|\", which GS1 does not allow.";
    QTest::newRow("unclosed bracket")
        << gs("(01") << QString() << "The bracketed AI at \"(01\" is malformed.";
}

void TestGs1Parser::parseInvalid()
{
    QFETCH(QString, input);
    QFETCH(QString, substitute);
    QFETCH(QString, error);

    const Gs1Result r = Gs1Parser::parse(input, substituteFrom(substitute));
    QVERIFY(!r.ok);
    QCOMPARE(r.error, error);
}

void TestGs1Parser::looksLikeGs1_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("substitute");
    QTest::addColumn<bool>("expected");

    QTest::newRow("gs1-128 identifier") << gs("]C10109501101530003") << QString() << true;
    QTest::newRow("datamatrix identifier") << gs("]d201095011015300032112") << QString() << true;
    QTest::newRow("datamatrix identifier upper case") << gs("]D20109501101530003") << QString() << true;
    QTest::newRow("qr identifier lower case") << gs("]q30109501101530003") << QString() << true;
    QTest::newRow("databar identifier") << gs("]E00109501101530003") << QString() << true;
    QTest::newRow("plain code 128 identifier") << gs("]C0ABC123") << QString() << false;
    QTest::newRow("leading fnc1") << gs("{GS}0109501101530003") << QString() << true;
    QTest::newRow("GS in the middle") << gs("010950110153000310A{GS}21B") << QString() << true;
    QTest::newRow("parentheses form") << gs("(01)09501101530003(21)ABC") << QString() << true;
    QTest::newRow("parentheses four-digit AI") << gs("(8004)ASSET1") << QString() << true;
    QTest::newRow("parentheses unknown AI") << gs("(05)ABC") << QString() << false;
    QTest::newRow("parentheses non-numeric") << gs("(AB)123") << QString() << false;
    QTest::newRow("leading whitespace") << gs("  ]C10109501101530003") << QString() << true;
    QTest::newRow("substitute configured") << gs("010950110153000310A|21B") << "|" << true;
    QTest::newRow("substitute not configured") << gs("010950110153000310A|21B") << QString() << false;
    QTest::newRow("plain digits") << gs("0109501101530003") << QString() << false;
    QTest::newRow("ups tracking number") << gs("1Z999AA10123456784") << QString() << false;
    QTest::newRow("serial number") << gs("SN-12345") << QString() << false;
    QTest::newRow("empty") << QString() << QString() << false;
}

void TestGs1Parser::looksLikeGs1()
{
    QFETCH(QString, input);
    QFETCH(QString, substitute);
    QFETCH(bool, expected);

    QCOMPARE(Gs1Parser::looksLikeGs1(input, substituteFrom(substitute)), expected);
}

void TestGs1Parser::checkDigitValid_data()
{
    QTest::addColumn<QString>("digits");
    QTest::addColumn<bool>("expected");

    QTest::newRow("gtin-14") << "09501101530003" << true;
    QTest::newRow("gtin-14 wrong") << "09501101530004" << false;
    QTest::newRow("gtin-14 transposed") << "09501101350003" << false;
    QTest::newRow("gtin-13") << "9501101530003" << true;
    QTest::newRow("gtin-12") << "950110153007" << true;
    QTest::newRow("sscc") << "106141411234567897" << true;
    QTest::newRow("usps impb 22") << "9400111201080805483016" << true;
    QTest::newRow("two digits") << "17" << true;
    QTest::newRow("single digit") << "7" << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("letter inside") << "0950110153000A" << false;
    QTest::newRow("non-ascii digit") << QStringView(u"0950110153000\u0663").toString() << false;
}

void TestGs1Parser::checkDigitValid()
{
    QFETCH(QString, digits);
    QFETCH(bool, expected);

    QCOMPARE(Gs1Parser::checkDigitValid(digits), expected);
}

void TestGs1Parser::accessors()
{
    const Gs1Result gtin = Gs1Parser::parse(u"(01)09501101530003(21)S1(240)P-1");
    QVERIFY(gtin.ok);
    QCOMPARE(gtin.serial(), QStringLiteral("S1"));
    QCOMPARE(gtin.product(), QStringLiteral("09501101530003"));
    QCOMPARE(gtin.value(u"240"), QStringLiteral("P-1"));
    QCOMPARE(gtin.sscc(), QString());
    QCOMPARE(gtin.value(u"10"), QString());

    const Gs1Result contained = Gs1Parser::parse(u"(02)10614141000019(37)5(240)P-1");
    QVERIFY(contained.ok);
    QCOMPARE(contained.product(), QStringLiteral("10614141000019"));

    const Gs1Result partOnly = Gs1Parser::parse(u"(240)P-1(21)X");
    QVERIFY(partOnly.ok);
    QCOMPARE(partOnly.product(), QStringLiteral("P-1"));

    const Gs1Result sscc = Gs1Parser::parse(u"(00)106141411234567897");
    QVERIFY(sscc.ok);
    QCOMPARE(sscc.sscc(), QStringLiteral("106141411234567897"));
    QCOMPARE(sscc.product(), QString());
    QCOMPARE(sscc.serial(), QString());
}

void TestGs1Parser::failedResultHasNoElements()
{
    const Gs1Result r = Gs1Parser::parse(gs("]C1010950110153000321ABC{GS}17261399"));
    QVERIFY(!r.ok);
    QVERIFY(r.elements.isEmpty());
    QCOMPARE(r.serial(), QString());
}

QTEST_GUILESS_MAIN(TestGs1Parser)
#include "tst_gs1parser.moc"
