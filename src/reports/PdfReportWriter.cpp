// SPDX-License-Identifier: GPL-3.0-or-later
#include "PdfCanvas.h"
#include "ReportFiles.h"
#include "ReportWriters.h"

QString ReportFormat::display(const QVariant &value, ReportColumn::Type type)
{
    if (value.isNull())
        return QString();
    switch (type) {
    case ReportColumn::Type::Integer:
        return QString::number(value.toLongLong());
    case ReportColumn::Type::Date:
        return value.toDate().toString(Qt::ISODate);
    case ReportColumn::Type::DateTime:
        return value.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case ReportColumn::Type::Flag:
        return value.toBool() ? QStringLiteral("yes") : QString();
    case ReportColumn::Type::Text:
        break;
    }
    return value.toString();
}

QByteArray PdfReportWriter::toPdf(const ReportHeading &heading, const Report &report)
{
    PdfCanvas::Document d;
    d.heading = heading;
    d.title = report.title;
    d.subtitle = report.subtitle;
    d.orientation = QPageLayout::Landscape;
    return PdfCanvas::render(d, [&report](PdfCanvas &page) {
        page.table(report.columns, report.rows);
        page.space(8);
        page.sectionTitle(QStringLiteral("Totals"));
        page.facts(report.totals);
    });
}

bool PdfReportWriter::write(const ReportHeading &heading, const Report &report, const QString &path,
                            QString *error)
{
    return ReportFiles::write(path, toPdf(heading, report), error);
}
