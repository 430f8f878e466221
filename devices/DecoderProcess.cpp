// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecoderProcess.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

constexpr quint64 SegmentGranule = 1024 * 1024;
constexpr int StopGraceMs = 2000;

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

QString signalName(int signal)
{
    const char *abbrev = ::sigabbrev_np(signal);
    return abbrev ? QStringLiteral("SIG") + QString::fromLatin1(abbrev)
                  : QStringLiteral("signal %1").arg(signal);
}

bool isExecutableFile(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

} // namespace

DecoderProcess::DecoderProcess(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_backoffMs(m_options.initialBackoffMs)
{
    qRegisterMetaType<DecodedBarcode>();
    qRegisterMetaType<QList<DecodedBarcode>>();
    qRegisterMetaType<SourceHealth::State>();
    m_restartTimer.setSingleShot(true);
    m_watchdog.setSingleShot(true);
    connect(&m_restartTimer, &QTimer::timeout, this, &DecoderProcess::launch);
    connect(&m_watchdog, &QTimer::timeout, this, &DecoderProcess::onWatchdog);
}

DecoderProcess::~DecoderProcess()
{
    stop();
    releaseSegment();
}

QString DecoderProcess::locateHelper(QString *error)
{
    const QString name = QStringLiteral("receiving-decoder");
    const QString fromEnv = qEnvironmentVariable("RECEIVING_DECODER");
    if (!fromEnv.isEmpty()) {
        if (isExecutableFile(fromEnv))
            return QFileInfo(fromEnv).absoluteFilePath();
        if (error)
            *error =
                QStringLiteral("RECEIVING_DECODER names %1, which is not an executable file.").arg(fromEnv);
        return {};
    }
    QStringList candidates;
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        candidates << appDir + QLatin1Char('/') + name
                   << appDir + QStringLiteral("/../libexec/receiving-station/") + name;
    }
#ifdef RS_DECODER_BUILD_PATH
    candidates << QStringLiteral(RS_DECODER_BUILD_PATH);
#endif
#ifdef RS_DECODER_INSTALL_PATH
    candidates << QStringLiteral(RS_DECODER_INSTALL_PATH);
#endif
    for (const QString &path : std::as_const(candidates)) {
        if (isExecutableFile(path))
            return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    }
    if (error)
        *error =
            QStringLiteral("The barcode decoder helper (%1) was not found in %2. Set RECEIVING_DECODER to "
                           "its path.")
                .arg(name, candidates.join(QStringLiteral(", ")));
    return {};
}

bool DecoderProcess::isReady() const
{
    return m_process && m_greeted && !m_inFlight;
}

qint64 DecoderProcess::helperPid() const
{
    return m_process ? m_process->processId() : 0;
}

void DecoderProcess::setState(SourceHealth::State state, const QString &message)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state, message);
}

// ---- lifecycle ----
void DecoderProcess::start()
{
    m_wanted = true;
    if (m_process || m_restartTimer.isActive())
        return;
    launch();
}

