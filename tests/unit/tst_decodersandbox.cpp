// SPDX-License-Identifier: GPL-3.0-or-later
// The receiving-decoder helper runs sandboxed: no new privileges and a seccomp filter (an open or a socket
// kills it with SIGSYS, a crash inside the library still shows as SIGABRT), nothing of the station's
// environment, no descriptor but its pipes and its frame segment; and it still decodes. Everything is read
// from /proc/<pid>: a machine without it fails these tests rather than skipping them.

#include "DecoderProcess.h"
#include "TestPictures.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

#include <csignal>
#include <optional>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

constexpr int Patience = 30000; // ms; only ever waited for in full when something is broken

// /proc/<pid>/<name>, or nullopt when it cannot be read (no /proc, no such process).
std::optional<QByteArray> procFile(qint64 pid, const char *name)
{
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

// The non-empty NAME=value entries of an environment block.
QList<QByteArray> entriesOf(const QByteArray &block)
{
    QList<QByteArray> entries = block.split('\0');
    entries.removeAll(QByteArray());
    return entries;
}

QSet<QString> descriptorsOf(qint64 pid)
{
    const QStringList names = QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                                  .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System);
    return QSet<QString>(names.cbegin(), names.cend());
}

// The --shm-fd=N the helper was started with, or -1.
int segmentDescriptorOf(qint64 pid)
{
    const QList<QByteArray> arguments = procFile(pid, "cmdline").value_or(QByteArray()).split('\0');
    for (const QByteArray &argument : arguments) {
        if (argument.startsWith("--shm-fd="))
            return argument.mid(9).toInt();
    }
    return -1;
}

bool isUpstreamSecret(const QByteArray &entry)
{
    return entry.startsWith("CREDENTIALS_DIRECTORY=") || entry.startsWith("RECEIVING_");
}

// A camera frame of grey cardboard with a serial (Code 128) and a case label (DataMatrix), both rendered by
// ZXing's writer.
QImage labelFrame(QSize size)
{
    using TestPictures::BarcodeFormat;
    QImage frame = TestPictures::blankFrame(size);
    TestPictures::place(frame,
                        TestPictures::renderLabel(BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 3),
                        QPointF(size.width() * 0.5, size.height() * 0.3), 0);
    TestPictures::place(frame,
                        TestPictures::renderLabel(BarcodeFormat::DataMatrix, QStringLiteral("CAHZ4512"), 6),
                        QPointF(size.width() * 0.5, size.height() * 0.7), 0);
    return GreyFrame::toGrayscale8(frame);
}

QStringList texts(const QList<DecodedBarcode> &barcodes)
{
    QStringList out;
    for (const DecodedBarcode &b : barcodes)
        out << b.text;
    out.sort();
    return out;
}

const QStringList ExpectedTexts = {QStringLiteral("CAHZ4512"), QStringLiteral("JN11F3A2BAFA")};

} // namespace

class TestDecoderSandbox : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void runningHelperHasNoNewPrivsAndAFilter();
    void environmentStaysWithTheStation();
    void helperStartedByHandWipesItsEnvironment();
    void onlyItsOwnDescriptors();
    void forbiddenCallKillsIt_data();
    void forbiddenCallKillsIt();
    void crashInTheLibraryStaysSigabrt();
    void decodesThroughTheSandbox();

private:
    // A helper started without DecoderProcess, with the test's whole environment and a frame segment, that
    // sandboxes itself and then makes the call `probe` names (none: greets and waits for frames). False when
    // it could not be started (QProcess::errorString() says why).
    bool startByHand(QProcess &process, const QString &probe);

    QString m_helper;
    int m_leakedFd = -1; // inherited by every child: not close-on-exec
    int m_segmentFd = -1;
};

void TestDecoderSandbox::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QString error;
    m_helper = DecoderProcess::locateHelper(&error);
    QVERIFY2(!m_helper.isEmpty(), qPrintable(error));
    QVERIFY2(QFile::exists(QStringLiteral("/proc/self/status")), "/proc is not mounted");

    // What a station under systemd carries, and what must not reach the library.
    qputenv("CREDENTIALS_DIRECTORY", "/run/credentials/receiving-station.service");
    qputenv("RECEIVING_UPSTREAM_TOKEN", "secret-token");
    qputenv("RECEIVING_CONFIG", "/etc/receiving-station/station.conf");
    // A descriptor the station leaked by mistake (opened without O_CLOEXEC).
    m_leakedFd = ::open("/dev/null", O_RDONLY);
    QVERIFY(m_leakedFd > STDERR_FILENO);
    m_segmentFd = ::memfd_create("tst-decodersandbox", 0);
    QVERIFY(m_segmentFd > STDERR_FILENO);
    QCOMPARE(::ftruncate(m_segmentFd, 1024 * 1024), 0);
}

void TestDecoderSandbox::cleanupTestCase()
{
    if (m_leakedFd >= 0)
        ::close(m_leakedFd);
    if (m_segmentFd >= 0)
        ::close(m_segmentFd);
}

bool TestDecoderSandbox::startByHand(QProcess &process, const QString &probe)
{
    QStringList arguments{QStringLiteral("--shm-fd=%1").arg(m_segmentFd)};
    if (!probe.isEmpty())
        arguments << QStringLiteral("--sandbox-probe=%1").arg(probe);
    process.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(m_helper, arguments);
    return process.waitForStarted(Patience);
}

