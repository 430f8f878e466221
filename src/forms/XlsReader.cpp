// SPDX-License-Identifier: GPL-3.0-or-later
// Excel 97-2003 workbooks (.xls, BIFF) through FreeXL, which reads only from a path. FreeXL reports no
// merged ranges: a merged cell's value stays in its top-left cell. An encrypted workbook (FILEPASS) opens
// with its password flag set and no readable cells: it is refused with the password sentence.
#include "SpreadsheetFormats_p.h"

#include <freexl.h>

#include <QCoreApplication>
#include <QFile>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("SpreadsheetReader", text);
}

QString damaged()
{
    return tr("The file is not a readable Excel 97-2003 workbook (.xls): it is damaged or incomplete.");
}

class FreeXlHandle
{
public:
    ~FreeXlHandle()
    {
        if (handle)
            freexl_close(handle);
    }
    const void *handle = nullptr;
};
} // namespace

std::optional<Workbook> SpreadsheetFormats::readXls(const QString &path, QString *error)
{
    FreeXlHandle xls;
    const QByteArray nativePath = QFile::encodeName(path);
    const int opened = freexl_open(nativePath.constData(), &xls.handle);
    if (opened != FREEXL_OK) {
        *error = opened == FREEXL_INSUFFICIENT_MEMORY ? SpreadsheetFormats::tooManyCells() : damaged();
        return std::nullopt;
    }
    unsigned int info = 0;
    if (freexl_get_info(xls.handle, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED) {
        *error = SpreadsheetReader::passwordSentence();
        return std::nullopt;
    }
    unsigned int sheetCount = 0;
    if (freexl_get_info(xls.handle, FREEXL_BIFF_SHEET_COUNT, &sheetCount) != FREEXL_OK) {
        *error = damaged();
        return std::nullopt;
    }
    Workbook book;
    qint64 cells = 0;
    for (unsigned int s = 0; s < sheetCount && s < unsigned(SpreadsheetReader::MaxSheets); ++s) {
        Sheet sheet;
        const char *name = nullptr;
        if (freexl_get_worksheet_name(xls.handle, static_cast<unsigned short>(s), &name) != FREEXL_OK ||
            freexl_select_active_worksheet(xls.handle, static_cast<unsigned short>(s)) != FREEXL_OK) {
            *error = damaged();
            return std::nullopt;
        }
        sheet.name = QString::fromUtf8(name);
        unsigned int rows = 0;
        unsigned short columns = 0;
        if (freexl_worksheet_dimensions(xls.handle, &rows, &columns) != FREEXL_OK) {
            *error = damaged();
            return std::nullopt;
        }
        if (rows > unsigned(SpreadsheetReader::MaxRows) ||
            cells + qint64(rows) * columns > SpreadsheetReader::MaxCells) {
            *error = tooManyCells();
            return std::nullopt;
        }
        for (unsigned int r = 0; r < rows; ++r) {
            QList<Cell> row;
            for (unsigned short c = 0; c < columns; ++c) {
                FreeXL_CellValue value;
                if (freexl_get_cell_value(xls.handle, r, c, &value) != FREEXL_OK) {
                    *error = tr("Sheet “%1”, cell %2%3 cannot be read; the workbook is damaged.")
                                 .arg(sheet.name, Sheet::columnLetter(c))
                                 .arg(r + 1);
                    return std::nullopt;
                }
                Cell cell;
                switch (value.type) {
                case FREEXL_CELL_INT:
                    cell.type = Cell::Type::Number;
                    cell.number = value.value.int_value;
                    cell.text = QString::number(value.value.int_value);
                    break;
                case FREEXL_CELL_DOUBLE:
                    cell.type = Cell::Type::Number;
                    cell.number = value.value.double_value;
                    cell.text = numberText(value.value.double_value);
                    break;
                case FREEXL_CELL_TEXT:
                case FREEXL_CELL_SST_TEXT:
                    cell.text = QString::fromUtf8(value.value.text_value);
                    cell.type = cell.text.isEmpty() ? Cell::Type::Empty : Cell::Type::Text;
                    break;
                case FREEXL_CELL_DATE: {
                    const QDate d =
                        QDate::fromString(QString::fromLatin1(value.value.text_value), Qt::ISODate);
                    cell.type = Cell::Type::Date;
                    cell.dateTime = QDateTime(d, QTime(0, 0), Qt::UTC);
                    cell.text = d.toString(Qt::ISODate);
                    break;
                }
                case FREEXL_CELL_DATETIME: {
                    QString t = QString::fromLatin1(value.value.text_value);
                    t.replace(u' ', u'T');
                    const QDateTime dt = QDateTime::fromString(t, Qt::ISODate);
                    cell.type = Cell::Type::DateTime;
                    cell.dateTime = QDateTime(dt.date(), dt.time(), Qt::UTC);
                    cell.text = cell.dateTime.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
                    break;
                }
                case FREEXL_CELL_TIME: {
                    const QTime t =
                        QTime::fromString(QString::fromLatin1(value.value.text_value), Qt::ISODate);
                    cell.type = Cell::Type::DateTime;
                    cell.dateTime = QDateTime(QDate(1899, 12, 30), t, Qt::UTC);
                    cell.text = t.toString(Qt::ISODate);
                    break;
                }
                default:
                    break;
                }
                row.append(std::move(cell));
            }
            while (!row.isEmpty() && row.constLast().type == Cell::Type::Empty)
                row.removeLast();
            cells += row.size();
            sheet.rows.append(std::move(row));
        }
        while (!sheet.rows.isEmpty() && sheet.rows.constLast().isEmpty())
            sheet.rows.removeLast();
        book.sheets.append(std::move(sheet));
    }
    if (book.sheets.isEmpty()) {
        *error = tr("The workbook has no worksheet.");
        return std::nullopt;
    }
    return book;
}
