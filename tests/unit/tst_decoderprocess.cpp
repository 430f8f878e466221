// SPDX-License-Identifier: GPL-3.0-or-later
// The station outlives its decoder: frames stream to the receiving-decoder helper; killing the helper
// mid-stream (SIGSEGV, then SIGKILL) or freezing it reports "camera scanner restarting", saves the frame it
// was reading, restarts it with back-off, and the next frames decode. Timeouts are generous and nothing
// asserts a duration: this runs on a loaded two-core machine.

#define ZX_USE_UTF8
#include "DecoderProcess.h"

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <cerrno>
#include <csignal>

namespace {

constexpr int Patience = 30000; // ms; only ever waited for in full when something is broken

// The symbol drawn at `module` pixels per module onto the frame, centred on `center`.
void drawSymbol(QImage &frame, ZXing::BarcodeFormat format, const QString &text, int module, QPoint center)
{
    ZXing::MultiFormatWriter writer(format);
    writer.setMargin(format == ZXing::BarcodeFormat::Code128 ? 10 : 3);
    const ZXing::BitMatrix m = writer.encode(text.toStdWString(), 0, 0);
    const bool linear = format == ZXing::BarcodeFormat::Code128;
    const int h = linear ? 140 : m.height() * module;
    const QRect area(center - QPoint(m.width() * module / 2, h / 2), QSize(m.width() * module, h));
    QPainter p(&frame);
    p.fillRect(area, QColor(245, 245, 245));
    for (int y = 0; y < (linear ? 1 : m.height()); ++y)
        for (int x = 0; x < m.width(); ++x)
            if (m.get(x, y))
                p.fillRect(area.x() + x * module, area.y() + (linear ? 20 : y * module), module,
                           linear ? h - 40 : module, QColor(20, 20, 20));
}

// A camera frame with a serial (Code 128), a case label (DataMatrix) and a return link (QR).
QImage labelFrame(QSize size = QSize(1280, 720))
{
    QImage frame(size, QImage::Format_Grayscale8);
    frame.fill(120);
    drawSymbol(frame, ZXing::BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 3,
               QPoint(size.width() / 2, size.height() / 5));
    drawSymbol(frame, ZXing::BarcodeFormat::DataMatrix, QStringLiteral("CAHZ4512"), 6,
               QPoint(size.width() / 4, size.height() * 2 / 3));
    drawSymbol(frame, ZXing::BarcodeFormat::QRCode, QStringLiteral("https://returns.example.com/r/CAHZ4512"),
               5, QPoint(size.width() * 3 / 4, size.height() * 2 / 3));
    return frame;
}

QStringList texts(const QList<DecodedBarcode> &barcodes)
{
    QStringList out;
    for (const DecodedBarcode &b : barcodes)
        out << b.text;
    out.sort();
    return out;
}

const QStringList ExpectedTexts = {QStringLiteral("CAHZ4512"), QStringLiteral("JN11F3A2BAFA"),
                                   QStringLiteral("https://returns.example.com/r/CAHZ4512")};

bool processExists(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno != ESRCH);
}

} // namespace

class TestDecoderProcess : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void locatesHelper();
    void decodesLikeInProcess();
    void reportsTheHintsItUses();
    void emptyFrameYieldsNothing();
    void invalidFrameIsAnErrorWithoutAHelper();
    void framesOfAnySizeAndStride();
    void dropsFramesWhileBusy();
    void survivesSegfaultThenKillWhileStreaming();
    void killedWhileIdleSavesNothing();
    void hungHelperIsKilledAndRestarted();
    void backoffDoublesUpToItsCapAndResetsWhenStable();
    void keepsOnlyTheNewestCrashFrames();
    void blockingDecodeRestartsAtOnceAfterACrash();
    void missingHelperFailsWithASentence();
    void stopEndsTheHelper();
};

void TestDecoderProcess::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<SourceHealth::State>();
    QString error;
    const QString helper = DecoderProcess::locateHelper(&error);
    QVERIFY2(!helper.isEmpty(), qPrintable(error));
    qInfo("helper: %s", qPrintable(helper));
}

