// SPDX-License-Identifier: GPL-3.0-or-later
#include "AutomationSocketSource.h"
#include "Clock.h"
#include "Database.h"
#include "DemoData.h"
#include "ReceivingService.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

QList<QByteArray> raws(const QSignalSpy &spy)
{
    QList<QByteArray> out;
    for (const QList<QVariant> &args : spy) {
        for (const ScanEvent &e : args.at(0).value<QList<ScanEvent>>())
            out << e.raw;
    }
    return out;
}

std::unique_ptr<QLocalSocket> connectTo(const QString &path)
{
    auto s = std::make_unique<QLocalSocket>();
    s->connectToServer(path);
    if (!s->waitForConnected(5000))
        return nullptr;
    return s;
}

bool writeAll(QLocalSocket &s, const QByteArray &data)
{
    if (s.write(data) != data.size())
        return false;
    s.flush();
    return true;
}

// What a crashed station leaves: a socket file nobody listens on.
bool makeStaleSocket(const QString &path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const QByteArray p = QFile::encodeName(path);
    if (size_t(p.size()) >= sizeof addr.sun_path) {
        ::close(fd);
        return false;
    }
    std::memcpy(addr.sun_path, p.constData(), size_t(p.size()));
    const bool ok = ::bind(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

} // namespace

// Programs drive a running station through a socket: every line is one scan, and those scans reach the
// matcher like any scanner's.
class TestAutomationSocketSource : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void eachLineIsOneRead();
    void severalClients();
    void overlongLineIsTruncated();
    void tooManyClientsAreTurnedAway();
    void socketIsForUserAndGroupOnly();
    void staleSocketIsReplaced();
    void liveSocketIsLeftAlone();
    void nonSocketFileIsLeftAlone();
    void stopRemovesTheSocket();
    void settingsFromConfig();
    void scansReachTheMatcher();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    AutomationSocketSource::Settings settings() const
    {
        AutomationSocketSource::Settings s;
        s.path = m_path;
        return s;
    }
};

void TestAutomationSocketSource::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestAutomationSocketSource::init()
{
    // Short, fresh paths: sun_path holds 108 bytes, and each test starts without a socket file.
    m_dir = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/rs-auto-XXXXXX"));
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("run/scan.sock"));
}

void TestAutomationSocketSource::eachLineIsOneRead()
{
    AutomationSocketSource source(QStringLiteral("automation"), settings());
    QSignalSpy reads(&source, &ScanSource::scanned);
    source.start();
    QCOMPARE(source.health().state, SourceHealth::State::Connected);

    auto client = connectTo(m_path);
    QVERIFY(client);
    QVERIFY(writeAll(*client, "JN11F3A2BAFA\n\n2026-1103-"));
    QTRY_COMPARE(reads.size(), 1);
    QVERIFY(writeAll(*client, "0001\r\nLAST"));
    QTRY_COMPARE(reads.size(), 2);
    client->disconnectFromServer(); // the last line counts without its LF
    QTRY_COMPARE(reads.size(), 3);
    // The CR stays for the normaliser, as it does on stdin.
    QCOMPARE(raws(reads), (QList<QByteArray>{"JN11F3A2BAFA", "2026-1103-0001\r", "LAST"}));
    QCOMPARE(reads.at(0).at(0).value<QList<ScanEvent>>().first().sourceId, QStringLiteral("automation"));
    QTRY_COMPARE(source.clientCount(), 0);
}

