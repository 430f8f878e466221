// SPDX-License-Identifier: GPL-3.0-or-later
#include "SerialScanner.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace {

// A pseudo-terminal pair: the scanner opens the slave as its serial port, the test writes on the master.
class Pty
{
public:
    Pty()
    {
        m_master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (m_master < 0 || ::grantpt(m_master) != 0 || ::unlockpt(m_master) != 0) {
            closeMaster();
            return;
        }
        char name[128];
        if (::ptsname_r(m_master, name, sizeof name) == 0)
            m_slave = QString::fromLocal8Bit(name);
    }
    ~Pty() { closeMaster(); }
    Pty(const Pty &) = delete;
    Pty &operator=(const Pty &) = delete;

    bool isValid() const { return m_master >= 0 && !m_slave.isEmpty(); }
    QString slave() const { return m_slave; }
    bool send(const QByteArray &data) const
    {
        return ::write(m_master, data.constData(), size_t(data.size())) == data.size();
    }
    void closeMaster()
    {
        if (m_master >= 0)
            ::close(m_master);
        m_master = -1;
    }

private:
    int m_master = -1;
    QString m_slave;
};

// The scanner's port is a symlink, like /dev/serial/by-id/..., so a "replugged" scanner can come back as a
// different pty behind the same name.
bool pointLink(const QString &link, const QString &target)
{
    QFile::remove(link);
    return QFile::link(target, link);
}

QList<QByteArray> raws(const QSignalSpy &spy)
{
    QList<QByteArray> out;
    for (const QList<QVariant> &args : spy) {
        for (const ScanEvent &e : args.at(0).value<QList<ScanEvent>>())
            out << e.raw;
    }
    return out;
}

} // namespace

// Lines from a serial port become reads, whatever the terminator, and a vanished port is reopened.
class TestSerialScanner : public QObject
{
    Q_OBJECT

private slots:
    void lines_data();
    void lines();
    void overlongLineIsTruncated();
    void reconnectsWhenThePortComesBack();
    void missingPortIsRetried();
    void settingsFromConfig();
};

void TestSerialScanner::lines_data()
{
    QTest::addColumn<SerialScanner::Terminator>("terminator");
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<QByteArray>>("expected");

    using T = SerialScanner::Terminator;
    QTest::newRow("cr") << T::Cr << QList<QByteArray>{"JN11F3A2BAFA\r2026-1103-0001\r"}
                        << QList<QByteArray>{"JN11F3A2BAFA", "2026-1103-0001"};
    QTest::newRow("lf") << T::Lf << QList<QByteArray>{"JN11F3A2BAFA\n2026-1103-0001\n"}
                        << QList<QByteArray>{"JN11F3A2BAFA", "2026-1103-0001"};
    QTest::newRow("crlf") << T::CrLf << QList<QByteArray>{"JN11F3A2BAFA\r\nAB\rCD\r\n"}
                          << QList<QByteArray>{"JN11F3A2BAFA", "AB\rCD"};
    QTest::newRow("crlf split between reads")
        << T::CrLf << QList<QByteArray>{"JN11F3A2BAFA\r", "\n2026-", "1103-0001\r\n"}
        << QList<QByteArray>{"JN11F3A2BAFA", "2026-1103-0001"};
    QTest::newRow("any") << T::Any << QList<QByteArray>{"AB12\r\nCD34\nEF56\r", "\nGH78\r"}
                         << QList<QByteArray>{"AB12", "CD34", "EF56", "GH78"};
    QTest::newRow("blank lines are no reads")
        << T::Lf << QList<QByteArray>{"\n\nAB12\n\n"} << QList<QByteArray>{"AB12"};
    QTest::newRow("GS kept") << T::Cr
                             << QList<QByteArray>{"0109501101530003\x1d"
                                                  "21ABC\r"}
                             << QList<QByteArray>{"0109501101530003\x1d"
                                                  "21ABC"};
}

void TestSerialScanner::lines()
{
    QFETCH(SerialScanner::Terminator, terminator);
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<QByteArray>, expected);

    Pty pty;
    QVERIFY(pty.isValid());
    SerialScanner::Settings settings;
    settings.port = pty.slave();
    settings.baudRate = 115200;
    settings.terminator = terminator;
    SerialScanner scanner(QStringLiteral("serial"), settings);
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    QVERIFY2(scanner.health().state == SourceHealth::State::Connected,
             qPrintable(scanner.health().lastError));

    for (const QByteArray &chunk : std::as_const(chunks)) {
        QVERIFY(pty.send(chunk));
        // Wait for the chunk to be consumed so the next arrives in a separate read.
        QTest::qWait(20);
    }
    QTRY_COMPARE(raws(reads), expected);
    QCOMPARE(reads.at(0).at(0).value<QList<ScanEvent>>().first().sourceId, QStringLiteral("serial"));
}

