// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QVariant>

// A report as data, apart from any file format: a title, typed columns, rows of values and totals. The
// queries (ReportQueries) fill it; the writers (CSV, xlsx, PDF) only lay it out, so the CLI, the daily export
// and a kiosk page share both halves.
struct ReportColumn
{
    // Text: a QString kept as text everywhere (serials such as 0012345678 stay text in a spreadsheet).
    // Integer: qint64. Date: QDate. DateTime: QDateTime already in the station's time zone. Flag: bool.
    enum class Type { Text, Integer, Date, DateTime, Flag };
    QString key;   // the CSV header and the column's name for programs, e.g. "received_at"
    QString title; // the heading people read, e.g. "Received"
    Type type = Type::Text;
    int width = 12; // characters, for the spreadsheet and the PDF's share of the page
};

struct Report
{
    QString name;     // receipts | cases | exceptions | osd
    QString title;    // "Receipts"
    QString subtitle; // the period or subject, e.g. "2026-11-01 to 2026-11-30 (America/Chicago)"
    QList<ReportColumn> columns;
    QList<QVariantList> rows;              // one value per column; a null QVariant is an empty cell
    QList<QPair<QString, QString>> totals; // label, value: printed under the table, a sheet of their own

    int column(const QString &key) const
    {
        for (int i = 0; i < columns.size(); ++i) {
            if (columns[i].key == key)
                return i;
        }
        return -1;
    }
};

// What every file of a report shows besides the table: who issued it and when.
struct ReportHeading
{
    QString depotName;                    // depot.name
    QString depotAddress;                 // depot.address
    QString paper = QStringLiteral("A4"); // report.paper: A4 | Letter
    QDateTime runAt;                      // in the station's time zone
};
