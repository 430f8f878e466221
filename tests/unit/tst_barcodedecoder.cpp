// SPDX-License-Identifier: GPL-3.0-or-later
// The decoder reads labels as a dock camera sees them, and nothing where there is no label. Every picture is
// made in code (tests/common/TestPictures): symbols rendered by ZXing's MultiFormatWriter, placed on a
// 1280x720 frame, then degraded (blur, noise, low contrast, perspective, rotation). ZXing 1.4's writer takes
// FNC1 only in Code 128 (as U+00F1), so GS1-128 is tested with a real FNC1, and GS1 DataMatrix/QR from their
// element strings as plain data.

#define ZX_USE_UTF8
#include "BarcodeDecoder.h"
#include "TestPictures.h"

#include <QGuiApplication>
#include <QPainter>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <climits>

namespace {

using namespace TestPictures;

constexpr char16_t GS = 0x1D;

// Test rows spell the group separator "{GS}" and the Code 128 FNC1 escape "{FNC1}".
QString spelled(const char *s)
{
    return QString::fromUtf8(s)
        .replace(QLatin1String("{GS}"), QString(QChar(GS)))
        .replace(QLatin1String("{FNC1}"), QString(Fnc1));
}

QString readable(QString s)
{
    return s.replace(QChar(GS), QLatin1String("{GS}"));
}

bool containsCode(const QList<DecodedBarcode> &found, const QString &format, const QString &text)
{
    return std::any_of(found.cbegin(), found.cend(),
                       [&](const DecodedBarcode &b) { return b.format == format && b.text == text; });
}

QString describe(const QList<DecodedBarcode> &found)
{
    QStringList parts;
    for (const DecodedBarcode &b : found)
        parts << b.format + QLatin1Char(':') + readable(b.text);
    return parts.isEmpty() ? QStringLiteral("nothing") : parts.join(QStringLiteral(", "));
}

} // namespace

class TestBarcodeDecoder : public QObject
{
    Q_OBJECT

private slots:
    void parseFormats_data();
    void parseFormats();
    void settingsFromValues_data();
    void settingsFromValues();
    void argumentsRoundTrip();
    void describeNamesEveryHint();
    void readsDegradedLabels_data();
    void readsDegradedLabels();
    void readsLabelsAtEveryScaleAndPlace_data();
    void readsLabelsAtEveryScaleAndPlace();
    void readsGs1ElementStrings_data();
    void readsGs1ElementStrings();
    void readsAllCodesOfAFrameAtOnce();
    void survivesZxingAssertTriggers_data();
    void survivesZxingAssertTriggers();
    void readsStackedLinearLabels();
    void maxSymbolsLimitsTheRead();
    void reportsPositionInFramePixels();
    void onlyConfiguredFormats_data();
    void onlyConfiguredFormats();
    void noBarcodeNoResult_data();
    void noBarcodeNoResult();
    void readsFromPaddedRowsAndAnyImageFormat();
    void invalidFrameIsAnError();
    void jsonLine_data();
    void jsonLine();
    void wireJsonRoundTrip();
    void scannerBytesKeepGs1Identifier();
    void cleanupTestCase();

private:
    int m_degradedRead = 0;
    int m_degradedTotal = 0;
    int m_emptyPictures = 0;
};

void TestBarcodeDecoder::parseFormats_data()
{
    QTest::addColumn<QString>("list");
    QTest::addColumn<QStringList>("expected"); // empty: refused
    QTest::addColumn<QString>("errorMentions");

    QTest::newRow("canonical") << "Code128,DataMatrix,QRCode"
                               << QStringList{"Code128", "DataMatrix", "QRCode"} << QString();
    QTest::newRow("spaces, case, dashes")
        << " code128 , qr-code,Data_Matrix" << QStringList{"Code128", "QRCode", "DataMatrix"} << QString();
    QTest::newRow("duplicates kept once") << "Code128,code128" << QStringList{"Code128"} << QString();
    QTest::newRow("other ZXing formats") << "ean13,PDF417" << QStringList{"EAN-13", "PDF417"} << QString();
    QTest::newRow("unknown name") << "Code128,Bogus" << QStringList() << "Bogus";
    QTest::newRow("empty list") << "" << QStringList() << "No barcode format";
    QTest::newRow("only commas") << " , ," << QStringList() << "No barcode format";
}

