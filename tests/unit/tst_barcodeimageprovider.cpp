// SPDX-License-Identifier: GPL-3.0-or-later
// The help sheet's command barcodes are real Code 128: the station's own decoder reads them back.
#include "BarcodeDecoder.h"
#include "BarcodeImageProvider.h"

#include <QImage>
#include <QTest>

class TestBarcodeImageProvider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsBack_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("requestedWidth");
        QTest::newRow(":DONE small") << QStringLiteral(":DONE") << 0;
        QTest::newRow(":UNDO 70 mm at 141 ppi") << QStringLiteral(":UNDO") << 389;
        QTest::newRow("serial") << QStringLiteral("JN11F3A2BAFA") << 600;
    }
    void readsBack()
    {
        QFETCH(QString, text);
        QFETCH(int, requestedWidth);
        BarcodeImageProvider provider;
        QSize size;
        const QImage image = provider.requestImage(QString::fromLatin1(QUrl::toPercentEncoding(text)), &size,
                                                   QSize(requestedWidth, 100));
        QVERIFY(!image.isNull());
        QCOMPARE(size, image.size());
        QCOMPARE(image.height(), 100);
        const int modules = BarcodeImageProvider::modules(text);
        QVERIFY(modules > 2 * BarcodeImageProvider::QuietZoneModules);
        // Whole pixels per module, at least three, and as wide as asked when that allows it.
        QCOMPARE(image.width() % modules, 0);
        QVERIFY(image.width() / modules >= 3);
        if (requestedWidth > 0)
            QVERIFY(image.width() <= std::max(requestedWidth, modules * 3));

        // Black on white, with a white quiet zone on both sides.
        const int quiet = BarcodeImageProvider::QuietZoneModules * (image.width() / modules);
        for (int x = 0; x < quiet; ++x) {
            QCOMPARE(image.pixel(x, 50), qRgb(255, 255, 255));
            QCOMPARE(image.pixel(image.width() - 1 - x, 50), qRgb(255, 255, 255));
        }

        BarcodeDecoder decoder;
        QString error;
        const QList<DecodedBarcode> read =
            decoder.decode(GreyFrame::fromImage(GreyFrame::toGrayscale8(image)), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(read.size(), 1);
        QCOMPARE(read.front().text, text);
        QCOMPARE(read.front().format, QStringLiteral("Code128"));
    }
};

QTEST_GUILESS_MAIN(TestBarcodeImageProvider)
#include "tst_barcodeimageprovider.moc"
