// SPDX-License-Identifier: GPL-3.0-or-later
#include "DemoData.h"
#include "AuditLog.h"
#include "CaseRecord.h"
#include "CaseStore.h"
#include "Clock.h"
#include "Database.h"
#include "Operators.h"

#include <QTimeZone>

namespace {
using Item = CaseRecord::Item;

CaseRecord makeCase(const QString &number, int phase, const QString &disposition, const QString &status,
                    const QString &customer, const QString &account, const QString &partner, QDate order,
                    QDate due, QStringList tracking, QList<Item> items, const QDate &today)
{
    CaseRecord r;
    r.caseNumber = number;
    r.phase = phase;
    r.disposition = disposition;
    r.status = status;
    r.customerName = customer;
    r.customerAccount = account;
    r.partner = partner;
    r.orderDate = order;
    r.dueDate = due;
    r.trackingNumbers = std::move(tracking);
    r.items = std::move(items);
    r.updatedAt = QDateTime(today.addDays(-1), QTime(12, 0), Qt::UTC).toString(Qt::ISODateWithMs);
    return r;
}

QList<CaseRecord> demoCases(const QDate &t)
{
    QList<CaseRecord> cases;
    // A phase-2 MX migration: chassis, line cards with serials, and two SRX units whose serials the customer
    // will only know at the dock.
    cases << makeCase(
        QStringLiteral("2026-1103-0001"), 2, QStringLiteral("trade_in"), QStringLiteral("open"),
        QStringLiteral("Acme Regional Networks"), QStringLiteral("ACC-104233"),
        QStringLiteral("Lone Star Integrators"), t.addDays(-30), t.addDays(60),
        {QStringLiteral("1Z999AA10123456784")},
        {Item{1, QStringLiteral("CHAS-BP3-MX960-S"), QStringLiteral("MX960 chassis"),
              QStringLiteral("JN11F3A2BAFA"), 1},
         Item{2, QStringLiteral("MPC7E-10G"), QStringLiteral("MPC7E 40x10GE line card"),
              QStringLiteral("CAHZ4512"), 1},
         Item{3, QStringLiteral("MPC7E-10G"), QStringLiteral("MPC7E 40x10GE line card"),
              QStringLiteral("CAHZ4519"), 1},
         Item{4, QStringLiteral("SRX345"), QStringLiteral("SRX345 services gateway"), QString(), 2}},
        t);
    // Campus switches due within two weeks with nothing received yet.
    cases << makeCase(QStringLiteral("2026-1020-0002"), 1, QStringLiteral("trade_in"), QStringLiteral("open"),
                      QStringLiteral("Hill Country Credit Union"), QStringLiteral("ACC-220871"), QString(),
                      t.addDays(-80), t.addDays(10), {QStringLiteral("123456789012")},
                      {Item{1, QStringLiteral("EX4300-48T"), QStringLiteral("EX4300 48-port switch"),
                            QStringLiteral("PE3716460123"), 1},
                       Item{2, QStringLiteral("EX4300-48T"), QStringLiteral("EX4300 48-port switch"),
                            QStringLiteral("PE3716460124"), 1},
                       Item{3, QStringLiteral("EX4300-48T"), QStringLiteral("EX4300 48-port switch"),
                            QStringLiteral("PE3716460125"), 1}},
                      t);
    // Past its three months: receipts are flagged late.
    cases << makeCase(QStringLiteral("2026-0610-0003"), 1, QStringLiteral("trade_in"), QStringLiteral("open"),
                      QStringLiteral("Bayou Data Centers"), QStringLiteral("ACC-330019"), QString(),
                      t.addDays(-150), t.addDays(-58), {QStringLiteral("9400100000000000000017")},
                      {Item{1, QStringLiteral("QFX5100-48S-AFO"), QStringLiteral("QFX5100 48-port SFP+"),
                            QStringLiteral("WS3718090001"), 1},
                       Item{2, QStringLiteral("QFX5100-48S-AFO"), QStringLiteral("QFX5100 48-port SFP+"),
                            QStringLiteral("WS3718090002"), 1}},
                      t);
    // Closed upstream: a unit arriving for it goes to exceptions.
    cases << makeCase(QStringLiteral("2026-0815-0004"), 1, QStringLiteral("trade_in"),
                      QStringLiteral("closed"), QStringLiteral("Gulf Coast Telecom"),
                      QStringLiteral("ACC-118804"), QString(), t.addDays(-100), t.addDays(-8), {},
                      {Item{1, QStringLiteral("SRX345"), QStringLiteral("SRX345 services gateway"),
                            QStringLiteral("CW0218AF0042"), 1}},
                      t);
    // The customer destroys the equipment: nothing should ship here.
    cases << makeCase(QStringLiteral("2026-1001-0005"), 2, QStringLiteral("destruction"),
                      QStringLiteral("open"), QStringLiteral("Permian Energy IT"),
                      QStringLiteral("ACC-441902"), QString(), t.addDays(-40), t.addDays(50), {},
                      {Item{1, QStringLiteral("MX480-PREMIUM2-AC"), QStringLiteral("MX480 chassis"),
                            QStringLiteral("JN12A7C1DAFB"), 1}},
                      t);
    // Cancelled by the customer.
    cases << makeCase(QStringLiteral("2026-1012-0006"), 1, QStringLiteral("trade_in"),
                      QStringLiteral("cancelled"), QStringLiteral("Alamo Health Partners"),
                      QStringLiteral("ACC-553310"), QString(), t.addDays(-45), t.addDays(45), {},
                      {Item{1, QStringLiteral("EX4300-48T"), QStringLiteral("EX4300 48-port switch"),
                            QStringLiteral("PE3716469999"), 1}},
                      t);
    // Two open cases list the same line card (a customer re-registered it): scanning it is ambiguous.
    cases << makeCase(QStringLiteral("2026-1105-0007"), 2, QStringLiteral("trade_in"), QStringLiteral("open"),
                      QStringLiteral("Acme Regional Networks"), QStringLiteral("ACC-104233"), QString(),
                      t.addDays(-20), t.addDays(70), {QStringLiteral("1Z12345E0205271688")},
                      {Item{1, QStringLiteral("MPC7E-MRATE"), QStringLiteral("MPC7E multi-rate line card"),
                            QStringLiteral("CAKB7701"), 1},
                       Item{2, QStringLiteral("MX960-SCBE3"), QStringLiteral("MX960 switch control board"),
                            QStringLiteral("CAKC1002"), 1}},
                      t);
    cases << makeCase(QStringLiteral("2026-1106-0008"), 2, QStringLiteral("trade_in"), QStringLiteral("open"),
                      QStringLiteral("Acme Regional Networks"), QStringLiteral("ACC-104233"), QString(),
                      t.addDays(-19), t.addDays(71), {},
                      {Item{1, QStringLiteral("MPC7E-MRATE"), QStringLiteral("MPC7E multi-rate line card"),
                            QStringLiteral("CAKB7701"), 1}},
                      t);
    return cases;
}
} // namespace

