// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "Database.h"
#include "IsolatedEnvironment.h"
#include "JournalLog.h"
#include "Metrics.h"
#include "TestStore.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <pwd.h>
#include <unistd.h>

// `receiving-cli audit verify` end to end: the real binary prints the log's head, takes a head published
// earlier back with --expect-head, and fails with a sentence when rows were cut from the end of the log and
// audit_head rewritten to match, which the table alone cannot show. The anchors themselves: the journal
// entry's fields, and the metrics textfile's head fed to the real binary.

namespace {

const QString Cli = QStringLiteral(RS_CLI_PATH);
constexpr int ProcessTimeoutMs = 60'000;

struct Result
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QString describe() const
    {
        return QStringLiteral("finished %1, exit %2\n--- stdout:\n%3\n--- stderr:\n%4")
            .arg(finished ? QStringLiteral("yes") : QStringLiteral("no"))
            .arg(exitCode)
            .arg(QString::fromUtf8(out.left(4000)), QString::fromUtf8(err.left(4000)));
    }
    QString outText() const { return QString::fromUtf8(out).trimmed(); }
    QString errText() const { return QString::fromUtf8(err).trimmed(); }
};

struct Head
{
    qint64 id = -1;
    QString hash;
    QString text() const { return QString::number(id) + QLatin1Char(':') + hash; }
};

// The head on audit verify's success line ("... head ID:HASH ...").
Head headIn(const QString &line)
{
    static const QRegularExpression form(QStringLiteral("\\bhead (\\d+):([0-9a-f]{64})\\b"));
    const QRegularExpressionMatch m = form.match(line);
    return m.hasMatch() ? Head{m.captured(1).toLongLong(), m.captured(2)} : Head{};
}

// Straight to the database (either engine, through the project's Database), for what the CLI deliberately
// cannot do (tampering).
bool sqlExec(const QString &location, const QByteArray &sql, QString *error)
{
    try {
        Database db;
        db.open(location);
        db.exec(sql.constData());
        return true;
    } catch (const DbException &e) {
        if (error)
            *error = e.error().message;
        return false;
    }
}

// The first column of every row as text (NULL as a null QString), opened read-only; empty on any error.
QStringList sqlColumn(const QString &location, const QByteArray &sql)
{
    QStringList values;
    try {
        Database db;
        Database::Options readOnly;
        readOnly.readOnly = true;
        db.open(location, readOnly);
        Statement st = db.prepare(sql.constData());
        while (st.next())
            values << (st.isNull(0) ? QString() : st.text(0));
    } catch (const DbException &) {
        return {};
    }
    return values;
}

// The first column of the first row as text; a null QString when there is none.
QString sqlText(const QString &location, const QByteArray &sql)
{
    const QStringList values = sqlColumn(location, sql);
    return values.isEmpty() ? QString() : values.first();
}

} // namespace

class TestCliAudit : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void verifyPrintsTheHeadAndHoldsItsAnchors();
    void cutLogWithRewrittenHeadFailsAgainstTheAnchor();
    void malformedExpectedHeadIsAUsageError();
    void journalEntryCarriesTheHead();
    void metricsTextfileHeadCatchesACut();

private:
    Result cli(const QStringList &args, const QByteArray &input = {}) const;
    // init, demo-data and a dock session: a log of a few dozen rows written by the CLI.
    bool writeLog();
    Head verifiedHead();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    QProcessEnvironment m_env;
};

