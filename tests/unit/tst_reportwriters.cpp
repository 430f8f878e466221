// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportWriters.h"
#include "Spreadsheet.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <sys/stat.h>

// The three file formats of a report, read back: CSV parsed, xlsx cell by cell (SpreadsheetReader) and its
// sheet XML for the frozen header and the filter, PDF as text (pdftotext) in both paper sizes.
class TestReportWriters : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static Report sample(int rows)
    {
        Report r;
        r.name = QStringLiteral("receipts");
        r.title = QStringLiteral("Receipts");
        r.subtitle = QStringLiteral("2026-11-01 to 2026-11-30 (America/Chicago)");
        r.columns = {
            {QStringLiteral("received_at"), QStringLiteral("Received"), ReportColumn::Type::DateTime, 17},
            {QStringLiteral("serial"), QStringLiteral("Serial"), ReportColumn::Type::Text, 16},
            {QStringLiteral("line"), QStringLiteral("Line"), ReportColumn::Type::Integer, 5},
            {QStringLiteral("due"), QStringLiteral("Due"), ReportColumn::Type::Date, 11},
            {QStringLiteral("late"), QStringLiteral("Late"), ReportColumn::Type::Flag, 5},
            {QStringLiteral("customer"), QStringLiteral("Customer"), ReportColumn::Type::Text, 20}};
        const QTimeZone chicago(QByteArrayLiteral("America/Chicago"));
        for (int i = 0; i < rows; ++i) {
            const QString serial = i == 0 ? QStringLiteral("0012345678")
                                          : QStringLiteral("SN%1").arg(i, 8, 10, QLatin1Char('0'));
            r.rows.append(QVariantList{QDateTime(QDate(2026, 11, 20), QTime(12, 0, i % 60), chicago), serial,
                                       i == 1 ? QVariant() : QVariant(qint64(i + 1)), QDate(2026, 12, 1),
                                       i % 2 == 1,
                                       i == 2   ? QStringLiteral("Smith, \"Jones\" & Co\nLtd")
                                       : i == 3 ? QStringLiteral("=HYPERLINK(\"x\")")
                                                : QStringLiteral("Acme Regional Networks")});
        }
        r.totals = {{QStringLiteral("Receipts"), QString::number(rows)},
                    {QStringLiteral("Late"), QString::number(rows / 2)}};
        return r;
    }

    static ReportHeading heading(const QString &paper)
    {
        ReportHeading h;
        h.depotName = QStringLiteral("PureWrx Returns Depot");
        h.depotAddress = QStringLiteral("1200 Industrial Blvd, Austin, TX 78744");
        h.paper = paper;
        h.runAt =
            QDateTime(QDate(2026, 11, 21), QTime(6, 0), QTimeZone(QByteArrayLiteral("America/Chicago")));
        return h;
    }

    static QString run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.start(program, args);
        p.waitForFinished(60000);
        return QString::fromUtf8(p.readAllStandardOutput());
    }

    static int mode(const QString &path)
    {
        struct stat st
        {
        };
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void csvParsesBack()
    {
        const Report r = sample(5);
        const QString path = m_dir.filePath(QStringLiteral("r.csv"));
        QString why;
        QVERIFY2(CsvReportWriter::write(r, path, &why), qPrintable(why));
        QCOMPARE(mode(path), 0600);
        const std::optional<Workbook> book = SpreadsheetReader::read(path, &why);
        QVERIFY2(book, qPrintable(why));
        const Sheet &s = book->sheets.first();
        QCOMPARE(s.rowCount(), 6);
        QCOMPARE(s.cell(0, 0).text, QStringLiteral("received_at"));
        QCOMPARE(s.cell(0, 5).text, QStringLiteral("customer"));
        QCOMPARE(s.cell(1, 0).text, QStringLiteral("2026-11-20 12:00:00"));
        QCOMPARE(s.cell(1, 1).text, QStringLiteral("0012345678"));
        QCOMPARE(s.cell(1, 2).text, QStringLiteral("1"));
        QCOMPARE(s.cell(2, 2).text, QString()); // a null value is an empty field
        QCOMPARE(s.cell(1, 3).text, QStringLiteral("2026-12-01"));
        QCOMPARE(s.cell(1, 4).text, QStringLiteral("no"));
        QCOMPARE(s.cell(2, 4).text, QStringLiteral("yes"));
        QCOMPARE(s.cell(3, 5).text,
                 QStringLiteral("Smith, \"Jones\" & Co\nLtd"));            // quoted, comma, quote, newline
        QCOMPARE(s.cell(4, 5).text, QStringLiteral("'=HYPERLINK(\"x\")")); // never a formula
    }

    void xlsxReadsBackCellByCell()
    {
        const Report r = sample(5);
        const QString path = m_dir.filePath(QStringLiteral("r.xlsx"));
        QString why;
        QVERIFY2(XlsxReportWriter::write(heading(QStringLiteral("A4")), r, path, &why), qPrintable(why));
        QCOMPARE(mode(path), 0600);
        const std::optional<Workbook> book = SpreadsheetReader::read(path, &why);
        QVERIFY2(book, qPrintable(why));
        QCOMPARE(book->sheets.size(), 2);
        const Sheet &s = book->sheets.first();
        QCOMPARE(s.name, QStringLiteral("Receipts"));
        QCOMPARE(s.rowCount(), 6);
        QCOMPARE(s.cell(0, 1).text, QStringLiteral("Serial"));
        QCOMPARE(s.cell(1, 0).type, Cell::Type::DateTime);
        QCOMPARE(s.cell(1, 0).dateTime.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                 QStringLiteral("2026-11-20 12:00:00")); // the station's wall time
        QCOMPARE(s.cell(1, 1).type, Cell::Type::Text);
        QCOMPARE(s.cell(1, 1).text, QStringLiteral("0012345678")); // leading zeros kept: text, not a number
        QCOMPARE(s.cell(1, 2).type, Cell::Type::Number);
        QCOMPARE(s.cell(1, 2).number, 1.0);
        QVERIFY(s.cell(2, 2).isEmpty());
        QCOMPARE(s.cell(1, 3).type, Cell::Type::Date);
        QCOMPARE(s.cell(1, 3).date(), QDate(2026, 12, 1));
        QCOMPARE(s.cell(2, 4).type, Cell::Type::Bool);
        QCOMPARE(s.cell(2, 4).number, 1.0);
        QCOMPARE(s.cell(3, 5).text, QStringLiteral("Smith, \"Jones\" & Co\nLtd"));
        QCOMPARE(s.cell(4, 5).type, Cell::Type::Text); // a text that looks like a formula stays text
        const Sheet &t = book->sheets[1];
        QCOMPARE(t.name, QStringLiteral("Totals"));
        bool found = false;
        for (int i = 0; i < t.rowCount(); ++i)
            found = found || (t.cell(i, 0).text == u"Receipts" && t.cell(i, 1).number == 5.0);
        QVERIFY(found);
        // The header row frozen, the filter over the table, the widths set.
        const QString xml = run(QStringLiteral("unzip"),
                                {QStringLiteral("-p"), path, QStringLiteral("xl/worksheets/sheet1.xml")});
        QVERIFY2(xml.contains(QStringLiteral("ySplit=\"1\"")) &&
                     xml.contains(QStringLiteral("state=\"frozen\"")),
                 qPrintable(xml.left(600)));
        QVERIFY(xml.contains(QStringLiteral("customWidth=\"1\"")));
        const QString workbook =
            run(QStringLiteral("unzip"), {QStringLiteral("-p"), path, QStringLiteral("xl/workbook.xml")});
        QVERIFY2(workbook.contains(QStringLiteral("_xlnm._FilterDatabase")), qPrintable(workbook));
        QVERIFY(xml.contains(QStringLiteral("<autoFilter ref=\"A1:F6\"")));
    }

    void pdfHoldsEveryRowAndTheTotals_data()
    {
        QTest::addColumn<QString>("paper");
        QTest::addColumn<QString>("pageSize");
        QTest::newRow("A4") << QStringLiteral("A4") << QStringLiteral("842 x 595 pts (A4)");
        QTest::newRow("Letter") << QStringLiteral("Letter") << QStringLiteral("792 x 612 pts (letter)");
    }
    void pdfHoldsEveryRowAndTheTotals()
    {
        QFETCH(QString, paper);
        QFETCH(QString, pageSize);
        const Report r = sample(250);
        const QString path = m_dir.filePath(QStringLiteral("r-%1.pdf").arg(paper));
        QString why;
        QVERIFY2(PdfReportWriter::write(heading(paper), r, path, &why), qPrintable(why));
        QCOMPARE(mode(path), 0600);
        const QString text =
            run(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), path, QStringLiteral("-")});
        for (const QVariantList &row : r.rows)
            QVERIFY2(text.contains(row[1].toString()), qPrintable(row[1].toString()));
        const QString info = run(QStringLiteral("pdfinfo"), {path});
        QVERIFY2(info.contains(pageSize), qPrintable(info));
        const int pages =
            QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(info).captured(1).toInt();
        QVERIFY(pages > 1);
        QCOMPARE(text.count(QStringLiteral("PureWrx Returns Depot")), pages); // the heading on every page
        QVERIFY(text.contains(QStringLiteral("1200 Industrial Blvd, Austin, TX 78744")));
        QVERIFY(text.contains(QStringLiteral("Run 2026-11-21 06:00 (America/Chicago)")));
        QVERIFY(text.contains(QStringLiteral("Page 1 of %1").arg(pages)));
        QVERIFY(text.contains(QStringLiteral("Page %1 of %1").arg(pages)));
        QVERIFY(QRegularExpression(QStringLiteral("Receipts\\s+250\\n")).match(text).hasMatch());
        QVERIFY(QRegularExpression(QStringLiteral("Late\\s+125\\n")).match(text).hasMatch());
        // Every page looked at: pictures for a person (kept with RS_KEEP_TEST_DIR).
        if (qEnvironmentVariableIsSet("RS_KEEP_TEST_DIR")) {
            m_dir.setAutoRemove(false);
            run(QStringLiteral("pdftoppm"),
                {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("50"), path,
                 m_dir.filePath(QStringLiteral("page-%1").arg(paper))});
            qInfo("pages in %s", qPrintable(m_dir.path()));
        }
    }

    void writingIntoAMissingFolderFailsWithASentence()
    {
        QString why;
        QVERIFY(!CsvReportWriter::write(sample(1), m_dir.filePath(QStringLiteral("no/such/r.csv")), &why));
        QVERIFY2(why.contains(QStringLiteral("does not exist")), qPrintable(why));
    }
};

QTEST_MAIN(TestReportWriters)
#include "tst_reportwriters.moc"
