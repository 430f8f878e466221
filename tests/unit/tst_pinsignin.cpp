// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "Clock.h"
#include "Database.h"
#include "Operators.h"
#include "PinSignIn.h"
#include "TestStore.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {
const QString Station = QStringLiteral("DOOR-1");
const QDateTime Start(QDate(2026, 12, 3), QTime(9, 0), Qt::UTC);

qint64 count(Database &db, const char *sql)
{
    Statement s = db.prepare(sql);
    s.next();
    return s.int64(0);
}
} // namespace

// Badge + PIN: who an operator is, the lock after repeated wrong PINs, disabled operators, the PIN index.
class TestPinSignIn : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();

    void maskBadge_data();
    void maskBadge();
    void pinSignInFindsTheOperator();
    void aPinCheckCostsOnePbkdf2With200Operators();
    void confirmNeedsTheBadgesOwnPin();
    void dockWorkerIsNotASupervisor();
    void fiveWrongPinsLockTheStationForFiveMinutes();
    void theLockSurvivesARestartAndIsPerStation();
    void oneBadgeGuessedFromManyStationsIsLocked();
    void failuresNeverHoldThePin();
    void disabledOperatorIsRefusedAndRecordsNothing();
    void setPinReplacesTheOldOne();
    void pinsStayUnique();
    void pinsFromBeforeTheIndexAreStillFound();

private:
    PinSignIn signIn(const QString &station = Station)
    {
        return PinSignIn(*m_db, m_clock, station, QStringLiteral("keypad"));
    }
    void addOperator(const QString &badge, Operators::Role role, const QString &pin);
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    FixedClock m_clock{Start};
};

void TestPinSignIn::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_db = std::make_unique<Database>();
    m_db->open(TestStore::location(m_dir->filePath(QStringLiteral("r.db"))));
    m_clock.set(Start);
    addOperator(QStringLiteral("BADGE-1001"), Operators::Role::Dock, QStringLiteral("1234"));
    addOperator(QStringLiteral("BADGE-2001"), Operators::Role::Supervisor, QStringLiteral("9876"));
}

void TestPinSignIn::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

void TestPinSignIn::addOperator(const QString &badge, Operators::Role role, const QString &pin)
{
    QString why;
    QVERIFY2(
        Operators(*m_db).add(badge, QStringLiteral("Op ") + badge, role, pin, QStringLiteral("test"), &why),
        qPrintable(why));
}

void TestPinSignIn::maskBadge_data()
{
    QTest::addColumn<QString>("badge");
    QTest::addColumn<QString>("masked");
    const QString b = QStringLiteral("\u2022");
    QTest::newRow("issue's example") << "BADGE-2001" << QStringLiteral("BADGE-") + b + b + "01";
    QTest::newRow("digits only") << "12345678" << b.repeated(6) + "78";
    QTest::newRow("letters only keep at most half") << "SAMPATEL" << QStringLiteral("SAMP") + b + b + "EL";
    QTest::newRow("short") << "A1" << b + b;
    QTest::newRow("three") << "ABC" << b + "BC";
    QTest::newRow("empty") << ""
                           << "";
}

void TestPinSignIn::maskBadge()
{
    QFETCH(QString, badge);
    QFETCH(QString, masked);
    QCOMPARE(Operators::maskBadge(badge), masked);
    if (badge.size() > 4)
        QVERIFY(!Operators::maskBadge(badge).contains(badge));
}

void TestPinSignIn::pinSignInFindsTheOperator()
{
    const PinSignIn::Outcome o = signIn().signIn(QStringLiteral("1234"));
    QCOMPARE(o.result, PinSignIn::Result::Accepted);
    QVERIFY(o.op);
    QCOMPARE(o.op->badge, QStringLiteral("BADGE-1001"));
    // A supervisor's PIN alone signs them in too (the kiosk gives that session dock work only).
    const PinSignIn::Outcome sup = signIn().signIn(QStringLiteral("9876"));
    QCOMPARE(sup.result, PinSignIn::Result::Accepted);
    QCOMPARE(sup.op->role, Operators::Role::Supervisor);
    QCOMPARE(signIn().signIn(QStringLiteral("0000")).result, PinSignIn::Result::WrongPin);
    QCOMPARE(signIn().signIn(QStringLiteral("12a4")).result, PinSignIn::Result::WrongPin);
}