void DecoderProcess::launch()
{
    if (m_process)
        return;
    m_greeted = false;
    m_inbox.clear();
    m_killReason.clear();

    QString error;
    if (m_helperPath.isEmpty())
        m_helperPath = m_options.helperPath.isEmpty() ? locateHelper(&error) : m_options.helperPath;
    if (!m_helperPath.isEmpty() && !isExecutableFile(m_helperPath))
        error = QStringLiteral("The barcode decoder helper %1 is not an executable file.").arg(m_helperPath);
    // The segment starts at the size of a 1080p frame so a camera never waits for it to grow.
    if (error.isEmpty())
        ensureSegment(1920 * 1080, &error);
    if (!error.isEmpty()) {
        if (m_options.helperPath.isEmpty())
            m_helperPath.clear(); // look again next time: an update may install it
        if (error != m_lastError) // once, not at every retry
            qCWarning(lcDevices) << error;
        m_lastError = error;
        setState(SourceHealth::State::Failed, error);
        scheduleRestart();
        return;
    }

    m_process = new QProcess(this);
    QStringList arguments{QStringLiteral("--shm-fd=%1").arg(m_memfd)};
    arguments << m_options.settings.toArguments();
    if (m_options.coreDumps)
        arguments << QStringLiteral("--core-dumps");
    m_process->setProgram(m_helperPath);
    m_process->setArguments(arguments);
    // The helper only writes to stderr when something is badly wrong; that belongs in the station's log.
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Nothing of the station's environment (CREDENTIALS_DIRECTORY, RECEIVING_*) reaches the library that
    // reads the frames: since Qt 6.3 a default-constructed environment is an empty one, not the parent's.
    m_process->setProcessEnvironment(QProcessEnvironment());
    // The segment is close-on-exec so that no other program the station starts inherits it; only this child
    // gets it, by clearing the flag between fork and exec (fcntl is async-signal-safe).
    const int fd = m_memfd;
    m_process->setChildProcessModifier([fd] { ::fcntl(fd, F_SETFD, 0); });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &DecoderProcess::onReadyRead);
    connect(m_process, &QProcess::finished, this, &DecoderProcess::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &DecoderProcess::onErrorOccurred);

    setState(SourceHealth::State::Connecting);
    m_watchdog.start(m_options.startTimeoutMs);
    m_process->start(QIODevice::ReadWrite);
}

void DecoderProcess::stop()
{
    m_wanted = false;
    m_restartTimer.stop();
    m_watchdog.stop();
    if (m_process) {
        QProcess *process = m_process;
        process->closeWriteChannel(); // end of input: the helper exits 0
        if (!process->waitForFinished(StopGraceMs)) {
            process->kill();
            process->waitForFinished(StopGraceMs);
        }
        // finished() normally ran onFinished() by now; make sure nothing refers to a helper that is gone.
        if (m_process == process) {
            m_process = nullptr;
            process->disconnect(this);
            process->deleteLater();
        }
    }
    if (m_inFlight)
        finishFrame({{}, QStringLiteral("The barcode decoder was stopped before it answered.")});
    m_greeted = false;
    setState(SourceHealth::State::Stopped);
}

void DecoderProcess::scheduleRestart()
{
    if (!m_wanted)
        return;
    m_restartTimer.start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, m_options.maxBackoffMs);
}

void DecoderProcess::killHelper(const QString &reason)
{
    if (!m_process)
        return;
    m_killReason = reason;
    m_process->kill();
}

void DecoderProcess::onWatchdog()
{
    if (!m_process)
        return;
    const double seconds = (m_inFlight ? m_options.decodeTimeoutMs : m_options.startTimeoutMs) / 1000.0;
    killHelper(
        m_inFlight
            ? QStringLiteral("The barcode decoder did not answer within %1 s and was stopped").arg(seconds)
            : QStringLiteral("The barcode decoder did not start within %1 s and was stopped").arg(seconds));
}

void DecoderProcess::onErrorOccurred(QProcess::ProcessError error)
{
    auto *process = qobject_cast<QProcess *>(sender());
    // Crashes, reads and writes to a dying helper are followed by finished(); only a failed start is not.
    if (error != QProcess::FailedToStart || process != m_process)
        return;
    m_watchdog.stop();
    m_lastError = QStringLiteral("The barcode decoder helper %1 could not be started: %2.")
                      .arg(m_helperPath, process->errorString());
    qCWarning(lcDevices) << m_lastError;
    m_process = nullptr;
    process->disconnect(this);
    process->deleteLater();
    if (m_inFlight)
        finishFrame({{}, m_lastError});
    setState(SourceHealth::State::Failed, m_lastError);
    scheduleRestart();
}

void DecoderProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    auto *process = qobject_cast<QProcess *>(sender());
    if (!process || process != m_process)
        return;
    // A reply written just before the helper died is still worth having; Qt has read it into the buffer.
    onReadyRead();
    m_process = nullptr;
    process->disconnect(this);
    process->deleteLater();
    m_watchdog.stop();
    const bool wasGreeted = m_greeted;
    m_greeted = false;

    if (!m_wanted) {
        if (m_inFlight)
            finishFrame({{}, QStringLiteral("The barcode decoder was stopped before it answered.")});
        setState(SourceHealth::State::Stopped);
        return;
    }

    QString message;
    if (!m_killReason.isEmpty())
        message = m_killReason;
    else if (status == QProcess::CrashExit)
        message = QStringLiteral("The barcode decoder crashed (%1)").arg(signalName(exitCode));
    else
        message = QStringLiteral("The barcode decoder stopped unexpectedly (exit code %1)").arg(exitCode);
    m_killReason.clear();

    QString savedPath;
    if (m_inFlight) {
        QString saveError;
        savedPath = saveCrashFrame(*m_inFlight, &saveError);
        if (!savedPath.isEmpty())
            message += QStringLiteral("; the frame it was reading was saved as %1.").arg(savedPath);
        else if (!saveError.isEmpty())
            message += QStringLiteral("; the frame it was reading could not be saved: %1").arg(saveError);
        else
            message += QStringLiteral(" while reading a frame.");
    } else {
        message += wasGreeted ? QStringLiteral(" while idle.") : QStringLiteral(" before it was ready.");
    }

    ++m_crashes;
    // A helper that ran fine for a while met a new bad frame: restart it quickly. One that keeps dying is
    // probably looking at the same label again, so wait longer each time.
    if (m_upSince.isValid() && m_upSince.elapsed() >= m_options.stableAfterMs)
        m_backoffMs = m_options.initialBackoffMs;
    m_upSince.invalidate();
    m_lastError = message;
    qCWarning(lcDevices) << message << "Restarting it in" << m_backoffMs << "ms.";

    setState(SourceHealth::State::Restarting, restartingMessage());
    Q_EMIT crashed(message, savedPath);
    if (m_inFlight)
        finishFrame({{}, message});
    scheduleRestart();
}

// ---- shared memory ----
bool DecoderProcess::ensureSegment(quint64 bytes, QString *error)
{
    if (m_segment && m_segmentSize >= bytes)
        return true;
    if (m_memfd < 0) {
        m_memfd = ::memfd_create("receiving-decoder-frames", MFD_CLOEXEC);
        if (m_memfd < 0) {
            *error =
                QStringLiteral("Shared memory for camera frames cannot be created: %1.").arg(errnoText());
            return false;
        }
    }
    const quint64 size = (bytes + SegmentGranule - 1) / SegmentGranule * SegmentGranule;
    if (::ftruncate(m_memfd, off_t(size)) != 0) {
        *error = QStringLiteral("Shared memory for camera frames cannot grow to %1 bytes: %2.")
                     .arg(size)
                     .arg(errnoText());
        return false;
    }
    if (m_segment)
        ::munmap(m_segment, m_segmentSize);
    void *mapped = ::mmap(nullptr, size_t(size), PROT_READ | PROT_WRITE, MAP_SHARED, m_memfd, 0);
    if (mapped == MAP_FAILED) {
        m_segment = nullptr;
        m_segmentSize = 0;
        *error = QStringLiteral("Shared memory for camera frames cannot be mapped: %1.").arg(errnoText());
        return false;
    }
    m_segment = static_cast<uchar *>(mapped);
    m_segmentSize = size;
    return true;
}

void DecoderProcess::releaseSegment()
{
    if (m_segment)
        ::munmap(m_segment, m_segmentSize);
    m_segment = nullptr;
    m_segmentSize = 0;
    if (m_memfd >= 0)
        ::close(m_memfd);
    m_memfd = -1;
}

