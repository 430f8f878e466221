// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseChanges.h"
#include "AuditLog.h"
#include "Database.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

namespace {
// The kinds a case change can turn into "now expected"; case_closed only for its own case reopened.
constexpr const char *RematchKinds =
    "('unexpected', 'unmatched', 'already_received', 'ambiguous', 'case_closed')";

bool sameItem(const CaseRecord::Item &a, const CaseRecord::Item &b)
{
    return a.sku == b.sku && a.description == b.description && a.serial == b.serial &&
           a.quantity == b.quantity;
}

QJsonArray ints(const QList<int> &list)
{
    QJsonArray a;
    for (int i : list)
        a.append(i);
    return a;
}
} // namespace

CaseChanges::CaseChanges(Database &db) : m_db(db) {}

QString CaseChanges::sourceName(Source source)
{
    static const char *const names[] = {"upstream", "import-cases", "demo-data", "import-form"};
    return QLatin1String(names[int(source)]);
}

QJsonObject CaseChanges::Result::toJson() const
{
    QJsonArray moves, orphans;
    for (const Moved &m : moved)
        moves.append(QJsonObject{{QStringLiteral("serial"), m.serial},
                                 {QStringLiteral("from_line"), m.fromLine},
                                 {QStringLiteral("to_line"), m.toLine}});
    for (const Orphaned &o : orphaned)
        orphans.append(QJsonObject{{QStringLiteral("serial"), o.serial},
                                   {QStringLiteral("line"), o.line},
                                   {QStringLiteral("receipt_id"), o.receiptId},
                                   {QStringLiteral("exception_id"), o.exceptionId}});
    return QJsonObject{
        {QStringLiteral("lines_before"), linesBefore},    {QStringLiteral("lines_after"), linesAfter},
        {QStringLiteral("lines_added"), ints(added)},     {QStringLiteral("lines_changed"), ints(changed)},
        {QStringLiteral("lines_removed"), ints(removed)}, {QStringLiteral("receipts_moved"), moves},
        {QStringLiteral("receipts_orphaned"), orphans}};
}

QList<std::optional<int>> CaseChanges::placeReceipts(const QList<CaseRecord::Item> &newLines,
                                                     const QList<Receipt> &receipts)
{
    QHash<QString, int> lineOfSerial;
    QMap<int, const CaseRecord::Item *> byLine;
    QHash<int, int> room; // serial-less lines: units they still take
    for (const CaseRecord::Item &it : newLines) {
        byLine.insert(it.line, &it);
        if (it.serial.isEmpty())
            room.insert(it.line, it.quantity);
        else
            lineOfSerial.insert(it.serial, it.line);
    }
    QList<std::optional<int>> placed(receipts.size());
    // 1. The line that lists the unit's serial takes it (a unit bound by SKU whose serial the customer
    // added).
    for (qsizetype i = 0; i < receipts.size(); ++i) {
        const auto l = lineOfSerial.constFind(receipts.at(i).serial);
        if (l != lineOfSerial.constEnd())
            placed[i] = *l;
    }
    const auto fits = [&](int line, const Receipt &r) {
        const CaseRecord::Item *it = byLine.value(line);
        return it && it->serial.isEmpty() && room.value(line) > 0 && (r.sku.isEmpty() || it->sku == r.sku);
    };
    // 2. Its own line, while that line is still serial-less for its SKU and has room.
    for (qsizetype i = 0; i < receipts.size(); ++i) {
        if (placed.at(i) || !fits(receipts.at(i).line, receipts.at(i)))
            continue;
        placed[i] = receipts.at(i).line;
        --room[receipts.at(i).line];
    }
    // 3. Another serial-less line of its SKU with room, in line order.
    for (qsizetype i = 0; i < receipts.size(); ++i) {
        if (placed.at(i) || receipts.at(i).sku.isEmpty())
            continue;
        for (auto it = byLine.cbegin(); it != byLine.cend(); ++it) {
            if (fits(it.key(), receipts.at(i))) {
                placed[i] = it.key();
                --room[it.key()];
                break;
            }
        }
    }
    return placed;
}

