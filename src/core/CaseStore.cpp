// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseStore.h"
#include "AuditLog.h"
#include "CaseChanges.h"
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
        if (summary.inserted + summary.updated > 0)
            summary.nowExpected = CaseChanges(m_db).rematch();
        AuditLog::append(
            m_db, AuditLog::Entry{
                      isoUtc(QDateTime::currentDateTimeUtc()), QString(), actor,
                      QStringLiteral("cases_imported"), QString(),
                      QStringLiteral("{\"inserted\":%1,\"updated\":%2,\"unchanged\":%3,\"now_expected\":%4}")
                          .arg(summary.inserted)
                          .arg(summary.updated)
                          .arg(summary.unchanged)
                          .arg(summary.nowExpected)});
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
    static const CaseChanges::Source sources[] = {
        CaseChanges::Source::Upstream, CaseChanges::Source::ImportCases, CaseChanges::Source::DemoData};
    const CaseChanges::Result res =
        CaseChanges(m_db).apply(r, CaseChanges::Context{sources[int(origin)], actor,
                                                        isoUtc(QDateTime::currentDateTimeUtc()), QString()});
    switch (res.change) {
    case CaseChanges::Change::Inserted:
        return Upsert::Inserted;
    case CaseChanges::Change::Updated:
        return Upsert::Updated;
    case CaseChanges::Change::Unchanged:
        break;
    }
    return Upsert::Unchanged;
}

int CaseStore::rematch()
{
    return CaseChanges(m_db).rematch();
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
