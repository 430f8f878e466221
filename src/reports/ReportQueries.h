// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Report.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QTimeZone>

#include <optional>

class Database;

// The depot's reports as data (Report), read from the store on either engine. Times are shown in the
// station's time zone; "today" and ages are taken at `now`. Read-only; throws DbException.
class ReportQueries
{
public:
    ReportQueries(Database &db, QTimeZone timeZone, QDateTime now);

    // Every live (not voided) receipt received from `from` 00:00 to the end of `to`, station time, in order.
    Report receipts(QDate from, QDate to);
    // Every open case by due date (late ones first), with what arrived; cases closed since `closedSince`
    // (station time, 00:00) follow when it is given.
    Report cases(std::optional<QDate> closedSince = std::nullopt);
    // The open exceptions by kind, oldest first within a kind.
    Report exceptions();
    // Over, short and damaged for one case (over: unexpected units in its boxes) or for the boxes with one
    // label (short: the missing lines of their case). nullopt when no such case or box exists.
    std::optional<Report> osdForCase(const QString &caseNumber);
    std::optional<Report> osdForBox(const QString &boxLabel);

    // The heading's depot name and address (settings table) with run time now; paper as given.
    ReportHeading heading(const QString &paper);

    // "held", "pending", "accepted" (delivered), "dead", or empty when the receipt has no upstream event.
    static QString upstreamState(const QString &outboxState);
    // A stored UTC time ("2026-11-03T15:04:05.123Z") in `zone`; invalid for an empty text.
    static QDateTime localTime(const QString &utcText, const QTimeZone &zone);
    // Local midnight of `day` in `zone` as stored UTC text, for range bounds.
    static QString utcStartOf(QDate day, const QTimeZone &zone);

private:
    QHash<QString, QString> operatorNames();
    QHash<qint64, QString> conditionNotes();
    std::optional<Report> osd(const QString &subject, std::optional<qint64> caseId, const QString &boxLabel);

    Database &m_db;
    QTimeZone m_zone;
    QDateTime m_now;
};