QString DecoderProcess::saveCrashFrame(const InFlight &frame, QString *error) const
{
    if (m_options.crashFolder.isEmpty() || !m_segment)
        return {};
    QDir dir(m_options.crashFolder);
    if (!dir.mkpath(QStringLiteral("."))) {
        *error = QStringLiteral("the folder %1 cannot be created.").arg(m_options.crashFolder);
        return {};
    }
    // The segment still holds the frame: nothing is written to it while a request is in flight.
    const QImage image = GreyFrame{frame.width, frame.height, frame.width, m_segment}.toImage();
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    const QString path =
        dir.absoluteFilePath(QStringLiteral("decoder-crash-%1-%2.png").arg(stamp).arg(frame.id));
    if (!image.save(path, "PNG")) {
        *error = QStringLiteral("writing %1 failed.").arg(path);
        return {};
    }
    // Keep the newest few: a label left in front of the camera would otherwise add one per restart forever.
    const QFileInfoList saved =
        dir.entryInfoList({QStringLiteral("decoder-crash-*.png")}, QDir::Files, QDir::Name);
    for (qsizetype i = 0; i + m_options.keepCrashFrames < saved.size(); ++i)
        QFile::remove(saved[i].absoluteFilePath());
    return path;
}

// ---- frames ----
bool DecoderProcess::send(const GreyFrame &frame, bool blocking, QString *error)
{
    if (!frame.isValid() || frame.width > DecoderWire::MaxDimension ||
        frame.height > DecoderWire::MaxDimension) {
        *error = QStringLiteral("The picture's size %1x%2 cannot be decoded (1 to %3 pixels each way).")
                     .arg(frame.width)
                     .arg(frame.height)
                     .arg(DecoderWire::MaxDimension);
        return false;
    }
    const quint64 bytes = quint64(frame.width) * quint64(frame.height);
    if (!ensureSegment(bytes, error))
        return false;
    // Rows are packed (stride = width) so the helper and a saved crash frame need no other geometry.
    if (frame.stride == frame.width) {
        std::memcpy(m_segment, frame.data, size_t(bytes));
    } else {
        for (int y = 0; y < frame.height; ++y)
            std::memcpy(m_segment + qsizetype(y) * frame.width, frame.data + qsizetype(y) * frame.stride,
                        size_t(frame.width));
    }
    DecoderWire::Request request;
    request.id = m_nextId++;
    request.width = frame.width;
    request.height = frame.height;
    request.stride = frame.width;
    request.segmentSize = m_segmentSize;
    m_inFlight = InFlight{request.id, frame.width, frame.height, blocking};
    m_process->write(reinterpret_cast<const char *>(&request), sizeof request);
    m_watchdog.start(m_options.decodeTimeoutMs);
    return true;
}

bool DecoderProcess::submit(const GreyFrame &frame)
{
    if (!isReady())
        return false;
    QString error;
    if (!send(frame, false, &error)) {
        qCDebug(lcDevices) << "frame not decoded:" << error;
        return false;
    }
    return true;
}

void DecoderProcess::finishFrame(Outcome outcome)
{
    m_watchdog.stop();
    const bool blocking = m_inFlight && m_inFlight->blocking;
    m_inFlight.reset();
    if (blocking) {
        m_blockingOutcome = std::move(outcome);
        return;
    }
    if (outcome.ok())
        Q_EMIT decoded(outcome.barcodes);
    else
        Q_EMIT decodeFailed(outcome.error);
}