void TestBarcodeDecoder::parseFormats()
{
    QFETCH(QString, list);
    QFETCH(QStringList, expected);
    QFETCH(QString, errorMentions);
    QString error;
    const auto formats = DecodeSettings::parseFormats(list, &error);
    if (expected.isEmpty()) {
        QVERIFY(!formats);
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
    } else {
        QVERIFY2(formats, qPrintable(error));
        QCOMPARE(*formats, expected);
    }
}

void TestBarcodeDecoder::settingsFromValues_data()
{
    QTest::addColumn<QStringList>("keyValues");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("tryHarder");
    QTest::addColumn<int>("maxSymbols");

    QTest::newRow("defaults") << QStringList() << true << true << 0;
    QTest::newRow("switches") << QStringList{"try_harder=off", "max_symbols=3"} << true << false << 3;
    QTest::newRow("yes/no") << QStringList{"try_harder=Yes"} << true << true << 0;
    QTest::newRow("bad switch") << QStringList{"try_rotate=maybe"} << false << false << 0;
    QTest::newRow("too many symbols") << QStringList{"max_symbols=300"} << false << false << 0;
    QTest::newRow("negative symbols") << QStringList{"max_symbols=-1"} << false << false << 0;
    QTest::newRow("bad format") << QStringList{"formats=Code128,Nope"} << false << false << 0;
}

void TestBarcodeDecoder::settingsFromValues()
{
    QFETCH(QStringList, keyValues);
    QFETCH(bool, valid);
    QFETCH(bool, tryHarder);
    QFETCH(int, maxSymbols);
    QHash<QString, QString> values;
    for (const QString &kv : keyValues)
        values.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    QString error;
    const auto settings = DecodeSettings::fromValues(values, &error);
    QCOMPARE(bool(settings), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.endsWith(QLatin1Char('.')), qPrintable(error)); // a sentence
        return;
    }
    QCOMPARE(settings->tryHarder, tryHarder);
    QCOMPARE(settings->maxSymbols, maxSymbols);
    QCOMPARE(settings->formats, DecodeSettings::defaultFormats());
}

void TestBarcodeDecoder::argumentsRoundTrip()
{
    DecodeSettings s;
    s.formats = {QStringLiteral("QRCode"), QStringLiteral("Code128")};
    s.tryRotate = false;
    s.maxSymbols = 7;
    QString error;
    const auto back = DecodeSettings::fromArguments(s.toArguments(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, s);
    QVERIFY(!DecodeSettings::fromArguments({QStringLiteral("--colour=blue")}, &error));
    QVERIFY(error.contains(QLatin1String("--colour")));
}

void TestBarcodeDecoder::describeNamesEveryHint()
{
    const QString text = DecodeSettings().describe();
    for (const char *part :
         {"ZXing 1.4", "formats=Code128|DataMatrix|QRCode", "tryHarder=1", "tryRotate=1", "tryDownscale=1",
          "downscaleThreshold=", "binarizer=LocalAverage", "maxNumberOfSymbols=255"})
        QVERIFY2(text.contains(QLatin1String(part)), qPrintable(text + QLatin1String(" lacks ") + part));
    DecodeSettings s;
    s.tryHarder = false;
    QVERIFY(s.describe().contains(QLatin1String("tryHarder=0")));
}

void TestBarcodeDecoder::readsDegradedLabels_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("module");
    QTest::addColumn<double>("angle");
    QTest::addColumn<bool>("perspective");
    QTest::addColumn<int>("blurPasses");
    QTest::addColumn<double>("noise");
    QTest::addColumn<int>("contrastLevels");

    // The degraded set (TestPictures::degradedLabels), which bench_decode also reads.
    const QList<DegradedLabel> labels = degradedLabels();
    for (const DegradedLabel &l : labels)
        QTest::newRow(qPrintable(l.name))
            << int(l.format) << l.text << l.module << l.angle << l.perspective << l.degradation.blurPasses
            << l.degradation.noiseSigma << l.degradation.contrastLevels;
}