void TestDecoderSandbox::runningHelperHasNoNewPrivsAndAFilter()
{
    DecoderProcess decoder({});
    const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(labelFrame(QSize(640, 480))), Patience);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    const auto status = procFile(decoder.helperPid(), "status");
    QVERIFY2(status, "the helper's /proc/<pid>/status cannot be read");
    QVERIFY2(status->contains("\nNoNewPrivs:\t1\n"), status->constData());
    QVERIFY2(status->contains("\nSeccomp:\t2\n"), status->constData()); // 2: filter mode
}

void TestDecoderSandbox::environmentStaysWithTheStation()
{
    QCOMPARE(qgetenv("CREDENTIALS_DIRECTORY"), QByteArray("/run/credentials/receiving-station.service"));
    DecoderProcess decoder({});
    const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(labelFrame(QSize(640, 480))), Patience);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    const auto block = procFile(decoder.helperPid(), "environ");
    QVERIFY2(block, "the helper's /proc/<pid>/environ cannot be read");
    for (const QByteArray &entry : entriesOf(*block))
        QVERIFY2(!isUpstreamSecret(entry), entry.constData());
    // Started with none at all: a helper that wiped what it was given would still show the emptied block.
    QCOMPARE(block->size(), 0);
}

void TestDecoderSandbox::helperStartedByHandWipesItsEnvironment()
{
    QProcess process;
    QVERIFY2(startByHand(process, QString()), qPrintable(process.errorString()));
    QVERIFY(process.waitForReadyRead(Patience)); // its hello: set up and sandboxed
    // Given the whole environment, it wiped it in place: /proc shows the kernel's copy, not getenv's.
    const auto block = procFile(process.processId(), "environ");
    QVERIFY2(block, "the helper's /proc/<pid>/environ cannot be read");
    QVERIFY(!block->isEmpty());
    for (const QByteArray &entry : entriesOf(*block))
        QVERIFY2(!isUpstreamSecret(entry), entry.constData());
    QCOMPARE(entriesOf(*block), QList<QByteArray>());
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(Patience));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

void TestDecoderSandbox::onlyItsOwnDescriptors()
{
    // Without the helper's own clean-up a child keeps the leaked descriptor, so this test can tell.
    QProcess plain;
    plain.start(QStringLiteral("/bin/ls"), {QStringLiteral("/proc/self/fd")});
    QVERIFY2(plain.waitForFinished(Patience), qPrintable(plain.errorString()));
    QVERIFY(plain.readAllStandardOutput().split('\n').contains(QByteArray::number(m_leakedFd)));

    DecoderProcess decoder({});
    const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(labelFrame(QSize(640, 480))), Patience);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    const qint64 pid = decoder.helperPid();
    const int segment = segmentDescriptorOf(pid);
    QVERIFY(segment > STDERR_FILENO);
    const QSet<QString> expected{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"),
                                 QString::number(segment)};
    QCOMPARE(descriptorsOf(pid), expected);
}

void TestDecoderSandbox::forbiddenCallKillsIt_data()
{
    QTest::addColumn<QString>("probe");
    QTest::newRow("open a file") << QStringLiteral("open");
    QTest::newRow("create a socket") << QStringLiteral("socket");
}

void TestDecoderSandbox::forbiddenCallKillsIt()
{
    QFETCH(QString, probe);
    QProcess process;
    QVERIFY2(startByHand(process, probe), qPrintable(process.errorString()));
    QVERIFY(process.waitForFinished(Patience));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    QCOMPARE(process.exitCode(), SIGSYS);
}

void TestDecoderSandbox::crashInTheLibraryStaysSigabrt()
{
    // A failed assertion or glibc's heap check ends in abort(): the station must report that, not SIGSYS.
    QProcess process;
    QVERIFY2(startByHand(process, QStringLiteral("abort")), qPrintable(process.errorString()));
    QVERIFY(process.waitForFinished(Patience));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    QCOMPARE(process.exitCode(), SIGABRT);
}

void TestDecoderSandbox::decodesThroughTheSandbox()
{
    DecoderProcess decoder({});
    // The second frame is larger than the segment's first size: the sandboxed helper fstats and re-maps it.
    qint64 pid = 0;
    for (const QSize size : {QSize(1280, 720), QSize(2560, 1440)}) {
        const QImage frame = labelFrame(size);
        QCOMPARE(texts(BarcodeDecoder().decode(GreyFrame::fromImage(frame))), ExpectedTexts);
        const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(frame), Patience);
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QCOMPARE(texts(outcome.barcodes), ExpectedTexts);
        QVERIFY(pid == 0 || decoder.helperPid() == pid); // the same helper throughout: it never crashed
        pid = decoder.helperPid();
    }
    QCOMPARE(decoder.crashCount(), 0);
    const auto status = procFile(pid, "status");
    QVERIFY2(status && status->contains("\nSeccomp:\t2\n"), "the helper that decoded is not sandboxed");
}

QTEST_GUILESS_MAIN(TestDecoderSandbox)
#include "tst_decodersandbox.moc"
