// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportFixture.h"
#include "ReportQueries.h"

#include <QStandardPaths>

// The reports as data, on either engine: which rows, which values, which totals.
class TestReportQueries : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReportFixture> m_f;
    ReportQueries queries() { return ReportQueries(m_f->db, m_f->zone, m_f->clock.nowUtc()); }
    static QVariant at(const Report &r, int row, const char *key)
    {
        return r.rows[row].value(r.column(QLatin1String(key)));
    }
    static int rowOf(const Report &r, const char *key, const QString &value)
    {
        for (int i = 0; i < r.rows.size(); ++i) {
            if (at(r, i, key).toString() == value)
                return i;
        }
        return -1;
    }
    static QString total(const Report &r, const QString &label)
    {
        for (const auto &[l, v] : r.totals) {
            if (l == label)
                return v;
        }
        return QStringLiteral("(no total %1)").arg(label);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_f = std::make_unique<ReportFixture>();
        QVERIFY(m_f->build());
    }

    void receiptsOneRowPerLiveReceipt()
    {
        const Report r = queries().receipts(QDate(2026, 11, 20), QDate(2026, 11, 20));
        QCOMPARE(r.rows.size(), 5);
        QCOMPARE(r.columns.size(), r.rows.first().size());
        const int jn = rowOf(r, "serial", QStringLiteral("JN11F3A2BAFA"));
        QVERIFY(jn >= 0);
        QCOMPARE(at(r, jn, "received_at").toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                 QStringLiteral("2026-11-20 12:00")); // station time, not UTC
        QCOMPARE(at(r, jn, "station").toString(), QStringLiteral("DOOR-1"));
        QCOMPARE(at(r, jn, "operator").toString(), QStringLiteral("Dana Ortiz")); // a name, never a badge
        QCOMPARE(at(r, jn, "case_number").toString(), QStringLiteral("2026-1103-0001"));
        QCOMPARE(at(r, jn, "customer").toString(), QStringLiteral("Acme Regional Networks"));
        QCOMPARE(at(r, jn, "line").toLongLong(), 1);
        QCOMPARE(at(r, jn, "sku").toString(), QStringLiteral("CHAS-BP3-MX960-S"));
        QCOMPARE(at(r, jn, "box").toString(), QStringLiteral("1Z999AA10123456784"));
        QCOMPARE(at(r, jn, "late").toBool(), false);
        QVERIFY2(QStringList({QStringLiteral("held"), QStringLiteral("pending")})
                     .contains(at(r, jn, "upstream").toString()),
                 qPrintable(at(r, jn, "upstream").toString()));
        const int cahz = rowOf(r, "serial", QStringLiteral("CAHZ4512"));
        QCOMPARE(at(r, cahz, "condition").toString(), QStringLiteral("damaged"));
        QCOMPARE(at(r, cahz, "condition_note").toString(), QStringLiteral("Cracked faceplate"));
        const int ws = rowOf(r, "serial", QStringLiteral("WS3718090001"));
        QCOMPARE(at(r, ws, "late").toBool(), true);
        QCOMPARE(at(r, ws, "box").toString(), QStringLiteral("9400100000000000000017"));
        const int zz = rowOf(r, "serial", QStringLiteral("ZZ0000000001"));
        // Expected nowhere, scanned into case 2026-1103-0001's box: recorded against that case on no line.
        QCOMPARE(at(r, zz, "case_number").toString(), QStringLiteral("2026-1103-0001"));
        QVERIFY(at(r, zz, "line").isNull());
        QCOMPARE(total(r, QStringLiteral("Receipts")), QStringLiteral("5"));
        QCOMPARE(total(r, QStringLiteral("Late")), QStringLiteral("1"));
        QCOMPARE(total(r, QStringLiteral("Damaged")), QStringLiteral("1"));
        QCOMPARE(total(r, QStringLiteral("Without a case")), QStringLiteral("0"));
    }

    void receiptsPeriodIsStationDays()
    {
        // Noon in Chicago is 18:00 UTC on the 20th: the 19th and the 21st hold nothing.
        QCOMPARE(queries().receipts(QDate(2026, 11, 19), QDate(2026, 11, 19)).rows.size(), 0);
        QCOMPARE(queries().receipts(QDate(2026, 11, 21), QDate(2026, 11, 30)).rows.size(), 0);
        QCOMPARE(queries().receipts(QDate(2026, 11, 1), QDate(2026, 11, 30)).rows.size(), 5);
    }

    void casesByDueDateLateFirst()
    {
        const Report r = queries().cases();
        // The demo's open cases: closed and cancelled ones are left out.
        QCOMPARE(r.rows.size(), 6);
        QVERIFY(rowOf(r, "case_number", QStringLiteral("2026-0815-0004")) < 0);
        QCOMPARE(at(r, 0, "case_number").toString(), QStringLiteral("2026-0610-0003"));
        QCOMPARE(at(r, 0, "days_late").toLongLong(), 58);
        QVERIFY(at(r, 0, "days_left").isNull());
        for (int i = 1; i < r.rows.size(); ++i)
            QVERIFY(at(r, i - 1, "due_date").toDate() <= at(r, i, "due_date").toDate());
        const int acme = rowOf(r, "case_number", QStringLiteral("2026-1103-0001"));
        QCOMPARE(at(r, acme, "days_left").toLongLong(), 60);
        QCOMPARE(at(r, acme, "expected").toLongLong(), 5);
        QCOMPARE(at(r, acme, "received").toLongLong(), 2);
        QCOMPARE(at(r, acme, "missing").toLongLong(), 3);
        QCOMPARE(at(r, acme, "stations").toString(), QStringLiteral("DOOR-1"));
        QCOMPARE(at(r, acme, "first_receipt").toDateTime().toString(QStringLiteral("HH:mm")),
                 QStringLiteral("12:00"));
        QCOMPARE(at(r, acme, "order_date").toDate(), QDate(2026, 10, 21));
        QCOMPARE(total(r, QStringLiteral("Open cases")), QStringLiteral("6"));
        QCOMPARE(total(r, QStringLiteral("Late cases")), QStringLiteral("1"));
    }

    void casesClosedSince()
    {
        // The demo's closed case was last updated when the demo was written; asking from long ago lists it.
        const Report r = queries().cases(QDate(2000, 1, 1));
        QVERIFY(rowOf(r, "case_number", QStringLiteral("2026-0815-0004")) >= 0);
        QCOMPARE(at(r, r.rows.size() - 1, "status").toString(),
                 QStringLiteral("closed")); // after the open ones
        QCOMPARE(queries().cases(QDate(2100, 1, 1)).rows.size(), 6);
    }

    void exceptionsOpenByKind()
    {
        const Report r = queries().exceptions();
        QVERIFY(r.rows.size() >= 1);
        const int zz = rowOf(r, "serial", QStringLiteral("ZZ0000000001"));
        QVERIFY(zz >= 0);
        QCOMPARE(at(r, zz, "kind").toString(), QStringLiteral("unexpected"));
        QCOMPARE(at(r, zz, "scanned_by").toString(), QStringLiteral("Dana Ortiz"));
        QCOMPARE(at(r, zz, "box").toString(), QStringLiteral("1Z999AA10123456784"));
        QCOMPARE(at(r, zz, "age_days").toLongLong(), 0);
        QVERIFY(at(r, zz, "now_expected").isNull());
        // A later pull of a case expecting it marks the exception: the report names the case and line.
        Statement mark =
            m_f->db.prepare("UPDATE exceptions SET now_expected_case_id = (SELECT id FROM cases WHERE "
                            "case_number = '2026-1105-0007'), now_expected_line = 2 WHERE serial = ?1");
        mark.bind(1, QStringLiteral("ZZ0000000001")).exec();
        const Report marked = queries().exceptions();
        QCOMPARE(
            at(marked, rowOf(marked, "serial", QStringLiteral("ZZ0000000001")), "now_expected").toString(),
            QStringLiteral("2026-1105-0007 line 2"));
        Statement unmark =
            m_f->db.prepare("UPDATE exceptions SET now_expected_case_id = NULL, now_expected_line = NULL");
        unmark.exec();
        for (int i = 1; i < r.rows.size(); ++i)
            QVERIFY(at(r, i - 1, "kind").toString() <= at(r, i, "kind").toString());
        QCOMPARE(total(r, QStringLiteral("Open exceptions")), QString::number(r.rows.size()));
        // A week later the same exception is 7 days old.
        const Report later = ReportQueries(m_f->db, m_f->zone, m_f->clock.nowUtc().addDays(7)).exceptions();
        QCOMPARE(at(later, rowOf(later, "serial", QStringLiteral("ZZ0000000001")), "age_days").toLongLong(),
                 7);
    }

    void osdOfACase()
    {
        const std::optional<Report> r = queries().osdForCase(QStringLiteral("2026-1103-0001"));
        QVERIFY(r);
        QStringList over, shortLines, damaged;
        for (int i = 0; i < r->rows.size(); ++i) {
            const QString type = at(*r, i, "type").toString();
            (type == u"over"    ? over
             : type == u"short" ? shortLines
                                : damaged)
                .append(type == u"short" ? at(*r, i, "line").toString() : at(*r, i, "serial").toString());
        }
        over.sort();
        QCOMPARE(over, QStringList({QStringLiteral("PE3716460123"), QStringLiteral("ZZ0000000001")}));
        QCOMPARE(shortLines, QStringList({QStringLiteral("3"), QStringLiteral("4")}));
        QCOMPARE(damaged, QStringList{QStringLiteral("CAHZ4512")});
        QCOMPARE(total(*r, QStringLiteral("Short (units)")), QStringLiteral("3"));
        QCOMPARE(total(*r, QStringLiteral("Over (units)")), QStringLiteral("2"));
        const int note = rowOf(*r, "serial", QStringLiteral("CAHZ4512"));
        QCOMPARE(at(*r, note, "note").toString(), QStringLiteral("Cracked faceplate"));
        QCOMPARE(at(*r, note, "operator").toString(), QStringLiteral("Dana Ortiz"));
    }

    void osdOfABox()
    {
        const std::optional<Report> r = queries().osdForBox(QStringLiteral("1z999aa10123456784"));
        QVERIFY(r);
        QCOMPARE(total(*r, QStringLiteral("Over (units)")), QStringLiteral("2"));
        QCOMPARE(total(*r, QStringLiteral("Damaged")), QStringLiteral("1"));
        QCOMPARE(total(*r, QStringLiteral("Short (lines)")), QStringLiteral("2"));
        QVERIFY(!queries().osdForBox(QStringLiteral("NO-SUCH-BOX")));
        QVERIFY(!queries().osdForCase(QStringLiteral("2099-0000-0000")));
    }

    void upstreamStateNames()
    {
        QCOMPARE(ReportQueries::upstreamState(QStringLiteral("delivered")), QStringLiteral("accepted"));
        QCOMPARE(ReportQueries::upstreamState(QStringLiteral("held")), QStringLiteral("held"));
        QCOMPARE(ReportQueries::upstreamState(QStringLiteral("dead")), QStringLiteral("dead"));
        QCOMPARE(ReportQueries::upstreamState(QStringLiteral("cancelled")), QString());
    }
};

QTEST_GUILESS_MAIN(TestReportQueries)
#include "tst_reportqueries.moc"