void TestPinSignIn::aPinCheckCostsOnePbkdf2With200Operators()
{
    for (int i = 0; i < 198; ++i)
        addOperator(QStringLiteral("BULK-%1").arg(i), Operators::Role::Dock,
                    QStringLiteral("%1").arg(20000 + i * 37));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM operators WHERE pin_index IS NOT NULL"), qint64(200));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM operators WHERE pin_index LIKE '%1234%'"), qint64(0));
    // Over every operator's own PIN: on average one PBKDF2 per look-up, never a scan of all 200.
    quint64 worst = 0;
    const quint64 before = Operators::pinHashesComputed();
    for (int i = 0; i < 198; i += 11) {
        const quint64 one = Operators::pinHashesComputed();
        const auto op = Operators(*m_db).byPin(QStringLiteral("%1").arg(20000 + i * 37));
        QVERIFY(op);
        QCOMPARE(op->badge, QStringLiteral("BULK-%1").arg(i));
        worst = std::max(worst, Operators::pinHashesComputed() - one);
    }
    const double mean = double(Operators::pinHashesComputed() - before) / 18.0;
    qInfo("PBKDF2 per PIN look-up over 200 operators: mean %.2f, worst %llu", mean, worst);
    QVERIFY2(mean <= 1.5, qPrintable(QString::number(mean)));
    QVERIFY2(worst <= 3, qPrintable(QString::number(worst)));
    // Badge + PIN: exactly one.
    const quint64 b = Operators::pinHashesComputed();
    QVERIFY(Operators(*m_db).checkPin(QStringLiteral("BADGE-2001"), QStringLiteral("9876")));
    QCOMPARE(Operators::pinHashesComputed() - b, quint64(1));
}

void TestPinSignIn::confirmNeedsTheBadgesOwnPin()
{
    QCOMPARE(signIn().confirm(QStringLiteral("BADGE-2001"), QStringLiteral("9876"), true).result,
             PinSignIn::Result::Accepted);
    // Another operator's PIN is not the supervisor's.
    QCOMPARE(signIn().confirm(QStringLiteral("BADGE-2001"), QStringLiteral("1234"), true).result,
             PinSignIn::Result::WrongPin);
    QCOMPARE(signIn().confirm(QStringLiteral("NO-SUCH-BADGE"), QStringLiteral("9876"), true).result,
             PinSignIn::Result::WrongPin);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log WHERE action = 'supervisor_confirmed' "
                          "AND subject = 'BADGE-2001'"),
             qint64(1));
}

void TestPinSignIn::dockWorkerIsNotASupervisor()
{
    const PinSignIn::Outcome o = signIn().confirm(QStringLiteral("BADGE-1001"), QStringLiteral("1234"), true);
    QCOMPARE(o.result, PinSignIn::Result::NotSupervisor);
    QVERIFY(!o.message.isEmpty());
    QCOMPARE(signIn().confirm(QStringLiteral("BADGE-1001"), QStringLiteral("1234"), false).result,
             PinSignIn::Result::Accepted);
}

void TestPinSignIn::fiveWrongPinsLockTheStationForFiveMinutes()
{
    for (int i = 1; i <= 4; ++i) {
        m_clock.set(Start.addSecs(i * 60));
        const PinSignIn::Outcome o = signIn().signIn(QStringLiteral("000%1").arg(i));
        QCOMPARE(o.result, PinSignIn::Result::WrongPin);
        QCOMPARE(o.triesLeft, 5 - i);
    }
    m_clock.set(Start.addSecs(5 * 60));
    const PinSignIn::Outcome fifth =
        signIn().confirm(QStringLiteral("BADGE-2001"), QStringLiteral("1111"), true);
    QCOMPARE(fifth.result, PinSignIn::Result::Locked);
    QCOMPARE(fifth.lockedSeconds, 300);
    QVERIFY2(fifth.message.contains(QLatin1String("5 more minutes")), qPrintable(fifth.message));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed'"), qint64(5));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log WHERE action = 'sign_in_locked'"), qint64(1));

    // Locked: even the right PIN is refused, without being looked at or counted.
    m_clock.set(Start.addSecs(5 * 60 + 170));
    const quint64 hashes = Operators::pinHashesComputed();
    const PinSignIn::Outcome right =
        signIn().confirm(QStringLiteral("BADGE-2001"), QStringLiteral("9876"), true);
    QCOMPARE(right.result, PinSignIn::Result::Locked);
    QCOMPARE(right.lockedSeconds, 130);
    QVERIFY2(right.message.contains(QLatin1String("3 more minutes")), qPrintable(right.message));
    QCOMPARE(Operators::pinHashesComputed(), hashes);
    QCOMPARE(signIn().signIn(QStringLiteral("1234")).result, PinSignIn::Result::Locked);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed'"), qint64(5));

    // Five minutes on: open again, and the served lock's failures no longer count.
    m_clock.set(Start.addSecs(10 * 60 + 1));
    QCOMPARE(signIn().lockedSeconds(), 0);
    const PinSignIn::Outcome wrongAgain = signIn().signIn(QStringLiteral("0009"));
    QCOMPARE(wrongAgain.result, PinSignIn::Result::WrongPin);
    QCOMPARE(wrongAgain.triesLeft, 4);
    QCOMPARE(signIn().confirm(QStringLiteral("BADGE-2001"), QStringLiteral("9876"), true).result,
             PinSignIn::Result::Accepted);
    QVERIFY(AuditLog::verify(*m_db).ok);
}

