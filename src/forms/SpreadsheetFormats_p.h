// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The format readers behind SpreadsheetReader; only SpreadsheetReader calls them. Each returns a Workbook or
// sets *error to one sentence. Pure apart from XlsReader's file access (FreeXL reads only from a path).

#include "Spreadsheet.h"

namespace SpreadsheetFormats {
std::optional<Workbook> readXlsx(const QByteArray &bytes, QString *error);
std::optional<Workbook> readXls(const QString &path, QString *error);
std::optional<Workbook> readCsv(const QByteArray &bytes, QString *error);

// Shared by the readers: a number's text as a person reads it (integers without exponent or ".0").
QString numberText(double value);
// A spreadsheet serial day (1900 or 1904 system) as a cell of type Date or DateTime, with ISO text.
Cell dateCell(double serial, bool date1904, bool withTime, bool timeOnly);
QString tooManyCells();
} // namespace SpreadsheetFormats
