// SPDX-License-Identifier: GPL-3.0-or-later
// Office Open XML workbooks (.xlsx): the zip is opened with QuaZip from memory, its declared sizes checked
// before anything is inflated, and the inflated bytes counted while inflating (a zip bomb is refused, never
// unpacked). workbook.xml and its relationships give the sheets' names and parts; sharedStrings.xml (rich
// text runs joined, phonetic runs skipped) and styles.xml (which cell formats are dates) are read once, then
// each worksheet's cells and merged ranges.
#include "SpreadsheetFormats_p.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipfileinfo.h>

#include <QBuffer>
#include <QCoreApplication>
#include <QHash>
#include <QXmlStreamReader>

#include <cmath>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("SpreadsheetReader", text);
}

QString damaged()
{
    return tr("The file is not a readable Excel workbook (.xlsx): it is damaged or incomplete.");
}

QString bombSentence()
{
    return tr("The workbook would unpack to far more than a Trade-In Form (over 200 MB, or a part inflating "
              "over 100 times its size), so it was not unpacked.");
}

QString sheetCell(const QString &sheet, const QString &ref)
{
    return tr("Sheet “%1”, cell %2").arg(sheet, ref);
}

// QBuffer warns on a seek past its end, which minizip does on a damaged zip: the refusal is the only message.
class QuietBuffer : public QBuffer
{
public:
    using QBuffer::QBuffer;
    bool seek(qint64 pos) override { return pos >= 0 && pos <= size() && QBuffer::seek(pos); }
};

// The parts of the zip, looked up case-insensitively, read within the budget.
class ZipParts
{
public:
    explicit ZipParts(const QByteArray &bytes) : m_bytes(bytes), m_buffer(&m_bytes), m_zip(&m_buffer) {}

    bool open(QString *error)
    {
        if (!m_zip.open(QuaZip::mdUnzip)) {
            *error = damaged();
            return false;
        }
        if (m_zip.getEntriesCount() > SpreadsheetReader::MaxZipEntries) {
            *error = bombSentence();
            return false;
        }
        const QList<QuaZipFileInfo64> infos = m_zip.getFileInfoList64();
        if (m_zip.getZipError() != UNZ_OK) {
            *error = damaged();
            return false;
        }
        quint64 declared = 0;
        for (const QuaZipFileInfo64 &info : infos) {
            declared += info.uncompressedSize;
            if (info.uncompressedSize > quint64(SpreadsheetReader::MaxUncompressedBytes) ||
                declared > quint64(SpreadsheetReader::MaxUncompressedBytes) ||
                (info.uncompressedSize > quint64(SpreadsheetReader::RatioCheckFloor) &&
                 info.uncompressedSize > quint64(SpreadsheetReader::MaxEntryRatio) * info.compressedSize)) {
                *error = bombSentence();
                return false;
            }
            m_parts.insert(info.name.toLower(), info);
        }
        return true;
    }

    bool has(const QString &name) const { return m_parts.contains(name.toLower()); }

    // Reads one part; false with *error set when it is missing, damaged, encrypted or over the budget.
    bool read(const QString &name, QByteArray *out, QString *error)
    {
        const auto it = m_parts.constFind(name.toLower());
        if (it == m_parts.constEnd()) {
            *error = damaged();
            return false;
        }
        if (it->flags & 1) { // traditional zip encryption
            *error = SpreadsheetReader::passwordSentence();
            return false;
        }
        if (!m_zip.setCurrentFile(it->name, QuaZip::csSensitive)) {
            *error = damaged();
            return false;
        }
        QuaZipFile file(&m_zip);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = damaged();
            return false;
        }
        out->clear();
        out->reserve(qsizetype(std::min<quint64>(it->uncompressedSize, 64 * 1024 * 1024)));
        char chunk[65536];
        for (;;) {
            const qint64 n = file.read(chunk, sizeof chunk);
            if (n < 0) {
                *error = damaged();
                return false;
            }
            if (n == 0)
                break;
            m_inflated += n;
            if (m_inflated > SpreadsheetReader::MaxUncompressedBytes ||
                quint64(out->size() + n) > it->uncompressedSize) {
                *error = m_inflated > SpreadsheetReader::MaxUncompressedBytes ? bombSentence() : damaged();
                return false;
            }
            out->append(chunk, qsizetype(n));
        }
        file.close();
        if (file.getZipError() != UNZ_OK) { // CRC mismatch: the part is damaged
            *error = damaged();
            return false;
        }
        return true;
    }

