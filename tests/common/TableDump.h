// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Database.h"

#include <QString>

#include <initializer_list>

// A table's rows as text, so a test can compare the store before and after an action that must change
// nothing.
inline QString dumpTable(Database &db, const QByteArray &table)
{
    QString out;
    const QByteArray sql = "SELECT * FROM " + table + " ORDER BY 1";
    try {
        Statement s = db.prepare(sql.constData());
        while (s.next()) {
            for (int i = 0; i < s.columnCount(); ++i) {
                out += s.isNull(i) ? QStringLiteral("NULL") : s.text(i);
                out += QLatin1Char('|');
            }
            out += QLatin1Char('\n');
        }
    } catch (const DbException &) {
        return QStringLiteral("<cannot read %1>").arg(QString::fromLatin1(table));
    }
    return out;
}

// Several tables, each under its name.
inline QString dumpTables(Database &db, std::initializer_list<const char *> tables)
{
    QString out;
    for (const char *t : tables)
        out += QString::fromLatin1(t) + QLatin1Char('\n') + dumpTable(db, t);
    return out;
}