void TestBarcodeDecoder::readsDegradedLabels()
{
    QFETCH(int, format);
    QFETCH(QString, text);
    QFETCH(int, module);
    QFETCH(double, angle);
    QFETCH(bool, perspective);
    QFETCH(int, blurPasses);
    QFETCH(double, noise);
    QFETCH(int, contrastLevels);

    const auto f = BarcodeFormat(format);
    QImage frame = blankFrame();
    QVERIFY(place(frame, renderLabel(f, text, module), QPointF(630, 360), angle, perspective));
    const QImage grey = degrade(frame, {blurPasses, noise, contrastLevels});

    const BarcodeDecoder decoder;
    QString error;
    const QList<DecodedBarcode> found = decoder.decode(GreyFrame::fromImage(grey), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    ++m_degradedTotal;
    const bool read = containsCode(found, formatName(f), text);
    if (read)
        ++m_degradedRead;
    QVERIFY2(read,
             qPrintable(QStringLiteral("expected %1 %2, read %3").arg(formatName(f), text, describe(found))));
    QCOMPARE(found.size(), 1); // and nothing else
}

// The decoder reads only the places of a frame where a symbol can be (edge-dense patches, see
// BarcodeDecoder.cpp): a label must be found there at any module size from the smallest ZXing reads to one
// held close to the camera, in the middle, tilted, or in a corner of a 1080p dock scene.
void TestBarcodeDecoder::readsLabelsAtEveryScaleAndPlace_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("module");
    QTest::addColumn<int>("where");

    struct Code
    {
        BarcodeFormat format;
        const char *text;
        QList<int> modules;
    };
    const Code codes[] = {
        {BarcodeFormat::Code128, "JN11F3A2BAFA", {2, 3, 4, 6}},
        {BarcodeFormat::DataMatrix, "CAHZ4512", {3, 4, 6, 8, 10, 12, 16, 24}},
        {BarcodeFormat::QRCode, "https://returns.example.com/r/CAHZ4512", {3, 4, 6, 8, 10, 12, 16, 24}},
    };
    const char *places[] = {"left of centre", "bottom right corner", "right of centre, tilted 8 deg"};
    for (const Code &c : codes)
        for (const int m : c.modules)
            for (int where = 0; where < 3; ++where)
                QTest::addRow("%s %d px, %s", qPrintable(formatName(c.format)), m, places[where])
                    << int(c.format) << QString::fromLatin1(c.text) << m << where;
}

void TestBarcodeDecoder::readsLabelsAtEveryScaleAndPlace()
{
    QFETCH(int, format);
    QFETCH(QString, text);
    QFETCH(int, module);
    QFETCH(int, where);

    const QSize size(1920, 1080);
    const auto f = BarcodeFormat(format);
    const QImage label = renderLabel(f, text, module);
    QImage frame = emptyScene(size);
    const QPointF centres[] = {
        QPointF(0.3 * size.width(), 0.4 * size.height()),
        QPointF(size.width() - label.width() / 2.0 - 8, size.height() - label.height() / 2.0 - 8),
        QPointF(0.6 * size.width(), 0.55 * size.height())};
    QVERIFY(place(frame, label, centres[where], where == 2 ? 8 : 0));
    const QImage grey = degrade(frame, {0, 3, 0});

    QString error;
    const QList<DecodedBarcode> found = BarcodeDecoder().decode(GreyFrame::fromImage(grey), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(containsCode(found, formatName(f), text), qPrintable(describe(found)));
    QCOMPARE(found.size(), 1);
}

void TestBarcodeDecoder::readsGs1ElementStrings_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("content"); // as given to the writer
    QTest::addColumn<QString>("text");    // as the decoder must report it
    QTest::addColumn<QString>("symbologyId");

    // GTIN 09501101530003 and SSCC 106141411234567897 carry valid check digits.
    QTest::newRow("GS1-128 with FNC1: GTIN + serial")
        << int(BarcodeFormat::Code128) << spelled("{FNC1}010950110153000321JN11F3A2BAFA")
        << spelled("010950110153000321JN11F3A2BAFA") << "]C1";
    QTest::newRow("GS1-128 with FNC1: serial, separator, lot")
        << int(BarcodeFormat::Code128) << spelled("{FNC1}21CAHZ4512{FNC1}10LOT42")
        << spelled("21CAHZ4512{GS}10LOT42") << "]C1";
    QTest::newRow("GS1-128 SSCC") << int(BarcodeFormat::Code128) << spelled("{FNC1}00106141411234567897")
                                  << spelled("00106141411234567897") << "]C1";
    QTest::newRow("Code 128 element string as plain data")
        << int(BarcodeFormat::Code128) << spelled("0109501101530003") << spelled("0109501101530003") << "]C0";
    QTest::newRow("DataMatrix element string with GS")
        << int(BarcodeFormat::DataMatrix) << spelled("010950110153000321CAHZ4512{GS}10LOT42")
        << spelled("010950110153000321CAHZ4512{GS}10LOT42") << "]d1";
    QTest::newRow("QR element string with GS")
        << int(BarcodeFormat::QRCode) << spelled("010950110153000321JN11F3A2BAFA{GS}240SRX300")
        << spelled("010950110153000321JN11F3A2BAFA{GS}240SRX300") << "]Q1";
}

