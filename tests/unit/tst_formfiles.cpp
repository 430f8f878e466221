// SPDX-License-Identifier: GPL-3.0-or-later
// FormFiles: which files the Import a Trade-In Form page offers (spreadsheets only, newest first, nothing
// hidden, nothing a link takes out of the folder, bounded depth) and which it agrees to read; and the read
// itself (the form's lines with the file's SHA-256, or the reader's one sentence).
#include "FormFiles.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

namespace {
bool write(const QString &path, const QByteArray &bytes, const QDateTime &modified = {})
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return false;
    f.close();
    if (modified.isValid()) {
        QFile g(path);
        return g.open(QIODevice::ReadWrite) && g.setFileTime(modified, QFileDevice::FileModificationTime);
    }
    return true;
}

QStringList names(const QJsonArray &rows)
{
    QStringList out;
    for (const QJsonValue &v : rows)
        out.append(v[QLatin1String("folder")].toString().isEmpty()
                       ? v[QLatin1String("file_name")].toString()
                       : v[QLatin1String("folder")].toString() + QLatin1Char('/') +
                             v[QLatin1String("file_name")].toString());
    return out;
}

const QByteArray Csv = "TMIP Case,2026-1103-0001\n"
                       "Line,SKU,Description,Serial,Qty\n"
                       "1,MX960-BASE,Chassis,JN11F3A2BAFA,\n"
                       "2,SFP-10G-SR,Optic,,4\n";
} // namespace

class TestFormFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formFileNames_data();
    void formFileNames();
    void listsSpreadsheetsNewestFirst();
    void linksOutOfTheFolderAreNeitherListedNorRead();
    void depthIsBounded();
    void rootsLeaveOutMissingFolders();
    void readsTheFormWithItsSha256();
    void badFormGivesTheReadersSentence();
};

void TestFormFiles::formFileNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("form");
    QTest::newRow("xlsx") << "trade-in.xlsx" << true;
    QTest::newRow("XLS upper case") << "TRADE-IN.XLS" << true;
    QTest::newRow("csv") << "form.csv" << true;
    QTest::newRow("text") << "readme.txt" << false;
    QTest::newRow("pdf") << "form.pdf" << false;
    QTest::newRow("no suffix") << "xlsx" << false;
    QTest::newRow("hidden") << ".form.xlsx" << false;
    QTest::newRow("office lock file") << ".~lock.form.xlsx#" << false;
    QTest::newRow("xlsm (macros)") << "form.xlsm" << false;
}

void TestFormFiles::formFileNames()
{
    QFETCH(QString, name);
    QFETCH(bool, form);
    QCOMPARE(FormFiles::isFormFileName(name), form);
}

void TestFormFiles::listsSpreadsheetsNewestFirst()
{
    QTemporaryDir stick, forms;
    const QDateTime t = QDateTime::currentDateTimeUtc().addDays(-1);
    QVERIFY(write(forms.filePath(QStringLiteral("old.csv")), Csv, t.addSecs(-3600)));
    QVERIFY(write(forms.filePath(QStringLiteral("new.xlsx")), "x", t));
    QVERIFY(write(forms.filePath(QStringLiteral("notes.txt")), "x", t.addSecs(60)));
    QVERIFY(write(forms.filePath(QStringLiteral(".hidden.csv")), "x", t.addSecs(60)));
    QVERIFY(write(stick.filePath(QStringLiteral("Acme/November/form.xls")), "x", t.addSecs(-60)));
    const QList<FormFiles::Root> roots =
        FormFiles::roots(forms.path(), {FormFiles::Root{stick.path(), QStringLiteral("KINGSTON"), true}});
    QCOMPARE(roots.size(), 2);
    QVERIFY(!roots[0].removable); // forms.directory first
    const QJsonArray rows = FormFiles::list(roots);
    QCOMPARE(names(rows), (QStringList{QStringLiteral("new.xlsx"), QStringLiteral("Acme/November/form.xls"),
                                       QStringLiteral("old.csv")}));
    const QJsonObject onStick = rows[1].toObject();
    QCOMPARE(onStick[QLatin1String("source")].toString(), QStringLiteral("KINGSTON"));
    QVERIFY(onStick[QLatin1String("removable")].toBool());
    QCOMPARE(onStick[QLatin1String("size")].toInteger(), 1);
    QVERIFY(onStick[QLatin1String("modified")].toString().endsWith(QLatin1Char('Z')));
    QCOMPARE(rows[2][QLatin1String("source")].toString(), forms.path());
    for (const QJsonValue &r : rows)
        QVERIFY(FormFiles::isAllowed(r[QLatin1String("path")].toString(), roots));
    QVERIFY(!FormFiles::isAllowed(forms.filePath(QStringLiteral("notes.txt")), roots));
    QVERIFY(!FormFiles::isAllowed(forms.filePath(QStringLiteral("missing.csv")), roots));
}