private:
    QByteArray m_bytes;
    QuietBuffer m_buffer;
    QuaZip m_zip;
    QHash<QString, QuaZipFileInfo64> m_parts;
    qint64 m_inflated = 0;
};

// OOXML escapes characters XML cannot carry as _xHHHH_ (and a literal "_x" as _x005F_x).
QString decodeEscapes(QString s)
{
    if (!s.contains(u"_x"))
        return s;
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i) == u'_' && i + 6 < s.size() && s.at(i + 1) == u'x' && s.at(i + 6) == u'_') {
            bool ok = false;
            const ushort code = s.mid(i + 2, 4).toUShort(&ok, 16);
            if (ok) {
                out += QChar(code);
                i += 6;
                continue;
            }
        }
        out += s.at(i);
    }
    return out;
}

// Text of an <si> or <is> element: plain <t>, or the <t> of every rich-text run <r>; phonetic runs are
// skipped. The reader is on the start element and ends on its end element.
QString readStringItem(QXmlStreamReader &xml)
{
    QString text;
    int phonetic = 0;
    const QString end = xml.name().toString();
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (xml.name() == u"rPh")
                ++phonetic;
            else if (xml.name() == u"t" && phonetic == 0)
                text += xml.readElementText(QXmlStreamReader::IncludeChildElements);
        } else if (token == QXmlStreamReader::EndElement) {
            if (xml.name() == u"rPh")
                --phonetic;
            else if (xml.name() == end)
                break;
        }
    }
    return decodeEscapes(text);
}

bool xmlFailed(const QXmlStreamReader &xml)
{
    return xml.hasError();
}

// A DTD has no place in an Office part; refusing it keeps entity tricks out.
bool nextToken(QXmlStreamReader &xml)
{
    if (xml.atEnd())
        return false;
    if (xml.readNext() == QXmlStreamReader::DTD) {
        xml.raiseError(QStringLiteral("DTD"));
        return false;
    }
    return !xml.hasError();
}

struct Relationship
{
    QString target;
    QString type;
};

QString resolvePart(const QString &baseDir, const QString &target)
{
    QString path = target.startsWith(u'/') ? target.mid(1) : baseDir + target;
    QStringList out;
    for (const QString &seg : path.split(u'/', Qt::SkipEmptyParts)) {
        if (seg == u"..") {
            if (!out.isEmpty())
                out.removeLast();
        } else if (seg != u".") {
            out.append(seg);
        }
    }
    return out.join(u'/');
}

QHash<QString, Relationship> readRelationships(const QByteArray &bytes, bool *ok)
{
    QHash<QString, Relationship> rels;
    QXmlStreamReader xml(bytes);
    while (nextToken(xml)) {
        if (xml.isStartElement() && xml.name() == u"Relationship") {
            const auto a = xml.attributes();
            rels.insert(a.value(QLatin1String("Id")).toString(), {a.value(QLatin1String("Target")).toString(),
                                                                  a.value(QLatin1String("Type")).toString()});
        }
    }
    *ok = !xmlFailed(xml);
    return rels;
}

enum class DateKind { None, Date, DateTime, Time };

DateKind classifyFormatCode(QString code)
{
    code.remove(QStringLiteral("AM/PM"), Qt::CaseInsensitive);
    code.remove(QStringLiteral("A/P"), Qt::CaseInsensitive);
    bool date = false, time = false, month = false;
    bool quoted = false, bracket = false;
    for (qsizetype i = 0; i < code.size(); ++i) {
        const QChar c = code.at(i);
        if (quoted) {
            quoted = c != u'"';
            continue;
        }
        if (bracket) {
            bracket = c != u']';
            continue;
        }
        switch (c.toLower().unicode()) {
        case u'"':
            quoted = true;
            break;
        case u'[':
            bracket = true;
            break;
        case u'\\':
        case u'_':
        case u'*':
            ++i; // the next character is literal or padding
            break;
        case u'd':
        case u'y':
            date = true;
            break;
        case u'h':
        case u's':
            time = true;
            break;
        case u'm':
            month = true;
            break;
        default:
            break;
        }
    }
    if (date && time)
        return DateKind::DateTime;
    if (date || (month && !time))
        return DateKind::Date;
    return time ? DateKind::Time : DateKind::None;
}

DateKind builtinFormat(int id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58))
        return DateKind::Date;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || (id >= 45 && id <= 47))
        return DateKind::Time;
    if (id == 22)
        return DateKind::DateTime;
    return DateKind::None;
}

