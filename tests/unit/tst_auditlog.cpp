// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "CaseStore.h"
#include "Database.h"
#include "TestStore.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

// The audit chain: rows appended through AuditLog verify, and any edit, insertion, deletion or reordering
// made behind its back is reported at the first row whose link no longer holds. Rows cut from the end with
// audit_head rewritten to match are found against an anchor published at commit (journal, metrics).

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

// A fresh, empty store: in memory on SQLite, a database of its own on PostgreSQL.
QString freshStore()
{
    static int stores = 0;
    ++stores;
    return TestStore::postgres() ? TestStore::location(QStringLiteral("audit-%1").arg(stores))
                                 : QStringLiteral(":memory:");
}

// After rows written with explicit ids, the next appended row gets max(id) + 1, as SQLite's rowid does;
// PostgreSQL's identity column needs its sequence moved there.
void nextIdAfterMax(Database &db)
{
    if (db.isPostgres())
        db.exec("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), coalesce(max(id), 0) + 1, false) "
                "FROM audit_log");
}

// The rows of a one-column query, joined by '|'.
QString joined(Database &db, const char *sql)
{
    QStringList out;
    Statement s = db.prepare(sql);
    while (s.next())
        out << s.text(0);
    return out.join(QLatin1Char('|'));
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
    nextIdAfterMax(db);
    AuditLog::append(db, entry("2026-11-26T08:03:00.000Z", "BADGE-1001", "box_closed", "1Z999AA10123456784",
                               QStringLiteral("{\"missing_lines\":[4]}")));
    db.exec("DELETE FROM audit_log WHERE id = 4");
    AuditLog::append(db, entry("2026-11-26T08:04:00.000Z", "BADGE-2001", "exception_resolved", "17",
                               QStringLiteral("{\"resolution\":\"returned_to_sender\"}")));
    tx.commit();
}

// The row hash as schemas 1 and 2 wrote it (no unix_user), to forge rows written before schema 3.
QString legacyRowHash(qint64 id, const QStringList &fields)
{
    QByteArray data = QByteArray::number(id) + '\x1f';
    for (const QString &f : fields)
        data += (f.isNull() ? QByteArray("\x01") : f.toUtf8()) + '\x1f';
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

// Appends `n` rows in one transaction.
void appendRows(Database &db, int n, const QString &subjectPrefix = QStringLiteral("SN"))
{
    Transaction tx(db);
    for (int i = 0; i < n; ++i)
        AuditLog::append(db, AuditLog::Entry{QStringLiteral("2026-11-26T09:00:00.000Z"),
                                             QStringLiteral("DOCK-01"), QStringLiteral("BADGE-1001"),
                                             QStringLiteral("received"), subjectPrefix + QString::number(i),
                                             QString()});
    tx.commit();
}

AuditLog::Head headOf(Database &db)
{
    const AuditLog::Verification v = AuditLog::verify(db);
    return v.ok ? v.head : AuditLog::Head{-1, QString()};
}

QString scalar(Database &db, const char *sql)
{
    Statement s = db.prepare(sql);
    return s.next() ? s.text(0) : QStringLiteral("(no row)");
}

struct Published
{
    QString database;
    qint64 id;
    QString hash;
};

std::optional<CaseRecord> caseRecord(const QString &number, int lines, const QString &updatedAt)
{
    QJsonArray items;
    for (int l = 1; l <= lines; ++l)
        items.append(
            QJsonObject{{QStringLiteral("line"), l},
                        {QStringLiteral("sku"), QStringLiteral("SRX345")},
                        {QStringLiteral("serial"), QStringLiteral("SER%1X%2").arg(number.right(4)).arg(l)}});
    QString why;
    return CaseRecord::fromJson(QJsonObject{{QStringLiteral("case_number"), number},
                                            {QStringLiteral("phase"), 1},
                                            {QStringLiteral("disposition"), QStringLiteral("trade_in")},
                                            {QStringLiteral("status"), QStringLiteral("open")},
                                            {QStringLiteral("customer"),
                                             QJsonObject{{QStringLiteral("name"), QStringLiteral("Acme")}}},
                                            {QStringLiteral("order_date"), QStringLiteral("2026-10-01")},
                                            {QStringLiteral("items"), items},
                                            {QStringLiteral("updated_at"), updatedAt}},
                                &why);
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
    void untouchedLogHoldsItsHeadAndOlderAnchors();
    void truncationWithRewrittenHeadNeedsTheAnchor_data();
    void truncationWithRewrittenHeadNeedsTheAnchor();
    void rowsWrittenAgainAfterTheCutDoNotMatchTheAnchor();
    void expectedHeadParsing_data();
    void expectedHeadParsing();
    void unixUserIsTheEffectiveUidsName();
    void rowsWithoutUnixUserKeepTheirOldHash();
    void headPublishedOnlyAfterCommit();
    void caseChangesAreAudited();

private:
    std::unique_ptr<Database> m_db;
    QString m_location;
};

void TestAuditLog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // The user recorded comes from the uid, never from what the caller claims.
    qputenv("USER", "mallory-not-the-uid");
    qputenv("LOGNAME", "mallory-not-the-uid");
}

