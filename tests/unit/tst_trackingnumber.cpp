// SPDX-License-Identifier: GPL-3.0-or-later
#include "Gs1Parser.h"
#include "TrackingNumber.h"

#include <QTest>

// Valid rows are published carrier examples or numbers whose check digits were computed independently with
// each carrier's rule; the "wrong check digit" rows change only the last digit of a valid one.

namespace {

QString gs(const char *text)
{
    return QString::fromUtf8(text).replace(QLatin1String("{GS}"), QString(Gs1Parser::GroupSeparator));
}

} // namespace

class TestTrackingNumber : public QObject
{
    Q_OBJECT

private slots:
    void recognise_data();
    void recognise();
    void carrierName_data();
    void carrierName();
};

void TestTrackingNumber::recognise_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("carrier"); // carrierName(), empty for no match
    QTest::addColumn<QString>("number");

    // UPS
    QTest::newRow("ups published example") << "1Z999AA10123456784"
                                           << "UPS"
                                           << "1Z999AA10123456784";
    QTest::newRow("ups lower case with spaces") << "1z 999 aa1 0123 456 784"
                                                << "UPS"
                                                << "1Z999AA10123456784";
    QTest::newRow("ups letters in shipper number") << "1Z5R89390357567127"
                                                   << "UPS"
                                                   << "1Z5R89390357567127";
    QTest::newRow("ups letters in package id") << "1Z410E7W0392751591"
                                               << "UPS"
                                               << "1Z410E7W0392751591";
    QTest::newRow("ups wrong check digit") << "1Z999AA10123456785"
                                           << ""
                                           << "";
    QTest::newRow("ups letter as check digit") << "1Z999AA1012345678A"
                                               << ""
                                               << "";
    QTest::newRow("ups truncated") << "1Z999AA1012345678"
                                   << ""
                                   << "";
    QTest::newRow("ups too long") << "1Z999AA101234567840"
                                  << ""
                                  << "";

    // USPS
    QTest::newRow("usps 22 digits") << "9400111201080805483016"
                                    << "USPS"
                                    << "9400111201080805483016";
    QTest::newRow("usps 22 digits grouped") << "9205 5901 6491 7312 7510 89"
                                            << "USPS"
                                            << "9205590164917312751089";
    QTest::newRow("usps 20 digits") << "91149999443100000007"
                                    << "USPS"
                                    << "91149999443100000007";
    QTest::newRow("usps 26 digits") << "92748931507708513018050063"
                                    << "USPS"
                                    << "92748931507708513018050063";
    QTest::newRow("usps 30 digits without routing") << "920559012345678901234567890125"
                                                    << "USPS"
                                                    << "920559012345678901234567890125";
    QTest::newRow("usps 34 digits without routing") << "9305590123456789012345678901234566"
                                                    << "USPS"
                                                    << "9305590123456789012345678901234566";
    QTest::newRow("usps 420 + zip5 prefix stripped") << "420221539101026837331000039521"
                                                     << "USPS"
                                                     << "9101026837331000039521";
    QTest::newRow("usps 420 + zip+4 prefix stripped") << "4201002334249200190132607600833457"
                                                      << "USPS"
                                                      << "9200190132607600833457";
    QTest::newRow("usps zip+4 preferred when 34 digits split both ways")
        << "4201028200009261290113185417468510"
        << "USPS"
        << "9261290113185417468510";
    QTest::newRow("usps parentheses routing prefix") << "(420) 22153 9101 0268 3733 1000 0395 21"
                                                     << "USPS"
                                                     << "9101026837331000039521";
    QTest::newRow("usps gs1-128 zip5 with GS") << gs("]C142022153{GS}9101026837331000039521") << "USPS"
                                               << "9101026837331000039521";
    QTest::newRow("usps gs1-128 zip+4 with GS") << gs("]C1420100233424{GS}9200190132607600833457") << "USPS"
                                                << "9200190132607600833457";
    QTest::newRow("usps wrong check digit") << "9400111201080805483017"
                                            << ""
                                            << "";
    QTest::newRow("usps routing with wrong check digit") << "420221539101026837331000039522"
                                                         << ""
                                                         << "";
    QTest::newRow("usps body after GS must be complete") << gs("]C142022153{GS}910102683733100003952") << ""
                                                         << "";
    QTest::newRow("usps 24 digits is no impb length") << "920559012345678901234565"
                                                      << ""
                                                      << "";

    // FedEx
    QTest::newRow("fedex 12 digits") << "986578788855"
                                     << "FedEx"
                                     << "986578788855";
    QTest::newRow("fedex 12 digits grouped") << "7905 3531 2317"
                                             << "FedEx"
                                             << "790535312317";
    QTest::newRow("fedex 12 digits wrong check digit") << "986578788856"
                                                       << ""
                                                       << "";
    QTest::newRow("fedex 15 digits ground") << "041441760228964"
                                            << "FedEx"
                                            << "041441760228964";
    QTest::newRow("fedex 15 digits grouped") << "5682 8361 0012 000"
                                             << "FedEx"
                                             << "568283610012000";
    QTest::newRow("fedex 15 digits wrong check digit") << "568283610012001"
                                                       << ""
                                                       << "";
    QTest::newRow("fedex 22 digits ground 96 barcode") << "9611020987654312345672"
                                                       << "FedEx"
                                                       << "987654312345672";
    QTest::newRow("fedex 22 digits wrong check digit") << "9611020987654312345673"
                                                       << ""
                                                       << "";
    QTest::newRow("fedex 34 digits ground 96 barcode") << "9622001900000000000000776632517510"
                                                       << "FedEx"
                                                       << "776632517510";
    QTest::newRow("fedex 34 digits express 100 barcode") << "1001921334250001000300779017972697"
                                                         << "FedEx"
                                                         << "779017972697";
    QTest::newRow("fedex 34 digits wrong check digit") << "9622001900000000000000776632517511"
                                                       << ""
                                                       << "";

    // DHL Express
    QTest::newRow("dhl 10 digits") << "3318810025"
                                   << "DHL"
                                   << "3318810025";
    QTest::newRow("dhl 10 digits other") << "1234567891"
                                         << "DHL"
                                         << "1234567891";
    QTest::newRow("dhl wrong check digit") << "3318810026"
                                           << ""
                                           << "";
    QTest::newRow("dhl check digit 7 is impossible") << "1234567897"
                                                     << ""
                                                     << "";

    // SSCC
    QTest::newRow("sscc with 00") << "00106141411234567897"
                                  << "SSCC"
                                  << "106141411234567897";
    QTest::newRow("sscc with (00)") << "(00)106141411234567897"
                                    << "SSCC"
                                    << "106141411234567897";
    QTest::newRow("sscc human readable with spaces") << "(00) 1 0614141 123456789 7"
                                                     << "SSCC"
                                                     << "106141411234567897";
    QTest::newRow("sscc gs1-128 identifier") << "]C100106141411234567897"
                                             << "SSCC"
                                             << "106141411234567897";
    QTest::newRow("sscc wrong check digit") << "00106141411234567898"
                                            << ""
                                            << "";
    QTest::newRow("sscc without AI is not recognised") << "106141411234567897"
                                                       << ""
                                                       << "";

    // Not tracking numbers
    QTest::newRow("empty") << ""
                           << ""
                           << "";
    QTest::newRow("whitespace only") << "   "
                                     << ""
                                     << "";
    QTest::newRow("serial number") << "SN-123456"
                                   << ""
                                   << "";
    QTest::newRow("ean-13 product code") << "9501101530003"
                                         << ""
                                         << "";
    QTest::newRow("gs1 gtin + serial") << gs("]C1010950110153000321ABC") << ""
                                       << "";
}

