// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportFiles.h"
#include "ReportWriters.h"

#include <QFile>
#include <QFileInfo>

#include <xlsxwriter.h>

#include <dlfcn.h>

#include <memory>
#include <mutex>

namespace {
// libxlsxwriter is opened with RTLD_DEEPBIND instead of linked: it zips through the system's minizip, and
// QuaZip (the Trade-In Form reader, in the same process) exports its own zipOpen, zipClose, ... with other
// arguments. Linked, one set of zip* wins for both libraries and the other crashes; deep-bound, libxlsxwriter
// and its minizip resolve their own symbols first and QuaZip keeps the global ones.
struct Xlsx
{
    decltype(&::workbook_new_opt) workbook_new_opt = nullptr;
    decltype(&::workbook_set_properties) workbook_set_properties = nullptr;
    decltype(&::workbook_add_format) workbook_add_format = nullptr;
    decltype(&::workbook_add_worksheet) workbook_add_worksheet = nullptr;
    decltype(&::workbook_close) workbook_close = nullptr;
    decltype(&::format_set_bold) format_set_bold = nullptr;
    decltype(&::format_set_bg_color) format_set_bg_color = nullptr;
    decltype(&::format_set_num_format) format_set_num_format = nullptr;
    decltype(&::worksheet_set_column) worksheet_set_column = nullptr;
    decltype(&::worksheet_write_string) worksheet_write_string = nullptr;
    decltype(&::worksheet_write_number) worksheet_write_number = nullptr;
    decltype(&::worksheet_write_datetime) worksheet_write_datetime = nullptr;
    decltype(&::worksheet_write_boolean) worksheet_write_boolean = nullptr;
    decltype(&::worksheet_freeze_panes) worksheet_freeze_panes = nullptr;
    decltype(&::worksheet_autofilter) worksheet_autofilter = nullptr;
    decltype(&::lxw_strerror) lxw_strerror = nullptr;
    QString error;
};

const Xlsx &xlsx()
{
    static Xlsx api;
    static std::once_flag once;
    std::call_once(once, [] {
        void *lib = ::dlopen("libxlsxwriter.so.4", RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
        if (!lib) {
            api.error = QStringLiteral("the xlsx library cannot be loaded (%1); install libxlsxwriter4.")
                            .arg(QString::fromLocal8Bit(dlerror()));
            return;
        }
        bool ok = true;
        const auto get = [lib, &ok](auto &fn, const char *name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(lib, name));
            ok = ok && fn;
        };
#define RS_XLSX(name) get(api.name, #name)
        RS_XLSX(workbook_new_opt);
        RS_XLSX(workbook_set_properties);
        RS_XLSX(workbook_add_format);
        RS_XLSX(workbook_add_worksheet);
        RS_XLSX(workbook_close);
        RS_XLSX(format_set_bold);
        RS_XLSX(format_set_bg_color);
        RS_XLSX(format_set_num_format);
        RS_XLSX(worksheet_set_column);
        RS_XLSX(worksheet_write_string);
        RS_XLSX(worksheet_write_number);
        RS_XLSX(worksheet_write_datetime);
        RS_XLSX(worksheet_write_boolean);
        RS_XLSX(worksheet_freeze_panes);
        RS_XLSX(worksheet_autofilter);
        RS_XLSX(lxw_strerror);
#undef RS_XLSX
        if (!ok)
            api.error =
                QStringLiteral("the xlsx library lacks a function this program uses; install libxlsxwriter4 "
                               "1.1 or newer.");
    });
    return api;
}

lxw_datetime toLxw(const QDate &d, const QTime &t = QTime(0, 0))
{
    return lxw_datetime{d.year(), d.month(), d.day(), t.hour(), t.minute(), double(t.second())};
}

// Sheet names may not hold []:*?/\ and are at most 31 characters.
std::string sheetName(const QString &title)
{
    QString n = title;
    for (const QChar c : {u'[', u']', u':', u'*', u'?', u'/', u'\\'})
        n.replace(c, QLatin1Char(' '));
    return n.left(31).toStdString();
}
} // namespace