void TestAuditLog::init()
{
    m_db = std::make_unique<Database>();
    m_location = freshStore();
    m_db->open(m_location);
}

void TestAuditLog::cleanup()
{
    AuditLog::setHeadPublisher({});
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

void TestAuditLog::untouchedLogHoldsItsHeadAndOlderAnchors()
{
    appendRows(*m_db, 5);
    const AuditLog::Head older = headOf(*m_db);
    appendRows(*m_db, 4);
    const AuditLog::Head head = headOf(*m_db);
    QCOMPARE(head.id, 9);
    QCOMPARE(head.hash, scalar(*m_db, "SELECT last_hash FROM audit_head"));

    const AuditLog::Verification plain = AuditLog::verify(*m_db);
    QVERIFY2(plain.ok, qPrintable(plain.message));
    QCOMPARE(plain.message, QStringLiteral("Audit log intact: 9 rows; head %1.").arg(head.text()));

    for (const AuditLog::Head &anchor : {head, older}) {
        for (const QString &form : {anchor.text(), anchor.hash, anchor.hash.toUpper()}) {
            const AuditLog::Verification v = AuditLog::verify(*m_db, AuditLog::ExpectedHead::parse(form));
            QVERIFY2(v.ok, qPrintable(form + QStringLiteral(": ") + v.message));
            QVERIFY2(v.message.contains(head.text()), qPrintable(v.message));
            QVERIFY2(v.message.contains(QStringLiteral("and %1 rows after it").arg(head.id - anchor.id)),
                     qPrintable(v.message));
        }
    }
    // The empty log's head is the genesis hash at row 0.
    Database empty;
    empty.open(freshStore());
    QVERIFY(
        AuditLog::verify(empty, AuditLog::ExpectedHead::parse(QStringLiteral("0:") + AuditLog::genesisHash()))
            .ok);
}

void TestAuditLog::truncationWithRewrittenHeadNeedsTheAnchor_data()
{
    QTest::addColumn<bool>("withId");
    QTest::newRow("anchor ID:HASH") << true;
    QTest::newRow("anchor HASH only") << false;
}

void TestAuditLog::truncationWithRewrittenHeadNeedsTheAnchor()
{
    QFETCH(bool, withId);
    appendRows(*m_db, 40);
    const AuditLog::Head kept = headOf(*m_db);
    appendRows(*m_db, 16, QStringLiteral("LATE"));
    const AuditLog::Head anchor = headOf(*m_db);
    QCOMPARE(anchor.id, 56);

    // The forger removes the newest rows and points audit_head at the new end, as the chain would have it.
    m_db->exec("DELETE FROM audit_log WHERE id >= 41");
    Statement up = m_db->prepare("UPDATE audit_head SET last_id = ?1, last_hash = ?2 WHERE id = 1");
    up.bind(1, kept.id).bind(2, kept.hash).exec();

    // The table alone cannot tell: the cut log is a valid shorter chain.
    const AuditLog::Verification alone = AuditLog::verify(*m_db);
    QVERIFY2(alone.ok, qPrintable(alone.message));
    QCOMPARE(alone.head.id, 40);

    const auto expected = AuditLog::ExpectedHead::parse(withId ? anchor.text() : anchor.hash);
    QVERIFY(expected);
    const AuditLog::Verification v = AuditLog::verify(*m_db, expected);
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, 41);
    QVERIFY2(v.message.contains(QLatin1String("broken")), qPrintable(v.message));
    QVERIFY2(v.message.contains(QLatin1String("rows were removed")), qPrintable(v.message));
    QVERIFY2(v.message.contains(anchor.hash), qPrintable(v.message));
    if (withId)
        QCOMPARE(v.message,
                 QStringLiteral("Audit log broken: the audit log ends at row 40 but the anchor says "
                                "row 56 (hash %1): rows were removed.")
                     .arg(anchor.hash));
    else
        QVERIFY2(v.message.contains(QLatin1String("ends at row 40")), qPrintable(v.message));

    // An anchor from before the cut still holds.
    QVERIFY(AuditLog::verify(*m_db, AuditLog::ExpectedHead::parse(kept.text())).ok);
}

