// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Spreadsheet.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// A Juniper TMIP Trade-In Form found in a workbook: its case number and one line per expected unit (a
// serial) or per serial-less line (a SKU and a quantity). The layout is found, not assumed: the first sheet,
// then the first row, holding a serial title and a SKU title is the header; data runs to the first row whose
// serial, SKU, quantity and description cells are all empty. Anything doubtful is refused with one sentence
// naming the sheet, row and column. Pure.
//
// Line numbers: without a "Line"/"#" column, lines are numbered 1, 2, 3… in form order, one per unit, so a
// cell listing three serials takes three consecutive numbers. With one, each row keeps its number; the
// second and further units of a cell listing several serials, and rows with an empty line cell, take the
// numbers after the form's highest, in form order.
struct TradeInForm
{
    // Serials, SKUs and the case number are normalised like scans (trimmed, upper-case), are at most this
    // long and hold no control characters. Same limit as ScanNormaliser::MaxLength, which lives in rs_core
    // and so cannot be used here (tst_tradeinform checks they agree).
    static constexpr int MaxValueLength = 128;
    static constexpr int MaxQuantity = 100000;

    struct Line
    {
        int line = 0;        // 1-based, unique in the form
        QString sku;         // upper-case
        QString description; // trimmed, as typed
        QString serial;      // upper-case; empty = a serial-less line of `quantity` units
        int quantity = 1;    // 1 whenever there is a serial
        QString sheet;
        int row = 0;          // 1-based, as a person sees it
        QString serialColumn; // column letter, e.g. "C"
    };

    QString caseNumber; // upper-case
    QString sheetName;
    int headerRow = 0; // 1-based
    QList<Line> lines;

    // The titles the layout is recognised by (compared case- and space-insensitively), for messages and docs.
    static QStringList serialTitles();
    static QStringList skuTitles();
    static QStringList quantityTitles();
    static QStringList descriptionTitles();
    static QStringList lineTitles();
    static QStringList caseLabels();

    // caseOverride is --case (empty when not given); when the form names a case too, both must agree.
    static std::optional<TradeInForm> fromWorkbook(const Workbook &book, const QString &caseOverride,
                                                   QString *error);
};