void TestPinSignIn::theLockSurvivesARestartAndIsPerStation()
{
    for (int i = 0; i < 5; ++i)
        signIn().signIn(QStringLiteral("0000"));
    // A new connection (the kiosk restarted) still sees the lock: it lives in the audit log.
    m_db.reset();
    m_db = std::make_unique<Database>();
    m_db->open(TestStore::location(m_dir->filePath(QStringLiteral("r.db"))));
    QCOMPARE(signIn().lockedSeconds(), 300);
    QCOMPARE(signIn().signIn(QStringLiteral("1234")).result, PinSignIn::Result::Locked);
    // Another door is not locked by this one's guesses.
    QCOMPARE(signIn(QStringLiteral("DOOR-2")).signIn(QStringLiteral("1234")).result,
             PinSignIn::Result::Accepted);
    // Failures spread over more than ten minutes do not lock.
    m_clock.set(Start.addSecs(3600));
    for (int i = 0; i < 8; ++i) {
        m_clock.set(Start.addSecs(3600 + i * 180));
        QCOMPARE(signIn(QStringLiteral("DOOR-3")).signIn(QStringLiteral("0000")).result,
                 i < 4 ? PinSignIn::Result::WrongPin : PinSignIn::Result::WrongPin);
    }
    QCOMPARE(signIn(QStringLiteral("DOOR-3")).lockedSeconds(), 0);
}

void TestPinSignIn::oneBadgeGuessedFromManyStationsIsLocked()
{
    // A new station id per guess (a CLI's --station) does not buy more guesses at one badge's PIN.
    for (int i = 0; i < 4; ++i)
        QCOMPARE(signIn(QStringLiteral("CLI-%1").arg(i))
                     .confirm(QStringLiteral("BADGE-2001"), QStringLiteral("000%1").arg(i), true)
                     .result,
                 PinSignIn::Result::WrongPin);
    const PinSignIn::Outcome fifth =
        signIn(QStringLiteral("CLI-4")).confirm(QStringLiteral("BADGE-2001"), QStringLiteral("0004"), true);
    QCOMPARE(fifth.result, PinSignIn::Result::Locked);
    QCOMPARE(signIn(QStringLiteral("CLI-9"))
                 .confirm(QStringLiteral("BADGE-2001"), QStringLiteral("9876"), true)
                 .result,
             PinSignIn::Result::Locked);
    // Other badges, and the stations themselves, are not locked by it.
    QCOMPARE(signIn(QStringLiteral("CLI-9")).lockedSeconds(), 0);
    QCOMPARE(signIn(QStringLiteral("CLI-9"))
                 .confirm(QStringLiteral("BADGE-1001"), QStringLiteral("1234"), false)
                 .result,
             PinSignIn::Result::Accepted);
    m_clock.set(Start.addSecs(5 * 60 + 1));
    QCOMPARE(signIn(QStringLiteral("CLI-9"))
                 .confirm(QStringLiteral("BADGE-2001"), QStringLiteral("9876"), true)
                 .result,
             PinSignIn::Result::Accepted);
}

void TestPinSignIn::failuresNeverHoldThePin()
{
    signIn().signIn(QStringLiteral("48213579"));
    signIn().confirm(QStringLiteral("BADGE-2001"), QStringLiteral("48213579"), true);
    Statement s = m_db->prepare("SELECT coalesce(actor,'') || '|' || coalesce(subject,'') || '|' || "
                                "coalesce(details,'') FROM audit_log WHERE action = 'sign_in_failed'");
    int rows = 0;
    while (s.next()) {
        ++rows;
        QVERIFY2(!s.text(0).contains(QLatin1String("4821")), qPrintable(s.text(0)));
        QVERIFY2(s.text(0).contains(QLatin1String("\"method\":\"keypad\"")), qPrintable(s.text(0)));
    }
    QCOMPARE(rows, 2);
}

