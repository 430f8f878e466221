// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportQueries.h"
#include "CaseLines.h"
#include "Database.h"
#include "StationSettings.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <utility>

namespace {
using Type = ReportColumn::Type;

ReportColumn col(const char *key, const QString &title, Type type, int width)
{
    return ReportColumn{QLatin1String(key), title, type, width};
}

QVariant textOrNull(const Statement &s, int column)
{
    return s.isNull(column) ? QVariant() : QVariant(s.text(column));
}

QVariant intOrNull(const Statement &s, int column)
{
    return s.isNull(column) ? QVariant() : QVariant(s.int64(column));
}

QVariant timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QVariant(t) : QVariant();
}

QString conditionTitle(const QString &condition)
{
    return condition == u"not_working" ? QStringLiteral("not working") : condition;
}
} // namespace

ReportQueries::ReportQueries(Database &db, QTimeZone timeZone, QDateTime now)
    : m_db(db), m_zone(std::move(timeZone)), m_now(std::move(now))
{
}

QString ReportQueries::upstreamState(const QString &outboxState)
{
    if (outboxState == u"delivered")
        return QStringLiteral("accepted");
    if (outboxState == u"held" || outboxState == u"pending" || outboxState == u"dead")
        return outboxState;
    return QString();
}

QDateTime ReportQueries::localTime(const QString &utcText, const QTimeZone &zone)
{
    if (utcText.isEmpty())
        return QDateTime();
    // The store's own format, "2026-11-03T15:04:05.123Z", read by hand: QDateTime::fromString and
    // toTimeZone cost tens of microseconds each, seconds over a 100,000-row report.
    const auto digits = [&utcText](int from, int count, bool *ok) {
        int n = 0;
        for (int i = from; i < from + count; ++i) {
            const QChar c = utcText.at(i);
            if (!c.isDigit())
                *ok = false;
            n = n * 10 + c.digitValue();
        }
        return n;
    };
    bool ok =
        utcText.size() >= 20 && utcText.at(4) == u'-' && utcText.at(10) == u'T' && utcText.at(13) == u':';
    qint64 ms = 0;
    if (ok) {
        const QDate d(digits(0, 4, &ok), digits(5, 2, &ok), digits(8, 2, &ok));
        const int msec = utcText.size() >= 23 && utcText.at(19) == u'.' ? digits(20, 3, &ok) : 0;
        ok = ok && d.isValid();
        ms = (d.toJulianDay() - 2440588) * 86400000LL + digits(11, 2, &ok) * 3600000LL +
             digits(14, 2, &ok) * 60000LL + digits(17, 2, &ok) * 1000LL + msec;
    }
    if (!ok) {
        QDateTime t = QDateTime::fromString(utcText, Qt::ISODateWithMs);
        if (!t.isValid())
            return t;
        t.setTimeSpec(Qt::UTC);
        return t.toTimeZone(zone);
    }
    // The zone's offset changes only at its transitions, on the hour: asked once per hour of the report.
    thread_local QHash<QByteArray, QHash<qint64, int>> offsets;
    QHash<qint64, int> &byHour = offsets[zone.id()];
    const qint64 hour = ms / 3600000LL;
    auto it = byHour.constFind(hour);
    if (it == byHour.cend())
        it = byHour.insert(hour,
                           zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(hour * 3600000LL, Qt::UTC)));
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::OffsetFromUTC, *it);
}

QString ReportQueries::utcStartOf(QDate day, const QTimeZone &zone)
{
    return QDateTime(day, QTime(0, 0), zone).toUTC().toString(Qt::ISODateWithMs);
}

ReportHeading ReportQueries::heading(const QString &paper)
{
    const StationSettings settings = StationSettings::fromDatabase(m_db);
    ReportHeading h;
    h.depotName = settings.depotName();
    h.depotAddress = settings.depotAddress();
    h.paper = paper;
    h.runAt = m_now.toTimeZone(m_zone);
    return h;
}

QHash<QString, QString> ReportQueries::operatorNames()
{
    QHash<QString, QString> names;
    Statement s = m_db.prepare("SELECT badge, name FROM operators");
    while (s.next())
        names.insert(s.text(0), s.text(1));
    return names;
}

