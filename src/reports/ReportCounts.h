// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Report.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <optional>
#include <utility>

class Database;

// The counts of a period the supervisor's Reports page shows, per station and in total: live receipts
// received, those late, those damaged, and exceptions opened (not cancelled by an undo) and resolved. Days
// are the station time zone's, `from` 00:00 to the end of `to`. Read-only; throws DbException.
class ReportCounts
{
public:
    struct Row
    {
        QString station; // empty for the total
        qint64 received = 0, late = 0, damaged = 0, exceptionsOpened = 0, exceptionsResolved = 0;
    };
    struct Period
    {
        QDate from, to;
        QList<Row> stations; // by station id
        Row total;
    };

    ReportCounts(Database &db, QTimeZone timeZone);
    Period count(QDate from, QDate to);
    // A named period ending on or before `today`: today, yesterday, last_7_days (today and the six days
    // before), this_month, last_month. nullopt for another name.
    static std::optional<std::pair<QDate, QDate>> preset(const QString &name, QDate today);
    // The same counts as a report ("summary"), for the files of an export.
    static Report toReport(const Period &period, const QTimeZone &zone);

private:
    Database &m_db;
    QTimeZone m_zone;
};
