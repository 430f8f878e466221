// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "CertificateOfReceipt.h"
#include "ReportFixture.h"

#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <sys/stat.h>

// The certificate of receipt on either engine: what it says (read back with pdftotext), what the audit log
// records, and what --verify accepts and refuses.
class TestCertificateOfReceipt : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReportFixture> m_f;
    const QString Case = QStringLiteral("2026-1103-0001");

    CertificateOfReceipt certificate() { return CertificateOfReceipt(m_f->db, m_f->zone); }

    std::optional<CertificateOfReceipt::Issued> issue(const QString &path,
                                                      const QString &paper = QStringLiteral("A4"))
    {
        QString why;
        auto issued = certificate().issue(Case, path, paper, QStringLiteral("BADGE-2001"),
                                          ReportFixture::station(), m_f->clock.nowUtc(), &why);
        if (!issued)
            qWarning("%s", qPrintable(why));
        return issued;
    }

    static QString pdfText(const QString &path)
    {
        QProcess p;
        p.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), path, QStringLiteral("-")});
        p.waitForFinished(30000);
        return QString::fromUtf8(p.readAllStandardOutput());
    }

    static QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qApp->setProperty("rs_allow_gui_thread_io", true); // a test: the GUI thread may read the store
        m_f = std::make_unique<ReportFixture>();
        QVERIFY(m_f->build());
        m_f->db.exec(
            "INSERT INTO settings (key, value, updated_at) VALUES ('depot.name', 'PureWrx Returns Depot', "
            "'2026-11-20T00:00:00.000Z')");
    }

    void contentOfTheCase()
    {
        const std::optional<CertificateOfReceipt::Content> c = certificate().content(Case);
        QVERIFY(c);
        QCOMPARE(c->customer, QStringLiteral("Acme Regional Networks"));
        QCOMPARE(c->partner, QStringLiteral("Lone Star Integrators"));
        QCOMPARE(c->disposition, QStringLiteral("trade_in"));
        // Units of the case wherever they were boxed; the unexpected unit in its box is no unit of the case's
        // lines but was received against it.
        QStringList serials;
        for (const auto &u : c->units)
            serials << u.serial;
        QVERIFY(serials.contains(QStringLiteral("JN11F3A2BAFA")));
        QVERIFY(serials.contains(QStringLiteral("CAHZ4512")));
        QCOMPARE(c->missing.size(), 2);
        QCOMPARE(c->missing[1].line, 4);
        QCOMPARE(c->missing[1].expected - c->missing[1].received, 2);
        QCOMPARE(c->contentSha256(), c->contentSha256());
        QCOMPARE(c->contentSha256().size(), 64);
        QVERIFY(!certificate().content(QStringLiteral("2099-0000-0000")));
    }

    void issuedCertificateSaysWhatArrived_data()
    {
        QTest::addColumn<QString>("paper");
        QTest::addColumn<QString>("pageSize");
        QTest::newRow("A4") << QStringLiteral("A4") << QStringLiteral("(A4)");
        QTest::newRow("Letter") << QStringLiteral("Letter") << QStringLiteral("(letter)");
    }
    void issuedCertificateSaysWhatArrived()
    {
        QFETCH(QString, paper);
        QFETCH(QString, pageSize);
        const QString path = m_f->dir.filePath(QStringLiteral("cert-%1.pdf").arg(paper));
        const AuditLog::Head before = AuditLog::verify(m_f->db).head;
        const auto issued = issue(path, paper);
        QVERIFY(issued);
        QCOMPARE(issued->auditHead.id, before.id);
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        const QString text = pdfText(path);
        const std::optional<CertificateOfReceipt::Content> content = certificate().content(Case);
        QVERIFY(content);
        for (const auto &u : content->units)
            QVERIFY2(text.contains(u.serial), qPrintable(u.serial + QStringLiteral(" not in:\n") + text));
        for (const QString &s :
             {QStringLiteral("PureWrx Returns Depot"), QStringLiteral("Certificate of receipt"),
              QStringLiteral("Acme Regional Networks"), QStringLiteral("Lone Star Integrators"),
              QStringLiteral("CAHZ4519"), issued->contentSha256, before.text(), QStringLiteral("Dana Ortiz"),
              QStringLiteral("Page 1 of 1")})
            QVERIFY2(text.contains(s), qPrintable(s));
        QVERIFY(!text.contains(QStringLiteral("BADGE-1001"))); // names, never badges
        QVERIFY(QRegularExpression(QStringLiteral("Units received\\s+%1\\n").arg(issued->units))
                    .match(text)
                    .hasMatch());
        QVERIFY(QRegularExpression(QStringLiteral("Missing lines\\s+2\\n")).match(text).hasMatch());
        QProcess info;
        info.start(QStringLiteral("pdfinfo"), {path});
        info.waitForFinished(30000);
        QVERIFY2(QString::fromUtf8(info.readAllStandardOutput()).contains(pageSize), qPrintable(paper));
        // The audit log recorded it with both hashes.
        Statement a =
            m_f->db.prepare("SELECT details, actor FROM audit_log WHERE action = 'certificate_issued' "
                            "ORDER BY id DESC LIMIT 1");
        QVERIFY(a.next());
        const QJsonObject d = QJsonDocument::fromJson(a.utf8(0)).object();
        QCOMPARE(d.value(QLatin1String("file_sha256")).toString(), issued->fileSha256);
        QCOMPARE(d.value(QLatin1String("content_sha256")).toString(), issued->contentSha256);
        QCOMPARE(d.value(QLatin1String("audit_head")).toString(), before.text());
        QCOMPARE(a.text(1), QStringLiteral("BADGE-2001"));
        QVERIFY(AuditLog::verify(m_f->db).ok);
    }

    void verifyAcceptsTheFileAndRefusesAnyChangedByte()
    {
        const QString path = m_f->dir.filePath(QStringLiteral("verify.pdf"));
        QVERIFY(issue(path));
        const QByteArray bytes = read(path);
        const CertificateOfReceipt::Verification ok = certificate().verify(Case, bytes);
        QVERIFY2(ok.ok, qPrintable(ok.message));
        // One changed byte anywhere: in the PDF body, in the trailer's JSON, in the signature line.
        for (const qsizetype at : {qsizetype(100), bytes.size() / 2, bytes.size() - 120, bytes.size() - 5}) {
            QByteArray changed = bytes;
            changed[at] = char(changed[at] ^ 0x01);
            const auto v = certificate().verify(Case, changed);
            QVERIFY2(!v.ok, qPrintable(QStringLiteral("byte %1 changed, still: %2").arg(at).arg(v.message)));
        }
        QVERIFY(!certificate().verify(Case, bytes.left(bytes.size() - 1)).ok);
        QVERIFY(!certificate().verify(QStringLiteral("2026-1020-0002"), bytes).ok); // another case's name
        // A signature recomputed over a changed body: the audit log never issued that file.
        QByteArray forged = bytes;
        const qsizetype sig = forged.lastIndexOf("\n%RS-SHA256 ");
        forged[200] = char(forged[200] ^ 0x01);
        forged = forged.left(sig + 1);
        forged += "%RS-SHA256 " + QCryptographicHash::hash(forged, QCryptographicHash::Sha256).toHex() + '\n';
        const auto v = certificate().verify(Case, forged);
        QVERIFY(!v.ok);
        QVERIFY2(v.message.contains(QStringLiteral("audit log")), qPrintable(v.message));
    }

    void verifyRefusesWhenTheCaseChangedSince()
    {
        const QString path = m_f->dir.filePath(QStringLiteral("before-more.pdf"));
        QVERIFY(issue(path));
        ReceivingService service(m_f->db, m_f->clock, ReceivingService::Options{m_f->zone, {}});
        service.signIn(ReportFixture::station(), QStringLiteral("BADGE-1001"));
        m_f->scan(service, "1Z999AA10123456784");
        m_f->scan(service, "CAHZ4519");
        const auto v = certificate().verify(Case, read(path));
        QVERIFY(!v.ok);
        QVERIFY2(v.message.contains(QStringLiteral("changed after")), qPrintable(v.message));
        // A new certificate holds the new unit and verifies.
        const QString again = m_f->dir.filePath(QStringLiteral("after-more.pdf"));
        QVERIFY(issue(again));
        QVERIFY(pdfText(again).contains(QStringLiteral("CAHZ4519")));
        QVERIFY(certificate().verify(Case, read(again)).ok);
    }

    void unknownCaseWritesNothing()
    {
        QString why;
        const QString path = m_f->dir.filePath(QStringLiteral("none.pdf"));
        QVERIFY(!certificate().issue(QStringLiteral("2099-0000-0000"), path, QStringLiteral("A4"),
                                     QStringLiteral("BADGE-2001"), ReportFixture::station(),
                                     m_f->clock.nowUtc(), &why));
        QVERIFY(why.contains(QStringLiteral("2099-0000-0000")));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_MAIN(TestCertificateOfReceipt)
#include "tst_certificateofreceipt.moc"
