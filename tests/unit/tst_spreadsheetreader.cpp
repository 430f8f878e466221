// SPDX-License-Identifier: GPL-3.0-or-later
// SpreadsheetReader: .xlsx (generated, and saved by LibreOffice), .xls (FreeXL) and .csv read into the same
// cells, and every refusal a sentence. Fixtures: tests/fixtures/forms (make-forms.py).
#include "Spreadsheet.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {
QString fixture(const QString &name)
{
    return QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/forms/") + name;
}
} // namespace

class TestSpreadsheetReader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void columnLetters_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("letters");
        QTest::newRow("A") << 0 << "A";
        QTest::newRow("Z") << 25 << "Z";
        QTest::newRow("AA") << 26 << "AA";
        QTest::newRow("ZZ") << 701 << "ZZ";
        QTest::newRow("AAA") << 702 << "AAA";
        QTest::newRow("XFD") << 16383 << "XFD";
    }
    void columnLetters()
    {
        QFETCH(int, column);
        QFETCH(QString, letters);
        QCOMPARE(Sheet::columnLetter(column), letters);
    }

    // The same workbook written by make-forms.py, converted by LibreOffice to .xls and saved again as .xlsx.
    void tradeInWorkbook_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("mergesRepeated");
        QTest::newRow("generated xlsx") << "trade-in.xlsx" << true;
        QTest::newRow("LibreOffice xlsx") << "trade-in-libreoffice.xlsx" << true;
        QTest::newRow("xls (FreeXL)") << "trade-in.xls" << false;
    }
    void tradeInWorkbook()
    {
        QFETCH(QString, file);
        QFETCH(bool, mergesRepeated);
        QString error;
        const std::optional<Workbook> book = SpreadsheetReader::read(fixture(file), &error);
        QVERIFY2(book, qPrintable(error));
        QCOMPARE(book->sheets.size(), 2);
        QCOMPARE(book->sheets.at(0).name, QStringLiteral("Instructions"));
        QCOMPARE(book->sheets.at(1).name, QStringLiteral("Trade-In"));

        const Sheet &info = book->sheets.at(0);
        QCOMPARE(info.cell(0, 0).text, QStringLiteral("Fill in one row per unit."));
        QCOMPARE(info.cell(0, 0).type, Cell::Type::Text);
        QCOMPARE(info.cell(3, 0).type, Cell::Type::Number);
        QCOMPARE(info.cell(3, 0).text, QStringLiteral("3.25"));
        QCOMPARE(info.cell(4, 0).type, Cell::Type::DateTime);
        QCOMPARE(info.cell(4, 0).text, QStringLiteral("2026-11-03T12:00:00"));
        QCOMPARE(info.cell(4, 0).dateTime, QDateTime(QDate(2026, 11, 3), QTime(12, 0), Qt::UTC));
        QCOMPARE(info.cell(5, 0).type, Cell::Type::Number); // "0" pcs, dd"": the d is quoted, no date
        QCOMPARE(info.cell(5, 0).text, QStringLiteral("12"));
        QCOMPARE(info.cell(6, 0).text, QStringLiteral("1234567890")); // stored as 1.23456789E9
        if (!file.endsWith(u".xls")) { // FreeXL reports neither booleans nor errors
            QCOMPARE(info.cell(1, 0).type, Cell::Type::Bool);
            QCOMPARE(info.cell(1, 0).text, QStringLiteral("TRUE"));
            QCOMPARE(info.cell(2, 0).type, Cell::Type::Error);
            QCOMPARE(info.cell(2, 0).text, QStringLiteral("#N/A"));
        }

        const Sheet &form = book->sheets.at(1);
        QCOMPARE(form.cell(0, 0).text, QStringLiteral("Juniper TMIP Trade-In Form"));
        QCOMPARE(form.cell(0, 1).text, mergesRepeated ? form.cell(0, 0).text : QString());
        QCOMPARE(form.cell(1, 0).text, QStringLiteral("TMIP Case #"));
        QCOMPARE(form.cell(1, 2).text, QStringLiteral("2026-1103-0001"));
        if (mergesRepeated) {
            QVERIFY(form.mergeAt(1, 1));
            QCOMPARE(form.mergeAt(1, 1)->firstColumn, 0);
            QVERIFY(!form.mergeAt(1, 2));
        }
        QCOMPARE(form.cell(2, 1).type, Cell::Type::Date);
        QCOMPARE(form.cell(2, 1).text, QStringLiteral("2026-11-03"));
        QCOMPARE(form.cell(2, 1).date(), QDate(2026, 11, 3));
        QCOMPARE(form.cell(4, 1).text, QStringLiteral(" product  SKU "));
        QCOMPARE(form.cell(5, 2).text,
                 QStringLiteral("MX960 chassis")); // rich text runs, phonetic run skipped
        QCOMPARE(form.cell(5, 3).text, QStringLiteral("jn11f3a2bafa"));
        QCOMPARE(form.cell(6, 1).text, QStringLiteral("ex4300-48t")); // inline string
        QCOMPARE(form.cell(6, 3).type, Cell::Type::Number);
        QCOMPARE(form.cell(6, 3).text, QStringLiteral("1234567890"));
        QCOMPARE(form.cell(7, 3).type, Cell::Type::Text);
        QCOMPARE(form.cell(7, 3).text, QStringLiteral("0012345678"));
        QCOMPARE(form.cell(8, 3).text, QStringLiteral("PE0001, PE0002;PE0003\nPE0004"));
        QCOMPARE(form.cell(9, 3).type, Cell::Type::Empty);
        QCOMPARE(form.cell(9, 4).text, QStringLiteral("6"));
        QCOMPARE(form.cell(11, 0).text, QStringLiteral("Signature:"));
        QCOMPARE(form.cell(500, 500).type, Cell::Type::Empty);
        QCOMPARE(form.cell(-1, 0).type, Cell::Type::Empty);
    }

    // One quirk of SpreadsheetML per row (make-forms.py, quirks.xlsx).
    void xlsxQuirks()
    {
        QString error;
        const auto book = SpreadsheetReader::read(fixture(QStringLiteral("quirks.xlsx")), &error);
        QVERIFY2(book, qPrintable(error));
        const Sheet &s = book->sheets.at(0);
        QCOMPARE(s.cell(0, 0).type, Cell::Type::Date); // the 1904 date system's day 0
        QCOMPARE(s.cell(0, 0).text, QStringLiteral("1904-01-01"));
        QCOMPARE(s.cell(1, 0).type, Cell::Type::DateTime); // t="d"
        QCOMPARE(s.cell(1, 0).text, QStringLiteral("2026-11-03T08:30:00"));
        QCOMPARE(s.cell(2, 0).text, QStringLiteral("PE42"));        // a formula's cached string
        QCOMPARE(s.cell(3, 0).text, QStringLiteral("A\rB_x0041_")); // _x000D_ and the escaped underscore
        QCOMPARE(s.cell(4, 0).text, QStringLiteral("shared"));
        QCOMPARE(s.cell(4, 1).text, QStringLiteral("7"));  // a cell without r follows the previous one
        QCOMPARE(s.cell(5, 0).type, Cell::Type::DateTime); // h:mm AM/PM
        QCOMPARE(s.cell(5, 0).text, QStringLiteral("18:00:00"));
        QCOMPARE(s.cell(6, 0).type, Cell::Type::Number); // [Red]0\d: no date
        QCOMPARE(s.cell(6, 0).text, QStringLiteral("5"));
        QCOMPARE(s.cell(7, 0).type, Cell::Type::Empty); // a formula without a cached value
        QCOMPARE(s.cell(7, 1).text, QStringLiteral("after the formula"));
        QCOMPARE(s.cell(8, 0).text, QStringLiteral("shared")); // a row without r follows the previous one
        QCOMPARE(s.rowCount(), 9);
    }

    void xlsFromMemory()
    {
        QFile f(fixture(QStringLiteral("trade-in.xls")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QString error;
        const auto book = SpreadsheetReader::readBytes(f.readAll(), SpreadsheetReader::Format::Auto, &error);
        QVERIFY2(book, qPrintable(error));
        QCOMPARE(book->sheets.at(1).cell(6, 3).text, QStringLiteral("1234567890"));
    }

    void csvFiles()
    {
        QString error;
        auto book = SpreadsheetReader::read(fixture(QStringLiteral("trade-in-bom-semicolon.csv")), &error);
        QVERIFY2(book, qPrintable(error));
        QCOMPARE(book->sheets.size(), 1);
        const Sheet &s = book->sheets.at(0);
        QCOMPARE(s.name, QStringLiteral("trade-in-bom-semicolon"));
        QCOMPARE(s.cell(0, 0).text, QStringLiteral("TMIP Case")); // the BOM is gone
        QCOMPARE(s.cell(0, 1).text, QStringLiteral("2026-1103-0001"));
        QCOMPARE(s.rows.at(1).size(), 0);
        QCOMPARE(s.cell(2, 3).text, QStringLiteral("Serial"));
        QCOMPARE(s.cell(3, 2).text, QStringLiteral("Chassis; \"big\""));
        QCOMPARE(s.cell(4, 3).text, QStringLiteral("PE01\r\nPE02"));
        QCOMPARE(s.cell(5, 4).text, QStringLiteral("4"));
        QCOMPARE(s.cell(7, 0).text, QStringLiteral("Signed"));
        QCOMPARE(s.rowCount(), 8);

        book = SpreadsheetReader::read(fixture(QStringLiteral("trade-in-comma.csv")), &error);
        QVERIFY2(book, qPrintable(error));
        const Sheet &c = book->sheets.at(0);
        QCOMPARE(c.cell(3, 1).text, QStringLiteral("0012345678"));
        QCOMPARE(c.cell(3, 2).text, QStringLiteral("Router, small"));
        QCOMPARE(c.cell(4, 2).text, QString::fromUtf8("Großer Router"));
    }

    void csvSheetName()
    {
        QString error;
        const QByteArray csv("a,b\n");
        auto book = SpreadsheetReader::readBytes(csv, SpreadsheetReader::Format::Auto, &error);
        QVERIFY2(book, qPrintable(error));
        QCOMPARE(book->sheets.at(0).name, QStringLiteral("CSV"));
        book = SpreadsheetReader::readBytes(csv, SpreadsheetReader::Format::Auto, &error,
                                            QStringLiteral("/forms/tradein-0001.csv"));
        QVERIFY2(book, qPrintable(error));
        QCOMPARE(book->sheets.at(0).name, QStringLiteral("tradein-0001"));
    }

    void csvText_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("cells"); // rows joined by |, cells by ^
        QTest::newRow("LF, comma") << QByteArray("a,b\nc,d\n") << "a^b|c^d";
        QTest::newRow("CR only") << QByteArray("a,b\rc,d") << "a^b|c^d";
        QTest::newRow("semicolon wins") << QByteArray("a;b,c;d\n") << "a^b,c^d";
        QTest::newRow("quoted delimiter and quote")
            << QByteArray("\"a,b\",\"say \"\"hi\"\"\"\n") << "a,b^say \"hi\"";
        QTest::newRow("empty fields kept inside") << QByteArray("a,,c\n,,\n") << "a^^c|";
        QTest::newRow("no final newline") << QByteArray("a,b") << "a^b";
        QTest::newRow("text after closing quote") << QByteArray("\"a\"b,c\n") << "ab^c";
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFx;y\n") << "x^y";
        QTest::newRow("empty file") << QByteArray() << "";
    }
    void csvText()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, cells);
        QString error;
        const auto book = SpreadsheetReader::readBytes(csv, SpreadsheetReader::Format::Csv, &error);
        QVERIFY2(book, qPrintable(error));
        QStringList rows;
        for (const QList<Cell> &row : book->sheets.at(0).rows) {
            QStringList texts;
            for (const Cell &c : row)
                texts.append(c.text);
            rows.append(texts.join(u'^'));
        }
        QCOMPARE(rows.join(u'|'), cells);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("zip bomb")
            << "zip-bomb.xlsx"
            << "The workbook would unpack to far more than a Trade-In Form (over 200 MB, or a "
               "part inflating over 100 times its size), so it was not unpacked.";
        QTest::newRow("zip bomb with lying sizes")
            << "zip-bomb-lying.xlsx"
            << "The file is not a readable Excel workbook (.xlsx): it is damaged or incomplete.";
        QTest::newRow("truncated zip")
            << "truncated.xlsx"
            << "The file is not a readable Excel workbook (.xlsx): it is damaged or incomplete.";
        QTest::newRow("not a spreadsheet")
            << "not-a-spreadsheet.xlsx"
            << "The file is not a spreadsheet: save the Trade-In Form as .xlsx, .xls or CSV UTF-8.";
        QTest::newRow("password-protected")
            << "password-protected.xlsx"
            << "The file is password-protected; save it again without a password and import that copy.";
        QTest::newRow("zip, not a workbook")
            << "zip-not-a-workbook.xlsx"
            << "The file is a zip archive but not an Excel workbook (.xlsx).";
        QTest::newRow("missing") << "no-such-file.xlsx"
                                 << "The file " + fixture("no-such-file.xlsx") + " does not exist.";
    }
    void refusals()
    {
        QFETCH(QString, file);
        QFETCH(QString, sentence);
        QString error;
        QVERIFY(!SpreadsheetReader::read(fixture(file), &error));
        QCOMPARE(error, sentence);
    }

    void bytesRefusals_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("quote never closed")
            << QByteArray("a,b\nc,\"d\ne\n")
            << "The CSV file has a quote opened on line 2 that is never closed.";
        QTest::newRow("not UTF-8")
            << QByteArray("Serial;SKU\nPE1;Gr\xF6\xDF\n")
            << "The CSV file is not UTF-8 text; save it as \"CSV UTF-8\" and import that copy.";
        QTest::newRow("OLE2, not a workbook")
            << QByteArray("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + QByteArray(600, '\0')
            << "The file is not a readable Excel 97-2003 workbook (.xls): it is damaged or incomplete.";
    }
    void bytesRefusals()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, sentence);
        QString error;
        QVERIFY(!SpreadsheetReader::readBytes(bytes, SpreadsheetReader::Format::Auto, &error));
        QCOMPARE(error, sentence);
    }

    // Refused by its size before it is opened: a sparse 50 MB file (no disk used) named like a workbook.
    void fiftyMegabytes()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile big(dir.filePath(QStringLiteral("huge.xlsx")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.write("PK\x03\x04", 4) == 4);
        QVERIFY(big.resize(SpreadsheetReader::MaxFileBytes));
        big.close();
        QString error;
        QVERIFY(!SpreadsheetReader::read(big.fileName(), &error));
        QCOMPARE(error,
                 QStringLiteral(
                     "The file is 50 MB or larger; a Trade-In Form is far smaller, so it was not opened."));
        QVERIFY(big.resize(SpreadsheetReader::MaxFileBytes - 1)); // just under: opened, then found damaged
        QVERIFY(!SpreadsheetReader::read(big.fileName(), &error));
        QVERIFY2(error.contains(u"damaged"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSpreadsheetReader)
#include "tst_spreadsheetreader.moc"