void TestAuditLog::rowsWrittenAgainAfterTheCutDoNotMatchTheAnchor()
{
    appendRows(*m_db, 10);
    const AuditLog::Head anchor = headOf(*m_db);
    m_db->exec("DELETE FROM audit_log WHERE id >= 6; DELETE FROM audit_head");
    nextIdAfterMax(*m_db);
    appendRows(*m_db, 5, QStringLiteral("FORGED")); // rows 6..10 again, through the real code
    QVERIFY(AuditLog::verify(*m_db).ok);
    QCOMPARE(headOf(*m_db).id, anchor.id);

    const AuditLog::Verification v = AuditLog::verify(*m_db, AuditLog::ExpectedHead::parse(anchor.text()));
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, 10);
    QVERIFY2(
        v.message.startsWith(QStringLiteral("Audit log broken: row 10 has hash %1 but the anchor says %2")
                                 .arg(headOf(*m_db).hash, anchor.hash)),
        qPrintable(v.message));
    QVERIFY(!AuditLog::verify(*m_db, AuditLog::ExpectedHead::parse(anchor.hash)).ok);
}

void TestAuditLog::expectedHeadParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("id"); // -1: none given
    const QString h(64, QLatin1Char('a'));
    QTest::newRow("hash") << h << true << -1LL;
    QTest::newRow("id and hash") << QStringLiteral("57:") + h << true << 57LL;
    QTest::newRow("upper case, spaces")
        << QStringLiteral(" 3:") + h.toUpper() + QLatin1Char(' ') << true << 3LL;
    QTest::newRow("short hash") << h.left(63) << false << -1LL;
    QTest::newRow("long hash") << h + QLatin1Char('a') << false << -1LL;
    QTest::newRow("not hex") << QString(64, QLatin1Char('g')) << false << -1LL;
    QTest::newRow("negative id") << QStringLiteral("-1:") + h << false << -1LL;
    QTest::newRow("empty id") << QStringLiteral(":") + h << false << -1LL;
    QTest::newRow("empty") << QString() << false << -1LL;
}

void TestAuditLog::expectedHeadParsing()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, id);
    const std::optional<AuditLog::ExpectedHead> e = AuditLog::ExpectedHead::parse(text);
    QCOMPARE(e.has_value(), valid);
    if (!e)
        return;
    QCOMPARE(e->hash, QString(64, QLatin1Char('a')));
    QCOMPARE(e->id.value_or(-1), id);
}

void TestAuditLog::unixUserIsTheEffectiveUidsName()
{
    const passwd *pw = getpwuid(geteuid());
    const QString expected = pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(geteuid());
    QVERIFY(expected != QLatin1String("mallory-not-the-uid"));
    appendRows(*m_db, 2);
    QCOMPARE(joined(*m_db, "SELECT DISTINCT unix_user FROM audit_log WHERE unix_user IS NOT NULL"), expected);
    QCOMPARE(AuditLog::processUnixUser(), expected);

    // The user is part of the row's hash.
    m_db->exec("UPDATE audit_log SET unix_user = 'someone-else' WHERE id = 1");
    AuditLog::Verification v = AuditLog::verify(*m_db);
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, 2);
    m_db->exec("UPDATE audit_log SET unix_user = NULL WHERE id = 1");
    v = AuditLog::verify(*m_db);
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, 2);
}