void TestBarcodeDecoder::readsGs1ElementStrings()
{
    QFETCH(int, format);
    QFETCH(QString, content);
    QFETCH(QString, text);
    QFETCH(QString, symbologyId);

    const auto f = BarcodeFormat(format);
    QImage frame = blankFrame();
    place(frame, renderLabel(f, content, isLinear(f) ? 3 : 6), QPointF(640, 360), 0);
    const QImage grey = degrade(frame, {1, 4, 0});
    const QList<DecodedBarcode> found = BarcodeDecoder().decode(GreyFrame::fromImage(grey));
    QCOMPARE(found.size(), 1);
    QCOMPARE(readable(found[0].text), readable(text));
    QCOMPARE(found[0].symbologyId, symbologyId);
    QCOMPARE(found[0].isGs1(), symbologyId == QLatin1String("]C1"));
}

void TestBarcodeDecoder::readsAllCodesOfAFrameAtOnce()
{
    QImage frame = blankFrame();
    place(frame, renderLabel(BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 3), QPointF(330, 150),
          0);
    place(frame, renderLabel(BarcodeFormat::Code128, QStringLiteral("CAHZ4512"), 3), QPointF(330, 520), 4);
    place(frame, renderLabel(BarcodeFormat::DataMatrix, QStringLiteral("SKU-SRX300-AC"), 6),
          QPointF(880, 170), 0);
    place(frame,
          renderLabel(BarcodeFormat::QRCode, QStringLiteral("https://returns.example.com/r/CAHZ4512"), 5),
          QPointF(950, 500), 0);
    const QImage grey = degrade(frame, {1, 4, 0});

    const QList<DecodedBarcode> found = BarcodeDecoder().decode(GreyFrame::fromImage(grey));
    QVERIFY2(found.size() == 4, qPrintable(describe(found)));
    QVERIFY(containsCode(found, QStringLiteral("Code128"), QStringLiteral("JN11F3A2BAFA")));
    QVERIFY(containsCode(found, QStringLiteral("Code128"), QStringLiteral("CAHZ4512")));
    QVERIFY(containsCode(found, QStringLiteral("DataMatrix"), QStringLiteral("SKU-SRX300-AC")));
    QVERIFY(containsCode(found, QStringLiteral("QRCode"),
                         QStringLiteral("https://returns.example.com/r/CAHZ4512")));
}

void TestBarcodeDecoder::survivesZxingAssertTriggers_data()
{
    QTest::addColumn<QSize>("frameSize");
    QTest::addColumn<int>("module");
    QTest::addColumn<QList<QPointF>>("centers");
    QTest::addColumn<double>("angle");

    // Each of these aborts a bare ReadBarcodes call in Debian's ZXing 1.4.0 (Result.cpp:140); were the
    // decoder's workaround lost, this test would die with SIGABRT instead of failing politely.
    QTest::newRow("two identical labels")
        << QSize(1280, 720) << 3 << QList<QPointF>{{640, 180}, {640, 540}} << 0.0;
    QTest::newRow("two identical labels turned 90")
        << QSize(1280, 720) << 2 << QList<QPointF>{{400, 360}, {900, 360}} << 90.0;
    QTest::newRow("three identical labels")
        << QSize(1920, 1080) << 2 << QList<QPointF>{{500, 200}, {1400, 200}, {900, 800}} << 0.0;
    QTest::newRow("a label big enough to be read again downscaled")
        << QSize(1920, 1080) << 6 << QList<QPointF>{{960, 540}} << 0.0;
}

void TestBarcodeDecoder::survivesZxingAssertTriggers()
{
    QFETCH(QSize, frameSize);
    QFETCH(int, module);
    QFETCH(QList<QPointF>, centers);
    QFETCH(double, angle);
    QImage frame = blankFrame(frameSize);
    const QImage label = renderLabel(BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), module);
    for (const QPointF &c : centers)
        place(frame, label, c, angle);
    const QList<DecodedBarcode> found = BarcodeDecoder().decode(GreyFrame::fromImage(degrade(frame, {})));
    QVERIFY2(found.size() == centers.size(), qPrintable(describe(found)));
    for (const QPointF &c : centers) {
        // Each label is reported once, where it is.
        const auto near = std::count_if(found.cbegin(), found.cend(), [&](const DecodedBarcode &b) {
            return b.text == QLatin1String("JN11F3A2BAFA") &&
                   (QPointF(b.center()) - c).manhattanLength() < 60;
        });
        QCOMPARE(near, 1);
    }
}