// A unit's condition note lives in the audit log (unit_condition, details.note); the newest one counts.
QHash<qint64, QString> ReportQueries::conditionNotes()
{
    QHash<qint64, QString> notes;
    Statement s = m_db.prepare("SELECT details FROM audit_log WHERE action = 'unit_condition' ORDER BY id");
    while (s.next()) {
        const QJsonObject d = QJsonDocument::fromJson(s.utf8(0)).object();
        const qint64 receipt = d.value(QLatin1String("receipt_id")).toInteger();
        if (receipt > 0)
            notes.insert(receipt, d.value(QLatin1String("note")).toString());
    }
    return notes;
}

Report ReportQueries::receipts(QDate from, QDate to)
{
    Report r;
    r.name = QStringLiteral("receipts");
    r.title = QStringLiteral("Receipts");
    r.subtitle =
        QStringLiteral("%1 to %2 (%3)")
            .arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate), QString::fromUtf8(m_zone.id()));
    r.columns = {col("received_at", QStringLiteral("Received"), Type::DateTime, 17),
                 col("station", QStringLiteral("Station"), Type::Text, 9),
                 col("operator", QStringLiteral("Operator"), Type::Text, 16),
                 col("case_number", QStringLiteral("Case"), Type::Text, 15),
                 col("customer", QStringLiteral("Customer"), Type::Text, 20),
                 col("line", QStringLiteral("Line"), Type::Integer, 5),
                 col("sku", QStringLiteral("SKU"), Type::Text, 14),
                 col("serial", QStringLiteral("Serial"), Type::Text, 16),
                 col("condition", QStringLiteral("Condition"), Type::Text, 11),
                 col("condition_note", QStringLiteral("Note"), Type::Text, 20),
                 col("late", QStringLiteral("Late"), Type::Flag, 5),
                 col("box", QStringLiteral("Box"), Type::Text, 14),
                 col("upstream", QStringLiteral("Upstream"), Type::Text, 9)};
    const QHash<QString, QString> names = operatorNames();
    const QHash<qint64, QString> notes = conditionNotes();
    Statement s = m_db.prepare(
        "SELECT r.id, r.received_at, r.station_id, r.operator_id, c.case_number, c.customer_name, r.line, "
        "r.sku, "
        "r.serial, r.condition, r.late, b.label FROM receipts r LEFT JOIN cases c ON c.id = r.case_id "
        "LEFT JOIN boxes b ON b.id = r.box_id "
        "WHERE r.voided = 0 AND r.received_at >= ?1 AND r.received_at < ?2 ORDER BY r.received_at, r.id");
    s.bind(1, utcStartOf(from, m_zone)).bind(2, utcStartOf(to.addDays(1), m_zone));
    QList<qint64> ids;
    qint64 late = 0, damaged = 0, notWorking = 0, unmatched = 0;
    while (s.next()) {
        const qint64 id = s.int64(0);
        ids.append(id);
        const QString condition = s.text(9);
        const bool isLate = s.int64(10) != 0;
        late += isLate;
        damaged += condition == u"damaged";
        notWorking += condition == u"not_working";
        unmatched += s.isNull(4);
        const QString op = s.text(3);
        r.rows.append(QVariantList{timeOrNull(localTime(s.text(1), m_zone)), s.text(2),
                                   op.isEmpty() ? QVariant() : QVariant(names.value(op)), textOrNull(s, 4),
                                   textOrNull(s, 5), intOrNull(s, 6), textOrNull(s, 7), s.text(8),
                                   conditionTitle(condition),
                                   notes.contains(id) ? QVariant(notes.value(id)) : QVariant(), isLate,
                                   textOrNull(s, 11), QVariant()});
    }
    // Upstream state: the newest event of each receipt that is not cancelled. Read in one pass over the
    // receipts' id range (outbox has no receipt index; a correlated subquery per row would scan it each
    // time).
    QMap<QString, qint64> byState;
    if (!ids.isEmpty()) {
        const auto [lo, hi] = std::minmax_element(ids.cbegin(), ids.cend());
        QHash<qint64, QString> state;
        Statement o =
            m_db.prepare("SELECT receipt_id, state FROM outbox WHERE kind = 'receipt' AND "
                         "state <> 'cancelled' AND receipt_id >= ?1 AND receipt_id <= ?2 ORDER BY id");
        o.bind(1, *lo).bind(2, *hi);
        while (o.next())
            state.insert(o.int64(0), upstreamState(o.text(1)));
        const int upstream = r.column(QStringLiteral("upstream"));
        for (int i = 0; i < ids.size(); ++i) {
            const QString st = state.value(ids[i]);
            if (!st.isEmpty())
                r.rows[i][upstream] = st;
            byState[st.isEmpty() ? QStringLiteral("none") : st] += 1;
        }
    }
    r.totals = {{QStringLiteral("Receipts"), QString::number(r.rows.size())},
                {QStringLiteral("Late"), QString::number(late)},
                {QStringLiteral("Damaged"), QString::number(damaged)},
                {QStringLiteral("Not working"), QString::number(notWorking)},
                {QStringLiteral("Without a case"), QString::number(unmatched)}};
    for (const char *st : {"held", "pending", "accepted", "dead", "none"})
        r.totals.append({QStringLiteral("Upstream %1").arg(QLatin1String(st)),
                         QString::number(byState.value(QLatin1String(st)))});
    return r;
}