void TestPinSignIn::disabledOperatorIsRefusedAndRecordsNothing()
{
    QString why;
    QVERIFY(Operators(*m_db).disable(QStringLiteral("BADGE-1001"), QStringLiteral("BADGE-2001"), &why));
    QVERIFY(Operators(*m_db).byBadge(QStringLiteral("BADGE-1001"))->disabled);
    const qint64 audits = count(*m_db, "SELECT count(*) FROM audit_log");
    const PinSignIn::Outcome o = signIn().signIn(QStringLiteral("1234"));
    QCOMPARE(o.result, PinSignIn::Result::Disabled);
    QCOMPARE(o.message, QStringLiteral("Badge disabled — see a supervisor."));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log"), audits);
    QVERIFY(!Operators(*m_db).disable(QStringLiteral("NOBODY"), QStringLiteral("BADGE-2001"), &why));
    // The last supervisor stays: with none left nobody could resolve, close or add anyone.
    QVERIFY(!Operators(*m_db).disable(QStringLiteral("BADGE-2001"), QStringLiteral("BADGE-2001"), &why));
    QVERIFY2(why.contains(QLatin1String("last supervisor")), qPrintable(why));
    QVERIFY(Operators(*m_db).isSupervisor(QStringLiteral("BADGE-2001")));
    addOperator(QStringLiteral("BADGE-2002"), Operators::Role::Supervisor, QStringLiteral("5555"));
    // A disabled supervisor is no supervisor.
    QVERIFY(Operators(*m_db).disable(QStringLiteral("BADGE-2001"), QStringLiteral("BADGE-2002"), &why));
    QVERIFY(Operators(*m_db).disable(QStringLiteral("BADGE-2002"), QStringLiteral("BADGE-2002"), &why) ==
            false);
    QVERIFY(!Operators(*m_db).isSupervisor(QStringLiteral("BADGE-2001")));
    QVERIFY(Operators(*m_db).hasSupervisor());
    QVERIFY(Operators(*m_db).everHadSupervisor());
    QCOMPARE(signIn().confirm(QStringLiteral("BADGE-2001"), QStringLiteral("9876"), true).result,
             PinSignIn::Result::Disabled);
}

void TestPinSignIn::setPinReplacesTheOldOne()
{
    QString why;
    QVERIFY2(Operators(*m_db).setPin(QStringLiteral("BADGE-1001"), QStringLiteral("55667788"),
                                     QStringLiteral("BADGE-2001"), &why),
             qPrintable(why));
    QCOMPARE(signIn().signIn(QStringLiteral("1234")).result, PinSignIn::Result::WrongPin);
    const PinSignIn::Outcome o = signIn().signIn(QStringLiteral("55667788"));
    QCOMPARE(o.result, PinSignIn::Result::Accepted);
    QCOMPARE(o.op->badge, QStringLiteral("BADGE-1001"));
    QVERIFY(!Operators(*m_db).setPin(QStringLiteral("BADGE-1001"), QStringLiteral("12"), QStringLiteral("x"),
                                     &why));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log WHERE action = 'operator_pin_set'"), qint64(1));
}

void TestPinSignIn::pinsStayUnique()
{
    QString why;
    QVERIFY(!Operators(*m_db).add(QStringLiteral("BADGE-3001"), QStringLiteral("Copy Cat"),
                                  Operators::Role::Dock, QStringLiteral("1234"), QStringLiteral("test"),
                                  &why));
    QVERIFY2(why.contains(QLatin1String("Another operator")), qPrintable(why));
    QVERIFY(!Operators(*m_db).setPin(QStringLiteral("BADGE-1001"), QStringLiteral("9876"),
                                     QStringLiteral("test"), &why));
}

void TestPinSignIn::pinsFromBeforeTheIndexAreStillFound()
{
    // A database upgraded from schema 2 has PIN hashes but no index.
    m_db->exec("UPDATE operators SET pin_index = NULL");
    const PinSignIn::Outcome o = signIn().signIn(QStringLiteral("9876"));
    QCOMPARE(o.result, PinSignIn::Result::Accepted);
    QCOMPARE(o.op->badge, QStringLiteral("BADGE-2001"));
    // Found once, then indexed.
    QCOMPARE(
        count(*m_db, "SELECT count(*) FROM operators WHERE badge = 'BADGE-2001' AND pin_index IS NOT NULL"),
        qint64(1));
}

QTEST_GUILESS_MAIN(TestPinSignIn)
#include "tst_pinsignin.moc"