void TestDecoderProcess::locatesHelper()
{
    QString error;
    const QString found = DecoderProcess::locateHelper(&error);
    QVERIFY(QFileInfo(found).isExecutable());

    qputenv("RECEIVING_DECODER", QFile::encodeName(found));
    QCOMPARE(DecoderProcess::locateHelper(&error), found);
    qputenv("RECEIVING_DECODER", "/nonexistent/receiving-decoder");
    QVERIFY(DecoderProcess::locateHelper(&error).isEmpty());
    QVERIFY2(error.contains(QLatin1String("RECEIVING_DECODER")) && error.endsWith(QLatin1Char('.')),
             qPrintable(error));
    qunsetenv("RECEIVING_DECODER");
    QCOMPARE(DecoderProcess::locateHelper(&error), found);
}

void TestDecoderProcess::decodesLikeInProcess()
{
    const QImage frame = labelFrame();
    const QList<DecodedBarcode> direct = BarcodeDecoder().decode(GreyFrame::fromImage(frame));
    QCOMPARE(texts(direct), ExpectedTexts);

    DecoderProcess decoder({});
    const DecoderProcess::Outcome outcome = decoder.decodeBlocking(GreyFrame::fromImage(frame), Patience);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(outcome.barcodes, direct); // text, format, position and symbology identifier
    QVERIFY(decoder.helperPid() > 0);
    QCOMPARE(decoder.state(), SourceHealth::State::Connected);
}

void TestDecoderProcess::reportsTheHintsItUses()
{
    DecoderProcess::Options options;
    options.settings.formats = {QStringLiteral("QRCode")};
    options.settings.tryRotate = false;
    DecoderProcess decoder(options);
    QVERIFY(decoder.decodeBlocking(GreyFrame::fromImage(labelFrame()), Patience).ok());
    QCOMPARE(decoder.helperHints(), options.settings.describe());
    QVERIFY(decoder.helperHints().contains(QLatin1String("formats=QRCode tryHarder=1 tryRotate=0")));
    // Restricted to QR, the helper reports only the QR code.
    const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(labelFrame()), Patience);
    QCOMPARE(texts(outcome.barcodes), QStringList{QStringLiteral("https://returns.example.com/r/CAHZ4512")});
}

void TestDecoderProcess::emptyFrameYieldsNothing()
{
    QImage frame(1280, 720, QImage::Format_Grayscale8);
    frame.fill(128);
    DecoderProcess decoder({});
    const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(frame), Patience);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QVERIFY(outcome.barcodes.isEmpty());
}

void TestDecoderProcess::invalidFrameIsAnErrorWithoutAHelper()
{
    DecoderProcess decoder({});
    const auto outcome = decoder.decodeBlocking(GreyFrame{}, Patience);
    QVERIFY(!outcome.ok());
    QCOMPARE(decoder.helperPid(), 0); // nothing was started for it
    QVERIFY(!decoder.submit(GreyFrame{}));
}

void TestDecoderProcess::framesOfAnySizeAndStride()
{
    DecoderProcess decoder({});
    // Small, then larger than the segment's first size (the helper re-maps), then rows with padding.
    for (const QSize size : {QSize(640, 480), QSize(2560, 1440), QSize(1280, 720)}) {
        const QImage frame = labelFrame(size);
        const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(frame), Patience);
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QCOMPARE(texts(outcome.barcodes), ExpectedTexts);
    }
    const QImage wide = labelFrame(QSize(1300, 720));
    const GreyFrame padded{1280, 720, int(wide.bytesPerLine()), wide.constBits()};
    const auto outcome = decoder.decodeBlocking(padded, Patience);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(outcome.barcodes, BarcodeDecoder().decode(padded));
}

