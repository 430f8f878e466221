// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseStore.h"
#include "AuditLog.h"
#include "CaseLines.h"
#include "Clock.h"
#include "Database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

CaseStore::CaseStore(Database &db) : m_db(db) {}

std::optional<CaseStore::ImportSummary> CaseStore::importJson(const QByteArray &json, const QString &actor,
                                                              QString *error)
{
    const auto fail = [&](const QString &msg) {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(QStringLiteral("The file is not valid JSON (%1 at byte %2).")
                        .arg(pe.errorString())
                        .arg(pe.offset));
    if (!doc.isObject() || !doc.object().value(QLatin1String("cases")).isArray())
        return fail(
            QStringLiteral("The file must hold an object with a \"cases\" list: {\"cases\": [...]}."));
    const QJsonArray array = doc.object().value(QLatin1String("cases")).toArray();
    QList<CaseRecord> records;
    records.reserve(array.size());
    QSet<QString> numbers;
    QHash<QString, QString> trackingOwner;
    for (qsizetype i = 0; i < array.size(); ++i) {
        QString why;
        std::optional<CaseRecord> r = CaseRecord::fromJson(array.at(i).toObject(), &why);
        if (!r)
            return fail(QStringLiteral("Case #%1 in the file is not valid: %2. Nothing was imported.")
                            .arg(i + 1)
                            .arg(why));
        if (numbers.contains(r->caseNumber))
            return fail(QStringLiteral("Case %1 appears twice in the file. Nothing was imported.")
                            .arg(r->caseNumber));
        numbers.insert(r->caseNumber);
        for (const QString &t : std::as_const(r->trackingNumbers)) {
            const QString owner = trackingOwner.value(t);
            if (!owner.isEmpty() && owner != r->caseNumber)
                return fail(
                    QStringLiteral("Tracking number %1 is listed on cases %2 and %3. Nothing was imported.")
                        .arg(t, owner, r->caseNumber));
            trackingOwner.insert(t, r->caseNumber);
        }
        records.append(std::move(*r));
    }
    ImportSummary summary;
    try {
        Transaction tx(m_db);
        for (const CaseRecord &r : std::as_const(records)) {
            switch (upsertAs(r, Origin::Import, actor)) {
            case Upsert::Inserted:
                ++summary.inserted;
                break;
            case Upsert::Updated:
                ++summary.updated;
                break;
            case Upsert::Unchanged:
                ++summary.unchanged;
                break;
            }
            summary.items += r.items.size();
        }
        AuditLog::append(m_db,
                         AuditLog::Entry{isoUtc(QDateTime::currentDateTimeUtc()), QString(), actor,
                                         QStringLiteral("cases_imported"), QString(),
                                         QStringLiteral("{\"inserted\":%1,\"updated\":%2,\"unchanged\":%3}")
                                             .arg(summary.inserted)
                                             .arg(summary.updated)
                                             .arg(summary.unchanged)});
        tx.commit();
    } catch (const DbException &e) {
        return fail(QStringLiteral("Nothing was imported: %1").arg(e.error().message));
    }
    return summary;
}

CaseStore::Upsert CaseStore::upsert(const CaseRecord &record, Origin origin)
{
    return upsertAs(record, origin, QString());
}

CaseStore::Upsert CaseStore::upsertAs(const CaseRecord &r, Origin origin, const QString &actor)
{
    std::optional<qint64> id;
    bool existed = false;
    QString updatedBefore;
    {
        Statement s = m_db.prepare("SELECT id, updated_at FROM cases WHERE case_number = ?1");
        if (s.bind(1, r.caseNumber).next()) {
            if (s.text(1) >= r.updatedAt)
                return Upsert::Unchanged;
            id = s.int64(0);
            updatedBefore = s.text(1);
            existed = true;
        }
    }
    qint64 linesBefore = 0;
    if (existed) {
        Statement n = m_db.prepare("SELECT count(*) FROM expected_items WHERE case_id = ?1");
        if (n.bind(1, *id).next())
            linesBefore = n.int64(0);
    }
    Statement up = m_db.prepare(
        "INSERT INTO cases (case_number, program, phase, disposition, status, customer_name, "
        "customer_account, "
        "partner, order_date, due_date, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT(case_number) DO UPDATE SET program = excluded.program, phase = excluded.phase, "
        "disposition = excluded.disposition, status = excluded.status, customer_name = "
        "excluded.customer_name, "
        "customer_account = excluded.customer_account, partner = excluded.partner, "
        "order_date = excluded.order_date, due_date = excluded.due_date, updated_at = excluded.updated_at");
    up.bind(1, r.caseNumber).bind(2, r.program).bind(3, r.phase).bind(4, r.disposition).bind(5, r.status);
    up.bind(6, r.customerName).bind(7, r.customerAccount).bind(8, r.partner);
    up.bind(9, r.orderDate.toString(Qt::ISODate))
        .bind(10, r.dueDate.toString(Qt::ISODate))
        .bind(11, r.updatedAt);
    up.exec();
    if (!id) {
        id = m_db.lastInsertId();
    } else {
        Statement d1 = m_db.prepare("DELETE FROM expected_items WHERE case_id = ?1");
        d1.bind(1, *id).exec();
        Statement d2 = m_db.prepare("DELETE FROM case_tracking WHERE case_id = ?1");
        d2.bind(1, *id).exec();
    }
    Statement t = m_db.prepare("INSERT INTO case_tracking (tracking_number, case_id) VALUES (?1, ?2) "
                               "ON CONFLICT(tracking_number) DO UPDATE SET case_id = excluded.case_id");
    for (const QString &tn : r.trackingNumbers)
        t.bind(1, tn).bind(2, *id).exec();
    Statement it =
        m_db.prepare("INSERT INTO expected_items (case_id, line, sku, description, serial, quantity) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const CaseRecord::Item &item : r.items) {
        it.bind(1, *id).bind(2, item.line).bind(3, item.sku).bind(4, item.description);
        item.serial.isEmpty() ? it.bindNull(5) : it.bind(5, item.serial);
        it.bind(6, item.quantity).exec();
    }
    // A case changed from outside is what a later dispute turns on ("the case never listed that serial"), so
    // its arrival is in the audit chain with the change itself.
    static const char *const sources[] = {"upstream", "import-cases", "demo-data"};
    const QString source = QLatin1String(sources[int(origin)]);
    QJsonObject details{
        {QStringLiteral("source"), source},
        {QStringLiteral("change"), existed ? QStringLiteral("updated") : QStringLiteral("inserted")},
        {QStringLiteral("lines_before"), linesBefore},
        {QStringLiteral("lines_after"), qint64(r.items.size())},
        {QStringLiteral("updated_at"), r.updatedAt}};
    if (existed)
        details.insert(QStringLiteral("updated_at_before"), updatedBefore);
    AuditLog::append(
        m_db, AuditLog::Entry{isoUtc(QDateTime::currentDateTimeUtc()), QString(),
                              actor.isEmpty() ? source : actor, QStringLiteral("case_changed"), r.caseNumber,
                              QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
    return existed ? Upsert::Updated : Upsert::Inserted;
}

std::optional<QJsonObject> CaseStore::detail(const QString &caseNumber)
{
    Statement c = m_db.prepare("SELECT id, case_number, program, phase, disposition, status, customer_name, "
                               "customer_account, partner, order_date, due_date, updated_at FROM cases "
                               "WHERE case_number = ?1");
    if (!c.bind(1, caseNumber.toUpper()).next())
        return std::nullopt;
    const qint64 id = c.int64(0);
    const auto orNull = [](const QString &s) {
        return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
    };
    QJsonObject o{
        {QStringLiteral("case_number"), c.text(1)},
        {QStringLiteral("program"), c.text(2)},
        {QStringLiteral("phase"), c.int64(3)},
        {QStringLiteral("disposition"), c.text(4)},
        {QStringLiteral("status"), c.text(5)},
        {QStringLiteral("customer"),
         QJsonObject{{QStringLiteral("name"), c.text(6)}, {QStringLiteral("account_id"), orNull(c.text(7))}}},
        {QStringLiteral("partner"), orNull(c.text(8))},
        {QStringLiteral("order_date"), c.text(9)},
        {QStringLiteral("due_date"), c.text(10)},
        {QStringLiteral("updated_at"), c.text(11)},
    };
    QJsonArray tracking;
    Statement t = m_db.prepare("SELECT tracking_number FROM case_tracking WHERE case_id = ?1 ORDER BY 1");
    t.bind(1, id);
    while (t.next())
        tracking.append(t.text(0));
    o.insert(QStringLiteral("tracking_numbers"), tracking);

    QJsonArray items;
    qint64 expectedUnits = 0, receivedUnits = 0;
    for (const CaseLines::Line &l : CaseLines(m_db).lines(id, true)) {
        const qint64 qty = l.quantity, got = l.received;
        expectedUnits += qty;
        receivedUnits += std::min(got, qty);
        items.append(QJsonObject{
            {QStringLiteral("line"), l.line},
            {QStringLiteral("sku"), l.sku},
            {QStringLiteral("description"), l.description},
            {QStringLiteral("serial"), orNull(l.serial)},
            {QStringLiteral("quantity"), qty},
            {QStringLiteral("received"), got},
            {QStringLiteral("received_serials"), QJsonArray::fromStringList(l.receivedSerials)},
            {QStringLiteral("complete"), l.complete()},
        });
    }
    o.insert(QStringLiteral("items"), items);
    o.insert(QStringLiteral("expected_units"), expectedUnits);
    o.insert(QStringLiteral("received_units"), receivedUnits);
    return o;
}
