// SPDX-License-Identifier: GPL-3.0-or-later
#include "TradeInForm.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("TradeInForm", text);
}

// Titles compare lower-case, without any white space and without a trailing ':' or '.'.
QString titleKey(QString text)
{
    text = text.toLower();
    text.removeIf([](QChar c) { return c.isSpace(); });
    while (text.endsWith(u':') || text.endsWith(u'.'))
        text.chop(1);
    return text;
}

QStringList keys(const QStringList &titles)
{
    QStringList out;
    for (const QString &t : titles)
        out.append(titleKey(t));
    return out;
}

QString quotedList(const QStringList &titles)
{
    return titles.join(QStringLiteral(", "));
}

QString where(const Sheet &sheet, int row, int column)
{
    return tr("Sheet “%1”, row %2, column %3").arg(sheet.name).arg(row + 1).arg(Sheet::columnLetter(column));
}

enum class ValueProblem { None, Empty, TooLong, ControlCharacter };

bool isForbiddenControl(char32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF;
}

// Like ScanNormaliser: trimmed, upper-case, no control characters, at most MaxValueLength characters.
ValueProblem normalise(const QString &raw, QString *out)
{
    const QString text = raw.trimmed();
    if (text.isEmpty())
        return ValueProblem::Empty;
    const QList<uint> codePoints = text.toUcs4();
    if (codePoints.size() > TradeInForm::MaxValueLength)
        return ValueProblem::TooLong;
    for (const char32_t c : codePoints) {
        if (isForbiddenControl(c))
            return ValueProblem::ControlCharacter;
    }
    *out = text.toUpper();
    return ValueProblem::None;
}

QString valueProblemSentence(const QString &place, const QString &what, ValueProblem p)
{
    switch (p) {
    case ValueProblem::TooLong:
        return tr("%1: the %2 is longer than %3 characters.")
            .arg(place, what)
            .arg(TradeInForm::MaxValueLength);
    case ValueProblem::ControlCharacter:
        return tr("%1: the %2 holds hidden control characters (such as a tab); retype it.").arg(place, what);
    case ValueProblem::Empty:
    case ValueProblem::None:
        break;
    }
    return tr("%1: the %2 is empty.").arg(place, what);
}

// A whole number >= 1 from a cell, or nullopt.
std::optional<qint64> wholeNumber(const Cell &cell)
{
    double v = 0;
    if (cell.type == Cell::Type::Number) {
        v = cell.number;
    } else if (cell.type == Cell::Type::Text) {
        bool ok = false;
        v = QLocale::c().toDouble(cell.text.trimmed(), &ok);
        if (!ok)
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(v) || v != std::trunc(v) || v < 1 || v > 1e9)
        return std::nullopt;
    return qint64(v);
}

struct Columns
{
    int serial = -1, sku = -1, quantity = -1, description = -1, line = -1;
};

struct Found
{
    QString value; // normalised
    int sheet = 0, row = 0, column = 0;
};
} // namespace

QStringList TradeInForm::serialTitles()
{
    return {QStringLiteral("Serial"), QStringLiteral("Serial Number"), QStringLiteral("S/N"),
            QStringLiteral("SN"),     QStringLiteral("Serial No."),    QStringLiteral("Serial #")};
}

QStringList TradeInForm::skuTitles()
{
    // In order of preference when a header has several (a "Model" beside a "SKU" is a name, not the SKU).
    return {QStringLiteral("SKU"),   QStringLiteral("Product SKU"), QStringLiteral("Part Number"),
            QStringLiteral("Model"), QStringLiteral("Product"),     QStringLiteral("Item")};
}

QStringList TradeInForm::quantityTitles()
{
    return {QStringLiteral("Qty"), QStringLiteral("Quantity")};
}

QStringList TradeInForm::descriptionTitles()
{
    return {QStringLiteral("Description")};
}