void TestDecoderProcess::dropsFramesWhileBusy()
{
    DecoderProcess decoder({});
    QSignalSpy ready(&decoder, &DecoderProcess::ready);
    QSignalSpy decoded(&decoder, &DecoderProcess::decoded);
    QVERIFY(!decoder.submit(GreyFrame::fromImage(labelFrame()))); // not started: dropped
    decoder.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, Patience);
    const QImage frame = labelFrame();
    QVERIFY(decoder.submit(GreyFrame::fromImage(frame)));
    QVERIFY(!decoder.isReady());
    QVERIFY(!decoder.submit(GreyFrame::fromImage(frame))); // the latest frame wins; none is queued
    QTRY_COMPARE_WITH_TIMEOUT(decoded.count(), 1, Patience);
    QCOMPARE(texts(decoded.at(0).at(0).value<QList<DecodedBarcode>>()), ExpectedTexts);
    QVERIFY(decoder.isReady());
    QVERIFY(decoder.submit(GreyFrame::fromImage(frame)));
    QTRY_COMPARE_WITH_TIMEOUT(decoded.count(), 2, Patience);
}

void TestDecoderProcess::survivesSegfaultThenKillWhileStreaming()
{
    QTemporaryDir crashes;
    DecoderProcess::Options options;
    options.crashFolder = crashes.path();
    DecoderProcess decoder(options);
    QSignalSpy ready(&decoder, &DecoderProcess::ready);
    QSignalSpy decoded(&decoder, &DecoderProcess::decoded);
    QSignalSpy failed(&decoder, &DecoderProcess::decodeFailed);
    QSignalSpy crashed(&decoder, &DecoderProcess::crashed);
    QSignalSpy states(&decoder, &DecoderProcess::stateChanged);

    const QImage frame = labelFrame();
    int good = 0;
    connect(&decoder, &DecoderProcess::decoded, this,
            [&](const QList<DecodedBarcode> &barcodes) { good += texts(barcodes) == ExpectedTexts; });
    // Frames arrive like a camera's, every 15 ms, and are dropped while the helper is busy. When asked to,
    // the camera kills the helper right after handing it a frame: that frame is in flight when it dies.
    int killWith = 0;
    qint64 killedPid = 0;
    QTimer camera;
    camera.setInterval(15);
    connect(&camera, &QTimer::timeout, this, [&] {
        const qint64 pid = decoder.helperPid();
        if (decoder.submit(GreyFrame::fromImage(frame)) && killWith) {
            QCOMPARE(::kill(pid_t(pid), killWith), 0);
            killedPid = pid;
            killWith = 0;
        }
    });
    decoder.start();
    camera.start();

    int restarts = 0;
    for (const int signal : {SIGSEGV, SIGKILL}) {
        QTRY_VERIFY_WITH_TIMEOUT(good >= 3 && decoder.isReady(), Patience);
        const int goodBefore = good;
        const int crashesBefore = int(crashed.count());
        killWith = signal;
        QTRY_COMPARE_WITH_TIMEOUT(int(crashed.count()), crashesBefore + 1, Patience);
        ++restarts;

        // Reported: the status strip's message, and a sentence saying what happened.
        const QList<QVariant> crash = crashed.takeLast();
        const QString message = crash.at(0).toString();
        const QString saved = crash.at(1).toString();
        QVERIFY2(message.contains(signal == SIGSEGV ? QLatin1String("SIGSEGV") : QLatin1String("SIGKILL")),
                 qPrintable(message));
        QVERIFY(std::any_of(states.cbegin(), states.cend(), [](const QList<QVariant> &s) {
            return s.at(0).value<SourceHealth::State>() == SourceHealth::State::Restarting &&
                   s.at(1).toString() == QLatin1String("camera scanner restarting");
        }));
        // The frame it was reading is saved, and failed rather than lost.
        QVERIFY2(!saved.isEmpty() && QFileInfo::exists(saved), qPrintable(message));
        QCOMPARE(QImage(saved).convertToFormat(QImage::Format_Grayscale8), frame);
        QVERIFY(failed.count() >= 1);

        // Restarted as a new process, and the next frames decode again.
        QTRY_VERIFY_WITH_TIMEOUT(decoder.state() == SourceHealth::State::Connected, Patience);
        QVERIFY(decoder.helperPid() != killedPid);
        QTRY_VERIFY_WITH_TIMEOUT(good >= goodBefore + 3, Patience);
    }
    camera.stop();
    QCOMPARE(decoder.crashCount(), restarts);
    QCOMPARE(QDir(crashes.path()).entryList({QStringLiteral("decoder-crash-*.png")}).size(), 2);
    QVERIFY(ready.count() >= 3);
}