void TestBarcodeDecoder::readsStackedLinearLabels()
{
    // A device label: serial number above part number, their bars 20 px apart. Painting out the first symbol
    // must stop at the gap, or the second would be erased with it.
    QImage frame = blankFrame();
    const QImage serial = renderLabel(BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 3, 90);
    const QImage part = renderLabel(BarcodeFormat::Code128, QStringLiteral("SRX300-SYS-JB"), 3, 90);
    const int partTop =
        serial.height() - 40; // the labels have 30 px above and below their bars: 20 px between
    QImage sheet(std::max(serial.width(), part.width()), partTop + part.height(), QImage::Format_Grayscale8);
    sheet.fill(245);
    {
        QPainter p(&sheet);
        p.drawImage(0, 0, serial);
        p.drawImage(0, partTop, part);
    }
    place(frame, sheet, QPointF(640, 360), 0);
    const QList<DecodedBarcode> found =
        BarcodeDecoder().decode(GreyFrame::fromImage(degrade(frame, {1, 4, 0})));
    QVERIFY2(found.size() == 2, qPrintable(describe(found)));
    QVERIFY(containsCode(found, QStringLiteral("Code128"), QStringLiteral("JN11F3A2BAFA")));
    QVERIFY(containsCode(found, QStringLiteral("Code128"), QStringLiteral("SRX300-SYS-JB")));
    // The sheet is centred at y 360: the serial's bars span 260..350, the part number's 370..460.
    // Positions cover each symbol's bars and stay off the other one.
    for (const DecodedBarcode &b : found) {
        const bool isSerial = b.text == QLatin1String("JN11F3A2BAFA");
        int top = INT_MAX;
        int bottom = INT_MIN;
        for (const QPoint &p : b.position) {
            top = std::min(top, p.y());
            bottom = std::max(bottom, p.y());
        }
        QVERIFY2(bottom - top >= 70,
                 qPrintable(QStringLiteral("%1: %2..%3").arg(b.text).arg(top).arg(bottom)));
        QVERIFY(isSerial ? bottom < 360 : top > 360);
    }
}

void TestBarcodeDecoder::maxSymbolsLimitsTheRead()
{
    QImage frame = blankFrame();
    place(frame, renderLabel(BarcodeFormat::QRCode, QStringLiteral("JN11F3A2BAFA"), 6), QPointF(300, 360), 0);
    place(frame, renderLabel(BarcodeFormat::QRCode, QStringLiteral("CAHZ4512"), 6), QPointF(900, 360), 0);
    const QImage grey = degrade(frame, {});
    QCOMPARE(BarcodeDecoder().decode(GreyFrame::fromImage(grey)).size(), 2);
    DecodeSettings one;
    one.maxSymbols = 1;
    QCOMPARE(BarcodeDecoder(one).decode(GreyFrame::fromImage(grey)).size(), 1);
}

void TestBarcodeDecoder::reportsPositionInFramePixels()
{
    QImage frame = blankFrame();
    const QImage label = renderLabel(BarcodeFormat::DataMatrix, QStringLiteral("CAHZ4512"), 8);
    const QPointF center(1000, 200);
    place(frame, label, center, 0);
    const QList<DecodedBarcode> found = BarcodeDecoder().decode(GreyFrame::fromImage(degrade(frame, {})));
    QCOMPARE(found.size(), 1);
    QCOMPARE(found[0].position.size(), 4);
    const QPoint c = found[0].center();
    QVERIFY2((QPointF(c) - center).manhattanLength() < 20,
             qPrintable(QStringLiteral("centre %1,%2").arg(c.x()).arg(c.y())));
    // Corners lie on the symbol, inside the label.
    const QRectF labelRect(center - QPointF(label.width() / 2.0, label.height() / 2.0), label.size());
    for (const QPoint &p : found[0].position)
        QVERIFY(labelRect.contains(p));
}

void TestBarcodeDecoder::onlyConfiguredFormats_data()
{
    QTest::addColumn<QString>("formats");
    QTest::addColumn<int>("expected");

    QTest::newRow("all three") << "Code128,DataMatrix,QRCode" << 3;
    QTest::newRow("Code 128 only") << "Code128" << 1;
    QTest::newRow("2D only") << "DataMatrix,QRCode" << 2;
    QTest::newRow("none of them") << "EAN13,PDF417" << 0;
}

