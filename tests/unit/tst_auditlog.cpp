// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "Database.h"

#include <QStandardPaths>
#include <QTest>

// The audit chain: rows appended through AuditLog verify, and any edit, insertion, deletion or reordering
// made behind its back is reported at the first row whose link no longer holds.

namespace {

AuditLog::Entry entry(const char *at, const char *actor, const char *action, const char *subject,
                      const QString &details)
{
    return AuditLog::Entry{QString::fromLatin1(at),
                           QStringLiteral("DOCK-01"),
                           actor ? QString::fromLatin1(actor) : QString(),
                           QString::fromLatin1(action),
                           subject ? QString::fromLatin1(subject) : QString(),
                           details};
}

QList<qint64> ids(Database &db)
{
    QList<qint64> out;
    Statement s = db.prepare("SELECT id FROM audit_log ORDER BY id");
    while (s.next())
        out << s.int64(0);
    return out;
}

// Five rows with ids 1, 2, 3, 5, 6. Rowids only have holes where a row once was, so the set-up leaves one
// (id 4) for the forger to fill. Row 3 has empty (not NULL) details, row 1 a NULL subject.
void writeGappedLog(Database &db)
{
    Transaction tx(db);
    AuditLog::append(db, entry("2026-11-26T08:00:00.000Z", "BADGE-1001", "signed_in", nullptr, QString()));
    AuditLog::append(db, entry("2026-11-26T08:01:00.000Z", "BADGE-1001", "box_opened", "1Z999AA10123456784",
                               QStringLiteral("{\"case_number\":\"2026-1103-0001\"}")));
    AuditLog::append(
        db, entry("2026-11-26T08:02:00.000Z", "BADGE-1001", "undone", "CAHZ4512", QStringLiteral("")));
    db.exec("INSERT INTO audit_log (id, at, action, prev_hash) VALUES (4, 'x', 'placeholder', 'x')");
    AuditLog::append(db, entry("2026-11-26T08:03:00.000Z", "BADGE-1001", "box_closed", "1Z999AA10123456784",
                               QStringLiteral("{\"missing_lines\":[4]}")));
    db.exec("DELETE FROM audit_log WHERE id = 4");
    AuditLog::append(db, entry("2026-11-26T08:04:00.000Z", "BADGE-2001", "exception_resolved", "17",
                               QStringLiteral("{\"resolution\":\"returned_to_sender\"}")));
    tx.commit();
}

} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void emptyLogVerifies();
    void appendedRowsVerify();
    void nullAndEmptyStayApart();
    void rolledBackAppendLeavesNoTrace();
    void tamperingIsFound_data();
    void tamperingIsFound();

private:
    std::unique_ptr<Database> m_db;
};

void TestAuditLog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestAuditLog::init()
{
    m_db = std::make_unique<Database>();
    m_db->open(QStringLiteral(":memory:"));
}

void TestAuditLog::cleanup()
{
    m_db.reset();
}

void TestAuditLog::emptyLogVerifies()
{
    const AuditLog::Verification v = AuditLog::verify(*m_db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.rows, 0);
    QCOMPARE(v.firstBadId, 0);
}

void TestAuditLog::appendedRowsVerify()
{
    constexpr int N = 50;
    {
        Transaction tx(*m_db);
        for (int i = 0; i < N; ++i)
            AuditLog::append(
                *m_db,
                AuditLog::Entry{
                    QStringLiteral("2026-11-26T08:00:%1.000Z").arg(i % 60, 2, 10, QLatin1Char('0')),
                    QStringLiteral("DOCK-01"), QStringLiteral("BADGE-1001"), QStringLiteral("received"),
                    QStringLiteral("SN%1").arg(i), QStringLiteral("{\"line\":%1}").arg(i)});
        tx.commit();
    }
    const AuditLog::Verification v = AuditLog::verify(*m_db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.rows, N);
    QCOMPARE(v.firstBadId, 0);

    Statement first = m_db->prepare("SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1");
    QVERIFY(first.next());
    QCOMPARE(first.text(0), AuditLog::genesisHash());
    first.reset();
    Statement head = m_db->prepare("SELECT last_id FROM audit_head WHERE id = 1");
    QVERIFY(head.next());
    QCOMPARE(head.int64(0), N);
}

void TestAuditLog::nullAndEmptyStayApart()
{
    AuditLog::append(
        *m_db, entry("2026-11-26T08:00:00.000Z", nullptr, "settings_changed", nullptr, QStringLiteral("")));
    Statement s =
        m_db->prepare("SELECT actor IS NULL, subject IS NULL, details IS NULL, details FROM audit_log");
    QVERIFY(s.next());
    QCOMPARE(s.int64(0), 1);
    QCOMPARE(s.int64(1), 1);
    QCOMPARE(s.int64(2), 0); // stored as '', not NULL
    QVERIFY(s.text(3).isEmpty());
    s.reset();
    const AuditLog::Verification v = AuditLog::verify(*m_db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.rows, 1);
}

void TestAuditLog::rolledBackAppendLeavesNoTrace()
{
    AuditLog::append(*m_db,
                     entry("2026-11-26T08:00:00.000Z", "BADGE-1001", "signed_in", "BADGE-1001", QString()));
    {
        Transaction tx(*m_db);
        AuditLog::append(*m_db,
                         entry("2026-11-26T08:01:00.000Z", "BADGE-1001", "box_opened", "X", QString()));
    } // rolled back: the row and the anchor's move both go
    AuditLog::append(*m_db, entry("2026-11-26T08:02:00.000Z", "BADGE-1001", "box_opened", "Y", QString()));
    const AuditLog::Verification v = AuditLog::verify(*m_db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.rows, 2);
}