void TestDecoderProcess::killedWhileIdleSavesNothing()
{
    QTemporaryDir crashes;
    DecoderProcess::Options options;
    options.crashFolder = crashes.path();
    DecoderProcess decoder(options);
    QSignalSpy ready(&decoder, &DecoderProcess::ready);
    QSignalSpy crashed(&decoder, &DecoderProcess::crashed);
    decoder.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, Patience);
    QCOMPARE(::kill(pid_t(decoder.helperPid()), SIGSEGV), 0);
    QTRY_COMPARE_WITH_TIMEOUT(crashed.count(), 1, Patience);
    QVERIFY(crashed.at(0).at(1).toString().isEmpty());
    QVERIFY(crashed.at(0).at(0).toString().contains(QLatin1String("idle")));
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, Patience);
    QVERIFY(QDir(crashes.path()).isEmpty());
}

void TestDecoderProcess::hungHelperIsKilledAndRestarted()
{
    QTemporaryDir crashes;
    DecoderProcess::Options options;
    options.crashFolder = crashes.path();
    options.decodeTimeoutMs = 1500;
    DecoderProcess decoder(options);
    QSignalSpy ready(&decoder, &DecoderProcess::ready);
    QSignalSpy crashed(&decoder, &DecoderProcess::crashed);
    QSignalSpy failed(&decoder, &DecoderProcess::decodeFailed);
    QSignalSpy decoded(&decoder, &DecoderProcess::decoded);
    decoder.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, Patience);
    const qint64 pid = decoder.helperPid();
    const QImage frame = labelFrame();
    QVERIFY(decoder.submit(GreyFrame::fromImage(frame)));
    QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0); // as if stuck in an endless loop inside the library
    QTRY_COMPARE_WITH_TIMEOUT(crashed.count(), 1, Patience);
    QVERIFY2(crashed.at(0).at(0).toString().contains(QLatin1String("did not answer")),
             qPrintable(crashed.at(0).at(0).toString()));
    QVERIFY(QFileInfo::exists(crashed.at(0).at(1).toString()));
    QCOMPARE(failed.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, Patience);
    QVERIFY(decoder.submit(GreyFrame::fromImage(frame)));
    QTRY_COMPARE_WITH_TIMEOUT(decoded.count(), 1, Patience);
    QTRY_VERIFY_WITH_TIMEOUT(!processExists(pid), Patience);
}

void TestDecoderProcess::backoffDoublesUpToItsCapAndResetsWhenStable()
{
    DecoderProcess::Options options;
    options.initialBackoffMs = 50;
    options.maxBackoffMs = 400;
    options.stableAfterMs = 600;
    DecoderProcess decoder(options);
    QSignalSpy ready(&decoder, &DecoderProcess::ready);
    QSignalSpy crashed(&decoder, &DecoderProcess::crashed);
    decoder.start();
    QCOMPARE(decoder.nextRestartDelayMs(), 50);
    // Each crash within the stable period doubles the next delay, up to the cap.
    const int expectedNext[] = {100, 200, 400, 400};
    for (int i = 0; i < 4; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(int(ready.count()), i + 1, Patience);
        QCOMPARE(::kill(pid_t(decoder.helperPid()), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(int(crashed.count()), i + 1, Patience);
        QCOMPARE(decoder.nextRestartDelayMs(), expectedNext[i]);
    }
    // A helper that ran longer than the stable period starts over at the first delay. Waiting longer than
    // needed only makes this more certain.
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 5, Patience);
    QTest::qWait(options.stableAfterMs + 400);
    QCOMPARE(::kill(pid_t(decoder.helperPid()), SIGKILL), 0);
    QTRY_COMPARE_WITH_TIMEOUT(crashed.count(), 5, Patience);
    QCOMPARE(decoder.nextRestartDelayMs(), 100);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 6, Patience);
}