void TestBarcodeDecoder::onlyConfiguredFormats()
{
    QFETCH(QString, formats);
    QFETCH(int, expected);
    QImage frame = blankFrame();
    place(frame, renderLabel(BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 3), QPointF(330, 360),
          0);
    place(frame, renderLabel(BarcodeFormat::DataMatrix, QStringLiteral("CAHZ4512"), 6), QPointF(800, 200), 0);
    place(frame, renderLabel(BarcodeFormat::QRCode, QStringLiteral("CAHZ4512"), 6), QPointF(950, 520), 0);
    QString error;
    DecodeSettings s;
    s.formats = *DecodeSettings::parseFormats(formats, &error);
    const QList<DecodedBarcode> found = BarcodeDecoder(s).decode(GreyFrame::fromImage(degrade(frame, {})));
    QCOMPARE(found.size(), expected);
    for (const DecodedBarcode &b : found)
        QVERIFY(s.formats.contains(b.format));
}

void TestBarcodeDecoder::noBarcodeNoResult_data()
{
    QTest::addColumn<QImage>("picture");

    auto rng = QRandomGenerator(20240611);
    auto frame = [] {
        QImage f(FrameSize, QImage::Format_RGB32);
        f.fill(Qt::white);
        return f;
    };
    auto grey = [](const QImage &rgb) { return rgb.convertToFormat(QImage::Format_Grayscale8); };
    int n = 0;

    for (int i = 0; i < 8; ++i) { // white noise, from faint to full range
        QImage f(FrameSize, QImage::Format_Grayscale8);
        const int amplitude = 32 + 28 * i;
        for (int y = 0; y < f.height(); ++y) {
            uchar *row = f.scanLine(y);
            for (int x = 0; x < f.width(); ++x)
                row[x] = uchar(128 - amplitude / 2 + int(rng.bounded(amplitude)));
        }
        QTest::addRow("noise %d", ++n) << f;
    }
    for (int i = 0; i < 6; ++i) { // blotchy texture: blurred noise, like cardboard or a dim room
        QImage f(FrameSize, QImage::Format_Grayscale8);
        for (int y = 0; y < f.height(); ++y) {
            uchar *row = f.scanLine(y);
            for (int x = 0; x < f.width(); ++x)
                row[x] = uchar(rng.bounded(256));
        }
        blur(f, 2 + i);
        QTest::addRow("texture %d", ++n) << f;
    }
    for (int i = 0; i < 8; ++i) { // smooth light, linear and radial, some with sensor noise
        QImage f = frame();
        QPainter p(&f);
        if (i % 2 == 0) {
            QLinearGradient g(0, 0, i < 4 ? f.width() : 0, i < 4 ? 0 : f.height());
            g.setColorAt(0, QColor::fromHsv(0, 0, 20 * i));
            g.setColorAt(1, QColor::fromHsv(0, 0, 255 - 15 * i));
            p.fillRect(f.rect(), g);
        } else {
            QRadialGradient g(QPointF(200 + 100 * i, 360), 300 + 50 * i);
            g.setColorAt(0, Qt::white);
            g.setColorAt(1, QColor(40, 40, 40));
            p.fillRect(f.rect(), g);
        }
        p.end();
        QImage g = grey(f);
        if (i >= 4)
            addNoise(g, 10, quint32(i));
        QTest::addRow("gradient %d", ++n) << g;
    }
    const QStringList words = {QStringLiteral("JN11F3A2BAFA"),
                               QStringLiteral("RETURN TO SENDER"),
                               QStringLiteral("CAHZ4512"),
                               QStringLiteral("Juniper Networks TMIP"),
                               QStringLiteral("FRAGILE"),
                               QStringLiteral("1Z999AA10123456784"),
                               QStringLiteral("SRX300 / EX2300-24P"),
                               QStringLiteral("|||| IIII llll ||||")};
    for (int i = 0; i < 10; ++i) { // printed text, like the rest of a shipping label
        QImage f = frame();
        QPainter p(&f);
        QFont font(i % 2 ? QStringLiteral("DejaVu Sans Mono") : QStringLiteral("DejaVu Sans"));
        font.setPixelSize(14 + 6 * i);
        font.setBold(i % 3 == 0);
        p.setFont(font);
        p.setPen(Qt::black);
        for (int line = 0; line < 12; ++line)
            p.drawText(QPointF(20 + 7 * i, 40 + line * (font.pixelSize() + 12)),
                       words[(line + i) % words.size()] + QLatin1Char(' ') +
                           words[(line * 3 + i) % words.size()]);
        p.end();
        QTest::addRow("text %d", ++n) << grey(f);
    }
    for (int i = 0; i < 8; ++i) { // boxes, tape and shadows
        QImage f = frame();
        QPainter p(&f);
        for (int k = 0; k < 10 + 5 * i; ++k) {
            const QRect r(int(rng.bounded(1200)), int(rng.bounded(660)), 10 + int(rng.bounded(300)),
                          10 + int(rng.bounded(200)));
            p.fillRect(r, QColor::fromHsv(0, 0, int(rng.bounded(256))));
        }
        p.end();
        QTest::addRow("rectangles %d", ++n) << grey(f);
    }
    for (int i = 0; i < 8; ++i) { // lines in every direction, and bundles of parallel ones
        QImage f = frame();
        QPainter p(&f);
        p.setRenderHint(QPainter::Antialiasing, i % 2 == 1);
        for (int k = 0; k < 40; ++k) {
            p.setPen(QPen(QColor::fromHsv(0, 0, int(rng.bounded(200))), 1 + int(rng.bounded(6))));
            if (i < 4) {
                p.drawLine(QPointF(rng.bounded(1280), rng.bounded(720)),
                           QPointF(rng.bounded(1280), rng.bounded(720)));
            } else {
                const double x = 100 + k * (8 + i);
                p.drawLine(QPointF(x, 100), QPointF(x + 30 * (i - 5), 600));
            }
        }
        p.end();
        QTest::addRow("lines %d", ++n) << grey(f);
    }
    for (int i = 0; i < 8; ++i) { // checkerboards: calibration targets, tiled floors, fine textile weaves
        QImage f = frame();
        QPainter p(&f);
        const int cell = 3 + 6 * i;
        p.translate(640, 360);
        p.rotate(11.0 * i);
        for (int y = -700; y < 700; y += cell)
            for (int x = -700; x < 700; x += cell)
                if (((x + 700) / cell + (y + 700) / cell) % 2)
                    p.fillRect(x, y, cell, cell, Qt::black);
        p.end();
        QTest::addRow("checkerboard %d", ++n) << grey(f);
    }
    for (int i = 0; i < 6; ++i) { // bars of random widths: barcode-like, but no symbology's patterns
        QImage f = frame();
        QPainter p(&f);
        int x = 100;
        while (x < 1180) {
            const int w = 2 + int(rng.bounded(4 + i));
            p.fillRect(x, 200, w, 300, Qt::black);
            x += w + 2 + int(rng.bounded(4 + i));
        }
        p.end();
        QImage g = grey(f);
        blur(g, i % 3);
        QTest::addRow("random bars %d", ++n) << g;
    }
}