std::optional<CaseRecord> CaseChanges::load(const QString &caseNumber)
{
    Statement c = m_db.prepare("SELECT id, case_number, program, phase, disposition, status, customer_name, "
                               "customer_account, partner, order_date, due_date, updated_at FROM cases "
                               "WHERE case_number = ?1");
    if (!c.bind(1, caseNumber.trimmed().toUpper()).next())
        return std::nullopt;
    CaseRecord r;
    const qint64 id = c.int64(0);
    r.caseNumber = c.text(1);
    r.program = c.text(2);
    r.phase = int(c.int64(3));
    r.disposition = c.text(4);
    r.status = c.text(5);
    r.customerName = c.text(6);
    r.customerAccount = c.text(7);
    r.partner = c.text(8);
    r.orderDate = QDate::fromString(c.text(9), Qt::ISODate);
    r.dueDate = QDate::fromString(c.text(10), Qt::ISODate);
    r.updatedAt = c.text(11);
    c.reset();
    Statement t = m_db.prepare("SELECT tracking_number FROM case_tracking WHERE case_id = ?1 ORDER BY 1");
    t.bind(1, id);
    while (t.next())
        r.trackingNumbers.append(t.text(0));
    Statement l = m_db.prepare("SELECT line, sku, description, serial, quantity FROM expected_items "
                               "WHERE case_id = ?1 ORDER BY line");
    l.bind(1, id);
    while (l.next())
        r.items.append(CaseRecord::Item{int(l.int64(0)), l.text(1), l.text(2), l.text(3), int(l.int64(4))});
    return r;
}