void TestAuditLog::rowsWithoutUnixUserKeepTheirOldHash()
{
    // Three rows as schema 2 wrote them (unix_user NULL), then rows appended by this version on top.
    QString prev = AuditLog::genesisHash();
    for (qint64 id = 1; id <= 3; ++id) {
        const QStringList fields{QStringLiteral("2026-09-15T14:0%1:00.000Z").arg(id),
                                 QStringLiteral("DOCK-01"),
                                 QStringLiteral("BADGE-1001"),
                                 QStringLiteral("box_opened"),
                                 QString(),
                                 QStringLiteral("{}"),
                                 prev};
        Statement ins = m_db->prepare("INSERT INTO audit_log (id, at, station_id, actor, action, subject, "
                                      "details, prev_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        ins.bind(1, id);
        for (int i = 0; i < fields.size(); ++i)
            ins.bind(i + 2, fields[i]);
        ins.exec();
        prev = legacyRowHash(id, fields);
    }
    m_db->exec(QStringLiteral("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 3, '%1')")
                   .arg(prev)
                   .toUtf8()
                   .constData());
    nextIdAfterMax(*m_db);
    AuditLog::Verification v = AuditLog::verify(*m_db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.head.hash, prev);

    appendRows(*m_db, 2);
    v = AuditLog::verify(*m_db);
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.rows, 5);
    QCOMPARE(scalar(*m_db, "SELECT count(*) FROM audit_log WHERE unix_user IS NULL"), QStringLiteral("3"));
    QVERIFY(AuditLog::verify(*m_db, AuditLog::ExpectedHead::parse(QStringLiteral("3:") + prev)).ok);

    // Claiming an old row for a user breaks the link after it.
    m_db->exec("UPDATE audit_log SET unix_user = 'root' WHERE id = 2");
    v = AuditLog::verify(*m_db);
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, 3);
}

void TestAuditLog::headPublishedOnlyAfterCommit()
{
    QList<Published> published;
    AuditLog::setHeadPublisher([&published](const QString &db, qint64 id, const QString &hash) {
        published.append(Published{db, id, hash});
    });

    {
        Transaction tx(*m_db);
        for (int i = 0; i < 3; ++i) {
            AuditLog::append(*m_db,
                             entry("2026-11-26T08:00:00.000Z", "BADGE-1001", "received", "SN", QString()));
            QVERIFY2(published.isEmpty(), "a head was published before its commit");
        }
        tx.commit();
    }
    // One publication per commit, of the newest row.
    QCOMPARE(published.size(), 1);
    QCOMPARE(published[0].id, 3);
    QCOMPARE(published[0].hash, headOf(*m_db).hash);
    QCOMPARE(published[0].database, m_location);

    {
        Transaction tx(*m_db);
        AuditLog::append(*m_db,
                         entry("2026-11-26T08:01:00.000Z", "BADGE-1001", "box_opened", "X", QString()));
    } // rolled back
    QCOMPARE(published.size(), 1);
    {
        Transaction tx(*m_db); // a later commit with no audit row does not announce the rolled-back one
        m_db->exec("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', 'now')");
        tx.commit();
    }
    QCOMPARE(published.size(), 1);

    // Outside a transaction the append commits at once, and so is published at once.
    AuditLog::append(*m_db, entry("2026-11-26T08:02:00.000Z", "BADGE-1001", "box_opened", "Y", QString()));
    QCOMPARE(published.size(), 2);
    // The fourth row: id 4 on SQLite, which reuses the rolled-back row's id; PostgreSQL's sequence does not.
    QCOMPARE(scalar(*m_db, "SELECT count(*) FROM audit_log"), QStringLiteral("4"));
    QCOMPARE(published[1].id, headOf(*m_db).id);
    QCOMPARE(published[1].id, m_db->isPostgres() ? 5 : 4);
    QCOMPARE(published[1].hash, headOf(*m_db).hash);

    // A commit that fails publishes nothing.
    Database other;
    other.open(QStringLiteral(":memory:"));
    {
        Transaction tx(other);
        AuditLog::append(other,
                         entry("2026-11-26T08:03:00.000Z", "BADGE-1001", "box_opened", "Z", QString()));
        other.exec("PRAGMA foreign_keys = ON; CREATE TABLE parent (id INTEGER PRIMARY KEY); "
                   "CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED); "
                   "INSERT INTO child VALUES (7)");
        QVERIFY_THROWS_EXCEPTION(DbException, tx.commit());
    }
    QCOMPARE(published.size(), 2);
}