QStringList TradeInForm::lineTitles()
{
    return {QStringLiteral("Line"), QStringLiteral("Line #"), QStringLiteral("Line No."),
            QStringLiteral("#")};
}

QStringList TradeInForm::caseLabels()
{
    return {QStringLiteral("TMIP Case"),   QStringLiteral("TMIP Case #"), QStringLiteral("TMIP Case Number"),
            QStringLiteral("Case Number"), QStringLiteral("Case #"),      QStringLiteral("Case No.")};
}

std::optional<TradeInForm> TradeInForm::fromWorkbook(const Workbook &book, const QString &caseOverride,
                                                     QString *error)
{
    static const QStringList serialKeys = keys(serialTitles());
    static const QStringList skuKeys = keys(skuTitles());
    static const QStringList quantityKeys = keys(quantityTitles());
    static const QStringList descriptionKeys = keys(descriptionTitles());
    static const QStringList lineKeys = keys(lineTitles());
    static const QStringList caseKeys = keys(caseLabels());
    static const QSet<QString> allTitleKeys = [] {
        QSet<QString> all;
        for (const QStringList &list : {serialKeys, skuKeys, quantityKeys, descriptionKeys, lineKeys})
            all.unite(QSet<QString>(list.begin(), list.end()));
        return all;
    }();

    // 1. The header: the first row, sheet by sheet, with a serial title and a SKU title.
    int formSheet = -1, headerRow = -1;
    Columns cols;
    for (int s = 0; s < book.sheets.size() && formSheet < 0; ++s) {
        const Sheet &sheet = book.sheets.at(s);
        for (int r = 0; r < sheet.rowCount() && formSheet < 0; ++r) {
            const QList<Cell> &row = sheet.rows.at(r);
            Columns found;
            int skuRank = INT_MAX;
            QString rowError; // two columns with one role: refused only if this row is the header
            for (int c = 0; c < row.size(); ++c) {
                const Cell &cell = row.at(c);
                if (cell.type != Cell::Type::Text)
                    continue;
                const QString key = titleKey(cell.text);
                if (!allTitleKeys.contains(key))
                    continue;
                if (const MergedRange *m = sheet.mergeAt(r, c);
                    m && (m->firstRow != r || m->firstColumn != c))
                    continue; // a merged title's repeat
                auto take = [&](int &column, const QString &what) {
                    if (column >= 0) {
                        if (rowError.isEmpty())
                            rowError = tr("%1: two columns are titled as the %2 (%3 and %4); keep one.")
                                           .arg(tr("Sheet “%1”, row %2").arg(sheet.name).arg(r + 1), what,
                                                Sheet::columnLetter(column), Sheet::columnLetter(c));
                        return;
                    }
                    column = c;
                };
                if (serialKeys.contains(key)) {
                    take(found.serial, tr("serial"));
                } else if (const int rank = int(skuKeys.indexOf(key)); rank >= 0) {
                    if (rank == skuRank)
                        take(found.sku, tr("SKU"));
                    else if (rank < skuRank)
                        found.sku = c, skuRank = rank;
                } else if (quantityKeys.contains(key)) {
                    take(found.quantity, tr("quantity"));
                } else if (descriptionKeys.contains(key)) {
                    take(found.description, tr("description"));
                } else if (lineKeys.contains(key)) {
                    take(found.line, tr("line number"));
                }
            }
            if (found.serial >= 0 && found.sku >= 0) {
                if (!rowError.isEmpty()) {
                    *error = rowError;
                    return std::nullopt;
                }
                formSheet = s;
                headerRow = r;
                cols = found;
            }
        }
    }
    if (formSheet < 0) {
        *error = tr("No Trade-In Form header found: no sheet has a row with a serial column (%1) and a SKU "
                    "column (%2).")
                     .arg(quotedList(serialTitles()), quotedList(skuTitles()));
        return std::nullopt;
    }
    const Sheet &sheet = book.sheets.at(formSheet);

    // 2. The case number: a labelled cell above the header, then anywhere on the other sheets.
    QList<Found> cases;
    std::optional<Found> emptyLabel;
    auto searchCase = [&](int s, int rowLimit) -> bool {
        const Sheet &sh = book.sheets.at(s);
        for (int r = 0; r < std::min(rowLimit, sh.rowCount()); ++r) {
            const QList<Cell> &row = sh.rows.at(r);
            for (int c = 0; c < row.size(); ++c) {
                const Cell &cell = row.at(c);
                if (cell.type != Cell::Type::Text)
                    continue;
                const qsizetype colon = cell.text.indexOf(u':');
                const bool label = caseKeys.contains(titleKey(cell.text));
                if (!label && !(colon > 0 && caseKeys.contains(titleKey(cell.text.left(colon)))))
                    continue;
                const MergedRange *labelMerge = sh.mergeAt(r, c);
                if (labelMerge && (labelMerge->firstRow != r || labelMerge->firstColumn != c))
                    continue;
                QString valueText;
                int vr = r, vc = c;
                if (label) {
                    // The value: the nearest non-empty cell to the right, else the cell below.
                    for (int c2 = c + 1; c2 < row.size(); ++c2) {
                        if (labelMerge && labelMerge->contains(r, c2))
                            continue;
                        if (!row.at(c2).isEmpty()) {
                            // The next label ("Date:") is not this label's value.
                            if (!row.at(c2).text.trimmed().endsWith(u':')) {
                                vc = c2;
                                valueText = row.at(c2).text;
                            }
                            break;
                        }
                    }
                    if (valueText.isEmpty()) {
                        const int below = labelMerge ? labelMerge->lastRow + 1 : r + 1;
                        if (!sh.cell(below, c).isEmpty() && !(s == formSheet && below >= headerRow)) {
                            vr = below;
                            valueText = sh.cell(below, c).text;
                        }
                    }
                } else {
                    valueText = cell.text.mid(colon + 1); // "TMIP Case: 2026-1103-0001" in one cell
                }
                if (valueText.trimmed().isEmpty()) {
                    if (!emptyLabel)
                        emptyLabel = Found{QString(), s, r, c};
                    continue;
                }
                QString value;
                const ValueProblem p = normalise(valueText, &value);
                if (p != ValueProblem::None) {
                    *error = valueProblemSentence(where(sh, vr, vc), tr("case number"), p);
                    return false;
                }
                cases.append(Found{value, s, vr, vc});
            }
        }
        return true;
    };
    if (!searchCase(formSheet, headerRow))
        return std::nullopt;
    for (int s = 0; s < book.sheets.size(); ++s) {
        if (s != formSheet && !searchCase(s, 200))
            return std::nullopt;
    }
    for (const Found &f : std::as_const(cases)) {
        if (f.value != cases.constFirst().value) {
            const Found &a = cases.constFirst();
            *error = tr("The form names two case numbers: %1 (%2) and %3 (%4).")
                         .arg(a.value, where(book.sheets.at(a.sheet), a.row, a.column), f.value,
                              where(book.sheets.at(f.sheet), f.row, f.column));
            return std::nullopt;
        }
    }
    TradeInForm form;
    form.sheetName = sheet.name;
    form.headerRow = headerRow + 1;
    QString overrideCase;
    if (!caseOverride.trimmed().isEmpty()) {
        const ValueProblem p = normalise(caseOverride, &overrideCase);
        if (p != ValueProblem::None) {
            *error = p == ValueProblem::TooLong
                         ? tr("--case is longer than %1 characters.").arg(MaxValueLength)
                         : tr("--case holds hidden control characters; type it again.");
            return std::nullopt;
        }
    }
    if (!cases.isEmpty()) {
        const Found &f = cases.constFirst();
        if (!overrideCase.isEmpty() && overrideCase != f.value) {
            *error = tr("The form's case number %1 (%2) does not match --case %3.")
                         .arg(f.value, where(book.sheets.at(f.sheet), f.row, f.column), overrideCase);
            return std::nullopt;
        }
        form.caseNumber = f.value;
    } else if (!overrideCase.isEmpty()) {
        form.caseNumber = overrideCase;
    } else if (emptyLabel) {
        *error =
            tr("%1: the case number label has no value to its right or below; fill it in or give --case.")
                .arg(where(book.sheets.at(emptyLabel->sheet), emptyLabel->row, emptyLabel->column));
        return std::nullopt;
    } else {
        *error =
            tr("No case number: the form has no cell labelled %1 with a value to its right or below; give "
               "it with --case.")
                .arg(quotedList(caseLabels()));
        return std::nullopt;
    }

    // 3. The lines, to the first empty row.
    struct Unit
    {
        Line line;
        int formLine = 0; // from the Line column, 0 = to be numbered
    };
    QList<Unit> units;
    QHash<QString, int> serialRow; // serial → 1-based row
    QHash<qint64, int> lineRow;    // form line number → 1-based row
    qint64 maxFormLine = 0;
    const QString serialLetter = Sheet::columnLetter(cols.serial);
    for (int r = headerRow + 1; r < sheet.rowCount(); ++r) {
        const Cell &serialCell = sheet.cell(r, cols.serial);
        const Cell &skuCell = sheet.cell(r, cols.sku);
        const Cell &qtyCell = sheet.cell(r, cols.quantity);
        const Cell &descCell = sheet.cell(r, cols.description);
        if (serialCell.isEmpty() && skuCell.isEmpty() && qtyCell.isEmpty() && descCell.isEmpty())
            break;

        // SKU
        if (skuCell.type == Cell::Type::Error) {
            *error = tr("%1: the SKU cell shows the error %2.").arg(where(sheet, r, cols.sku), skuCell.text);
            return std::nullopt;
        }
        QString sku;
        if (const ValueProblem p = normalise(skuCell.text, &sku); p != ValueProblem::None) {
            *error = p == ValueProblem::Empty
                         ? tr("%1: the SKU is empty; every line needs one.").arg(where(sheet, r, cols.sku))
                         : valueProblemSentence(where(sheet, r, cols.sku), tr("SKU"), p);
            return std::nullopt;
        }

        // Quantity (empty = not given)
        std::optional<qint64> quantity;
        if (!qtyCell.isEmpty()) {
            quantity = wholeNumber(qtyCell);
            if (!quantity || *quantity > MaxQuantity) {
                *error = tr("%1: quantity %2 is not a whole number from 1 to %3.")
                             .arg(where(sheet, r, cols.quantity), qtyCell.text.trimmed())
                             .arg(MaxQuantity);
                return std::nullopt;
            }
        }

        // Serials: one cell may list several, separated by commas, semicolons or line breaks.
        QStringList serials;
        const auto serialPlace = [&] { return where(sheet, r, cols.serial); };
        switch (serialCell.type) {
        case Cell::Type::Empty:
            break;
        case Cell::Type::Text: {
            static const QRegularExpression separators(QStringLiteral("[,;\\r\\n\\x{2028}\\x{2029}]"));
            for (const QString &piece : serialCell.text.split(separators)) {
                if (piece.trimmed().isEmpty())
                    continue;
                QString serial;
                if (const ValueProblem p = normalise(piece, &serial); p != ValueProblem::None) {
                    *error = valueProblemSentence(serialPlace(), tr("serial"), p);
                    return std::nullopt;
                }
                if (serials.contains(serial)) {
                    *error = tr("%1: serial %2 is listed twice in this cell.").arg(serialPlace(), serial);
                    return std::nullopt;
                }
                serials.append(serial);
            }
            break;
        }
        case Cell::Type::Number:
            if (serialCell.number != std::trunc(serialCell.number) || std::fabs(serialCell.number) >= 1e15) {
                *error = tr("%1: the serial %2 was stored as a number and may have lost digits; format the "
                            "column as Text and type it again.")
                             .arg(serialPlace(), serialCell.text);
                return std::nullopt;
            }
            serials.append(serialCell.text);
            break;
        case Cell::Type::Date:
        case Cell::Type::DateTime:
            *error = tr("%1: the serial shows as a date (%2); format the column as Text and type it again.")
                         .arg(serialPlace(), serialCell.text);
            return std::nullopt;
        case Cell::Type::Bool:
        case Cell::Type::Error:
            *error = tr("%1: the serial cell shows %2, not a serial.").arg(serialPlace(), serialCell.text);
            return std::nullopt;
        }
        if (serials.size() == 1 && quantity && *quantity > 1) {
            *error = tr("%1: quantity %2 with one serial; list %2 serials in column %3 or put each on its "
                        "own row.")
                         .arg(where(sheet, r, cols.quantity))
                         .arg(*quantity)
                         .arg(serialLetter);
            return std::nullopt;
        }
        if (serials.size() > 1 && quantity && *quantity != serials.size()) {
            *error = tr("%1: quantity %2 does not match the %3 serials listed in column %4.")
                         .arg(where(sheet, r, cols.quantity))
                         .arg(*quantity)
                         .arg(serials.size())
                         .arg(serialLetter);
            return std::nullopt;
        }
        for (const QString &serial : std::as_const(serials)) {
            if (const auto it = serialRow.constFind(serial); it != serialRow.constEnd()) {
                *error = tr("%1: serial %2 is also on row %3.").arg(serialPlace(), serial).arg(*it);
                return std::nullopt;
            }
        }

        // Line number from the form, when it has a Line column.
        qint64 formLine = 0;
        if (cols.line >= 0 && !sheet.cell(r, cols.line).isEmpty()) {
            const Cell &lineCell = sheet.cell(r, cols.line);
            const std::optional<qint64> n = wholeNumber(lineCell);
            if (!n || *n > 1000000) {
                *error = tr("%1: line number %2 is not a whole number of 1 or more.")
                             .arg(where(sheet, r, cols.line), lineCell.text.trimmed());
                return std::nullopt;
            }
            if (const auto it = lineRow.constFind(*n); it != lineRow.constEnd()) {
                *error =
                    tr("%1: line %2 is also on row %3.").arg(where(sheet, r, cols.line)).arg(*n).arg(*it);
                return std::nullopt;
            }
            lineRow.insert(*n, r + 1);
            formLine = *n;
            maxFormLine = std::max(maxFormLine, *n);
        }

        Line base;
        base.sku = sku;
        base.description = descCell.isEmpty() ? QString() : descCell.text.trimmed();
        base.sheet = sheet.name;
        base.row = r + 1;
        base.serialColumn = serialLetter;
        if (serials.isEmpty()) {
            base.quantity = int(quantity.value_or(1));
            units.append({base, int(formLine)});
        } else {
            for (qsizetype i = 0; i < serials.size(); ++i) {
                Line unit = base;
                unit.serial = serials.at(i);
                unit.quantity = 1;
                serialRow.insert(unit.serial, r + 1);
                units.append({unit, i == 0 ? int(formLine) : 0});
            }
        }
    }
    if (units.isEmpty()) {
        *error = tr("Sheet “%1”: the form's header is on row %2 but no line follows it.")
                     .arg(sheet.name)
                     .arg(headerRow + 1);
        return std::nullopt;
    }
    int next = cols.line >= 0 ? int(maxFormLine) : 0;
    form.lines.reserve(units.size());
    for (Unit &u : units) {
        u.line.line = u.formLine > 0 ? u.formLine : ++next;
        form.lines.append(std::move(u.line));
    }
    return form;
}
