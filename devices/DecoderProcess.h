// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BarcodeDecoder.h"
#include "ScanSource.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QTimer>

#include <optional>

// Runs receiving-decoder, the helper process that does the ZXing work, so that a label which crashes the
// library costs a restart and not the kiosk. Hands it one frame at a time through shared memory (protocol:
// DecoderWire in BarcodeDecoder.h); when the helper dies or hangs it saves the frame it was reading as PNG,
// reports "camera scanner restarting" and starts it again after an exponential back-off. Lives on one thread:
// the camera's "rs-decoder" worker, or the main thread of the CLI and the benchmark. The helper starts with
// an empty environment and sandboxes itself (devices/decoder/DecoderSandbox.h).
//
// The helper is found, in order: at Options::helperPath; at $RECEIVING_DECODER; next to the running program;
// at <program dir>/../libexec/receiving-station/ (a relocated install); at the build tree's binary (tests,
// benchmarks and the dev run, baked in by devices/decoder/CMakeLists.txt); at the configured install path
// (CMAKE_INSTALL_FULL_LIBEXECDIR/receiving-station/receiving-decoder).
class DecoderProcess : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        DecodeSettings settings;
        QString helperPath;       // empty: locateHelper()
        QString crashFolder;      // the frame that crashed the helper is saved here as PNG; empty: not saved
        int keepCrashFrames = 20; // older crash pictures beyond this many are deleted
        int decodeTimeoutMs = 5000; // a helper that takes longer on one frame is killed, as if it had crashed
        int startTimeoutMs = 10000; // from launch to the helper's hello
        int initialBackoffMs = 100; // first restart delay; doubles after each crash ...
        int maxBackoffMs = 10000;   // ... up to this
        int stableAfterMs = 30000;  // a helper that ran this long before crashing restarts at the first delay
        bool coreDumps = false;     // let the helper dump core (off: the saved frame is the diagnosis)
    };

    // The result of one blocking decode: the barcodes (none is a valid answer), or why there is no answer.
    struct Outcome
    {
        QList<DecodedBarcode> barcodes;
        QString error; // a sentence; empty on success
        bool ok() const { return error.isEmpty(); }
    };

    explicit DecoderProcess(Options options, QObject *parent = nullptr);
    ~DecoderProcess() override;

    // What the status strip shows while the helper restarts.
    static QString restartingMessage() { return QStringLiteral("camera scanner restarting"); }
    // The helper's path (search order above, without Options::helperPath), or empty with `error` set.
    static QString locateHelper(QString *error);

    // Launches the helper; state goes Connecting, then Connected and ready() once it has said hello. After a
    // crash it is restarted without being asked, until stop().
    void start();
    // Closes the helper's input and waits briefly for it to exit (kills it otherwise). A frame in flight
    // fails.
    void stop();

    SourceHealth::State state() const { return m_state; }
    // The last problem as a sentence (why it crashed, could not start, ...); empty when none yet.
    QString lastError() const { return m_lastError; }
    // Running, greeted, and no frame in flight: submit() will take a frame.
    bool isReady() const;
    qint64 helperPid() const;                             // 0 when no helper runs; for tests that kill it
    QString helperHints() const { return m_helperHints; } // DecodeSettings::describe() as the helper said it
    QString helperPath() const { return m_helperPath; }
    int crashCount() const { return m_crashes; }
    int nextRestartDelayMs() const { return m_backoffMs; }

    // Copies the frame into shared memory and sends it. Exactly one of decoded() or decodeFailed() follows.
    // Returns false, and nothing follows, when the helper is not ready (starting, restarting, or busy with
    // the previous frame) or the frame is invalid: the camera wants its latest frame decoded, never a queue.
    bool submit(const GreyFrame &frame);

    // Decodes one frame and waits for the answer, starting the helper first if needed (skipping a pending
    // back-off: the caller is waiting). For the CLI and the benchmark; a camera uses submit().
    Outcome decodeBlocking(const GreyFrame &frame, int timeoutMs = 10000);

Q_SIGNALS:
    void ready();
    void decoded(const QList<DecodedBarcode> &barcodes);
    void decodeFailed(const QString &error);
    // Restarting comes with restartingMessage(); Failed (the helper cannot be started) with lastError().
    void stateChanged(SourceHealth::State state, const QString &message);
    // The helper died or hung. `savedFramePath` is the PNG of the frame it was reading, empty when it was
    // idle or no crash folder is configured.
    void crashed(const QString &message, const QString &savedFramePath);

private:
    struct InFlight
    {
        quint32 id = 0;
        int width = 0;
        int height = 0;
        bool blocking = false;
    };

    void launch();
    void scheduleRestart();
    void setState(SourceHealth::State state, const QString &message = QString());
    bool ensureSegment(quint64 bytes, QString *error);
    void releaseSegment();
    bool send(const GreyFrame &frame, bool blocking, QString *error);
    void finishFrame(Outcome outcome);
    bool ensureRunningBlocking(const QDeadlineTimer &deadline, QString *error);
    void killHelper(const QString &reason);
    QString saveCrashFrame(const InFlight &frame, QString *error) const;

    void onReadyRead();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(QProcess::ProcessError error);
    void onWatchdog();

    Options m_options;
    QString m_helperPath;
    QProcess *m_process = nullptr;
    QByteArray m_inbox;
    bool m_greeted = false;
    bool m_wanted = false;
    QString m_killReason; // set when we killed the helper, so its death is reported as what it was

    int m_memfd = -1;
    uchar *m_segment = nullptr;
    quint64 m_segmentSize = 0;

    quint32 m_nextId = 1;
    std::optional<InFlight> m_inFlight;
    std::optional<Outcome> m_blockingOutcome;

    QTimer m_restartTimer;
    QTimer m_watchdog;
    QElapsedTimer m_upSince;
    int m_backoffMs;
    int m_crashes = 0;

    SourceHealth::State m_state = SourceHealth::State::Stopped;
    QString m_lastError;
    QString m_helperHints;
};