QList<DateKind> readStyles(const QByteArray &bytes, bool *ok)
{
    QHash<int, QString> custom;
    QList<DateKind> xfs;
    QXmlStreamReader xml(bytes);
    bool inCellXfs = false;
    while (nextToken(xml)) {
        if (xml.isStartElement()) {
            if (xml.name() == u"numFmt") {
                custom.insert(xml.attributes().value(QLatin1String("numFmtId")).toInt(),
                              xml.attributes().value(QLatin1String("formatCode")).toString());
            } else if (xml.name() == u"cellXfs") {
                inCellXfs = true;
            } else if (inCellXfs && xml.name() == u"xf") {
                const int id = xml.attributes().value(QLatin1String("numFmtId")).toInt();
                xfs.append(custom.contains(id) ? classifyFormatCode(custom.value(id)) : builtinFormat(id));
                if (xfs.size() > 65536)
                    break;
            }
        } else if (xml.isEndElement() && xml.name() == u"cellXfs") {
            inCellXfs = false;
        }
    }
    *ok = !xmlFailed(xml);
    return xfs;
}

// "C12" → (11, 2); false when it is not a cell reference within the limits.
bool parseRef(QStringView ref, int *row, int *column)
{
    qsizetype i = 0;
    qint64 col = 0, r = 0;
    while (i < ref.size() && ref.at(i).isLetter() && ref.at(i).unicode() < 128) {
        col = col * 26 + (ref.at(i).toUpper().unicode() - u'A' + 1);
        if (col > SpreadsheetReader::MaxColumns)
            return false;
        ++i;
    }
    const qsizetype digitsFrom = i;
    while (i < ref.size() && ref.at(i).isDigit() && ref.at(i).unicode() < 128) {
        r = r * 10 + (ref.at(i).unicode() - u'0');
        if (r > 1048576)
            return false;
        ++i;
    }
    if (i != ref.size() || col == 0 || digitsFrom == i || r == 0)
        return false;
    *row = int(r - 1);
    *column = int(col - 1);
    return true;
}

struct Context
{
    QStringList sharedStrings;
    QList<DateKind> styles;
    bool date1904 = false;
    qint64 cells = 0;
};