QString DemoData::bulkSerial(qint64 index)
{
    // Juniper-like 12-character serials: two letters and ten hex digits, unique per index.
    return QStringLiteral("BK%1")
        .arg(quint64(index) * 2654435761ULL % 0xFFFFFFFFFFULL, 10, 16, QLatin1Char('0'))
        .toUpper();
}

QString DemoData::bulkCaseNumber(qint64 caseIndex)
{
    return QStringLiteral("9000-0000-%1").arg(caseIndex, 6, 10, QLatin1Char('0'));
}

QString DemoData::refusal(Database &db)
{
    QStringList demo;
    for (const CaseRecord &r : demoCases(QDate(2026, 1, 1)))
        demo << r.caseNumber;
    Statement s = db.prepare("SELECT case_number FROM cases WHERE case_number NOT LIKE '9000-0000-%' "
                             "ORDER BY case_number");
    qint64 foreign = 0;
    QString first;
    while (s.next()) {
        if (demo.contains(s.text(0)))
            continue;
        if (foreign++ == 0)
            first = s.text(0);
    }
    if (foreign == 0)
        return QString();
    return QStringLiteral("This database holds %1 case(s) that demo-data did not make (for example %2): demo "
                          "cases and badges with known PINs do not belong there. Use a new database file "
                          "for the demo.")
        .arg(foreign)
        .arg(first);
}