void TestTrackingNumber::recognise()
{
    QFETCH(QString, input);
    QFETCH(QString, carrier);
    QFETCH(QString, number);

    const TrackingMatch m = TrackingNumber::recognise(input);
    QCOMPARE(TrackingNumber::carrierName(m.carrier), carrier);
    QCOMPARE(m.number, number);
    QCOMPARE(m.isValid(), !carrier.isEmpty());
}

void TestTrackingNumber::carrierName_data()
{
    QTest::addColumn<int>("carrier");
    QTest::addColumn<QString>("name");

    QTest::newRow("none") << int(Carrier::None) << "";
    QTest::newRow("ups") << int(Carrier::Ups) << "UPS";
    QTest::newRow("fedex") << int(Carrier::FedEx) << "FedEx";
    QTest::newRow("usps") << int(Carrier::Usps) << "USPS";
    QTest::newRow("dhl") << int(Carrier::Dhl) << "DHL";
    QTest::newRow("sscc") << int(Carrier::Sscc) << "SSCC";
}

void TestTrackingNumber::carrierName()
{
    QFETCH(int, carrier);
    QFETCH(QString, name);

    QCOMPARE(TrackingNumber::carrierName(Carrier(carrier)), name);
}

QTEST_GUILESS_MAIN(TestTrackingNumber)
#include "tst_trackingnumber.moc"