Result TestCliAudit::cli(const QStringList &args, const QByteArray &input) const
{
    Result r;
    QProcess p;
    p.setProcessEnvironment(m_env);
    p.setWorkingDirectory(m_dir->path());
    p.start(Cli, QStringList{QStringLiteral("--db"), m_db} + args);
    if (!p.waitForStarted(ProcessTimeoutMs)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    r.finished = p.waitForFinished(ProcessTimeoutMs) && p.exitStatus() == QProcess::NormalExit;
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(ProcessTimeoutMs);
    }
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestCliAudit::initTestCase()
{
    QVERIFY2(QFileInfo(Cli).isExecutable(), qPrintable(Cli + QStringLiteral(" is not built")));
}

void TestCliAudit::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = TestStore::location(m_dir->filePath(QStringLiteral("data/receiving.db")));
    m_env = isolatedEnvironment(m_dir->path());
    QVERIFY(!m_env.isEmpty());
    // What the rows record is the uid's user, not what the environment claims.
    m_env.insert(QStringLiteral("USER"), QStringLiteral("mallory-not-the-uid"));
    m_env.insert(QStringLiteral("LOGNAME"), QStringLiteral("mallory-not-the-uid"));
}

void TestCliAudit::cleanup()
{
    m_dir.reset();
}

bool TestCliAudit::writeLog()
{
    for (const QStringList &args :
         {QStringList{QStringLiteral("init")}, QStringList{QStringLiteral("demo-data")}}) {
        const Result r = cli(args);
        if (!r.finished || r.exitCode != 0) {
            qWarning("%s", qPrintable(r.describe()));
            return false;
        }
    }
    const Result scan = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                            "2026-1103-0001\nJN11F3A2BAFA\n:undo\n:done\n");
    if (!scan.finished || scan.exitCode != 0) {
        qWarning("%s", qPrintable(scan.describe()));
        return false;
    }
    return true;
}

Head TestCliAudit::verifiedHead()
{
    const Result r = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    if (!r.finished || r.exitCode != 0 || !r.err.isEmpty()) {
        qWarning("%s", qPrintable(r.describe()));
        return Head{};
    }
    return headIn(r.outText());
}