void TestSerialScanner::overlongLineIsTruncated()
{
    Pty pty;
    QVERIFY(pty.isValid());
    SerialScanner::Settings settings;
    settings.port = pty.slave();
    settings.terminator = SerialScanner::Terminator::Lf;
    SerialScanner scanner(QStringLiteral("serial"), settings);
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    QCOMPARE(scanner.health().state, SourceHealth::State::Connected);
    // Written in pieces smaller than the pty's buffer, each once the scanner has taken the last.
    const QByteArray line = QByteArray(5000, '7') + "\nNEXT\n";
    for (qsizetype pos = 0; pos < line.size(); pos += 1000) {
        QVERIFY(pty.send(line.mid(pos, 1000)));
        QTest::qWait(20);
    }
    QTRY_COMPARE(reads.size(), 2);
    const ScanEvent first = reads.at(0).at(0).value<QList<ScanEvent>>().first();
    QCOMPARE(first.raw, QByteArray(4096, '7'));
    QVERIFY(first.truncated);
    QCOMPARE(raws(reads).at(1), QByteArray("NEXT"));
}

void TestSerialScanner::reconnectsWhenThePortComesBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString link = dir.filePath(QStringLiteral("usb-Scanner-if00"));
    auto first = std::make_unique<Pty>();
    QVERIFY(first->isValid());
    QVERIFY(pointLink(link, first->slave()));

    SerialScanner::Settings settings;
    settings.port = link;
    settings.terminator = SerialScanner::Terminator::CrLf;
    settings.retryMs = 50;
    SerialScanner scanner(QStringLiteral("serial"), settings);
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    QVERIFY2(scanner.health().state == SourceHealth::State::Connected,
             qPrintable(scanner.health().lastError));
    QVERIFY(first->send("JN11F3A2BAFA\r\n"));
    QTRY_COMPARE(reads.size(), 1);

    // Unplugged: the other end hangs up and the device node goes away.
    first.reset();
    QFile::remove(link);
    QTRY_COMPARE(scanner.health().state, SourceHealth::State::Reconnecting);
    QVERIFY(!scanner.health().lastError.isEmpty());
    const qint64 errors = scanner.health().errors;

    // Plugged back: the same name leads to a port again.
    Pty second;
    QVERIFY(second.isValid());
    QVERIFY(pointLink(link, second.slave()));
    QTRY_COMPARE(scanner.health().state, SourceHealth::State::Connected);
    QVERIFY(scanner.health().lastError.isEmpty());
    QVERIFY(scanner.health().errors >= errors);
    QVERIFY(second.send("2026-1103-0001\r\n"));
    QTRY_COMPARE(reads.size(), 2);
    QCOMPARE(raws(reads).at(1), QByteArray("2026-1103-0001"));
}

void TestSerialScanner::missingPortIsRetried()
{
    QTemporaryDir dir;
    SerialScanner::Settings settings;
    settings.port = dir.filePath(QStringLiteral("ttyACM9"));
    settings.retryMs = 50;
    SerialScanner scanner(QStringLiteral("serial"), settings);
    scanner.start();
    QCOMPARE(scanner.health().state, SourceHealth::State::Reconnecting);
    QVERIFY2(scanner.health().lastError.contains(QStringLiteral("does not exist")),
             qPrintable(scanner.health().lastError));

    Pty pty;
    QVERIFY(pty.isValid());
    QVERIFY(pointLink(settings.port, pty.slave()));
    QTRY_COMPARE(scanner.health().state, SourceHealth::State::Connected);
    scanner.stop();
    QCOMPARE(scanner.health().state, SourceHealth::State::Stopped);
}

void TestSerialScanner::settingsFromConfig()
{
    SourceConfig c;
    c.id = QStringLiteral("bench");
    c.type = QStringLiteral("serial");
    QString error;
    QVERIFY(!SerialScanner::Settings::fromConfig(c, &error));
    QVERIFY2(error.contains(QStringLiteral("port")), qPrintable(error));

    c.values = {{QStringLiteral("port"), QStringLiteral("/dev/ttyACM0")},
                {QStringLiteral("baud"), QStringLiteral("115200")},
                {QStringLiteral("terminator"), QStringLiteral("\\r\\n")}};
    auto s = SerialScanner::Settings::fromConfig(c, &error);
    QVERIFY(s);
    QCOMPARE(s->port, QStringLiteral("/dev/ttyACM0"));
    QCOMPARE(s->baudRate, 115200);
    QCOMPARE(s->terminator, SerialScanner::Terminator::CrLf);

    c.values.remove(QStringLiteral("terminator"));
    QCOMPARE(SerialScanner::Settings::fromConfig(c, &error)->terminator, SerialScanner::Terminator::Any);
    c.values.insert(QStringLiteral("terminator"), QStringLiteral("cr"));
    QCOMPARE(SerialScanner::Settings::fromConfig(c, &error)->terminator, SerialScanner::Terminator::Cr);

    c.values.insert(QStringLiteral("baud"), QStringLiteral("fast"));
    QVERIFY(!SerialScanner::Settings::fromConfig(c, &error));
    c.values.insert(QStringLiteral("baud"), QStringLiteral("9600"));
    c.values.insert(QStringLiteral("terminator"), QStringLiteral("etx"));
    QVERIFY(!SerialScanner::Settings::fromConfig(c, &error));
    QVERIFY2(error.contains(QStringLiteral("etx")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSerialScanner)
#include "tst_serialscanner.moc"
