// SPDX-License-Identifier: GPL-3.0-or-later
#include "Spreadsheet.h"

#include "SpreadsheetFormats_p.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QTemporaryFile>

#include <cmath>

namespace {
const QByteArray ZipMagic("PK\x03\x04", 4);
const QByteArray EmptyZipMagic("PK\x05\x06", 4);
const QByteArray Ole2Magic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);

QString tr(const char *text)
{
    return QCoreApplication::translate("SpreadsheetReader", text);
}

QString sizeSentence()
{
    return tr("The file is 50 MB or larger; a Trade-In Form is far smaller, so it was not opened.");
}
} // namespace

const Cell &Sheet::cell(int row, int column) const
{
    static const Cell empty;
    if (row < 0 || column < 0 || row >= rows.size())
        return empty;
    const QList<Cell> &r = rows.at(row);
    return column < r.size() ? r.at(column) : empty;
}

int Sheet::columnCount() const
{
    qsizetype n = 0;
    for (const QList<Cell> &r : rows)
        n = std::max(n, r.size());
    return int(n);
}

const MergedRange *Sheet::mergeAt(int row, int column) const
{
    for (const MergedRange &m : merges) {
        if (m.contains(row, column))
            return &m;
    }
    return nullptr;
}

QString Sheet::columnLetter(int column)
{
    QString letters;
    for (int c = column + 1; c > 0; c = (c - 1) / 26)
        letters.prepend(QChar(u'A' + (c - 1) % 26));
    return letters;
}

QString SpreadsheetFormats::numberText(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("#NUM!");
    if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0) // 2^53: exact as an integer
        return QString::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

Cell SpreadsheetFormats::dateCell(double serial, bool date1904, bool withTime, bool timeOnly)
{
    Cell c;
    // Beyond year 9999 or before 1900 it is not a date a person typed: keep the number.
    if (!std::isfinite(serial) || serial < 0 || serial > 2958466) {
        c.type = Cell::Type::Number;
        c.number = serial;
        c.text = numberText(serial);
        return c;
    }
    const QDate epoch = date1904 ? QDate(1904, 1, 1) : QDate(1899, 12, 30);
    const double days = std::floor(serial);
    qint64 ms = qint64(std::llround((serial - days) * 86400000.0));
    const QDate date = epoch.addDays(qint64(days) + ms / 86400000);
    ms %= 86400000;
    const QTime time =
        QTime::fromMSecsSinceStartOfDay(int(std::llround(double(ms) / 1000.0) * 1000 % 86400000));
    c.number = serial;
    c.dateTime = QDateTime(date, withTime ? time : QTime(0, 0), Qt::UTC);
    if (!withTime) {
        c.type = Cell::Type::Date;
        c.text = date.toString(Qt::ISODate);
    } else {
        c.type = Cell::Type::DateTime;
        c.text = timeOnly ? time.toString(Qt::ISODate)
                          : c.dateTime.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    }
    return c;
}

QString SpreadsheetFormats::tooManyCells()
{
    return tr("The workbook has more than 2,000,000 cells or 100,000 rows in a sheet; a Trade-In Form is far "
              "smaller, so it was not read.");
}

QString SpreadsheetReader::passwordSentence()
{
    return tr("The file is password-protected; save it again without a password and import that copy.");
}

SpreadsheetReader::Format SpreadsheetReader::sniff(const QByteArray &head)
{
    if (head.startsWith(ZipMagic) || head.startsWith(EmptyZipMagic))
        return Format::Xlsx;
    if (head.startsWith(Ole2Magic))
        return Format::Xls;
    return Format::Csv;
}

bool SpreadsheetReader::isPasswordProtectedOffice(const QByteArray &bytes)
{
    // An encrypted .xlsx/.docx is an OLE2 compound file holding the streams "EncryptionInfo" and
    // "EncryptedPackage"; directory entries store their names in UTF-16LE.
    static const QByteArray name = [] {
        const QString s = QStringLiteral("EncryptedPackage");
        return QByteArray(reinterpret_cast<const char *>(s.utf16()), s.size() * 2);
    }();
    return bytes.startsWith(Ole2Magic) && bytes.contains(name);
}

std::optional<Workbook> SpreadsheetReader::read(const QString &path, QString *error)
{
    QFile file(path);
    const QFileInfo info(path);
    if (!info.exists()) {
        *error = tr("The file %1 does not exist.").arg(path);
        return std::nullopt;
    }
    if (info.isDir()) {
        *error = tr("%1 is a folder, not a spreadsheet.").arg(path);
        return std::nullopt;
    }
    if (info.size() >= MaxFileBytes) {
        *error = sizeSentence();
        return std::nullopt;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("The file %1 cannot be read: %2.").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.read(MaxFileBytes); // a file that grew meanwhile is cut and then refused
    if (bytes.size() >= MaxFileBytes) {
        *error = sizeSentence();
        return std::nullopt;
    }
    const Format format = sniff(bytes);
    if (format == Format::Xls) {
        if (isPasswordProtectedOffice(bytes)) {
            *error = passwordSentence();
            return std::nullopt;
        }
        return SpreadsheetFormats::readXls(path, error);
    }
    return readBytes(bytes, format, error, path);
}

std::optional<Workbook> SpreadsheetReader::readBytes(const QByteArray &bytes, Format format, QString *error,
                                                     const QString &fileName)
{
    if (bytes.size() >= MaxFileBytes) {
        *error = sizeSentence();
        return std::nullopt;
    }
    if (format == Format::Auto)
        format = sniff(bytes);
    switch (format) {
    case Format::Auto:
    case Format::Xlsx:
        return SpreadsheetFormats::readXlsx(bytes, error);
    case Format::Xls: {
        if (isPasswordProtectedOffice(bytes)) {
            *error = passwordSentence();
            return std::nullopt;
        }
        QTemporaryFile temp;
        if (!temp.open() || temp.write(bytes) != bytes.size() || !temp.flush()) {
            *error = tr("The workbook could not be copied to a temporary file: %1.").arg(temp.errorString());
            return std::nullopt;
        }
        return SpreadsheetFormats::readXls(temp.fileName(), error);
    }
    case Format::Csv: {
        std::optional<Workbook> book = SpreadsheetFormats::readCsv(bytes, error);
        const QString name = QFileInfo(fileName).completeBaseName();
        if (book && !name.isEmpty())
            book->sheets.first().name = name; // as spreadsheet programs name a CSV's sheet
        return book;
    }
    }
    return std::nullopt;
}
