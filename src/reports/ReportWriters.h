// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Report.h"

#include <QByteArray>
#include <QString>

// The three file formats of a report. Each lays out a Report it is given and never reads the store.

// RFC 4180 CSV in UTF-8: a header row of column keys, then one line per row; no totals (a program reads it).
// Dates as YYYY-MM-DD, times as YYYY-MM-DD HH:MM:SS station time, flags as yes/no. A text cell starting with
// = + - @ gets a leading ' so a spreadsheet never runs it as a formula.
class CsvReportWriter
{
public:
    static QByteArray toCsv(const Report &report);
    static bool write(const Report &report, const QString &path, QString *error);
};

// An .xlsx workbook through libxlsxwriter: sheet 1 the table (typed cells: numbers, dates and times as
// dates, flags as booleans, texts such as serials as text; header row frozen, auto filter, column widths),
// sheet 2 "Totals" with the heading and the totals.
class XlsxReportWriter
{
public:
    static bool write(const ReportHeading &heading, const Report &report, const QString &path,
                      QString *error);
};

// A PDF through Qt (QPdfWriter + QPainter, landscape A4 or Letter by report.paper): on every page the
// depot's name and address, the title, the run date and "Page N of M"; the table with its header row
// repeated; the totals at the end. Needs a QGuiApplication (the offscreen platform will do).
class PdfReportWriter
{
public:
    static QByteArray toPdf(const ReportHeading &heading, const Report &report);
    static bool write(const ReportHeading &heading, const Report &report, const QString &path,
                      QString *error);
};

namespace ReportFormat {
// A cell as people read it (PDF, certificate): empty for a null value.
QString display(const QVariant &value, ReportColumn::Type type);
} // namespace ReportFormat