void TestBarcodeDecoder::noBarcodeNoResult()
{
    QFETCH(QImage, picture);
    ++m_emptyPictures;
    QString error;
    const QList<DecodedBarcode> found = BarcodeDecoder().decode(GreyFrame::fromImage(picture), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(found.isEmpty(), qPrintable(describe(found)));
}

void TestBarcodeDecoder::readsFromPaddedRowsAndAnyImageFormat()
{
    QImage frame = blankFrame(QSize(1300, 720));
    place(frame, renderLabel(BarcodeFormat::Code128, QStringLiteral("CAHZ4512"), 3), QPointF(640, 360), 0);
    const QImage grey = degrade(frame, {});
    // A view of the left 1280 columns: rows 1300 bytes apart, like a camera buffer with row padding.
    const GreyFrame padded{1280, 720, int(grey.bytesPerLine()), grey.constBits()};
    QCOMPARE(BarcodeDecoder().decode(padded).size(), 1);

    QVERIFY(!GreyFrame::fromImage(frame).isValid());         // RGB32 is not a grey view...
    const QImage converted = GreyFrame::toGrayscale8(frame); // ...until converted
    QCOMPARE(converted.format(), QImage::Format_Grayscale8);
    QCOMPARE(BarcodeDecoder().decode(GreyFrame::fromImage(converted)).size(), 1);

    // A label exported with a transparent background reads as black on white, not black on black.
    QImage transparent(600, 300, QImage::Format_ARGB32);
    transparent.fill(Qt::transparent);
    {
        QPainter p(&transparent);
        QImage label = renderLabel(BarcodeFormat::Code128, QStringLiteral("CAHZ4512"), 2, 80);
        QImage mask = label.convertToFormat(QImage::Format_ARGB32);
        for (int y = 0; y < mask.height(); ++y) {
            auto *row = reinterpret_cast<QRgb *>(mask.scanLine(y));
            for (int x = 0; x < mask.width(); ++x)
                row[x] = qGray(row[x]) < 128 ? qRgba(0, 0, 0, 255) : qRgba(0, 0, 0, 0);
        }
        p.drawImage(20, 20, mask);
    }
    const QImage flat = GreyFrame::toGrayscale8(transparent);
    QCOMPARE(BarcodeDecoder().decode(GreyFrame::fromImage(flat)).size(), 1);

    // The copy a crash report saves is the frame itself.
    QCOMPARE(padded.toImage(), grey.copy(0, 0, 1280, 720));
}

void TestBarcodeDecoder::invalidFrameIsAnError()
{
    QString error;
    QVERIFY(BarcodeDecoder().decode(GreyFrame{}, &error).isEmpty());
    QVERIFY(!error.isEmpty());
    const uchar pixels[4] = {};
    QVERIFY(BarcodeDecoder().decode(GreyFrame{4, 1, 2, pixels}, &error).isEmpty()); // stride < width
    QVERIFY(!error.isEmpty());
}

void TestBarcodeDecoder::jsonLine_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("line");

    QTest::newRow("serial") << "JN11F3A2BAFA"
                            << "serial"
                            << QByteArray(
                                   R"({"text":"JN11F3A2BAFA","format":"Code128","position":[[1,2],[3,2],)"
                                   R"([3,4],[1,4]],"kind":"serial"})"
                                   "\n");
    QTest::newRow("quotes, backslash, GS, UTF-8")
        << QString::fromUtf8("a\"b\\c\x1d\xc3\xa9") << "gs1"
        << QByteArray(R"({"text":"a\"b\\c\u001d)"
                      "\xc3\xa9"
                      R"(","format":"Code128","position":[[1,2],[3,2],[3,4],[1,4]],"kind":"gs1"})"
                      "\n");
}