void TestAuditLog::caseChangesAreAudited()
{
    CaseStore store(*m_db);
    const auto details = [this](qint64 row) {
        Statement s = m_db->prepare("SELECT details FROM audit_log WHERE id = ?1");
        return s.bind(1, row).next() ? QJsonDocument::fromJson(s.utf8(0)).object() : QJsonObject();
    };
    {
        Transaction tx(*m_db);
        QCOMPARE(store.upsert(*caseRecord(QStringLiteral("2026-0101-0001"), 2,
                                          QStringLiteral("2026-11-01T00:00:00Z"))),
                 CaseStore::Upsert::Inserted);
        QCOMPARE(store.upsert(*caseRecord(QStringLiteral("2026-0101-0001"), 3,
                                          QStringLiteral("2026-11-02T00:00:00Z"))),
                 CaseStore::Upsert::Updated);
        QCOMPARE(store.upsert(*caseRecord(QStringLiteral("2026-0101-0001"), 1,
                                          QStringLiteral("2026-11-02T00:00:00Z"))),
                 CaseStore::Upsert::Unchanged);
        tx.commit();
    }
    QCOMPARE(joined(*m_db, "SELECT action || ' ' || subject || ' ' || actor FROM audit_log ORDER BY id"),
             QStringLiteral("case_changed 2026-0101-0001 upstream|case_changed 2026-0101-0001 upstream"));
    QCOMPARE(details(1)[QLatin1String("change")].toString(), QStringLiteral("inserted"));
    QCOMPARE(details(1)[QLatin1String("source")].toString(), QStringLiteral("upstream"));
    QCOMPARE(details(1)[QLatin1String("lines_before")].toInteger(), 0);
    QCOMPARE(details(1)[QLatin1String("lines_after")].toInteger(), 2);
    QCOMPARE(details(2)[QLatin1String("change")].toString(), QStringLiteral("updated"));
    QCOMPARE(details(2)[QLatin1String("lines_before")].toInteger(), 2);
    QCOMPARE(details(2)[QLatin1String("lines_after")].toInteger(), 3);
    QCOMPARE(details(2)[QLatin1String("updated_at_before")].toString(),
             QStringLiteral("2026-11-01T00:00:00.000Z"));

    // A rolled-back pull leaves neither the case nor its audit row.
    {
        Transaction tx(*m_db);
        store.upsert(
            *caseRecord(QStringLiteral("2026-0101-0002"), 1, QStringLiteral("2026-11-01T00:00:00Z")));
    }
    QCOMPARE(scalar(*m_db, "SELECT count(*) FROM audit_log"), QStringLiteral("2"));

    // import-cases: one row per changed case by the importing actor, then the summary row.
    const QByteArray file =
        "{\"cases\":[" +
        QJsonDocument(
            caseRecord(QStringLiteral("2026-0101-0003"), 4, QStringLiteral("2026-11-01T00:00:00Z"))->toJson())
            .toJson(QJsonDocument::Compact) +
        "]}";
    QString why;
    QVERIFY2(store.importJson(file, QStringLiteral("cli:dana"), &why), qPrintable(why));
    QCOMPARE(joined(*m_db, "SELECT action || ' ' || coalesce(subject, '-') || ' ' || actor "
                           "FROM audit_log WHERE id > 2 ORDER BY id"),
             QStringLiteral("case_changed 2026-0101-0003 cli:dana|cases_imported - cli:dana"));
    // The third row: id 3 on SQLite, which reuses the rolled-back pull's id; PostgreSQL's sequence does not.
    const qint64 third = m_db->isPostgres() ? 4 : 3;
    QCOMPARE(
        scalar(*m_db, ("SELECT subject FROM audit_log WHERE id = " + QByteArray::number(third)).constData()),
        QStringLiteral("2026-0101-0003"));
    QCOMPARE(details(third)[QLatin1String("source")].toString(), QStringLiteral("import-cases"));
    QCOMPARE(details(third)[QLatin1String("lines_after")].toInteger(), 4);
    const AuditLog::Verification v = AuditLog::verify(*m_db);
    QVERIFY2(v.ok, qPrintable(v.message));
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
