// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportCounts.h"
#include "ReportFixture.h"
#include "ReportQueries.h"

#include <QGuiApplication>
#include <QStandardPaths>

// The Reports page's counts on either engine: per station and in total, the same receipts as the receipts
// report, exceptions opened and resolved by day, and the named periods.
class TestReportCounts : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReportFixture> m_f;

    qint64 scalar(const char *sql, const QString &from = QString(), const QString &to = QString())
    {
        Statement s = m_f->db.prepare(sql);
        if (!from.isNull())
            s.bind(1, from).bind(2, to);
        return s.next() ? s.int64(0) : -1;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qApp->setProperty("rs_allow_gui_thread_io", true); // a test: the GUI thread may read the store
        m_f = std::make_unique<ReportFixture>();
        QVERIFY(m_f->build());
    }

    void countsMatchTheReceiptsReport()
    {
        const QDate day(2026, 11, 20);
        const ReportCounts::Period p = ReportCounts(m_f->db, m_f->zone).count(day, day);
        const Report receipts = ReportQueries(m_f->db, m_f->zone, m_f->clock.nowUtc()).receipts(day, day);
        QCOMPARE(p.stations.size(), 1);
        QCOMPARE(p.stations[0].station, QStringLiteral("DOOR-1"));
        QCOMPARE(p.total.received, qint64(receipts.rows.size()));
        QCOMPARE(p.total.received, 5);
        QCOMPARE(p.total.late, 1);    // WS3718090001
        QCOMPARE(p.total.damaged, 1); // CAHZ4512
        const qint64 opened = scalar(
            "SELECT COUNT(*) FROM exceptions WHERE status <> 'cancelled' AND created_at >= ?1 "
            "AND created_at < ?2",
            ReportQueries::utcStartOf(day, m_f->zone), ReportQueries::utcStartOf(day.addDays(1), m_f->zone));
        QVERIFY(opened > 0);
        QCOMPARE(p.total.exceptionsOpened, opened);
        QCOMPARE(p.total.exceptionsResolved, 0);
        QCOMPARE(p.stations[0].received, p.total.received);

        // Another day has nothing; the day before neither.
        const ReportCounts::Period before =
            ReportCounts(m_f->db, m_f->zone).count(day.addDays(-1), day.addDays(-1));
        QCOMPARE(before.total.received, 0);

        const Report r = ReportCounts::toReport(p, m_f->zone);
        QCOMPARE(r.name, QStringLiteral("summary"));
        QCOMPARE(r.rows.size(), 1);
        QCOMPARE(r.rows[0][r.column(QStringLiteral("received"))].toLongLong(), 5);
        QVERIFY(r.subtitle.contains(QStringLiteral("2026-11-20 to 2026-11-20")));
    }

    void resolvedCountByTheDayOfResolution()
    {
        const qint64 open = scalar("SELECT COUNT(*) FROM exceptions WHERE status = 'open'");
        QVERIFY(open > 0);
        m_f->db.exec(
            "UPDATE exceptions SET status = 'resolved', resolution = 'not_tmip', resolver = 'BADGE-2001', "
            "resolved_at = '2026-11-21T15:00:00.000Z' WHERE status = 'open'");
        const ReportCounts::Period next =
            ReportCounts(m_f->db, m_f->zone).count(QDate(2026, 11, 21), QDate(2026, 11, 21));
        QCOMPARE(next.total.received, 0);
        QCOMPARE(next.total.exceptionsOpened, 0);
        QCOMPARE(next.total.exceptionsResolved, open);
    }

    void presets_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QDate>("from");
        QTest::addColumn<QDate>("to");
        const QDate today(2026, 3, 1);
        QTest::newRow("today") << "today" << today << today;
        QTest::newRow("yesterday") << "yesterday" << QDate(2026, 2, 28) << QDate(2026, 2, 28);
        QTest::newRow("last_7_days") << "last_7_days" << QDate(2026, 2, 23) << today;
        QTest::newRow("this_month") << "this_month" << today << today;
        QTest::newRow("last_month") << "last_month" << QDate(2026, 2, 1) << QDate(2026, 2, 28);
        QTest::newRow("unknown") << "fortnight" << QDate() << QDate();
    }

    void presets()
    {
        QFETCH(QString, name);
        QFETCH(QDate, from);
        QFETCH(QDate, to);
        const auto p = ReportCounts::preset(name, QDate(2026, 3, 1));
        QCOMPARE(p.has_value(), from.isValid());
        if (p) {
            QCOMPARE(p->first, from);
            QCOMPARE(p->second, to);
        }
    }
};

QTEST_MAIN(TestReportCounts)
#include "tst_reportcounts.moc"
