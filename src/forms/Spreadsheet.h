// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

// One cell as a person sees it. `text` is what the cell shows, normalised so it can be compared: integers
// without exponent or ".0" (1234567890, never 1.23456789E9), other numbers in their shortest exact form,
// dates as ISO 8601 (2026-11-03, 2026-11-03T14:05:00, or 14:05:00 for a time of day), booleans as
// TRUE/FALSE, errors as Excel shows them (#N/A). Pure value type.
struct Cell
{
    enum class Type { Empty, Text, Number, Date, DateTime, Bool, Error };
    Type type = Type::Empty;
    QString text;
    double number = 0;  // Number, Bool (0/1), and the spreadsheet's serial day for Date/DateTime
    QDateTime dateTime; // Date (midnight, UTC) and DateTime (UTC: spreadsheets keep no time zone)

    bool isEmpty() const { return type == Type::Empty || (type == Type::Text && text.trimmed().isEmpty()); }
    QDate date() const { return dateTime.date(); }
};

// A rectangle of merged cells, 0-based and inclusive.
struct MergedRange
{
    int firstRow = 0, firstColumn = 0, lastRow = 0, lastColumn = 0;
    bool contains(int row, int column) const
    {
        return row >= firstRow && row <= lastRow && column >= firstColumn && column <= lastColumn;
    }
};

// One worksheet. Merged cells (.xlsx): the top-left cell's value is repeated into every cell of the range
// that lies inside the sheet's used area, and `merges` keeps the ranges so a reader can tell a repeat from
// a value (.xls: FreeXL does not report merges, only the top-left cell holds the value; .csv has none).
struct Sheet
{
    QString name;
    QList<QList<Cell>> rows; // rows[r][c]; a row may be shorter than columnCount()
    QList<MergedRange> merges;

    const Cell &cell(int row, int column) const; // 0-based; an Empty cell outside the data
    int rowCount() const { return int(rows.size()); }
    int columnCount() const;
    const MergedRange *mergeAt(int row, int column) const; // nullptr when the cell is not merged
    // "A", "Z", "AA", … for a 0-based column.
    static QString columnLetter(int column);
};

struct Workbook
{
    QList<Sheet> sheets;
};

// Reads .xlsx (QuaZip + QXmlStreamReader), .xls (FreeXL) and .csv (RFC 4180, UTF-8) into a Workbook, or
// refuses with one sentence for a person. Every limit is checked before the work it protects: the file's size
// before opening it, a zip's declared sizes before inflating and the inflated bytes while inflating.
class SpreadsheetReader
{
public:
    enum class Format { Auto, Xlsx, Xls, Csv };

    static constexpr qint64 MaxFileBytes = 50LL * 1024 * 1024;          // refused at or above this size
    static constexpr qint64 MaxUncompressedBytes = 200LL * 1024 * 1024; // all the zip entries read, inflated
    static constexpr qint64 MaxEntryRatio = 100; // inflated / compressed, for an entry over 1 MiB
    static constexpr qint64 RatioCheckFloor = 1024 * 1024;
    static constexpr int MaxZipEntries = 10000;
    static constexpr int MaxRows = 100000;      // per sheet
    static constexpr int MaxColumns = 16384;    // Excel's XFD
    static constexpr qint64 MaxCells = 2000000; // in the whole workbook, merged repeats included
    static constexpr int MaxSheets = 256;

    // The format comes from the content (zip → xlsx, OLE2 → xls or a password-protected Office file, other
    // text → csv), never from the extension: web portals name CSV exports .xls. A CSV's one sheet is named
    // after the file without its extension, as spreadsheet programs do.
    static std::optional<Workbook> read(const QString &path, QString *error);
    // The same from memory (one read for the bytes hashed and imported; fuzzing; tests). A CSV's sheet is
    // named after fileName when given (a path or a name), else "CSV". Format::Auto sniffs the content. An
    // .xls goes through a temporary file because FreeXL reads only from a path.
    static std::optional<Workbook> readBytes(const QByteArray &bytes, Format format, QString *error,
                                             const QString &fileName = QString());

    static Format sniff(const QByteArray &head);
    static bool isPasswordProtectedOffice(const QByteArray &bytes);
    static QString passwordSentence();
};