void DecoderProcess::onReadyRead()
{
    if (!m_process)
        return;
    m_inbox += m_process->readAllStandardOutput();
    while (m_inbox.size() >= qsizetype(sizeof(DecoderWire::Reply))) {
        DecoderWire::Reply reply;
        std::memcpy(&reply, m_inbox.constData(), sizeof reply);
        const bool known = reply.magic == DecoderWire::ReplyMagic || reply.magic == DecoderWire::HelloMagic;
        if (!known || reply.payloadSize > DecoderWire::MaxPayload) {
            m_inbox.clear();
            killHelper(QStringLiteral("The barcode decoder sent an unreadable reply and was stopped"));
            return;
        }
        const qsizetype total = qsizetype(sizeof reply) + qsizetype(reply.payloadSize);
        if (m_inbox.size() < total)
            return;
        const QByteArray payload = m_inbox.mid(sizeof reply, reply.payloadSize);
        // Consume before acting: a slot connected to decoded() may submit the next frame right away.
        m_inbox.remove(0, total);

        if (reply.magic == DecoderWire::HelloMagic) {
            if (reply.id != DecoderWire::Version) {
                killHelper(
                    QStringLiteral("The barcode decoder speaks protocol %1, the station %2; it was stopped")
                        .arg(reply.id)
                        .arg(DecoderWire::Version));
                return;
            }
            m_helperHints = QString::fromUtf8(payload);
            if (m_helperHints != m_options.settings.describe())
                qCWarning(lcDevices) << "The decoder helper uses other hints than the station:"
                                     << m_helperHints;
            m_greeted = true;
            m_watchdog.stop();
            m_upSince.start();
            setState(SourceHealth::State::Connected);
            Q_EMIT ready();
            continue;
        }
        if (!m_inFlight || reply.id != m_inFlight->id) {
            killHelper(QStringLiteral(
                "The barcode decoder answered a frame it was not asked about; it was stopped"));
            return;
        }
        Outcome outcome;
        if (reply.status == quint32(DecoderWire::Status::Ok)) {
            QString error;
            if (auto barcodes = BarcodeDecoder::fromJson(payload, &error))
                outcome.barcodes = std::move(*barcodes);
            else
                outcome.error = error;
        } else {
            outcome.error = QString::fromUtf8(payload);
        }
        finishFrame(std::move(outcome));
        if (!m_process)
            return; // a slot stopped us
    }
}

// ---- blocking use ----
bool DecoderProcess::ensureRunningBlocking(const QDeadlineTimer &deadline, QString *error)
{
    m_wanted = true;
    if (!m_process) {
        m_restartTimer.stop();
        launch();
    }
    if (m_process && !m_greeted && m_process->state() == QProcess::Starting)
        m_process->waitForStarted(int(deadline.remainingTime()));
    while (m_process && !m_greeted) {
        if (deadline.hasExpired()) {
            killHelper(QStringLiteral("The barcode decoder did not start in time and was stopped"));
            m_process->waitForFinished(StopGraceMs);
            break;
        }
        m_process->waitForReadyRead(int(deadline.remainingTime()));
    }
    if (m_process && m_greeted)
        return true;
    *error =
        m_lastError.isEmpty() ? QStringLiteral("The barcode decoder could not be started.") : m_lastError;
    return false;
}

DecoderProcess::Outcome DecoderProcess::decodeBlocking(const GreyFrame &frame, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QString error;
    if (!frame.isValid())
        return {{}, QStringLiteral("The picture is empty or its size is invalid.")};
    if (!ensureRunningBlocking(deadline, &error))
        return {{}, error};
    // A camera frame may be in flight; its answer still goes to decoded().
    while (m_process && m_inFlight && !deadline.hasExpired())
        m_process->waitForReadyRead(int(deadline.remainingTime()));
    if (!m_process || m_inFlight)
        return {{},
                m_inFlight ? QStringLiteral("The barcode decoder is still busy with another frame.")
                           : m_lastError};

    m_blockingOutcome.reset();
    if (!send(frame, true, &error))
        return {{}, error};
    while (!m_blockingOutcome) {
        if (!m_process) // it died, and onFinished() has failed the frame; this is a safety net
            return {{}, m_lastError};
        if (deadline.hasExpired()) {
            killHelper(QStringLiteral("The barcode decoder did not answer within %1 s and was stopped")
                           .arg(timeoutMs / 1000.0));
            m_process->waitForFinished(StopGraceMs);
            if (!m_blockingOutcome)
                finishFrame({{}, m_lastError});
            break;
        }
        m_process->waitForReadyRead(int(deadline.remainingTime()));
    }
    Outcome outcome = std::move(*m_blockingOutcome);
    m_blockingOutcome.reset();
    return outcome;
}
