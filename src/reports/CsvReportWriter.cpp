// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportFiles.h"
#include "ReportWriters.h"

namespace {
void appendField(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r')) {
        out += '"';
        for (char c : utf8) {
            if (c == '"')
                out += '"';
            out += c;
        }
        out += '"';
    } else {
        out += utf8;
    }
}

QString csvValue(const QVariant &v, ReportColumn::Type type)
{
    if (v.isNull())
        return QString();
    switch (type) {
    case ReportColumn::Type::Integer:
        return QString::number(v.toLongLong());
    case ReportColumn::Type::Date:
        return v.toDate().toString(Qt::ISODate);
    case ReportColumn::Type::DateTime:
        return v.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case ReportColumn::Type::Flag:
        return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    case ReportColumn::Type::Text:
        break;
    }
    QString t = v.toString();
    if (!t.isEmpty() && (t[0] == u'=' || t[0] == u'+' || t[0] == u'-' || t[0] == u'@'))
        t.prepend(QLatin1Char('\''));
    return t;
}
} // namespace

QByteArray CsvReportWriter::toCsv(const Report &report)
{
    QByteArray out;
    out.reserve(qsizetype(report.rows.size()) * 160 + 256);
    for (int c = 0; c < report.columns.size(); ++c) {
        if (c)
            out += ',';
        appendField(out, report.columns[c].key);
    }
    out += "\r\n";
    for (const QVariantList &row : report.rows) {
        for (int c = 0; c < report.columns.size(); ++c) {
            if (c)
                out += ',';
            appendField(out, csvValue(row.value(c), report.columns[c].type));
        }
        out += "\r\n";
    }
    return out;
}

bool CsvReportWriter::write(const Report &report, const QString &path, QString *error)
{
    return ReportFiles::write(path, toCsv(report), error);
}