void TestDecoderProcess::keepsOnlyTheNewestCrashFrames()
{
    QTemporaryDir crashes;
    DecoderProcess::Options options;
    options.crashFolder = crashes.path();
    options.keepCrashFrames = 2;
    options.initialBackoffMs = 10;
    DecoderProcess decoder(options);
    QSignalSpy ready(&decoder, &DecoderProcess::ready);
    QSignalSpy crashed(&decoder, &DecoderProcess::crashed);
    decoder.start();
    const QImage frame = labelFrame();
    QStringList saved;
    for (int i = 0; i < 3; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(int(ready.count()), i + 1, Patience);
        const qint64 pid = decoder.helperPid();
        QVERIFY(decoder.submit(GreyFrame::fromImage(frame)));
        QCOMPARE(::kill(pid_t(pid), SIGSEGV), 0);
        QTRY_COMPARE_WITH_TIMEOUT(int(crashed.count()), i + 1, Patience);
        saved << crashed.last().at(1).toString();
    }
    const QStringList left =
        QDir(crashes.path()).entryList({QStringLiteral("decoder-crash-*.png")}, QDir::Files, QDir::Name);
    QCOMPARE(left.size(), 2);
    QVERIFY(!QFileInfo::exists(saved[0]));
    QVERIFY(QFileInfo::exists(saved[1]) && QFileInfo::exists(saved[2]));
}

void TestDecoderProcess::blockingDecodeRestartsAtOnceAfterACrash()
{
    DecoderProcess::Options options;
    options.initialBackoffMs = 60000; // the background restart would come far too late for a waiting caller
    DecoderProcess decoder(options);
    const QImage frame = labelFrame();
    QVERIFY(decoder.decodeBlocking(GreyFrame::fromImage(frame), Patience).ok());
    QSignalSpy crashed(&decoder, &DecoderProcess::crashed);
    QCOMPARE(::kill(pid_t(decoder.helperPid()), SIGKILL), 0);
    QTRY_COMPARE_WITH_TIMEOUT(crashed.count(), 1, Patience);
    QCOMPARE(decoder.state(), SourceHealth::State::Restarting);
    const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(frame), Patience);
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(texts(outcome.barcodes), ExpectedTexts);
    QCOMPARE(decoder.state(), SourceHealth::State::Connected);
}

void TestDecoderProcess::missingHelperFailsWithASentence()
{
    DecoderProcess::Options options;
    options.helperPath = QStringLiteral("/nonexistent/receiving-decoder");
    options.initialBackoffMs = 20;
    DecoderProcess decoder(options);
    QSignalSpy states(&decoder, &DecoderProcess::stateChanged);
    decoder.start();
    QCOMPARE(decoder.state(), SourceHealth::State::Failed);
    QVERIFY2(decoder.lastError().contains(options.helperPath) &&
                 decoder.lastError().endsWith(QLatin1Char('.')),
             qPrintable(decoder.lastError()));
    QCOMPARE(states.last().at(0).value<SourceHealth::State>(), SourceHealth::State::Failed);
    QCOMPARE(decoder.helperPid(), 0);
    const auto outcome = decoder.decodeBlocking(GreyFrame::fromImage(labelFrame()), Patience);
    QVERIFY(!outcome.ok());
    QVERIFY(outcome.error.contains(options.helperPath));
    QTest::qWait(100); // retries keep failing quietly, without crashing anything
    QCOMPARE(decoder.state(), SourceHealth::State::Failed);
    QCOMPARE(decoder.crashCount(), 0);
}

void TestDecoderProcess::stopEndsTheHelper()
{
    DecoderProcess decoder({});
    QVERIFY(decoder.decodeBlocking(GreyFrame::fromImage(labelFrame()), Patience).ok());
    const qint64 pid = decoder.helperPid();
    QVERIFY(processExists(pid));
    QSignalSpy crashed(&decoder, &DecoderProcess::crashed);
    decoder.stop();
    QCOMPARE(decoder.state(), SourceHealth::State::Stopped);
    QCOMPARE(decoder.helperPid(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!processExists(pid), Patience);
    QTest::qWait(50);
    QCOMPARE(crashed.count(), 0); // an asked-for exit is no crash
}

QTEST_GUILESS_MAIN(TestDecoderProcess)
#include "tst_decoderprocess.moc"