void TestFormFiles::linksOutOfTheFolderAreNeitherListedNorRead()
{
    QTemporaryDir forms, elsewhere;
    QVERIFY(write(elsewhere.filePath(QStringLiteral("secret.csv")), Csv));
    QVERIFY(write(forms.filePath(QStringLiteral("real.csv")), Csv));
    QVERIFY(QFile::link(elsewhere.filePath(QStringLiteral("secret.csv")),
                        forms.filePath(QStringLiteral("link.csv"))));
    QVERIFY(QFile::link(elsewhere.path(), forms.filePath(QStringLiteral("linked-folder"))));
    // A sibling whose name starts like the folder's is not inside it.
    const QString sibling = forms.path() + QStringLiteral("-2/form.csv");
    QVERIFY(write(sibling, Csv));
    const QList<FormFiles::Root> roots = FormFiles::roots(forms.path(), {});
    QCOMPARE(names(FormFiles::list(roots)), QStringList{QStringLiteral("real.csv")});
    QVERIFY(!FormFiles::isAllowed(forms.filePath(QStringLiteral("link.csv")), roots));
    QVERIFY(!FormFiles::isAllowed(forms.filePath(QStringLiteral("linked-folder/secret.csv")), roots));
    QVERIFY(!FormFiles::isAllowed(forms.filePath(QStringLiteral("../")) +
                                      QFileInfo(elsewhere.path()).fileName() + QStringLiteral("/secret.csv"),
                                  roots));
    QVERIFY(!FormFiles::isAllowed(sibling, roots));
    QDir(forms.path() + QStringLiteral("-2")).removeRecursively();
}

void TestFormFiles::depthIsBounded()
{
    QTemporaryDir forms;
    QString folder = forms.path();
    QStringList expected;
    for (int depth = 0; depth <= FormFiles::MaxDepth + 1; ++depth) {
        QVERIFY(write(folder + QStringLiteral("/f%1.csv").arg(depth), Csv,
                      QDateTime::currentDateTimeUtc().addSecs(-depth * 60)));
        if (depth <= FormFiles::MaxDepth)
            expected.append(
                QDir(forms.path()).relativeFilePath(folder + QStringLiteral("/f%1.csv").arg(depth)));
        folder += QStringLiteral("/d%1").arg(depth);
    }
    QCOMPARE(names(FormFiles::list(FormFiles::roots(forms.path(), {}))), expected);
}

void TestFormFiles::rootsLeaveOutMissingFolders()
{
    QTemporaryDir stick;
    const QList<FormFiles::Root> roots =
        FormFiles::roots(QStringLiteral("/nonexistent/forms"),
                         {FormFiles::Root{QStringLiteral("/nonexistent/media/usb"), {}, true},
                          FormFiles::Root{stick.path(), QStringLiteral("USB"), true}});
    QCOMPARE(roots.size(), 1);
    QCOMPARE(roots[0].path, stick.path());
    QCOMPARE(FormFiles::roots(QString(), {}).size(), 0);
}

void TestFormFiles::readsTheFormWithItsSha256()
{
    QTemporaryDir forms;
    const QString path = forms.filePath(QStringLiteral("form.csv"));
    QVERIFY(write(path, Csv));
    QString why;
    const std::optional<TradeInFormImport> form = FormFiles::read(path, &why);
    QVERIFY2(form, qPrintable(why));
    QCOMPARE(form->caseNumber, QStringLiteral("2026-1103-0001"));
    QCOMPARE(form->fileName, QStringLiteral("form.csv"));
    QCOMPARE(form->sha256,
             QString::fromLatin1(QCryptographicHash::hash(Csv, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(form->lines.size(), 2);
    QCOMPARE(form->lines[0].serial, QStringLiteral("JN11F3A2BAFA"));
    QCOMPARE(form->lines[0].row, 3);
    QCOMPARE(form->lines[1].sku, QStringLiteral("SFP-10G-SR"));
    QCOMPARE(form->lines[1].quantity, 4);

    // The committed fixture, an .xlsx with several serials in one cell.
    const std::optional<TradeInFormImport> xlsx =
        FormFiles::read(QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/forms/trade-in.xlsx"), &why);
    QVERIFY2(xlsx, qPrintable(why));
    QCOMPARE(xlsx->caseNumber, QStringLiteral("2026-1103-0001"));
    QCOMPARE(xlsx->sheetName, QStringLiteral("Trade-In"));
    QVERIFY(xlsx->lines.size() >= 5);
}

void TestFormFiles::badFormGivesTheReadersSentence()
{
    QString why;
    QVERIFY(!FormFiles::read(QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/forms/serial-twice.xlsx"), &why));
    QVERIFY2(why.contains(QLatin1String("row")), qPrintable(why));
    QVERIFY(
        !FormFiles::read(QStringLiteral(RS_SOURCE_DIR "/tests/fixtures/forms/not-a-spreadsheet.xlsx"), &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(!FormFiles::read(QStringLiteral("/nonexistent/form.csv"), &why));
    QVERIFY2(why.contains(QLatin1String("form.csv")), qPrintable(why));
}

QTEST_GUILESS_MAIN(TestFormFiles)
#include "tst_formfiles.moc"
