// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 4180 CSV: fields quoted with ", "" inside quotes is one ", line breaks inside quotes are data, records
// end with CRLF, LF or CR. UTF-8 with or without a byte-order mark; the delimiter (, or ;) is the one that
// occurs more often outside quotes in the first 20 lines (a title block may precede the header). Every
// non-empty cell is Text: CSV has no types, and a serial like 0012345678 must stay as typed.
#include "SpreadsheetFormats_p.h"

#include <QCoreApplication>
#include <QStringDecoder>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("SpreadsheetReader", text);
}

QChar detectDelimiter(QStringView text)
{
    int commas = 0, semicolons = 0, lines = 0;
    bool quoted = false;
    for (const QChar c : text) {
        if (c == u'"')
            quoted = !quoted;
        else if (!quoted && c == u',')
            ++commas;
        else if (!quoted && c == u';')
            ++semicolons;
        else if (!quoted && c == u'\n' && ++lines >= 20)
            break;
    }
    return semicolons > commas ? QChar(u';') : QChar(u',');
}
} // namespace

std::optional<Workbook> SpreadsheetFormats::readCsv(const QByteArray &bytes, QString *error)
{
    if (bytes.contains('\0')) {
        *error = tr("The file is not a spreadsheet: save the Trade-In Form as .xlsx, .xls or CSV UTF-8.");
        return std::nullopt;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError()) {
        *error = tr("The CSV file is not UTF-8 text; save it as \"CSV UTF-8\" and import that copy.");
        return std::nullopt;
    }
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    const QChar delimiter = detectDelimiter(text);

    Sheet sheet;
    sheet.name = QStringLiteral("CSV");
    QList<Cell> row;
    QString field;
    qint64 cells = 0;
    int line = 1; // the physical line, for a person reading the file in an editor
    int quoteLine = 0;

    auto endField = [&] {
        Cell c;
        if (!field.isEmpty()) {
            c.type = Cell::Type::Text;
            c.text = field;
            field.clear();
        }
        row.append(std::move(c));
        ++cells;
    };
    auto endRecord = [&] {
        endField();
        // Trailing empty fields carry nothing; dropping them keeps columnCount() honest.
        while (!row.isEmpty() && row.constLast().type == Cell::Type::Empty)
            row.removeLast();
        sheet.rows.append(std::move(row));
        row.clear();
    };

    const qsizetype n = text.size();
    qsizetype i = 0;
    bool atFieldStart = true;
    while (i < n) {
        if (cells > SpreadsheetReader::MaxCells || sheet.rows.size() > SpreadsheetReader::MaxRows ||
            row.size() > SpreadsheetReader::MaxColumns) {
            *error = tooManyCells();
            return std::nullopt;
        }
        const QChar c = text.at(i);
        if (atFieldStart && c == u'"') {
            quoteLine = line;
            ++i;
            for (;;) {
                if (i >= n) {
                    *error =
                        tr("The CSV file has a quote opened on line %1 that is never closed.").arg(quoteLine);
                    return std::nullopt;
                }
                const QChar q = text.at(i);
                if (q == u'"') {
                    if (i + 1 < n && text.at(i + 1) == u'"') {
                        field += u'"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (q == u'\n')
                    ++line;
                field += q;
                ++i;
            }
            atFieldStart = false;
            continue; // characters after the closing quote are kept as typed, like spreadsheet programs do
        }
        if (c == delimiter) {
            endField();
            atFieldStart = true;
            ++i;
        } else if (c == u'\r' || c == u'\n') {
            endRecord();
            atFieldStart = true;
            i += (c == u'\r' && i + 1 < n && text.at(i + 1) == u'\n') ? 2 : 1;
            ++line;
        } else {
            field += c;
            atFieldStart = false;
            ++i;
        }
    }
    if (!field.isEmpty() || !row.isEmpty() || !atFieldStart)
        endRecord();
    if (sheet.rows.size() > SpreadsheetReader::MaxRows || cells > SpreadsheetReader::MaxCells) {
        *error = tooManyCells();
        return std::nullopt;
    }
    Workbook book;
    book.sheets.append(std::move(sheet));
    return book;
}
