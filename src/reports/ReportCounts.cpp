// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportCounts.h"
#include "Database.h"
#include "ReportQueries.h"

#include <QMap>

ReportCounts::ReportCounts(Database &db, QTimeZone timeZone) : m_db(db), m_zone(std::move(timeZone)) {}

ReportCounts::Period ReportCounts::count(QDate from, QDate to)
{
    Period p;
    p.from = from;
    p.to = to;
    const QString start = ReportQueries::utcStartOf(from, m_zone);
    const QString end = ReportQueries::utcStartOf(to.addDays(1), m_zone);
    QMap<QString, Row> rows;
    {
        Statement s = m_db.prepare(
            "SELECT station_id, COUNT(*), SUM(CASE WHEN late <> 0 THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN condition = 'damaged' THEN 1 ELSE 0 END) FROM receipts WHERE voided = 0 AND "
            "received_at >= ?1 AND received_at < ?2 GROUP BY station_id");
        s.bind(1, start).bind(2, end);
        while (s.next()) {
            Row &r = rows[s.text(0)];
            r.received = s.int64(1);
            r.late = s.int64(2);
            r.damaged = s.int64(3);
        }
    }
    {
        Statement s =
            m_db.prepare("SELECT station_id, COUNT(*) FROM exceptions WHERE status <> 'cancelled' AND "
                         "created_at >= ?1 AND created_at < ?2 GROUP BY station_id");
        s.bind(1, start).bind(2, end);
        while (s.next())
            rows[s.text(0)].exceptionsOpened = s.int64(1);
    }
    {
        Statement s =
            m_db.prepare("SELECT station_id, COUNT(*) FROM exceptions WHERE status = 'resolved' AND "
                         "resolved_at >= ?1 AND resolved_at < ?2 GROUP BY station_id");
        s.bind(1, start).bind(2, end);
        while (s.next())
            rows[s.text(0)].exceptionsResolved = s.int64(1);
    }
    for (auto it = rows.begin(); it != rows.end(); ++it) {
        it->station = it.key();
        p.total.received += it->received;
        p.total.late += it->late;
        p.total.damaged += it->damaged;
        p.total.exceptionsOpened += it->exceptionsOpened;
        p.total.exceptionsResolved += it->exceptionsResolved;
        p.stations.append(*it);
    }
    return p;
}

std::optional<std::pair<QDate, QDate>> ReportCounts::preset(const QString &name, QDate today)
{
    const QDate firstOfMonth(today.year(), today.month(), 1);
    if (name == u"today")
        return std::pair{today, today};
    if (name == u"yesterday")
        return std::pair{today.addDays(-1), today.addDays(-1)};
    if (name == u"last_7_days")
        return std::pair{today.addDays(-6), today};
    if (name == u"this_month")
        return std::pair{firstOfMonth, today};
    if (name == u"last_month")
        return std::pair{firstOfMonth.addMonths(-1), firstOfMonth.addDays(-1)};
    return std::nullopt;
}

Report ReportCounts::toReport(const Period &period, const QTimeZone &zone)
{
    using Type = ReportColumn::Type;
    Report r;
    r.name = QStringLiteral("summary");
    r.title = QStringLiteral("Receiving summary");
    r.subtitle = QStringLiteral("%1 to %2 (%3)")
                     .arg(period.from.toString(Qt::ISODate), period.to.toString(Qt::ISODate),
                          QString::fromUtf8(zone.id()));
    r.columns = {
        {QStringLiteral("station"), QStringLiteral("Station"), Type::Text, 14},
        {QStringLiteral("received"), QStringLiteral("Received"), Type::Integer, 10},
        {QStringLiteral("late"), QStringLiteral("Late"), Type::Integer, 8},
        {QStringLiteral("damaged"), QStringLiteral("Damaged"), Type::Integer, 9},
        {QStringLiteral("exceptions_opened"), QStringLiteral("Exceptions opened"), Type::Integer, 12},
        {QStringLiteral("exceptions_resolved"), QStringLiteral("Exceptions resolved"), Type::Integer, 12}};
    for (const Row &row : period.stations)
        r.rows.append(QVariantList{row.station, row.received, row.late, row.damaged, row.exceptionsOpened,
                                   row.exceptionsResolved});
    const Row &t = period.total;
    r.totals = {{QStringLiteral("Received"), QString::number(t.received)},
                {QStringLiteral("Late"), QString::number(t.late)},
                {QStringLiteral("Damaged"), QString::number(t.damaged)},
                {QStringLiteral("Exceptions opened"), QString::number(t.exceptionsOpened)},
                {QStringLiteral("Exceptions resolved"), QString::number(t.exceptionsResolved)}};
    return r;
}