void TestAutomationSocketSource::severalClients()
{
    AutomationSocketSource source(QStringLiteral("automation"), settings());
    QSignalSpy reads(&source, &ScanSource::scanned);
    source.start();
    auto a = connectTo(m_path);
    auto b = connectTo(m_path);
    QVERIFY(a && b);
    // Interleaved halves must not mix: each client has its own line.
    QVERIFY(writeAll(*a, "AAAA"));
    QVERIFY(writeAll(*b, "BBBB"));
    QTRY_COMPARE(source.clientCount(), 2);
    QTest::qWait(50);
    QVERIFY(writeAll(*a, "1111\n"));
    QVERIFY(writeAll(*b, "2222\n"));
    QTRY_COMPARE(reads.size(), 2);
    QList<QByteArray> got = raws(reads);
    std::sort(got.begin(), got.end());
    QCOMPARE(got, (QList<QByteArray>{"AAAA1111", "BBBB2222"}));
}

void TestAutomationSocketSource::overlongLineIsTruncated()
{
    AutomationSocketSource source(QStringLiteral("automation"), settings());
    QSignalSpy reads(&source, &ScanSource::scanned);
    source.start();
    auto client = connectTo(m_path);
    QVERIFY(client);
    QVERIFY(writeAll(*client, QByteArray(10000, 'x') + "\nNEXT\n"));
    QTRY_COMPARE(reads.size(), 2);
    const ScanEvent first = reads.at(0).at(0).value<QList<ScanEvent>>().first();
    QCOMPARE(first.raw, QByteArray(4096, 'x'));
    QVERIFY(first.truncated);
    QCOMPARE(raws(reads).at(1), QByteArray("NEXT"));
}

void TestAutomationSocketSource::tooManyClientsAreTurnedAway()
{
    AutomationSocketSource::Settings s = settings();
    s.maxClients = 2;
    AutomationSocketSource source(QStringLiteral("automation"), s);
    source.start();
    auto a = connectTo(m_path);
    auto b = connectTo(m_path);
    QVERIFY(a && b);
    QTRY_COMPARE(source.clientCount(), 2);
    auto c = connectTo(m_path);
    QVERIFY(c); // the kernel accepts it; the source then hangs up
    QTRY_COMPARE(c->state(), QLocalSocket::UnconnectedState);
    QCOMPARE(source.clientCount(), 2);
}

void TestAutomationSocketSource::socketIsForUserAndGroupOnly()
{
    AutomationSocketSource source(QStringLiteral("automation"), settings());
    source.start();
    struct stat st;
    QCOMPARE(::stat(QFile::encodeName(m_path).constData(), &st), 0);
    QVERIFY(S_ISSOCK(st.st_mode));
    QCOMPARE(st.st_mode & 0777, mode_t(0660));
}

void TestAutomationSocketSource::staleSocketIsReplaced()
{
    QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
    QVERIFY(makeStaleSocket(m_path));
    AutomationSocketSource source(QStringLiteral("automation"), settings());
    QSignalSpy reads(&source, &ScanSource::scanned);
    source.start();
    QVERIFY2(source.health().state == SourceHealth::State::Connected, qPrintable(source.health().lastError));
    auto client = connectTo(m_path);
    QVERIFY(client);
    QVERIFY(writeAll(*client, "ABCD\n"));
    QTRY_COMPARE(reads.size(), 1);
}

void TestAutomationSocketSource::liveSocketIsLeftAlone()
{
    AutomationSocketSource first(QStringLiteral("first"), settings());
    first.start();
    QCOMPARE(first.health().state, SourceHealth::State::Connected);
    AutomationSocketSource second(QStringLiteral("second"), settings());
    second.start();
    QCOMPARE(second.health().state, SourceHealth::State::Failed);
    QVERIFY2(second.health().lastError.contains(QStringLiteral("already listening")),
             qPrintable(second.health().lastError));

    // The first is still reachable.
    QSignalSpy reads(&first, &ScanSource::scanned);
    auto client = connectTo(m_path);
    QVERIFY(client);
    QVERIFY(writeAll(*client, "ABCD\n"));
    QTRY_COMPARE(reads.size(), 1);
}