bool readSheet(const QByteArray &bytes, Context &ctx, Sheet &sheet, QString *error)
{
    QXmlStreamReader xml(bytes);
    int row = -1;
    int column = -1;
    while (nextToken(xml)) {
        if (!xml.isStartElement())
            continue;
        const QStringView name = xml.name();
        if (name == u"row") {
            const QStringView r = xml.attributes().value(QLatin1String("r"));
            bool ok = true;
            const int number = r.isEmpty() ? row + 2 : r.toInt(&ok);
            if (!ok || number < 1 || number <= row + 1) {
                *error = damaged();
                return false;
            }
            row = number - 1;
            column = -1;
        } else if (name == u"c") {
            if (row < 0) {
                *error = damaged();
                return false;
            }
            const auto attrs = xml.attributes();
            const QStringView ref = attrs.value(QLatin1String("r"));
            int cellRow = row, cellColumn = column + 1;
            if (!ref.isEmpty() && (!parseRef(ref, &cellRow, &cellColumn) || cellRow != row)) {
                *error = damaged();
                return false;
            }
            column = cellColumn;
            const QString type = attrs.value(QLatin1String("t")).toString();
            const int style = attrs.value(QLatin1String("s")).toInt();
            QString value;
            QString inlineText;
            bool hasValue = false;
            while (nextToken(xml)) {
                if (xml.isEndElement() && xml.name() == u"c")
                    break;
                if (!xml.isStartElement())
                    continue;
                if (xml.name() == u"v") {
                    value = xml.readElementText();
                    hasValue = true;
                } else if (xml.name() == u"is") {
                    inlineText = readStringItem(xml);
                    hasValue = true;
                }
            }
            if (xml.hasError())
                break;
            if (!hasValue)
                continue;
            auto where = [&] {
                return sheetCell(sheet.name, Sheet::columnLetter(cellColumn) + QString::number(row + 1));
            };
            if (row >= SpreadsheetReader::MaxRows || ++ctx.cells > SpreadsheetReader::MaxCells) {
                *error = SpreadsheetFormats::tooManyCells();
                return false;
            }
            Cell cell;
            if (type == u"s") {
                bool ok = false;
                const int index = value.trimmed().toInt(&ok);
                if (!ok || index < 0 || index >= ctx.sharedStrings.size()) {
                    *error = tr("%1 refers to a shared string that is missing; the workbook is damaged.")
                                 .arg(where());
                    return false;
                }
                cell.text = ctx.sharedStrings.at(index);
                cell.type = Cell::Type::Text;
            } else if (type == u"inlineStr") {
                cell.text = inlineText;
                cell.type = Cell::Type::Text;
            } else if (type == u"str") {
                cell.text = decodeEscapes(value);
                cell.type = Cell::Type::Text;
            } else if (type == u"b") {
                cell.type = Cell::Type::Bool;
                cell.number = value.trimmed() == u"1" ? 1 : 0;
                cell.text = cell.number ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
            } else if (type == u"e") {
                cell.type = Cell::Type::Error;
                cell.text = value.trimmed();
            } else if (type == u"d") {
                const QDateTime dt = QDateTime::fromString(value.trimmed(), Qt::ISODate);
                if (!dt.isValid()) {
                    *error = tr("%1 holds a date that cannot be read; the workbook is damaged.").arg(where());
                    return false;
                }
                const bool withTime = dt.time() != QTime(0, 0);
                cell.type = withTime ? Cell::Type::DateTime : Cell::Type::Date;
                cell.dateTime = QDateTime(dt.date(), dt.time(), Qt::UTC);
                cell.text = withTime ? cell.dateTime.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
                                     : dt.date().toString(Qt::ISODate);
            } else if (type.isEmpty() || type == u"n") {
                const QString trimmed = value.trimmed();
                if (trimmed.isEmpty())
                    continue;
                bool ok = false;
                const double number = trimmed.toDouble(&ok);
                if (!ok) {
                    *error =
                        tr("%1 holds a number that cannot be read; the workbook is damaged.").arg(where());
                    return false;
                }
                const DateKind kind =
                    style >= 0 && style < ctx.styles.size() ? ctx.styles.at(style) : DateKind::None;
                if (kind != DateKind::None) {
                    cell = SpreadsheetFormats::dateCell(number, ctx.date1904, kind != DateKind::Date,
                                                        kind == DateKind::Time);
                } else {
                    cell.type = Cell::Type::Number;
                    cell.number = number;
                    cell.text = SpreadsheetFormats::numberText(number);
                }
            } else {
                *error = tr("%1 has an unknown cell type \"%2\"; the workbook is damaged.")
                             .arg(where(), type.left(10));
                return false;
            }
            if (cell.type == Cell::Type::Text && cell.text.isEmpty())
                continue;
            while (sheet.rows.size() <= row)
                sheet.rows.append(QList<Cell>());
            QList<Cell> &cells = sheet.rows[row];
            if (cells.size() <= cellColumn)
                cells.resize(cellColumn + 1);
            cells[cellColumn] = std::move(cell);
        } else if (name == u"mergeCell") {
            const QStringList parts = xml.attributes().value(QLatin1String("ref")).toString().split(u':');
            MergedRange m;
            if (parts.size() != 2 || !parseRef(parts.at(0), &m.firstRow, &m.firstColumn) ||
                !parseRef(parts.at(1), &m.lastRow, &m.lastColumn) || m.lastRow < m.firstRow ||
                m.lastColumn < m.firstColumn) {
                *error = damaged();
                return false;
            }
            sheet.merges.append(m);
        }
    }
    if (xml.hasError()) {
        *error = damaged();
        return false;
    }
    // Repeat each merged range's value into its cells inside the used area.
    const int rowCount = sheet.rowCount();
    const int columnCount = sheet.columnCount();
    for (const MergedRange &m : std::as_const(sheet.merges)) {
        const Cell topLeft = sheet.cell(m.firstRow, m.firstColumn);
        if (topLeft.type == Cell::Type::Empty)
            continue;
        for (int r = m.firstRow; r <= std::min(m.lastRow, rowCount - 1); ++r) {
            QList<Cell> &cells = sheet.rows[r];
            const int last = std::min(m.lastColumn, columnCount - 1);
            if (cells.size() <= last)
                cells.resize(last + 1);
            for (int c = m.firstColumn; c <= last; ++c) {
                if (r == m.firstRow && c == m.firstColumn)
                    continue;
                if (++ctx.cells > SpreadsheetReader::MaxCells) {
                    *error = SpreadsheetFormats::tooManyCells();
                    return false;
                }
                cells[c] = topLeft;
            }
        }
    }
    return true;
}
} // namespace

