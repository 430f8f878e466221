// SPDX-License-Identifier: GPL-3.0-or-later
#include "IsolatedEnvironment.h"
#include "TestStore.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// receiving-cli report ... and certificate ... as a depot runs them, with no display: who may run them, what
// each format holds, and a certificate checked with --verify (accepted, then refused with one byte changed).
namespace {
const QString Cli = QStringLiteral(RS_CLI_PATH);
constexpr int ProcessTimeoutMs = 120000;

struct Result
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out, err;
};
} // namespace

class TestCliReports : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    QProcessEnvironment m_env;

    Result cli(const QStringList &args, const QByteArray &input = {}) const
    {
        Result r;
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.setWorkingDirectory(m_dir->path());
        p.start(Cli, QStringList{QStringLiteral("--db"), m_db, QStringLiteral("--station"),
                                 QStringLiteral("DOOR-1")} +
                         args);
        if (!p.waitForStarted(ProcessTimeoutMs))
            return r;
        p.write(input);
        p.closeWriteChannel();
        r.finished = p.waitForFinished(ProcessTimeoutMs) && p.exitStatus() == QProcess::NormalExit;
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        r.exitCode = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    QStringList supervisor() const
    {
        return {QStringLiteral("--operator"), QStringLiteral("BADGE-2001"), QStringLiteral("--pin-file"),
                m_dir->filePath(QStringLiteral("sup.pin"))};
    }
    QString path(const char *name) const { return m_dir->filePath(QLatin1String(name)); }
    static QString tool(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.start(program, args);
        p.waitForFinished(60000);
        return QString::fromUtf8(p.readAllStandardOutput());
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(Cli).isExecutable(), qPrintable(Cli + QStringLiteral(" is not built")));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_db = TestStore::location(m_dir->filePath(QStringLiteral("data/receiving.db")));
        m_env = isolatedEnvironment(m_dir->path());
        QVERIFY(!m_env.isEmpty());
        m_env.remove(QStringLiteral("DISPLAY"));
        m_env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        m_env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the CLI picks offscreen itself
        QFile pin(m_dir->filePath(QStringLiteral("sup.pin")));
        QVERIFY(pin.open(QIODevice::WriteOnly));
        pin.write("9876\n");
        pin.close();
        QFile dock(m_dir->filePath(QStringLiteral("dock.pin")));
        QVERIFY(dock.open(QIODevice::WriteOnly));
        dock.write("1234\n");
        dock.close();
        QCOMPARE(cli({QStringLiteral("demo-data")}).exitCode, 0);
        const Result scan =
            cli({QStringLiteral("scan"), QStringLiteral("--operator"), QStringLiteral("BADGE-1001")},
                "1Z999AA10123456784\nJN11F3A2BAFA\n0012345678\n");
        QVERIFY2(scan.exitCode == 0, scan.err.constData());
        QCOMPARE(cli(QStringList{QStringLiteral("settings"), QStringLiteral("set"),
                                 QStringLiteral("depot.name"), QStringLiteral("PureWrx Returns Depot")} +
                     supervisor())
                     .exitCode,
                 0);
    }

    void reportsAreForSupervisors()
    {
        const QStringList receipts{QStringLiteral("report"), QStringLiteral("receipts"),
                                   QStringLiteral("--from"), QStringLiteral("2000-01-01"),
                                   QStringLiteral("--to"),   QStringLiteral("2100-01-01")};
        Result r = cli(receipts);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("only a supervisor"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        r = cli(receipts + QStringList{QStringLiteral("--operator"), QStringLiteral("BADGE-1001"),
                                       QStringLiteral("--pin-file"), path("dock.pin")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        r = cli(receipts + supervisor());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.startsWith("received_at,station,operator,case_number,customer,line,sku,serial,"));
        QVERIFY(r.out.contains(",JN11F3A2BAFA,"));
        QVERIFY(r.out.contains(",0012345678,"));
        QVERIFY(r.out.contains("Dana Ortiz"));
        QVERIFY(!r.out.contains("BADGE-1001"));
    }

    void badUsageGetsOneSentenceAndNoFile()
    {
        const QList<QStringList> bad{
            {QStringLiteral("report"), QStringLiteral("receipts"), QStringLiteral("--from"),
             QStringLiteral("2026-13-01"), QStringLiteral("--to"), QStringLiteral("2026-12-01")},
            {QStringLiteral("report"), QStringLiteral("receipts"), QStringLiteral("--from"),
             QStringLiteral("2026-12-02"), QStringLiteral("--to"), QStringLiteral("2026-12-01")},
            {QStringLiteral("report"), QStringLiteral("cases"), QStringLiteral("--format"),
             QStringLiteral("pdf")},
            {QStringLiteral("report"), QStringLiteral("cases"), QStringLiteral("--format"),
             QStringLiteral("ods"), QStringLiteral("--out"), path("x.ods")},
            {QStringLiteral("report"), QStringLiteral("osd")},
            {QStringLiteral("report"), QStringLiteral("nonsense")},
            {QStringLiteral("certificate"), QStringLiteral("2026-1103-0001")},
        };
        for (const QStringList &args : bad) {
            const Result r = cli(args + supervisor());
            QVERIFY2(r.exitCode == 2,
                     qPrintable(args.join(u' ') + QStringLiteral(": ") + QString::fromUtf8(r.err)));
            QVERIFY(!r.err.isEmpty());
        }
        QVERIFY(!QFile::exists(path("x.ods")));
        const Result r = cli(QStringList{QStringLiteral("report"), QStringLiteral("osd"),
                                         QStringLiteral("--case"), QStringLiteral("2099-0000-0000")} +
                             supervisor());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("No case 2099-0000-0000"), r.err.constData());
    }

    void everyReportInEveryFormat()
    {
        const QList<QStringList> reports{
            {QStringLiteral("receipts"), QStringLiteral("--from"), QStringLiteral("2000-01-01"),
             QStringLiteral("--to"), QStringLiteral("2100-01-01")},
            {QStringLiteral("cases"), QStringLiteral("--closed-since"), QStringLiteral("2000-01-01")},
            {QStringLiteral("exceptions")},
            {QStringLiteral("osd"), QStringLiteral("--case"), QStringLiteral("2026-1103-0001")},
            {QStringLiteral("osd"), QStringLiteral("--box"), QStringLiteral("1Z999AA10123456784")},
        };
        for (const QStringList &report : reports) {
            for (const QString &format :
                 {QStringLiteral("csv"), QStringLiteral("xlsx"), QStringLiteral("pdf")}) {
                const QString out =
                    m_dir->filePath(QStringLiteral("%1-%2.%3").arg(report[0]).arg(report.size()).arg(format));
                const Result r =
                    cli(QStringList{QStringLiteral("report")} + report +
                        QStringList{QStringLiteral("--format"), format, QStringLiteral("--out"), out} +
                        supervisor());
                QVERIFY2(r.exitCode == 0, qPrintable(report.join(u' ') + u' ' + format +
                                                     QStringLiteral(": ") + QString::fromUtf8(r.err)));
                QVERIFY(QFileInfo(out).size() > 0);
                QCOMPARE(int(QFileInfo(out).permissions() & (QFile::ReadGroup | QFile::ReadOther)), 0);
            }
        }
        const QString receipts =
            tool(QStringLiteral("pdftotext"),
                 {QStringLiteral("-layout"), m_dir->filePath(QStringLiteral("receipts-5.pdf")),
                  QStringLiteral("-")});
        QVERIFY(receipts.contains(QStringLiteral("JN11F3A2BAFA")));
        QVERIFY(receipts.contains(QStringLiteral("0012345678")));
        QVERIFY(receipts.contains(QStringLiteral("PureWrx Returns Depot")));
        QVERIFY(QRegularExpression(QStringLiteral("Receipts\\s+2\\n")).match(receipts).hasMatch());
        const QString osd = tool(
            QStringLiteral("pdftotext"),
            {QStringLiteral("-layout"), m_dir->filePath(QStringLiteral("osd-3.pdf")), QStringLiteral("-")});
        QVERIFY2(osd.contains(QStringLiteral("CAHZ4519")), qPrintable(osd)); // a short line
        QVERIFY(osd.contains(QStringLiteral("0012345678")));                 // over in the case's box
    }

    void certificateIssuedThenVerified()
    {
        const QString pdf = path("cert.pdf");
        Result r = cli(QStringList{QStringLiteral("certificate"), QStringLiteral("2026-1103-0001"),
                                   QStringLiteral("--out"), pdf} +
                       supervisor());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("units, 3 missing lines"), r.out.constData());
        QVERIFY(tool(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")})
                    .contains(QStringLiteral("JN11F3A2BAFA")));
        r = cli({QStringLiteral("certificate"), QStringLiteral("2026-1103-0001"), QStringLiteral("--verify"),
                 pdf});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY(r.out.startsWith("Valid:"));
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        bytes[bytes.size() / 3] = char(bytes[bytes.size() / 3] ^ 0x20);
        QFile changed(path("changed.pdf"));
        QVERIFY(changed.open(QIODevice::WriteOnly));
        changed.write(bytes);
        changed.close();
        r = cli({QStringLiteral("certificate"), QStringLiteral("2026-1103-0001"), QStringLiteral("--verify"),
                 path("changed.pdf")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("changed after it was issued"), r.out.constData());
        r = cli({QStringLiteral("audit"), QStringLiteral("verify")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliReports)
#include "tst_clireports.moc"