void TestAutomationSocketSource::nonSocketFileIsLeftAlone()
{
    QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("precious");
    file.close();
    AutomationSocketSource source(QStringLiteral("automation"), settings());
    source.start();
    QCOMPARE(source.health().state, SourceHealth::State::Failed);
    QVERIFY2(source.health().lastError.contains(QStringLiteral("not a socket")),
             qPrintable(source.health().lastError));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("precious"));
}

void TestAutomationSocketSource::stopRemovesTheSocket()
{
    AutomationSocketSource source(QStringLiteral("automation"), settings());
    source.start();
    auto client = connectTo(m_path);
    QVERIFY(client);
    QTRY_COMPARE(source.clientCount(), 1);
    source.stop();
    QCOMPARE(source.health().state, SourceHealth::State::Stopped);
    QVERIFY(!QFileInfo::exists(m_path));
    QTRY_COMPARE(client->state(), QLocalSocket::UnconnectedState);
    source.start(); // and it can listen again
    QCOMPARE(source.health().state, SourceHealth::State::Connected);
}

void TestAutomationSocketSource::settingsFromConfig()
{
    SourceConfig c;
    c.id = QStringLiteral("automation");
    c.type = QStringLiteral("socket");
    QString error;
    QVERIFY(!AutomationSocketSource::Settings::fromConfig(c, &error));
    c.values.insert(QStringLiteral("path"), QStringLiteral("relative.sock"));
    QVERIFY(!AutomationSocketSource::Settings::fromConfig(c, &error));
    QVERIFY2(error.contains(QStringLiteral("absolute")), qPrintable(error));
    c.values.insert(QStringLiteral("path"), QStringLiteral("/run/receiving-station/scan.sock"));
    c.values.insert(QStringLiteral("max_clients"), QStringLiteral("3"));
    const auto s = AutomationSocketSource::Settings::fromConfig(c, &error);
    QVERIFY(s);
    QCOMPARE(s->path, QStringLiteral("/run/receiving-station/scan.sock"));
    QCOMPARE(s->maxClients, 3);
}

void TestAutomationSocketSource::scansReachTheMatcher()
{
    Database db;
    db.open(m_dir->filePath(QStringLiteral("station.db")));
    DemoData::Options demo;
    demo.today = QDate(2026, 11, 26);
    DemoData::write(db, demo);
    const FixedClock clock(QDateTime(QDate(2026, 11, 26), QTime(15, 0), Qt::UTC));
    ReceivingService service(db, clock, ReceivingService::Options{});

    AutomationSocketSource source(QStringLiteral("automation"), settings());
    QList<Verdict> verdicts;
    connect(&source, &ScanSource::scanned, this, [&](const QList<ScanEvent> &read) {
        for (const ScanEvent &e : read)
            verdicts << service.scan(e, QStringLiteral("dock-1"));
    });
    source.start();
    auto client = connectTo(m_path);
    QVERIFY(client);
    QVERIFY(writeAll(*client, "2026-1103-0001\nJN11F3A2BAFA\n"));
    QTRY_COMPARE(verdicts.size(), 2);

    QCOMPARE(outcomeName(verdicts.at(0).outcome), QStringLiteral("box_opened"));
    QCOMPARE(verdicts.at(0).caseNumber, QStringLiteral("2026-1103-0001"));
    QCOMPARE(outcomeName(verdicts.at(1).outcome), QStringLiteral("matched"));
    QCOMPARE(verdicts.at(1).serial, QStringLiteral("JN11F3A2BAFA"));
    QVERIFY(verdicts.at(1).receiptId);

    Statement s = db.prepare("SELECT COUNT(*), MIN(station_id) FROM receipts WHERE serial = ?1");
    QVERIFY(s.bind(1, QStringLiteral("JN11F3A2BAFA")).next());
    QCOMPARE(s.int64(0), Q_INT64_C(1));
    QCOMPARE(s.text(1), QStringLiteral("dock-1"));
}

QTEST_GUILESS_MAIN(TestAutomationSocketSource)
#include "tst_automationsocketsource.moc"