std::optional<Workbook> SpreadsheetFormats::readXlsx(const QByteArray &bytes, QString *error)
{
    ZipParts zip(bytes);
    if (!zip.open(error))
        return std::nullopt;
    if (zip.has(QStringLiteral("content.xml")) && zip.has(QStringLiteral("mimetype"))) {
        *error = tr("The file is an OpenDocument spreadsheet (.ods); save it as .xlsx and import that copy.");
        return std::nullopt;
    }
    QByteArray part;
    QString workbookPath = QStringLiteral("xl/workbook.xml");
    bool ok = true;
    if (zip.has(QStringLiteral("_rels/.rels"))) {
        if (!zip.read(QStringLiteral("_rels/.rels"), &part, error))
            return std::nullopt;
        const auto rels = readRelationships(part, &ok);
        for (const Relationship &r : rels) {
            if (r.type.endsWith(u"/officeDocument"))
                workbookPath = resolvePart(QString(), r.target);
        }
    }
    if (!ok || !zip.has(workbookPath)) {
        *error = tr("The file is a zip archive but not an Excel workbook (.xlsx).");
        return std::nullopt;
    }
    const QString baseDir =
        workbookPath.contains(u'/') ? workbookPath.left(workbookPath.lastIndexOf(u'/') + 1) : QString();
    const QString relsPath =
        baseDir + QStringLiteral("_rels/") + workbookPath.mid(baseDir.size()) + QStringLiteral(".rels");

    // Sheets in workbook order.
    if (!zip.read(workbookPath, &part, error))
        return std::nullopt;
    struct SheetRef
    {
        QString name, relId;
    };
    QList<SheetRef> sheetRefs;
    Context ctx;
    {
        QXmlStreamReader xml(part);
        while (nextToken(xml)) {
            if (!xml.isStartElement())
                continue;
            if (xml.name() == u"workbookPr") {
                const QStringView d = xml.attributes().value(QLatin1String("date1904"));
                ctx.date1904 = d == u"1" || d == u"true";
            } else if (xml.name() == u"sheet") {
                const auto a = xml.attributes();
                QString relId;
                for (const QXmlStreamAttribute &attr : a) {
                    if (attr.name() == u"id") // r:id, whatever the prefix
                        relId = attr.value().toString();
                }
                sheetRefs.append({a.value(QLatin1String("name")).toString(), relId});
                if (sheetRefs.size() > SpreadsheetReader::MaxSheets)
                    break;
            }
        }
        if (xml.hasError()) {
            *error = damaged();
            return std::nullopt;
        }
    }
    QHash<QString, Relationship> rels;
    if (zip.has(relsPath)) {
        if (!zip.read(relsPath, &part, error))
            return std::nullopt;
        rels = readRelationships(part, &ok);
        if (!ok) {
            *error = damaged();
            return std::nullopt;
        }
    }
    QString sharedStringsPath = baseDir + QStringLiteral("sharedStrings.xml");
    QString stylesPath = baseDir + QStringLiteral("styles.xml");
    for (const Relationship &r : std::as_const(rels)) {
        if (r.type.endsWith(u"/sharedStrings"))
            sharedStringsPath = resolvePart(baseDir, r.target);
        else if (r.type.endsWith(u"/styles"))
            stylesPath = resolvePart(baseDir, r.target);
    }
    if (zip.has(sharedStringsPath)) {
        if (!zip.read(sharedStringsPath, &part, error))
            return std::nullopt;
        QXmlStreamReader xml(part);
        while (nextToken(xml)) {
            if (xml.isStartElement() && xml.name() == u"si") {
                ctx.sharedStrings.append(readStringItem(xml));
                if (ctx.sharedStrings.size() > SpreadsheetReader::MaxCells) {
                    *error = tooManyCells();
                    return std::nullopt;
                }
            }
        }
        if (xml.hasError()) {
            *error = damaged();
            return std::nullopt;
        }
    }
    if (zip.has(stylesPath)) {
        if (!zip.read(stylesPath, &part, error))
            return std::nullopt;
        ctx.styles = readStyles(part, &ok);
        if (!ok) {
            *error = damaged();
            return std::nullopt;
        }
    }

    Workbook book;
    for (const SheetRef &ref : std::as_const(sheetRefs)) {
        const auto rel = rels.constFind(ref.relId);
        if (rel == rels.constEnd()) {
            *error = damaged();
            return std::nullopt;
        }
        if (!rel->type.endsWith(u"/worksheet"))
            continue; // chart sheets and dialog sheets hold no cells
        const QString path = resolvePart(baseDir, rel->target);
        if (!zip.read(path, &part, error))
            return std::nullopt;
        Sheet sheet;
        sheet.name = ref.name;
        if (!readSheet(part, ctx, sheet, error))
            return std::nullopt;
        book.sheets.append(std::move(sheet));
    }
    if (book.sheets.isEmpty()) {
        *error = tr("The workbook has no worksheet.");
        return std::nullopt;
    }
    return book;
}