CaseChanges::Result CaseChanges::apply(const CaseRecord &r, const Context &ctx, bool force)
{
    Result res;
    QString updatedBefore;
    std::optional<qint64> id;
    {
        Statement s = m_db.prepare("SELECT id, updated_at FROM cases WHERE case_number = ?1");
        if (s.bind(1, r.caseNumber).next()) {
            if (!force && s.text(1) >= r.updatedAt)
                return res;
            id = s.int64(0);
            updatedBefore = s.text(1);
        }
    }
    const bool existed = id.has_value();
    QMap<int, CaseRecord::Item> before;
    if (existed) {
        Statement l = m_db.prepare("SELECT line, sku, description, serial, quantity FROM expected_items "
                                   "WHERE case_id = ?1");
        l.bind(1, *id);
        while (l.next())
            before.insert(int(l.int64(0)), CaseRecord::Item{int(l.int64(0)), l.text(1), l.text(2), l.text(3),
                                                            int(l.int64(4))});
    }
    Statement up = m_db.prepare(
        "INSERT INTO cases (case_number, program, phase, disposition, status, customer_name, "
        "customer_account, partner, order_date, due_date, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT(case_number) DO UPDATE SET program = excluded.program, phase = excluded.phase, "
        "disposition = excluded.disposition, status = excluded.status, "
        "customer_name = excluded.customer_name, customer_account = excluded.customer_account, "
        "partner = excluded.partner, order_date = excluded.order_date, due_date = excluded.due_date, "
        "updated_at = excluded.updated_at");
    up.bind(1, r.caseNumber).bind(2, r.program).bind(3, r.phase).bind(4, r.disposition).bind(5, r.status);
    up.bind(6, r.customerName).bind(7, r.customerAccount).bind(8, r.partner);
    up.bind(9, r.orderDate.toString(Qt::ISODate))
        .bind(10, r.dueDate.toString(Qt::ISODate))
        .bind(11, r.updatedAt);
    up.exec();
    if (!id) {
        id = m_db.lastInsertId();
    } else {
        Statement d = m_db.prepare("DELETE FROM case_tracking WHERE case_id = ?1");
        d.bind(1, *id).exec();
    }
    res.caseId = *id;
    Statement t = m_db.prepare("INSERT INTO case_tracking (tracking_number, case_id) VALUES (?1, ?2) "
                               "ON CONFLICT(tracking_number) DO UPDATE SET case_id = excluded.case_id");
    for (const QString &tn : r.trackingNumbers)
        t.bind(1, tn).bind(2, *id).exec();

    // The lines: only what differs is written.
    QSet<int> after;
    for (const CaseRecord::Item &item : r.items) {
        after.insert(item.line);
        const auto old = before.constFind(item.line);
        if (old == before.constEnd())
            res.added.append(item.line);
        else if (!sameItem(*old, item))
            res.changed.append(item.line);
    }
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!after.contains(it.key()))
            res.removed.append(it.key());
    }
    std::sort(res.added.begin(), res.added.end());
    std::sort(res.changed.begin(), res.changed.end());
    Statement del = m_db.prepare("DELETE FROM expected_items WHERE case_id = ?1 AND line = ?2");
    for (int l : std::as_const(res.removed))
        del.bind(1, *id).bind(2, l).exec();
    Statement upd = m_db.prepare("UPDATE expected_items SET sku = ?3, description = ?4, serial = ?5, "
                                 "quantity = ?6 WHERE case_id = ?1 AND line = ?2");
    Statement ins = m_db.prepare("INSERT INTO expected_items (case_id, line, sku, description, serial, "
                                 "quantity) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const CaseRecord::Item &item : r.items) {
        const bool isNew = !before.contains(item.line);
        if (!isNew && !res.changed.contains(item.line))
            continue;
        Statement &s = isNew ? ins : upd;
        s.bind(1, *id).bind(2, item.line).bind(3, item.sku).bind(4, item.description);
        item.serial.isEmpty() ? s.bindNull(5) : s.bind(5, item.serial);
        s.bind(6, item.quantity).exec();
    }

    // The units already received on the case's lines keep their receipts.
    if (existed && (!res.changed.isEmpty() || !res.removed.isEmpty() || !res.added.isEmpty())) {
        QList<Receipt> receipts;
        QList<std::optional<qint64>> boxes;
        QStringList stations;
        Statement s = m_db.prepare("SELECT id, serial, sku, line, box_id, station_id FROM receipts "
                                   "WHERE case_id = ?1 AND voided = 0 AND line IS NOT NULL ORDER BY id");
        s.bind(1, *id);
        while (s.next()) {
            receipts.append(Receipt{s.int64(0), s.text(1), s.text(2), int(s.int64(3))});
            boxes.append(s.isNull(4) ? std::nullopt : std::optional<qint64>(s.int64(4)));
            stations.append(s.text(5));
        }
        const QList<std::optional<int>> placed = placeReceipts(r.items, receipts);
        Statement move = m_db.prepare("UPDATE receipts SET line = ?2 WHERE id = ?1");
        Statement exc =
            m_db.prepare("INSERT INTO exceptions (kind, receipt_id, box_id, case_id, serial, "
                         "station_id, notes, created_at) VALUES ('unexpected', ?1, ?2, ?3, ?4, ?5, "
                         "?6, ?7)");
        for (qsizetype i = 0; i < receipts.size(); ++i) {
            const Receipt &rc = receipts.at(i);
            if (placed.at(i) == rc.line)
                continue;
            if (placed.at(i)) {
                move.bind(1, rc.id).bind(2, *placed.at(i)).exec();
                res.moved.append(Moved{rc.serial, rc.line, *placed.at(i)});
                continue;
            }
            move.bind(1, rc.id).bindNull(2).exec();
            const QString note =
                QStringLiteral("Received on line %1 of case %2, which %3 no longer lists (%4); the unit is "
                               "kept, off the case's lines.")
                    .arg(rc.line)
                    .arg(r.caseNumber, ctx.why.isEmpty() ? sourceName(ctx.source) : ctx.why, ctx.now);
            exc.bind(1, rc.id);
            boxes.at(i) ? exc.bind(2, *boxes.at(i)) : exc.bindNull(2);
            exc.bind(3, *id).bind(4, rc.serial).bind(5, stations.at(i)).bind(6, note).bind(7, ctx.now).exec();
            res.orphaned.append(Orphaned{rc.serial, rc.line, rc.id, m_db.lastInsertId()});
        }
    }

    res.change = existed ? Change::Updated : Change::Inserted;
    res.linesBefore = int(before.size());
    res.linesAfter = int(r.items.size());
    // A case changed from outside is what a later dispute turns on ("the case never listed that serial"), so
    // its arrival is in the audit chain with the change itself.
    const QString source = sourceName(ctx.source);
    QJsonObject details = res.toJson();
    details.insert(QStringLiteral("source"), source);
    details.insert(QStringLiteral("change"),
                   existed ? QStringLiteral("updated") : QStringLiteral("inserted"));
    details.insert(QStringLiteral("updated_at"), r.updatedAt);
    if (existed)
        details.insert(QStringLiteral("updated_at_before"), updatedBefore);
    if (!ctx.why.isEmpty())
        details.insert(QStringLiteral("why"), ctx.why);
    AuditLog::append(
        m_db, AuditLog::Entry{ctx.now, QString(), ctx.actor.isEmpty() ? source : ctx.actor,
                              QStringLiteral("case_changed"), r.caseNumber,
                              QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
    return res;
}

int CaseChanges::rematch()
{
    // An open line of an open trade-in case that lists the serial, when exactly one does; never for a unit
    // whose serial is received on a line already.
    const QByteArray candidates =
        QByteArray("SELECT e.serial AS serial, min(e.case_id) AS case_id, min(e.line) AS line "
                   "FROM expected_items e JOIN cases c ON c.id = e.case_id "
                   "WHERE c.status = 'open' AND c.disposition = 'trade_in' AND e.serial IN "
                   "(SELECT x.serial FROM exceptions x WHERE x.status = 'open' AND x.kind IN ") +
        RematchKinds +
        ") AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.case_id = e.case_id AND r.line = e.line "
        "AND r.voided = 0) "
        "GROUP BY e.serial HAVING count(*) = 1";
    const QByteArray clear =
        "UPDATE exceptions SET now_expected_case_id = NULL, now_expected_line = NULL "
        "WHERE now_expected_case_id IS NOT NULL AND (status <> 'open' OR NOT EXISTS (SELECT 1 FROM (" +
        candidates +
        ") k WHERE k.serial = exceptions.serial AND k.case_id = exceptions.now_expected_case_id "
        "AND k.line = exceptions.now_expected_line) OR EXISTS (SELECT 1 FROM receipts r "
        "WHERE r.serial = exceptions.serial AND r.voided = 0 AND r.line IS NOT NULL))";
    m_db.prepare(clear.constData()).exec();
    const QByteArray mark =
        "UPDATE exceptions SET now_expected_case_id = k.case_id, now_expected_line = k.line FROM (" +
        candidates + ") k WHERE exceptions.serial = k.serial AND exceptions.status = 'open' " +
        "AND exceptions.kind IN " + RematchKinds +
        " AND (exceptions.kind <> 'case_closed' OR exceptions.case_id = k.case_id) "
        "AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.serial = exceptions.serial AND r.voided = 0 "
        "AND r.line IS NOT NULL) "
        "AND (exceptions.now_expected_case_id IS NULL OR exceptions.now_expected_case_id <> k.case_id "
        "OR exceptions.now_expected_line <> k.line)";
    m_db.prepare(mark.constData()).exec();
    return m_db.changes();
}

QString CaseChanges::rematched(qint64 oldReceiptId, qint64 caseId, const QString &operatorId,
                               const QString &now)
{
    Statement v = m_db.prepare("UPDATE receipts SET voided = 1, voided_at = ?2 WHERE id = ?1");
    v.bind(1, oldReceiptId).bind(2, now).exec();
    Statement x = m_db.prepare(
        "UPDATE exceptions SET status = 'resolved', resolution = 'rematched', resolver = ?2, notes = ?3, "
        "resolved_at = ?4, case_id = ?5, now_expected_case_id = NULL, now_expected_line = NULL "
        "WHERE receipt_id = ?1 AND status = 'open'");
    x.bind(1, oldReceiptId);
    operatorId.isEmpty() ? x.bindNull(2) : x.bind(2, operatorId);
    x.bind(3, QStringLiteral("Rescanned after its case listed it: received on its case line."));
    x.bind(4, now).bind(5, caseId).exec();
    // Not sent yet (held with its box): dropped. Pending may be on the wire already, so it is superseded.
    Statement drop = m_db.prepare("UPDATE outbox SET state = 'cancelled' WHERE receipt_id = ?1 "
                                  "AND kind = 'unmatched' AND state = 'held'");
    drop.bind(1, oldReceiptId).exec();
    Statement sent =
        m_db.prepare("SELECT idempotency_key FROM outbox WHERE receipt_id = ?1 AND kind = "
                     "'unmatched' AND state IN ('pending', 'delivered', 'dead') ORDER BY id DESC");
    return sent.bind(1, oldReceiptId).next() ? sent.text(0) : QString();
}