Report ReportQueries::cases(std::optional<QDate> closedSince)
{
    Report r;
    r.name = QStringLiteral("cases");
    r.title = QStringLiteral("Open cases");
    const QDate today = m_now.toTimeZone(m_zone).date();
    r.subtitle =
        QStringLiteral("as of %1 (%2)").arg(today.toString(Qt::ISODate), QString::fromUtf8(m_zone.id()));
    if (closedSince) {
        r.title =
            QStringLiteral("Open cases and cases closed since %1").arg(closedSince->toString(Qt::ISODate));
    }
    r.columns = {col("case_number", QStringLiteral("Case"), Type::Text, 15),
                 col("customer", QStringLiteral("Customer"), Type::Text, 22),
                 col("status", QStringLiteral("Status"), Type::Text, 8),
                 col("order_date", QStringLiteral("Ordered"), Type::Date, 11),
                 col("due_date", QStringLiteral("Due"), Type::Date, 11),
                 col("days_left", QStringLiteral("Days left"), Type::Integer, 8),
                 col("days_late", QStringLiteral("Days late"), Type::Integer, 8),
                 col("expected", QStringLiteral("Expected"), Type::Integer, 8),
                 col("received", QStringLiteral("Received"), Type::Integer, 8),
                 col("missing", QStringLiteral("Missing"), Type::Integer, 8),
                 col("first_receipt", QStringLiteral("First receipt"), Type::DateTime, 17),
                 col("last_receipt", QStringLiteral("Last receipt"), Type::DateTime, 17),
                 col("stations", QStringLiteral("Stations"), Type::Text, 14),
                 col("closure", QStringLiteral("Closure"), Type::Text, 9)};

    // Closures by case: the newest that is not cancelled (kind from its payload, time from its row).
    struct Closure
    {
        QString kind;
        QString at;
    };
    QHash<QString, Closure> closures;
    {
        Statement s = m_db.prepare("SELECT case_number, payload, created_at FROM outbox WHERE kind = "
                                   "'closure' AND state <> 'cancelled' "
                                   "ORDER BY id");
        while (s.next()) {
            const QJsonObject p = QJsonDocument::fromJson(s.utf8(1)).object();
            closures.insert(s.text(0), Closure{p.value(QLatin1String("kind")).toString(), s.text(2)});
        }
    }
    const QString since = closedSince ? utcStartOf(*closedSince, m_zone) : QString();
    struct Row
    {
        qint64 id = 0;
        QString number, customer, status;
        QDate order, due;
        qint64 expected = 0, received = 0, missing = 0;
        QString first, last;
        QStringList stations;
    };
    QList<Row> rows;
    QHash<qint64, int> index;
    {
        Statement s = m_db.prepare("SELECT id, case_number, customer_name, status, order_date, due_date, "
                                   "updated_at FROM cases WHERE status <> 'cancelled'");
        while (s.next()) {
            const QString status = s.text(3);
            const QString number = s.text(1);
            if (status != u"open") {
                if (!closedSince || status != u"closed")
                    continue;
                const QString closedAt = closures.contains(number) ? closures.value(number).at : s.text(6);
                if (closedAt < since)
                    continue;
            }
            index.insert(s.int64(0), int(rows.size()));
            Row row;
            row.id = s.int64(0);
            row.number = number;
            row.customer = s.text(2);
            row.status = status;
            row.order = QDate::fromString(s.text(4), Qt::ISODate);
            row.due = QDate::fromString(s.text(5), Qt::ISODate);
            rows.append(row);
        }
    }
    // Lines and receipts of every case in three grouped reads, matched to the cases in C++.
    QHash<QPair<qint64, qint64>, qint64> onLine;
    {
        Statement s = m_db.prepare("SELECT case_id, line, count(*) FROM receipts WHERE voided = 0 AND "
                                   "case_id IS NOT NULL AND line IS NOT NULL GROUP BY case_id, line");
        while (s.next())
            onLine.insert({s.int64(0), s.int64(1)}, s.int64(2));
    }
    {
        Statement s = m_db.prepare("SELECT case_id, line, quantity FROM expected_items");
        while (s.next()) {
            const auto it = index.constFind(s.int64(0));
            if (it == index.cend())
                continue;
            Row &row = rows[*it];
            const qint64 qty = s.int64(2);
            const qint64 got = std::min(qty, onLine.value({s.int64(0), s.int64(1)}));
            row.expected += qty;
            row.received += got;
            row.missing += qty - got;
        }
    }
    {
        Statement s = m_db.prepare("SELECT case_id, min(received_at), max(received_at) FROM receipts "
                                   "WHERE voided = 0 AND case_id IS NOT NULL GROUP BY case_id");
        while (s.next()) {
            const auto it = index.constFind(s.int64(0));
            if (it != index.cend()) {
                rows[*it].first = s.text(1);
                rows[*it].last = s.text(2);
            }
        }
    }
    {
        Statement s =
            m_db.prepare("SELECT case_id, station_id FROM receipts WHERE voided = 0 AND "
                         "case_id IS NOT NULL GROUP BY case_id, station_id ORDER BY case_id, station_id");
        while (s.next()) {
            const auto it = index.constFind(s.int64(0));
            if (it != index.cend())
                rows[*it].stations.append(s.text(1));
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        const bool aOpen = a.status == u"open", bOpen = b.status == u"open";
        if (aOpen != bOpen)
            return aOpen;
        if (a.due != b.due)
            return a.due < b.due;
        return a.number < b.number;
    });
    qint64 openCount = 0, lateCount = 0, expected = 0, received = 0, missing = 0;
    for (const Row &row : std::as_const(rows)) {
        const bool open = row.status == u"open";
        const qint64 days = today.daysTo(row.due);
        QVariant left, lateDays;
        if (open) {
            ++openCount;
            if (days < 0) {
                lateDays = -days;
                ++lateCount;
            } else {
                left = days;
            }
        }
        expected += row.expected;
        received += row.received;
        missing += row.missing;
        r.rows.append(QVariantList{
            row.number, row.customer, row.status, row.order.isValid() ? QVariant(row.order) : QVariant(),
            row.due.isValid() ? QVariant(row.due) : QVariant(), left, lateDays, row.expected, row.received,
            row.missing, timeOrNull(localTime(row.first, m_zone)), timeOrNull(localTime(row.last, m_zone)),
            row.stations.join(QLatin1String(", ")),
            closures.contains(row.number) ? QVariant(closures.value(row.number).kind) : QVariant()});
    }
    r.totals = {{QStringLiteral("Open cases"), QString::number(openCount)},
                {QStringLiteral("Late cases"), QString::number(lateCount)}};
    if (closedSince)
        r.totals.append({QStringLiteral("Closed since %1").arg(closedSince->toString(Qt::ISODate)),
                         QString::number(rows.size() - openCount)});
    r.totals.append({QStringLiteral("Units expected"), QString::number(expected)});
    r.totals.append({QStringLiteral("Units received"), QString::number(received)});
    r.totals.append({QStringLiteral("Units missing"), QString::number(missing)});
    return r;
}