DemoData::Summary DemoData::write(Database &db, const Options &o)
{
    Summary s;
    CaseStore store(db);
    Transaction tx(db);
    for (const CaseRecord &r : demoCases(o.today)) {
        store.upsert(r, CaseStore::Origin::Demo);
        ++s.cases;
        for (const Item &it : r.items)
            s.serials += it.serial.isEmpty() ? 0 : 1;
    }
    // The bulk cases are benchmark fixtures (a million serials are 100,000 cases), written by plain upserts
    // with one summary audit row. CaseStore's row per case made `demo-data --serials 1000000` about 30 %
    // slower (10.8 against 8.3 seconds) and its database 127 MB instead of 94 MB. refusal() keeps these cases
    // out of any database holding real ones. A case's lines depend only on its index, so an existing case
    // only has its dates moved (when written for a later --today) and its missing lines added.
    static const QStringList skus{QStringLiteral("MX960-PREMIUM-AC"), QStringLiteral("MPC7E-10G"),
                                  QStringLiteral("EX4300-48T"), QStringLiteral("SRX345"),
                                  QStringLiteral("QFX5100-48S-AFO")};
    constexpr int perCase = 10;
    Statement bulkCase =
        db.prepare("INSERT INTO cases (case_number, program, phase, disposition, status, customer_name, "
                   "customer_account, partner, order_date, due_date, updated_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                   "ON CONFLICT(case_number) DO UPDATE SET order_date = excluded.order_date, "
                   "due_date = excluded.due_date, updated_at = excluded.updated_at "
                   "WHERE excluded.updated_at > cases.updated_at RETURNING id");
    Statement bulkItem =
        db.prepare("INSERT INTO expected_items (case_id, line, sku, description, serial, quantity) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(case_id, line) DO NOTHING");
    qint64 bulkCases = 0, bulkLines = 0;
    QString firstBulk, lastBulk;
    for (qint64 first = 0, caseIndex = 1; first < o.bulkSerials; first += perCase, ++caseIndex) {
        QList<Item> items;
        for (int i = 0; i < perCase && first + i < o.bulkSerials; ++i)
            items.append(
                Item{i + 1, skus.at((first + i) % skus.size()), QString(), bulkSerial(first + i), 1});
        s.serials += items.size();
        ++s.cases;
        const CaseRecord r =
            makeCase(bulkCaseNumber(caseIndex), 1 + int(caseIndex % 2), QStringLiteral("trade_in"),
                     QStringLiteral("open"), QStringLiteral("Bulk Customer %1").arg(caseIndex), QString(),
                     QString(), o.today.addDays(-30), o.today.addDays(60), {}, std::move(items), o.today);
        bulkCase.bind(1, r.caseNumber).bind(2, r.program).bind(3, r.phase).bind(4, r.disposition);
        bulkCase.bind(5, r.status).bind(6, r.customerName).bind(7, r.customerAccount).bind(8, r.partner);
        bulkCase.bind(9, r.orderDate.toString(Qt::ISODate))
            .bind(10, r.dueDate.toString(Qt::ISODate))
            .bind(11, r.updatedAt);
        const bool written = bulkCase.next(); // a row: inserted, or its dates moved
        const qint64 caseId = written ? bulkCase.int64(0) : 0;
        bulkCase.reset();
        if (!written)
            continue; // as new already
        ++bulkCases;
        if (firstBulk.isEmpty())
            firstBulk = r.caseNumber;
        lastBulk = r.caseNumber;
        for (const Item &it : r.items) {
            bulkItem.bind(1, caseId).bind(2, it.line).bind(3, it.sku).bind(4, it.description);
            bulkItem.bind(5, it.serial).bind(6, it.quantity).exec();
            bulkLines += db.changes();
        }
    }
    if (bulkCases > 0)
        AuditLog::append(db, AuditLog::Entry{isoUtc(QDateTime::currentDateTimeUtc()), QString(),
                                             QStringLiteral("demo-data"), QStringLiteral("demo_bulk_cases"),
                                             QStringLiteral("%1..%2").arg(firstBulk, lastBulk),
                                             QStringLiteral("{\"source\":\"demo-data\",\"cases\":%1,"
                                                            "\"lines_added\":%2,\"today\":\"%3\"}")
                                                 .arg(bulkCases)
                                                 .arg(bulkLines)
                                                 .arg(o.today.toString(Qt::ISODate))});
    tx.commit();
    if (o.operators) {
        Operators ops(db);
        struct Demo
        {
            const char *badge, *name, *role, *pin;
        };
        for (const Demo &d : {Demo{"BADGE-1001", "Dana Ortiz", "dock", "1234"},
                              Demo{"BADGE-1002", "Lee Nguyen", "dock", "2345"},
                              Demo{"BADGE-2001", "Sam Patel", "supervisor", "9876"}}) {
            if (ops.byBadge(QLatin1String(d.badge)))
                continue;
            QString err;
            if (ops.add(QLatin1String(d.badge), QLatin1String(d.name),
                        *Operators::roleFromName(QLatin1String(d.role)), QLatin1String(d.pin),
                        QStringLiteral("demo-data"), &err))
                ++s.operators;
        }
    }
    return s;
}
