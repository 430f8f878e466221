// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target over the Trade-In Form import up to the database: SpreadsheetReader (.xlsx and .csv; .xls
// goes through FreeXL, which reads only files) and TradeInForm::fromWorkbook. The first byte picks the input:
//   'z'  the rest is a whole file (zip damage, zip bombs, QuaZip);
//   'x'  the rest is worksheet, sharedStrings, styles and workbook XML separated by "\n====\n", zipped here
//        uncompressed so mutations reach the XML readers instead of failing the zip's CRC;
//   else the rest is CSV.
// Any crash, sanitizer report, hang or broken invariant is a bug.
#include "Spreadsheet.h"
#include "TradeInForm.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <QBuffer>
#include <QByteArray>
#include <QSet>

#include <cstdint>
#include <cstdlib>

namespace {
void check(bool ok)
{
    if (!ok)
        abort();
}

const char *const ContentTypes =
    R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)";
const char *const RootRels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
const char *const WorkbookRels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>)";
const char *const DefaultWorkbook =
    R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
    R"(<sheet name="Trade-In" sheetId="1" r:id="rId1"/></sheets></workbook>)";

QByteArray zipParts(const QByteArray &text)
{
    const QList<QByteArray> parts = text.split('\n'); // cheap split, then re-join on the ==== marker lines
    QList<QByteArray> sections(1);
    for (const QByteArray &line : parts) {
        if (line == "====")
            sections.append(QByteArray());
        else
            sections.last() += line + '\n';
    }
    const QByteArray workbook = sections.size() > 3 ? sections.at(3) : QByteArray(DefaultWorkbook);
    QByteArray out;
    QBuffer buffer(&out);
    QuaZip zip(&buffer);
    if (!zip.open(QuaZip::mdCreate))
        return out;
    auto put = [&zip](const char *name, const QByteArray &data) {
        QuaZipFile file(&zip);
        if (file.open(QIODevice::WriteOnly, QuaZipNewInfo(QString::fromLatin1(name)), nullptr, 0, 0)) {
            file.write(data);
            file.close();
        }
    };
    put("[Content_Types].xml", ContentTypes);
    put("_rels/.rels", RootRels);
    put("xl/_rels/workbook.xml.rels", WorkbookRels);
    put("xl/workbook.xml", workbook);
    put("xl/worksheets/sheet1.xml", sections.at(0));
    if (sections.size() > 1)
        put("xl/sharedStrings.xml", sections.at(1));
    if (sections.size() > 2)
        put("xl/styles.xml", sections.at(2));
    zip.close();
    return out;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char mode = char(data[0]);
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QByteArray bytes;
    SpreadsheetReader::Format format = SpreadsheetReader::Format::Csv;
    if (mode == 'z') {
        bytes = rest;
        format = SpreadsheetReader::sniff(bytes);
        if (format == SpreadsheetReader::Format::Xls)
            return 0; // FreeXL needs a file; not fuzzed here
    } else if (mode == 'x') {
        bytes = zipParts(rest);
        format = SpreadsheetReader::Format::Xlsx;
    } else {
        bytes = rest;
    }
    QString error;
    const std::optional<Workbook> book = SpreadsheetReader::readBytes(bytes, format, &error);
    check(book.has_value() == error.isEmpty());
    if (!book)
        return 0;
    qint64 cells = 0;
    for (const Sheet &sheet : book->sheets) {
        check(sheet.rowCount() <= SpreadsheetReader::MaxRows);
        for (const QList<Cell> &row : sheet.rows)
            cells += row.size();
        for (const MergedRange &m : sheet.merges)
            check(m.firstRow <= m.lastRow && m.firstColumn <= m.lastColumn);
    }
    check(cells <= SpreadsheetReader::MaxCells);

    QString formError;
    const std::optional<TradeInForm> form = TradeInForm::fromWorkbook(*book, QString(), &formError);
    check(form.has_value() == formError.isEmpty());
    if (!form)
        return 0;
    check(!form->caseNumber.isEmpty() && !form->lines.isEmpty() && form->headerRow >= 1);
    QSet<int> lineNumbers;
    QSet<QString> serials;
    for (const TradeInForm::Line &l : form->lines) {
        check(l.line >= 1 && !lineNumbers.contains(l.line));
        lineNumbers.insert(l.line);
        check(!l.sku.isEmpty() && l.sku == l.sku.toUpper() &&
              l.sku.size() <= 2 * TradeInForm::MaxValueLength);
        check(l.quantity >= 1 && (l.serial.isEmpty() || l.quantity == 1));
        check(l.serial.isEmpty() || !serials.contains(l.serial));
        serials.insert(l.serial);
        check(l.row > form->headerRow && !l.serialColumn.isEmpty());
    }
    return 0;
}