Report ReportQueries::exceptions()
{
    Report r;
    r.name = QStringLiteral("exceptions");
    r.title = QStringLiteral("Open exceptions");
    r.subtitle = QStringLiteral("as of %1 (%2)")
                     .arg(m_now.toTimeZone(m_zone).toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                          QString::fromUtf8(m_zone.id()));
    r.columns = {col("id", QStringLiteral("No."), Type::Integer, 6),
                 col("kind", QStringLiteral("Kind"), Type::Text, 16),
                 col("raised_at", QStringLiteral("Raised"), Type::DateTime, 17),
                 col("age_days", QStringLiteral("Age (days)"), Type::Integer, 6),
                 col("serial", QStringLiteral("Serial"), Type::Text, 16),
                 col("case_number", QStringLiteral("Case"), Type::Text, 15),
                 col("box", QStringLiteral("Box"), Type::Text, 14),
                 col("station", QStringLiteral("Station"), Type::Text, 9),
                 col("scanned_by", QStringLiteral("Scanned by"), Type::Text, 16),
                 // A unit a later pull of its case made expected (exceptions.now_expected_*): "CASE line N".
                 col("now_expected", QStringLiteral("Now expected"), Type::Text, 15)};
    const QHash<QString, QString> names = operatorNames();
    Statement s = m_db.prepare(
        "SELECT e.id, e.kind, e.created_at, e.serial, c.case_number, b.label, e.station_id, "
        "CASE WHEN r.operator_id IS NULL THEN b.operator_id ELSE r.operator_id END, ne.case_number, "
        "e.now_expected_line FROM exceptions e LEFT JOIN receipts r ON r.id = e.receipt_id "
        "LEFT JOIN cases ne ON ne.id = e.now_expected_case_id "
        "LEFT JOIN cases c ON c.id = (CASE WHEN e.case_id IS NULL THEN r.case_id ELSE e.case_id END) "
        "LEFT JOIN boxes b ON b.id = (CASE WHEN e.box_id IS NULL THEN r.box_id ELSE e.box_id END) "
        "WHERE e.status = 'open' ORDER BY e.kind, e.created_at, e.id");
    QMap<QString, qint64> byKind;
    while (s.next()) {
        const QDateTime raised = localTime(s.text(2), m_zone);
        const qint64 age = raised.isValid() ? raised.secsTo(m_now) / 86400 : 0;
        byKind[s.text(1)] += 1;
        const QString op = s.text(7);
        r.rows.append(QVariantList{
            s.int64(0), s.text(1), timeOrNull(raised), age, textOrNull(s, 3), textOrNull(s, 4),
            textOrNull(s, 5), s.text(6), op.isEmpty() ? QVariant() : QVariant(names.value(op)),
            s.isNull(8)
                ? QVariant()
                : QVariant(s.isNull(9) ? s.text(8)
                                       : QStringLiteral("%1 line %2").arg(s.text(8)).arg(s.int64(9)))});
    }
    r.totals.append({QStringLiteral("Open exceptions"), QString::number(r.rows.size())});
    for (auto it = byKind.cbegin(); it != byKind.cend(); ++it)
        r.totals.append({it.key(), QString::number(it.value())});
    return r;
}