bool XlsxReportWriter::write(const ReportHeading &heading, const Report &report, const QString &path,
                             QString *error)
{
    return ReportFiles::writeWith(
        path,
        [&](const QString &temporary, QString *why) {
            const Xlsx &x = xlsx();
            if (!x.error.isEmpty()) {
                *why = x.error;
                return false;
            }
            const std::string file = QFile::encodeName(temporary).toStdString();
            std::string tmpdir = QFile::encodeName(QFileInfo(path).absolutePath()).toStdString();
            lxw_workbook_options options{};
            options.constant_memory = LXW_TRUE; // rows go straight to disk: 100,000 rows in little memory
            options.tmpdir = tmpdir.data();
            lxw_workbook *book = x.workbook_new_opt(file.c_str(), &options);
            if (!book) {
                *why = QStringLiteral("cannot create %1.").arg(temporary);
                return false;
            }
            const std::string title = report.title.toStdString();
            const std::string company = heading.depotName.toStdString();
            lxw_doc_properties props{};
            props.title = const_cast<char *>(title.c_str());
            props.company = const_cast<char *>(company.c_str());
            props.author = const_cast<char *>("Receiving Station");
            x.workbook_set_properties(book, &props);

            lxw_format *bold = x.workbook_add_format(book);
            x.format_set_bold(bold);
            x.format_set_bg_color(bold, 0xDDDDDD);
            lxw_format *date = x.workbook_add_format(book);
            x.format_set_num_format(date, "yyyy-mm-dd");
            lxw_format *dateTime = x.workbook_add_format(book);
            x.format_set_num_format(dateTime, "yyyy-mm-dd hh:mm:ss");
            lxw_format *text = x.workbook_add_format(book);
            x.format_set_num_format(text, "@"); // typed-over cells stay text too (serials with leading zeros)

            lxw_worksheet *sheet = x.workbook_add_worksheet(book, sheetName(report.title).c_str());
            const int columns = int(report.columns.size());
            for (int c = 0; c < columns; ++c) {
                const ReportColumn &col = report.columns[c];
                x.worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), col.width + 2.0,
                                       col.type == ReportColumn::Type::Text ? text : nullptr);
            }
            for (int c = 0; c < columns; ++c)
                x.worksheet_write_string(sheet, 0, lxw_col_t(c), report.columns[c].title.toUtf8().constData(),
                                         bold);
            x.worksheet_freeze_panes(sheet, 1, 0);
            x.worksheet_autofilter(sheet, 0, 0, lxw_row_t(report.rows.size()),
                                   lxw_col_t(std::max(0, columns - 1)));
            lxw_row_t r = 1;
            for (const QVariantList &row : report.rows) {
                for (int c = 0; c < columns; ++c) {
                    const QVariant &v = row.at(c);
                    if (v.isNull())
                        continue;
                    const lxw_col_t cc = lxw_col_t(c);
                    switch (report.columns[c].type) {
                    case ReportColumn::Type::Integer:
                        x.worksheet_write_number(sheet, r, cc, double(v.toLongLong()), nullptr);
                        break;
                    case ReportColumn::Type::Date: {
                        lxw_datetime d = toLxw(v.toDate());
                        x.worksheet_write_datetime(sheet, r, cc, &d, date);
                        break;
                    }
                    case ReportColumn::Type::DateTime: {
                        const QDateTime t = v.toDateTime();
                        lxw_datetime d = toLxw(t.date(), t.time());
                        x.worksheet_write_datetime(sheet, r, cc, &d, dateTime);
                        break;
                    }
                    case ReportColumn::Type::Flag:
                        x.worksheet_write_boolean(sheet, r, cc, v.toBool() ? 1 : 0, nullptr);
                        break;
                    case ReportColumn::Type::Text:
                        x.worksheet_write_string(sheet, r, cc, v.toString().toUtf8().constData(), text);
                        break;
                    }
                }
                ++r;
            }

            lxw_worksheet *totals = x.workbook_add_worksheet(book, "Totals");
            x.worksheet_set_column(totals, 0, 0, 28, nullptr);
            x.worksheet_set_column(totals, 1, 1, 40, nullptr);
            const QList<QPair<QString, QString>> facts{
                {QStringLiteral("Report"), report.title},
                {QStringLiteral("Subject"), report.subtitle},
                {QStringLiteral("Depot"), heading.depotName},
                {QStringLiteral("Address"), heading.depotAddress},
            };
            lxw_row_t t = 0;
            for (const auto &[label, value] : facts) {
                x.worksheet_write_string(totals, t, 0, label.toUtf8().constData(), bold);
                x.worksheet_write_string(totals, t++, 1, value.toUtf8().constData(), nullptr);
            }
            x.worksheet_write_string(totals, t, 0, "Run at", bold);
            lxw_datetime run = toLxw(heading.runAt.date(), heading.runAt.time());
            x.worksheet_write_datetime(totals, t++, 1, &run, dateTime);
            ++t;
            for (const auto &[label, value] : report.totals) {
                x.worksheet_write_string(totals, t, 0, label.toUtf8().constData(), bold);
                bool number = false;
                const qint64 n = value.toLongLong(&number);
                if (number)
                    x.worksheet_write_number(totals, t++, 1, double(n), nullptr);
                else
                    x.worksheet_write_string(totals, t++, 1, value.toUtf8().constData(), nullptr);
            }
            const lxw_error e = x.workbook_close(book);
            if (e != LXW_NO_ERROR) {
                *why = QStringLiteral("cannot write %1: %2").arg(path, QString::fromUtf8(x.lxw_strerror(e)));
                return false;
            }
            return true;
        },
        error);
}