void TestAuditLog::tamperingIsFound_data()
{
    QTest::addColumn<QByteArray>("tamper");
    QTest::addColumn<qint64>("firstBadId"); // the first row whose prev_hash no longer matches, or the newest

    // Rows are 1, 2, 3, 5, 6 (see writeGappedLog). A changed row breaks the link of the row after it.
    QTest::newRow("middle row's details")
        << QByteArray("UPDATE audit_log SET details = '{}' WHERE id = 2") << 3LL;
    QTest::newRow("middle row's action")
        << QByteArray("UPDATE audit_log SET action = 'box_closed' WHERE id = 2") << 3LL;
    QTest::newRow("middle row's actor")
        << QByteArray("UPDATE audit_log SET actor = 'BADGE-2001' WHERE id = 2") << 3LL;
    QTest::newRow("middle row's time") << QByteArray("UPDATE audit_log SET at = '2026-11-25T08:01:00.000Z' "
                                                     "WHERE id = 2")
                                       << 3LL;
    QTest::newRow("middle row's station")
        << QByteArray("UPDATE audit_log SET station_id = 'DOCK-02' WHERE id = 2") << 3LL;
    QTest::newRow("empty details made NULL")
        << QByteArray("UPDATE audit_log SET details = NULL WHERE id = 3") << 5LL;
    QTest::newRow("NULL subject made empty")
        << QByteArray("UPDATE audit_log SET subject = '' WHERE id = 1") << 2LL;
    QTest::newRow("first row's details")
        << QByteArray("UPDATE audit_log SET details = 'x' WHERE id = 1") << 2LL;
    QTest::newRow("newest row's details")
        << QByteArray("UPDATE audit_log SET details = '{}' WHERE id = 6") << 6LL;
    QTest::newRow("middle row's prev_hash") << QByteArray("UPDATE audit_log SET prev_hash = "
                                                          "(SELECT prev_hash FROM audit_log WHERE id = 2) "
                                                          "WHERE id = 3")
                                            << 3LL;
    QTest::newRow("first row's prev_hash") << QByteArray("UPDATE audit_log SET prev_hash = 'f' || "
                                                         "substr(prev_hash, 2) WHERE id = 1")
                                           << 1LL;
    QTest::newRow("middle row deleted") << QByteArray("DELETE FROM audit_log WHERE id = 3") << 5LL;
    QTest::newRow("first row deleted") << QByteArray("DELETE FROM audit_log WHERE id = 1") << 2LL;
    QTest::newRow("newest row deleted") << QByteArray("DELETE FROM audit_log WHERE id = 6") << 5LL;
    QTest::newRow("two newest rows deleted") << QByteArray("DELETE FROM audit_log WHERE id >= 5") << 3LL;
    QTest::newRow("every row deleted") << QByteArray("DELETE FROM audit_log") << 1LL;
    QTest::newRow("forged row in the gap, link copied from the next row")
        << QByteArray(
               "INSERT INTO audit_log (id, at, station_id, actor, action, subject, details, prev_hash) "
               "SELECT 4, '2026-11-26T08:02:30.000Z', 'DOCK-01', 'BADGE-1001', 'undone', 'PE3716460123', "
               "NULL, prev_hash FROM audit_log WHERE id = 5")
        << 5LL;
    QTest::newRow("forged row in the gap, made-up link")
        << QByteArray(
               "INSERT INTO audit_log (id, at, station_id, actor, action, subject, details, prev_hash) "
               "VALUES (4, '2026-11-26T08:02:30.000Z', 'DOCK-01', 'BADGE-1001', 'undone', 'PE3716460123', "
               "NULL, '" +
               AuditLog::genesisHash().toLatin1() + "')")
        << 4LL;
    QTest::newRow("forged row after the newest")
        << QByteArray(
               "INSERT INTO audit_log (id, at, station_id, actor, action, subject, details, prev_hash) "
               "SELECT 7, '2026-11-26T08:05:00.000Z', 'DOCK-01', 'BADGE-1001', 'undone', 'PE3716460123', "
               "NULL, prev_hash FROM audit_log WHERE id = 6")
        << 7LL;
    QTest::newRow("two rows' contents swapped") << QByteArray("UPDATE audit_log SET id = 100 WHERE id = 2; "
                                                              "UPDATE audit_log SET id = 2 WHERE id = 3; "
                                                              "UPDATE audit_log SET id = 3 WHERE id = 100")
                                                << 2LL;
}

void TestAuditLog::tamperingIsFound()
{
    QFETCH(QByteArray, tamper);
    QFETCH(qint64, firstBadId);

    writeGappedLog(*m_db);
    QCOMPARE(ids(*m_db), (QList<qint64>{1, 2, 3, 5, 6}));
    const AuditLog::Verification before = AuditLog::verify(*m_db);
    QVERIFY2(before.ok, qPrintable(before.message));
    QCOMPARE(before.rows, 5);

    m_db->exec(tamper.constData());
    const AuditLog::Verification v = AuditLog::verify(*m_db);
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, firstBadId);
    QVERIFY2(v.message.contains(QLatin1String("broken")), qPrintable(v.message));
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