void TestBarcodeDecoder::jsonLine()
{
    QFETCH(QString, text);
    QFETCH(QString, kind);
    QFETCH(QByteArray, line);
    DecodedBarcode b;
    b.text = text;
    b.format = QStringLiteral("Code128");
    b.position = {QPoint(1, 2), QPoint(3, 2), QPoint(3, 4), QPoint(1, 4)};
    QCOMPARE(BarcodeDecoder::toJsonLine(b, kind), line);
}

void TestBarcodeDecoder::wireJsonRoundTrip()
{
    DecodedBarcode a;
    a.text = QString::fromUtf8("0109501101530003\x1d"
                               "21\xc3\xa9\"x");
    a.format = QStringLiteral("DataMatrix");
    a.position = {QPoint(10, 20), QPoint(30, 20), QPoint(30, 40), QPoint(10, 40)};
    a.symbologyId = QStringLiteral("]d2");
    DecodedBarcode b = a;
    b.text = QStringLiteral("CAHZ4512");
    b.format = QStringLiteral("QRCode");
    QString error;
    const auto back = BarcodeDecoder::fromJson(BarcodeDecoder::toJson({a, b}), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, (QList<DecodedBarcode>{a, b}));
    QCOMPARE(BarcodeDecoder::fromJson("[]", &error)->size(), 0);
    QVERIFY(!BarcodeDecoder::fromJson("{\"text\":1}", &error));
    QVERIFY(!BarcodeDecoder::fromJson("[{\"text\":\"x\"}]", &error)); // no format, no position
}

void TestBarcodeDecoder::scannerBytesKeepGs1Identifier()
{
    DecodedBarcode b;
    b.text = QStringLiteral("010950110153000321CAHZ4512");
    b.symbologyId = QStringLiteral("]C1");
    QCOMPARE(b.scannerBytes(), QByteArray("]C1010950110153000321CAHZ4512"));
    b.symbologyId = QStringLiteral("]d2");
    QCOMPARE(b.scannerBytes(), QByteArray("]d2010950110153000321CAHZ4512"));
    b.symbologyId = QStringLiteral("]C0");
    b.text = QStringLiteral("JN11F3A2BAFA");
    QCOMPARE(b.scannerBytes(), QByteArray("JN11F3A2BAFA"));
}

void TestBarcodeDecoder::cleanupTestCase()
{
    qInfo(
        "degraded set: read %d of %d (%.1f %%); pictures without a barcode: %d, all empty if this run passed",
        m_degradedRead, m_degradedTotal, m_degradedTotal ? 100.0 * m_degradedRead / m_degradedTotal : 0.0,
        m_emptyPictures);
}

// QTEST_MAIN with a QGuiApplication, because the pictures with printed text need fonts; offscreen unless the
// caller chose a platform, so the test runs without a display.
int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    TestBarcodeDecoder test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_barcodedecoder.moc"