void TestCliAudit::verifyPrintsTheHeadAndHoldsItsAnchors()
{
    QVERIFY(writeLog());
    const Result ok = cli({QStringLiteral("audit"), QStringLiteral("verify")});
    QVERIFY2(ok.finished && ok.exitCode == 0, qPrintable(ok.describe()));
    QVERIFY2(ok.err.isEmpty(), qPrintable(ok.describe()));
    const Head head = headIn(ok.outText());
    const QString rows = sqlText(m_db, "SELECT count(*) FROM audit_log");
    QCOMPARE(ok.outText(), QStringLiteral("Audit log intact: %1 rows; head %2.").arg(rows, head.text()));
    // The head printed is the newest row and audit_head's anchor.
    QCOMPARE(QString::number(head.id), sqlText(m_db, "SELECT max(id) FROM audit_log"));
    QCOMPARE(head.text(), sqlText(m_db, "SELECT last_id || ':' || last_hash FROM audit_head"));

    // Cases from demo-data are audited as case changes, and every row names the uid's user.
    QVERIFY(sqlText(m_db, "SELECT count(*) FROM audit_log WHERE action = 'case_changed'").toInt() >= 1);
    const passwd *pw = getpwuid(geteuid());
    const QString user = pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(geteuid());
    QCOMPARE(
        sqlColumn(m_db, "SELECT DISTINCT coalesce(unix_user, 'NULL') FROM audit_log").join(QLatin1Char(',')),
        user);

    for (const QString &anchor : {head.text(), head.hash}) {
        const Result held =
            cli({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--expect-head"), anchor});
        QVERIFY2(held.finished && held.exitCode == 0, qPrintable(held.describe()));
        QVERIFY2(held.outText().contains(QLatin1String("holds the anchor")), qPrintable(held.describe()));
    }

    // A later command moves the head on; the earlier anchor still holds, and the new head is printed.
    const Result more = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                            "2026-1103-0001\n:done\n");
    QVERIFY2(more.finished && more.exitCode == 0, qPrintable(more.describe()));
    const Head later = verifiedHead();
    QVERIFY2(later.id > head.id, qPrintable(later.text()));
    const Result older = cli(
        {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--expect-head"), head.text()});
    QVERIFY2(older.finished && older.exitCode == 0, qPrintable(older.describe()));
    QVERIFY2(older.outText().contains(later.text()), qPrintable(older.describe()));
}

void TestCliAudit::cutLogWithRewrittenHeadFailsAgainstTheAnchor()
{
    QVERIFY(writeLog());
    const Head kept = verifiedHead();
    QVERIFY(kept.id > 0);
    const Result more = cli({QStringLiteral("scan"), QStringLiteral("--station"), QStringLiteral("S1"),
                             QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                            "2026-1103-0001\n:done\n2026-1103-0001\n:done\n");
    QVERIFY2(more.finished && more.exitCode == 0, qPrintable(more.describe()));
    const Head anchor = verifiedHead(); // what the journal and the metrics were told at the last commit
    QVERIFY2(anchor.id > kept.id, qPrintable(anchor.text()));

    // The rows after `kept` go, and the anchor row is rewritten to the new end: the table is consistent.
    QString error;
    QVERIFY2(sqlExec(m_db,
                     QStringLiteral("DELETE FROM audit_log WHERE id >= %1; "
                                    "UPDATE audit_head SET last_id = %2, last_hash = '%3' WHERE id = 1")
                         .arg(kept.id + 1)
                         .arg(kept.id)
                         .arg(kept.hash)
                         .toUtf8(),
                     &error),
             qPrintable(error));
    QCOMPARE(verifiedHead().text(), kept.text()); // without the anchor the cut does not show

    const Result cut = cli(
        {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--expect-head"), anchor.text()});
    QVERIFY2(cut.finished && cut.exitCode == 1, qPrintable(cut.describe()));
    QVERIFY2(cut.out.isEmpty(), qPrintable(cut.describe()));
    QCOMPARE(cut.errText(),
             QStringLiteral("receiving-cli: Audit log broken: the audit log ends at row %1 but the "
                            "anchor says row %2 (hash %3): rows were removed.")
                 .arg(kept.id)
                 .arg(anchor.id)
                 .arg(anchor.hash));

    const Result hashOnly = cli(
        {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--expect-head"), anchor.hash});
    QVERIFY2(hashOnly.finished && hashOnly.exitCode == 1, qPrintable(hashOnly.describe()));
    QVERIFY2(
        hashOnly.errText().contains(QStringLiteral("is not in the chain, which ends at row %1").arg(kept.id)),
        qPrintable(hashOnly.describe()));
    QVERIFY2(hashOnly.errText().contains(QLatin1String("rows were removed")),
             qPrintable(hashOnly.describe()));
}

void TestCliAudit::malformedExpectedHeadIsAUsageError()
{
    QVERIFY(writeLog());
    const Result r = cli({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--expect-head"),
                          QStringLiteral("57:abc")});
    QVERIFY2(r.finished && r.exitCode == 2, qPrintable(r.describe()));
    QVERIFY2(r.errText().contains(QLatin1String("--expect-head")), qPrintable(r.describe()));
    QVERIFY2(!r.errText().contains(QLatin1Char('\n')), qPrintable(r.describe()));
}

void TestCliAudit::journalEntryCarriesTheHead()
{
    const QString hash(64, QLatin1Char('c'));
    const JournalLog::Fields f =
        JournalLog::auditHeadFields(QStringLiteral("/var/lib/rs/receiving.db"), 57, hash);
    QVERIFY(f.contains(qMakePair(QByteArray("AUDIT_HEAD_ID"), QStringLiteral("57"))));
    QVERIFY(f.contains(qMakePair(QByteArray("AUDIT_HEAD_HASH"), hash)));
    QVERIFY(f.contains(qMakePair(QByteArray("AUDIT_DATABASE"), QStringLiteral("/var/lib/rs/receiving.db"))));
    QVERIFY(
        f.contains(qMakePair(QByteArray("MESSAGE_ID"), QString::fromLatin1(JournalLog::AuditHeadMessageId))));
    const QList<QByteArray> entry = JournalLog::journalFields("receiving-station", QtInfoMsg, "rs.audit",
                                                              QStringLiteral("audit head"), f);
    QVERIFY(entry.contains("AUDIT_HEAD_ID=57"));
    QVERIFY(entry.contains("AUDIT_HEAD_HASH=" + hash.toLatin1()));
}

void TestCliAudit::metricsTextfileHeadCatchesACut()
{
    // The kiosk's wiring (src/app/main.cpp): each committed head goes to the journal and the metrics.
    AuditLog::setHeadPublisher([](const QString &db, qint64 id, const QString &hash) {
        JournalLog::auditHead(db, id, hash);
        StationMetrics::publishAuditHead(id, hash);
    });
    StationMetrics metrics(QStringLiteral("DOCK-3"));
    const QString textfile = m_dir->filePath(QStringLiteral("metrics/receiving_station.prom"));
    const auto headInMetrics = [&]() -> Head {
        QString why;
        if (!StationMetrics::writeAtomically(textfile, metrics.render(), &why))
            return Head{-2, why};
        QFile f(textfile);
        if (!f.open(QIODevice::ReadOnly))
            return Head{-3, f.errorString()};
        const QString text = QString::fromUtf8(f.readAll());
        static const QRegularExpression id(
            QStringLiteral("^receiving_audit_head_id\\{station=\"DOCK-3\"\\} (\\d+)$"),
            QRegularExpression::MultilineOption);
        static const QRegularExpression info(
            QStringLiteral("^receiving_audit_head_info\\{station=\"DOCK-3\",hash=\"([0-9a-f]{64})\"\\} 1$"),
            QRegularExpression::MultilineOption);
        const QRegularExpressionMatch i = id.match(text), h = info.match(text);
        return i.hasMatch() && h.hasMatch() ? Head{i.captured(1).toLongLong(), h.captured(1)}
                                            : Head{-4, text};
    };
    {
        Database db;
        db.open(m_db);
        for (int round = 0; round < 2; ++round) {
            Transaction tx(db);
            for (int i = 0; i < 10; ++i)
                AuditLog::append(db, AuditLog::Entry{QStringLiteral("2026-11-26T09:00:00.000Z"),
                                                     QStringLiteral("DOCK-3"), QStringLiteral("BADGE-1001"),
                                                     QStringLiteral("received"),
                                                     QStringLiteral("SN%1").arg(i), QString()});
            tx.commit();
        }
        const AuditLog::Verification v = AuditLog::verify(db);
        QVERIFY2(v.ok, qPrintable(v.message));
        const Head published = headInMetrics();
        QCOMPARE(published.text(), v.head.text());
    }
    AuditLog::setHeadPublisher({});
    const Head anchor = headInMetrics();
    QCOMPARE(anchor.id, 20);
    QProcess promtool; // node_exporter would take the file as it is
    promtool.setStandardInputFile(textfile);
    promtool.start(QStringLiteral("promtool"), {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY2(
        promtool.waitForFinished(ProcessTimeoutMs) && promtool.exitCode() == 0,
        (promtool.errorString().toUtf8() + promtool.readAllStandardOutput() + promtool.readAllStandardError())
            .constData());

    const Result ok = cli(
        {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--expect-head"), anchor.text()});
    QVERIFY2(ok.finished && ok.exitCode == 0, qPrintable(ok.describe()));

    // Cut back to row 10 with audit_head rewritten from row 10's successor link: consistent, but short.
    QString error;
    QVERIFY2(
        sqlExec(
            m_db,
            "UPDATE audit_head SET last_id = 10, last_hash = (SELECT prev_hash FROM audit_log WHERE id = 11) "
            "WHERE id = 1; DELETE FROM audit_log WHERE id >= 11",
            &error),
        qPrintable(error));
    QCOMPARE(verifiedHead().id, 10);
    const Result cut = cli(
        {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--expect-head"), anchor.text()});
    QVERIFY2(cut.finished && cut.exitCode == 1, qPrintable(cut.describe()));
    QVERIFY2(cut.errText().contains(QStringLiteral("ends at row 10 but the anchor says row 20")),
             qPrintable(cut.describe()));
}

QTEST_GUILESS_MAIN(TestCliAudit)
#include "tst_cliaudit.moc"
