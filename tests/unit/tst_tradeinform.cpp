// SPDX-License-Identifier: GPL-3.0-or-later
// TradeInForm::fromWorkbook: the layout found in each format, the numbering of lines, and every refusal one
// sentence naming the sheet, row and column. Inline CSV tables for the rules, fixtures for the formats.
#include "ScanNormaliser.h"
#include "TradeInForm.h"

#include <QStandardPaths>
#include <QTest>

namespace {
QString fixture(const QString &name)
{
    return QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/forms/") + name;
}

// "line sku serial×qty @row col" per line, joined by " | ".
QString summary(const TradeInForm &form)
{
    QStringList out;
    for (const TradeInForm::Line &l : form.lines) {
        out.append(QStringLiteral("%1 %2 %3x%4 @%5%6")
                       .arg(l.line)
                       .arg(l.sku, l.serial.isEmpty() ? QStringLiteral("-") : l.serial)
                       .arg(l.quantity)
                       .arg(l.serialColumn)
                       .arg(l.row));
    }
    return out.join(QStringLiteral(" | "));
}

std::optional<TradeInForm> fromCsv(const QByteArray &csv, const QString &caseOverride, QString *error)
{
    const auto book = SpreadsheetReader::readBytes(csv, SpreadsheetReader::Format::Csv, error);
    if (!book)
        return std::nullopt;
    return TradeInForm::fromWorkbook(*book, caseOverride, error);
}

Cell number(double v, const QString &text)
{
    Cell c;
    c.type = Cell::Type::Number;
    c.number = v;
    c.text = text;
    return c;
}

Cell text(const QString &t)
{
    Cell c;
    c.type = Cell::Type::Text;
    c.text = t;
    return c;
}
} // namespace