std::optional<Report> ReportQueries::osdForCase(const QString &caseNumber)
{
    Statement s = m_db.prepare("SELECT id, case_number FROM cases WHERE case_number = ?1");
    if (!s.bind(1, caseNumber.trimmed().toUpper()).next())
        return std::nullopt;
    return osd(QStringLiteral("case %1").arg(s.text(1)), s.int64(0), QString());
}

std::optional<Report> ReportQueries::osdForBox(const QString &boxLabel)
{
    const QString label = boxLabel.trimmed().toUpper();
    Statement s = m_db.prepare("SELECT count(*) FROM boxes WHERE upper(label) = ?1");
    if (!s.bind(1, label).next() || s.int64(0) == 0)
        return std::nullopt;
    return osd(QStringLiteral("box %1").arg(label), std::nullopt, label);
}

std::optional<Report> ReportQueries::osd(const QString &subject, std::optional<qint64> caseId,
                                         const QString &boxLabel)
{
    Report r;
    r.name = QStringLiteral("osd");
    r.title = QStringLiteral("Over, short and damaged");
    r.subtitle = subject;
    r.columns = {col("type", QStringLiteral("Type"), Type::Text, 11),
                 col("case_number", QStringLiteral("Case"), Type::Text, 15),
                 col("line", QStringLiteral("Line"), Type::Integer, 5),
                 col("sku", QStringLiteral("SKU"), Type::Text, 14),
                 col("serial", QStringLiteral("Serial"), Type::Text, 16),
                 col("expected", QStringLiteral("Expected"), Type::Integer, 8),
                 col("received", QStringLiteral("Received"), Type::Integer, 8),
                 col("box", QStringLiteral("Box"), Type::Text, 14),
                 col("station", QStringLiteral("Station"), Type::Text, 9),
                 col("received_at", QStringLiteral("Received at"), Type::DateTime, 17),
                 col("operator", QStringLiteral("Operator"), Type::Text, 16),
                 col("note", QStringLiteral("Note"), Type::Text, 24)};
    const QHash<QString, QString> names = operatorNames();
    const QHash<qint64, QString> notes = conditionNotes();
    // The boxes in question and the cases they are for.
    QList<qint64> caseIds;
    if (caseId)
        caseIds.append(*caseId);
    if (!caseId) {
        Statement b = m_db.prepare("SELECT DISTINCT case_id FROM boxes WHERE upper(label) = ?1 AND case_id "
                                   "IS NOT NULL ORDER BY case_id");
        b.bind(1, boxLabel);
        while (b.next())
            caseIds.append(b.int64(0));
    }
    QHash<qint64, QString> caseNumbers;
    for (qint64 id : std::as_const(caseIds)) {
        Statement c = m_db.prepare("SELECT case_number FROM cases WHERE id = ?1");
        if (c.bind(1, id).next())
            caseNumbers.insert(id, c.text(0));
    }
    qint64 over = 0, shortLines = 0, shortUnits = 0, damaged = 0, notWorking = 0;
    const auto unitRow = [&](const QString &type, const Statement &s) {
        const qint64 id = s.int64(0);
        const QString op = s.text(8);
        return QVariantList{type,
                            textOrNull(s, 1),
                            intOrNull(s, 2),
                            textOrNull(s, 3),
                            s.text(4),
                            QVariant(),
                            QVariant(),
                            textOrNull(s, 5),
                            s.text(6),
                            timeOrNull(localTime(s.text(7), m_zone)),
                            op.isEmpty() ? QVariant() : QVariant(names.value(op)),
                            notes.contains(id) ? QVariant(notes.value(id)) : QVariant()};
    };
    // Over: live receipts in the subject's boxes that fill no line of the box's case.
    {
        Statement s = m_db.prepare(
            "SELECT r.id, c.case_number, r.line, r.sku, r.serial, b.label, r.station_id, r.received_at, "
            "r.operator_id FROM receipts r JOIN boxes b ON b.id = r.box_id LEFT JOIN cases c ON c.id = "
            "r.case_id "
            "WHERE r.voided = 0 AND (b.case_id = ?1 OR upper(b.label) = ?2) "
            "AND (r.line IS NULL OR NOT (r.case_id IS NOT DISTINCT FROM b.case_id)) ORDER BY r.received_at, "
            "r.id");
        caseId ? s.bind(1, *caseId) : s.bindNull(1);
        caseId ? s.bindNull(2) : s.bind(2, boxLabel);
        while (s.next()) {
            r.rows.append(unitRow(QStringLiteral("over"), s));
            ++over;
        }
    }
    // Short: the missing lines of the cases in question.
    for (qint64 id : std::as_const(caseIds)) {
        for (const CaseLines::Line &l : CaseLines(m_db).lines(id)) {
            if (l.complete())
                continue;
            ++shortLines;
            shortUnits += l.quantity - l.received;
            r.rows.append(QVariantList{QStringLiteral("short"), caseNumbers.value(id), l.line, l.sku,
                                       l.serial.isEmpty() ? QVariant() : QVariant(l.serial), l.quantity,
                                       l.received, QVariant(), QVariant(), QVariant(), QVariant(),
                                       l.description.isEmpty() ? QVariant() : QVariant(l.description)});
        }
    }
    // Damaged and not working: the case's units (wherever they were boxed), or the box's.
    {
        Statement s = m_db.prepare(
            "SELECT r.id, c.case_number, r.line, r.sku, r.serial, b.label, r.station_id, r.received_at, "
            "r.operator_id, r.condition FROM receipts r LEFT JOIN boxes b ON b.id = r.box_id "
            "LEFT JOIN cases c ON c.id = r.case_id WHERE r.voided = 0 AND r.condition <> 'working' "
            "AND (r.case_id = ?1 OR upper(b.label) = ?2) ORDER BY r.received_at, r.id");
        caseId ? s.bind(1, *caseId) : s.bindNull(1);
        caseId ? s.bindNull(2) : s.bind(2, boxLabel);
        while (s.next()) {
            const bool broken = s.text(9) == u"not_working";
            r.rows.append(unitRow(broken ? QStringLiteral("not working") : QStringLiteral("damaged"), s));
            ++(broken ? notWorking : damaged);
        }
    }
    r.totals = {{QStringLiteral("Over (units)"), QString::number(over)},
                {QStringLiteral("Short (lines)"), QString::number(shortLines)},
                {QStringLiteral("Short (units)"), QString::number(shortUnits)},
                {QStringLiteral("Damaged"), QString::number(damaged)},
                {QStringLiteral("Not working"), QString::number(notWorking)}};
    return r;
}