class TestTradeInForm : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void sameLimitAsScans() { QCOMPARE(TradeInForm::MaxValueLength, ScanNormaliser::MaxLength); }

    // The full fixture in each format; the .xls keeps a merged label in its top-left cell only.
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("caseNumber");
        QTest::addColumn<QString>("sheet");
        QTest::addColumn<int>("headerRow");
        QTest::addColumn<QString>("lines");
        const QString tradeIn = "1 MX960-BASE JN11F3A2BAFAx1 @D6 | 2 EX4300-48T 1234567890x1 @D7 | "
                                "3 EX4300-48T 0012345678x1 @D8 | 4 QFX5100-48S PE0001x1 @D9 | "
                                "6 QFX5100-48S PE0002x1 @D9 | 7 QFX5100-48S PE0003x1 @D9 | "
                                "8 QFX5100-48S PE0004x1 @D9 | 5 SFP-10G-SR -x6 @D10";
        QTest::newRow("xlsx") << "trade-in.xlsx"
                              << "2026-1103-0001"
                              << "Trade-In" << 5 << tradeIn;
        QTest::newRow("xlsx by LibreOffice") << "trade-in-libreoffice.xlsx"
                                             << "2026-1103-0001"
                                             << "Trade-In" << 5 << tradeIn;
        QTest::newRow("xls") << "trade-in.xls"
                             << "2026-1103-0001"
                             << "Trade-In" << 5 << tradeIn;
        QTest::newRow("case below its label, # column")
            << "case-below.xlsx"
            << "2026-1103-0002"
            << "Form" << 4 << "1 MX480 SN0001x1 @C5 | 2 MX480 SN0002x1 @C6";
        QTest::newRow("csv: BOM, semicolons, quotes, line break in a cell")
            << "trade-in-bom-semicolon.csv"
            << "2026-1103-0001"
            << "trade-in-bom-semicolon" << 3
            << "1 MX960-BASE JN11F3A2BAFAx1 @D4 | 2 EX4300 PE01x1 @D5 | 4 EX4300 PE02x1 @D5 | 3 SFP-10G-SR "
               "-x4 @D6";
        QTest::newRow("csv: commas, case below, no line column")
            << "trade-in-comma.csv"
            << "2026-1103-0003"
            << "trade-in-comma" << 3 << "1 MX204 0012345678x1 @B4 | 2 MX204 JN1234567890x1 @B5";
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(QString, caseNumber);
        QFETCH(QString, sheet);
        QFETCH(int, headerRow);
        QFETCH(QString, lines);
        QString error;
        const auto book = SpreadsheetReader::read(fixture(file), &error);
        QVERIFY2(book, qPrintable(error));
        const auto form = TradeInForm::fromWorkbook(*book, QString(), &error);
        QVERIFY2(form, qPrintable(error));
        QCOMPARE(form->caseNumber, caseNumber);
        QCOMPARE(form->sheetName, sheet);
        QCOMPARE(form->headerRow, headerRow);
        QCOMPARE(summary(*form), lines);
        for (const TradeInForm::Line &l : form->lines)
            QCOMPARE(l.sheet, sheet);
        if (file.startsWith(u"trade-in.xls"))
            QCOMPARE(form->lines.at(0).description, QStringLiteral("MX960 chassis"));
        if (file == u"trade-in-bom-semicolon.csv")
            QCOMPARE(form->lines.at(0).description, QStringLiteral("Chassis; \"big\""));
    }

    void fixtureRefusals_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("serial on two lines")
            << "serial-twice.xlsx"
            << "Sheet “Trade-In”, row 6, column B: serial PE1234 is also on row 4.";
        QTest::newRow("quantity 2.5")
            << "quantity-2.5.xlsx"
            << "Sheet “Trade-In”, row 5, column C: quantity 2.5 is not a whole number "
               "from 1 to 100000.";
        QTest::newRow("no header")
            << "no-header.xlsx"
            << "No Trade-In Form header found: no sheet has a row with a serial column "
               "(Serial, Serial Number, S/N, SN, Serial No., Serial #) and a SKU column (SKU, "
               "Product SKU, Part Number, Model, Product, Item).";
    }
    void fixtureRefusals()
    {
        QFETCH(QString, file);
        QFETCH(QString, sentence);
        QString error;
        const auto book = SpreadsheetReader::read(fixture(file), &error);
        QVERIFY2(book, qPrintable(error));
        QVERIFY(!TradeInForm::fromWorkbook(*book, QString(), &error));
        QCOMPARE(error, sentence);
    }

    void rules_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("caseOverride");
        QTest::addColumn<QString>("caseNumber");
        QTest::addColumn<QString>("lines");
        QTest::newRow("titles any case and spacing, value right of label")
            << QByteArray("tmip  CASE:, 2026-1\nS / N,part number,QUANTITY\nab1,sku1,\n") << ""
            << "2026-1"
            << "1 SKU1 AB1x1 @A3";
        QTest::newRow("label and value in one cell")
            << QByteArray("TMIP Case: 2026-7\nSKU,Serial\nM,S1\n") << ""
            << "2026-7"
            << "1 M S1x1 @B3";
        QTest::newRow("--case alone") << QByteArray("SKU,Serial\nM,S1\n") << "2026-9"
                                      << "2026-9"
                                      << "1 M S1x1 @B2";
        QTest::newRow("--case agrees, any case") << QByteArray("Case #,c-1\nSKU,Serial\nM,S1\n") << " C-1 "
                                                 << "C-1"
                                                 << "1 M S1x1 @B3";
        QTest::newRow("serials by comma, semicolon, newline; qty matches")
            << QByteArray("Case No.,C\nSKU,Serial,Qty\nM,\"a, b;c\nd\",4\n") << ""
            << "C"
            << "1 M Ax1 @B3 | 2 M Bx1 @B3 | 3 M Cx1 @B3 | 4 M Dx1 @B3";
        QTest::newRow("serial-less line of N, then serial-less of 1")
            << QByteArray("Case No.,C\nModel,SN,Qty\nSFP,,12\nSFP2,,\n") << ""
            << "C"
            << "1 SFP -x12 @B3 | 2 SFP2 -x1 @B4";
        QTest::newRow("data ends at the first empty row")
            << QByteArray("Case No.,C\nSKU,Serial\nM,S1\n,\nM,S2\n") << ""
            << "C"
            << "1 M S1x1 @B3";
        QTest::newRow("a pre-numbered empty line ends the data too")
            << QByteArray("Case No.,C\nLine,SKU,Serial\n1,M,S1\n2,,\n3,M,S3\n") << ""
            << "C"
            << "1 M S1x1 @C3";
        QTest::newRow("line column kept, extras after the highest")
            << QByteArray("Case No.,C\nLine #,SKU,Serial\n10,M,\"A,B\"\n20,M,C\n,M,D\n") << ""
            << "C"
            << "10 M Ax1 @C3 | 21 M Bx1 @C3 | 20 M Cx1 @C4 | 22 M Dx1 @C5";
        QTest::newRow("SKU preferred over Model and Item")
            << QByteArray("Case No.,C\nItem,Model,SKU,Serial\n1,MX,MX960-BASE,S1\n") << ""
            << "C"
            << "1 MX960-BASE S1x1 @D3";
        QTest::newRow("header on the second sheet is not needed for CSV; title block above")
            << QByteArray(
                   "Juniper,,\nTMIP Case #,,X-1\n\nNotes\nProduct SKU,Description,Serial Number\nm,d,s\n")
            << ""
            << "X-1"
            << "1 M Sx1 @C6";
        QTest::newRow("trailing separator in a serial cell")
            << QByteArray("Case No.,C\nSKU,Serial\nM,\"S1,\"\n") << ""
            << "C"
            << "1 M S1x1 @B3";
        QTest::newRow("quantity 1 with one serial, quantity as 3.0")
            << QByteArray("Case No.,C\nSKU,Serial,Qty\nM,S1,1\nN,,3.0\n") << ""
            << "C"
            << "1 M S1x1 @B3 | 2 N -x3 @B4";
    }
    void rules()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, caseOverride);
        QFETCH(QString, caseNumber);
        QFETCH(QString, lines);
        QString error;
        const auto form = fromCsv(csv, caseOverride, &error);
        QVERIFY2(form, qPrintable(error));
        QCOMPARE(form->caseNumber, caseNumber);
        QCOMPARE(summary(*form), lines);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("caseOverride");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("no case number")
            << QByteArray("SKU,Serial\nM,S1\n") << ""
            << "No case number: the form has no cell labelled TMIP Case, TMIP Case #, TMIP Case Number, Case "
               "Number, "
               "Case #, Case No. with a value to its right or below; give it with --case.";
        QTest::newRow("case label without value") << QByteArray("TMIP Case,\n\nSKU,Serial\nM,S1\n") << ""
                                                  << "Sheet “CSV”, row 1, column A: the case number label "
                                                     "has no value to its right or below; fill it in "
                                                     "or give --case.";
        QTest::newRow("the next label is no value")
            << QByteArray("TMIP Case:,,Date:,2026-11-03\n\nSKU,Serial\nM,S1\n") << ""
            << "Sheet “CSV”, row 1, column A: the case number label has no value to its right or below; fill "
               "it in "
               "or give --case.";
        QTest::newRow("--case disagrees")
            << QByteArray("TMIP Case,2026-1\nSKU,Serial\nM,S1\n") << "2026-2"
            << "The form's case number 2026-1 (Sheet “CSV”, row 1, column B) does not match --case 2026-2.";
        QTest::newRow("two case numbers")
            << QByteArray("TMIP Case,2026-1\nCase #,2026-2\nSKU,Serial\nM,S1\n") << ""
            << "The form names two case numbers: 2026-1 (Sheet “CSV”, row 1, column B) and 2026-2 (Sheet "
               "“CSV”, row "
               "2, column B).";
        QTest::newRow("serial on two lines")
            << QByteArray("Case #,C\nSKU,Serial\nM,PE1234\nM,X\nM,pe1234\n") << ""
            << "Sheet “CSV”, row 5, column B: serial PE1234 is also on row 3.";
        QTest::newRow("serial twice in a cell")
            << QByteArray("Case #,C\nSKU,Serial\nM,\"A,a\"\n") << ""
            << "Sheet “CSV”, row 3, column B: serial A is listed twice in this cell.";
        QTest::newRow("quantity 2.5")
            << QByteArray("Case #,C\nSKU,Serial,Qty\nM,,2.5\n") << ""
            << "Sheet “CSV”, row 3, column C: quantity 2.5 is not a whole number from 1 to "
               "100000.";
        QTest::newRow("quantity 0")
            << QByteArray("Case #,C\nSKU,Serial,Qty\nM,,0\n") << ""
            << "Sheet “CSV”, row 3, column C: quantity 0 is not a whole number from 1 to "
               "100000.";
        QTest::newRow("quantity words")
            << QByteArray("Case #,C\nSKU,Serial,Qty\nM,,two\n") << ""
            << "Sheet “CSV”, row 3, column C: quantity two is not a whole number from 1 "
               "to 100000.";
        QTest::newRow("serial with quantity 3") << QByteArray("Case #,C\nSKU,Serial,Qty\nM,S1,3\n") << ""
                                                << "Sheet “CSV”, row 3, column C: quantity 3 with one "
                                                   "serial; list 3 serials in column B or put each on "
                                                   "its own row.";
        QTest::newRow("serials and quantity disagree")
            << QByteArray("Case #,C\nSKU,Serial,Qty\nM,\"S1,S2\",3\n") << ""
            << "Sheet “CSV”, row 3, column C: quantity 3 does not match the 2 serials listed in column B.";
        QTest::newRow("empty SKU") << QByteArray("Case #,C\nSKU,Serial\n,S1\n") << ""
                                   << "Sheet “CSV”, row 3, column A: the SKU is empty; every line needs one.";
        QTest::newRow("tab in a serial")
            << QByteArray("Case #,C\nSKU,Serial\nM,\"S\t1\"\n") << ""
            << "Sheet “CSV”, row 3, column B: the serial holds hidden control characters "
               "(such as a tab); retype it.";
        QTest::newRow("serial too long")
            << QByteArray("Case #,C\nSKU,Serial\nM,") + QByteArray(129, 'X') + "\n"
            << ""
            << "Sheet “CSV”, row 3, column B: the serial is longer than 128 characters.";
        QTest::newRow("two serial columns")
            << QByteArray("Case #,C\nSKU,Serial,S/N\nM,S1,S2\n") << ""
            << "Sheet “CSV”, row 2: two columns are titled as the serial (B and C); keep one.";
        QTest::newRow("header without lines")
            << QByteArray("Case #,C\nSKU,Serial\n\nM,S1\n") << ""
            << "Sheet “CSV”: the form's header is on row 2 but no line follows it.";
        QTest::newRow("line number twice") << QByteArray("Case #,C\nLine,SKU,Serial\n1,M,S1\n1,M,S2\n") << ""
                                           << "Sheet “CSV”, row 4, column A: line 1 is also on row 3.";
        QTest::newRow("line number not whole")
            << QByteArray("Case #,C\nLine,SKU,Serial\n1.5,M,S1\n") << ""
            << "Sheet “CSV”, row 3, column A: line number 1.5 is not a whole number of 1 or more.";
    }
    void refusals()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, caseOverride);
        QFETCH(QString, sentence);
        QString error;
        QVERIFY(!fromCsv(csv, caseOverride, &error));
        QCOMPARE(error, sentence);
    }

    // Typed cells only .xlsx/.xls give: a serial that is a date or lost digits as a number is refused.
    void typedSerials_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("whole number") << 0 << QString();
        QTest::newRow("16 digits as a number")
            << 1
            << "Sheet “T”, row 2, column B: the serial 1.2345678901234568e+15 was stored as a number and may "
               "have lost "
               "digits; format the column as Text and type it again.";
        QTest::newRow("date")
            << 2
            << "Sheet “T”, row 2, column B: the serial shows as a date (2026-01-02); format the "
               "column as Text and type it again.";
        QTest::newRow("error") << 3
                               << "Sheet “T”, row 2, column B: the serial cell shows #N/A, not a serial.";
    }
    void typedSerials()
    {
        QFETCH(int, kind);
        QFETCH(QString, sentence);
        Sheet sheet;
        sheet.name = QStringLiteral("T");
        Cell serial;
        switch (kind) {
        case 0:
            serial = number(1234567890, QStringLiteral("1234567890"));
            break;
        case 1:
            serial = number(1234567890123456.7, QStringLiteral("1.2345678901234568e+15"));
            break;
        case 2:
            serial.type = Cell::Type::Date;
            serial.text = QStringLiteral("2026-01-02");
            break;
        default:
            serial.type = Cell::Type::Error;
            serial.text = QStringLiteral("#N/A");
        }
        sheet.rows = {{text(QStringLiteral("SKU")), text(QStringLiteral("Serial"))},
                      {text(QStringLiteral("m")), serial}};
        Workbook book;
        book.sheets = {sheet};
        QString error;
        const auto form = TradeInForm::fromWorkbook(book, QStringLiteral("C"), &error);
        if (sentence.isEmpty()) {
            QVERIFY2(form, qPrintable(error));
            QCOMPARE(form->lines.at(0).serial, QStringLiteral("1234567890"));
        } else {
            QVERIFY(!form);
            QCOMPARE(error, sentence);
        }
    }

    // The form is found on a later sheet; a merged header title is one column.
    void headerOnSecondSheetWithMergedTitle()
    {
        Sheet notes;
        notes.name = QStringLiteral("Notes");
        notes.rows = {{text(QStringLiteral("Serial numbers go on the next sheet"))}};
        Sheet form;
        form.name = QStringLiteral("Form");
        form.rows = {
            {text(QStringLiteral("TMIP Case")), text(QStringLiteral("TMIP Case")),
             text(QStringLiteral("K-1"))},
            {text(QStringLiteral("SKU")), text(QStringLiteral("Serial")), text(QStringLiteral("Serial"))},
            {text(QStringLiteral("m")), text(QStringLiteral("s1"))}};
        form.merges = {{0, 0, 0, 1}, {1, 1, 1, 2}};
        Workbook book;
        book.sheets = {notes, form};
        QString error;
        const auto result = TradeInForm::fromWorkbook(book, QString(), &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(result->sheetName, QStringLiteral("Form"));
        QCOMPARE(result->caseNumber, QStringLiteral("K-1"));
        QCOMPARE(summary(*result), QStringLiteral("1 M S1x1 @B3"));
    }
};

QTEST_GUILESS_MAIN(TestTradeInForm)
#include "tst_tradeinform.moc"
