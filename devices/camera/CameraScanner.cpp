// SPDX-License-Identifier: GPL-3.0-or-later
#include "CameraScanner.h"

#include <QCamera>
#include <QDateTime>
#include <QSet>
#include <QStandardPaths>
#include <QVideoFrameFormat>
#include <QVideoSink>

#include <cstring>

namespace {

// Copies every `step`-th byte of each row, starting at `offset`: the luma samples of a packed or planar
// frame.
QImage copyLuma(const uchar *bits, int bytesPerLine, int width, int height, int offset, int step)
{
    QImage grey(width, height, QImage::Format_Grayscale8);
    if (grey.isNull())
        return grey;
    for (int y = 0; y < height; ++y) {
        const uchar *src = bits + qsizetype(y) * bytesPerLine + offset;
        uchar *dst = grey.scanLine(y);
        if (step == 1) {
            std::memcpy(dst, src, size_t(width));
        } else {
            for (int x = 0; x < width; ++x)
                dst[x] = src[qsizetype(x) * step];
        }
    }
    return grey;
}

bool parseResolution(const QString &text, QSize *size)
{
    const QStringList parts = text.toLower().split(QLatin1Char('x'));
    if (parts.size() != 2)
        return false;
    bool okW = false;
    bool okH = false;
    *size = QSize(parts[0].trimmed().toInt(&okW), parts[1].trimmed().toInt(&okH));
    return okW && okH && size->width() > 0 && size->height() > 0;
}

// Formats whose luminance is copied directly rank above those that need a conversion (MJPEG costs a JPEG
// decode per frame).
bool hasLumaPlane(QVideoFrameFormat::PixelFormat f)
{
    switch (f) {
    case QVideoFrameFormat::Format_NV12:
    case QVideoFrameFormat::Format_NV21:
    case QVideoFrameFormat::Format_YUV420P:
    case QVideoFrameFormat::Format_YUV422P:
    case QVideoFrameFormat::Format_YV12:
    case QVideoFrameFormat::Format_YUYV:
    case QVideoFrameFormat::Format_UYVY:
    case QVideoFrameFormat::Format_Y8:
        return true;
    default:
        return false;
    }
}

} // namespace

// ---- CodesInView ----
QList<DecodedBarcode> CodesInView::update(const QList<DecodedBarcode> &frame, qint64 nowMs)
{
    QSet<QString> present;
    for (const DecodedBarcode &b : frame)
        present.insert(b.format + QLatin1Char('\n') + b.text);

    QList<DecodedBarcode> fresh;
    QSet<QString> reported;
    for (const DecodedBarcode &b : frame) {
        const QString key = b.format + QLatin1Char('\n') + b.text;
        if (reported.contains(key))
            continue; // the same code twice in one frame (two identical labels) is one read
        auto it = m_codes.find(key);
        if (it == m_codes.end()) {
            m_codes.insert(key, Seen{});
            fresh << b;
            reported.insert(key);
        } else if (!it->inView && nowMs - it->missingSinceMs >= m_absenceMs) {
            *it = Seen{};
            fresh << b;
            reported.insert(key);
        } else {
            it->inView = true;
        }
    }
    for (auto it = m_codes.begin(); it != m_codes.end();) {
        if (present.contains(it.key())) {
            ++it;
        } else if (it->inView) {
            it->inView = false;
            it->missingSinceMs = nowMs;
            ++it;
        } else if (nowMs - it->missingSinceMs >= m_absenceMs) {
            it = m_codes.erase(it);
        } else {
            ++it;
        }
    }
    return fresh;
}

// ---- CameraDecodeWorker ----
CameraDecodeWorker::CameraDecodeWorker(DecoderProcess::Options options) : m_options(std::move(options)) {}

CameraDecodeWorker::~CameraDecodeWorker() = default;

void CameraDecodeWorker::start()
{
    if (!m_decoder) {
        // Created here so that the helper's QProcess and timers belong to this thread.
        m_decoder = new DecoderProcess(m_options, this);
        connect(m_decoder, &DecoderProcess::decoded, this,
                [this](const QList<DecodedBarcode> &barcodes) { Q_EMIT frameDone(barcodes, true); });
        connect(m_decoder, &DecoderProcess::decodeFailed, this, [this](const QString &error) {
            qCDebug(lcDevices) << "camera frame not decoded:" << error;
            Q_EMIT frameDone({}, false);
        });
        connect(m_decoder, &DecoderProcess::stateChanged, this, &CameraDecodeWorker::decoderStateChanged);
        connect(m_decoder, &DecoderProcess::crashed, this, &CameraDecodeWorker::decoderCrashed);
    }
    m_decoder->start();
}

void CameraDecodeWorker::stop()
{
    if (m_decoder)
        m_decoder->stop();
    delete m_decoder;
    m_decoder = nullptr;
}

void CameraDecodeWorker::decodeVideoFrame(const QVideoFrame &frame)
{
    decodeImage(CameraScanner::luminance(frame));
}

void CameraDecodeWorker::decodeImage(const QImage &image)
{
    const QImage grey = GreyFrame::toGrayscale8(image);
    // submit() copies the pixels into shared memory before it returns, so `grey` may go right after.
    if (!m_decoder || grey.isNull() || !m_decoder->submit(GreyFrame::fromImage(grey)))
        Q_EMIT frameDone({}, false);
}

// ---- CameraScanner ----
CameraScanner::CameraScanner(const SourceConfig &config, QObject *parent)
    : ScanSource(config.id, parent), m_device(config.value(QStringLiteral("device")).trimmed()),
      m_resolution(1920, 1080)
{
    qRegisterMetaType<DecodedBarcode>();
    qRegisterMetaType<QList<DecodedBarcode>>();
    qRegisterMetaType<SourceHealth::State>();

    QString error;
    if (auto settings = DecodeSettings::fromValues(config.values, &error))
        m_decoderOptions.settings = *settings;
    else
        m_configError = error;
    const QString resolution = config.value(QStringLiteral("resolution"));
    if (!resolution.isEmpty() && !parseResolution(resolution, &m_resolution) && m_configError.isEmpty())
        m_configError =
            QStringLiteral("The camera resolution \"%1\" is not of the form 1920x1080.").arg(resolution);
    bool ok = true;
    const int repeatAfter =
        config.value(QStringLiteral("repeat_after_ms"), QStringLiteral("1000")).toInt(&ok);
    if ((!ok || repeatAfter < 0) && m_configError.isEmpty())
        m_configError = QStringLiteral("repeat_after_ms must be a number of milliseconds, not \"%1\".")
                            .arg(config.value(QStringLiteral("repeat_after_ms")));
    m_inView = CodesInView(ok && repeatAfter >= 0 ? repeatAfter : 1000);
    m_decoderOptions.crashFolder =
        config.value(QStringLiteral("crash_folder"),
                     QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
                         QStringLiteral("/decoder-crashes"));

    m_thread.setObjectName(QStringLiteral("rs-decoder")); // the OS thread name, for top -H and gdb
    m_ownSink = new QVideoSink(this);
    m_sink = m_ownSink;
    connect(m_ownSink, &QVideoSink::videoFrameChanged, this, &CameraScanner::processVideoFrame);
    connect(&m_mediaDevices, &QMediaDevices::videoInputsChanged, this, &CameraScanner::onVideoInputsChanged);
}

CameraScanner::~CameraScanner()
{
    stop();
}

QVideoSink *CameraScanner::videoSink() const
{
    return m_sink;
}

void CameraScanner::setVideoSink(QVideoSink *sink)
{
    if (!sink)
        sink = m_ownSink;
    if (m_sink == sink)
        return;
    if (m_sink)
        disconnect(m_sink, &QVideoSink::videoFrameChanged, this, &CameraScanner::processVideoFrame);
    m_sink = sink;
    connect(m_sink, &QVideoSink::videoFrameChanged, this, &CameraScanner::processVideoFrame);
    m_session.setVideoSink(m_sink);
}

void CameraScanner::start()
{
    if (m_running)
        return;
    if (!m_configError.isEmpty()) {
        setState(SourceHealth::State::Failed, m_configError);
        return;
    }
    m_running = true;
    m_busy = false;
    m_inView.clear();
    m_worker = new CameraDecodeWorker(m_decoderOptions);
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &CameraDecodeWorker::frameDone, this, &CameraScanner::onFrameDone);
    connect(m_worker, &CameraDecodeWorker::decoderStateChanged, this, &CameraScanner::onDecoderState);
    connect(m_worker, &CameraDecodeWorker::decoderCrashed, this, &CameraScanner::decoderCrashed);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &CameraDecodeWorker::start, Qt::QueuedConnection);
    startCamera();
    updateHealth();
}

void CameraScanner::stop()
{
    if (!m_running)
        return;
    m_running = false;
    stopCamera();
    // The helper is stopped on its own thread, then the thread ends; only then is the worker deleted here.
    QMetaObject::invokeMethod(m_worker, &CameraDecodeWorker::stop, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
    m_worker = nullptr;
    m_busy = false;
    m_decoderState = SourceHealth::State::Stopped;
    m_decoderMessage.clear();
    updateHealth();
}

// ---- frames ----
bool CameraScanner::tryHandOver()
{
    if (!m_running || m_busy) {
        ++m_framesDropped;
        return false;
    }
    m_busy = true;
    return true;
}

bool CameraScanner::processVideoFrame(const QVideoFrame &frame)
{
    if (!frame.isValid() || !tryHandOver())
        return false;
    if (frame.handleType() == QVideoFrame::NoHandle) {
        // In CPU memory: map it and copy the luminance on the worker thread, keeping this thread free.
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, frame] { worker->decodeVideoFrame(frame); }, Qt::QueuedConnection);
    } else {
        // A GPU texture can only be read back on the thread that renders it.
        const QImage grey = luminance(frame);
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, grey] { worker->decodeImage(grey); }, Qt::QueuedConnection);
    }
    return true;
}

bool CameraScanner::processImage(const QImage &image)
{
    if (image.isNull() || !tryHandOver())
        return false;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, image] { worker->decodeImage(image); }, Qt::QueuedConnection);
    return true;
}

void CameraScanner::onFrameDone(const QList<DecodedBarcode> &barcodes, bool decoded)
{
    m_busy = false;
    if (!m_running || !decoded)
        return;
    ++m_framesDecoded;
    const QList<DecodedBarcode> fresh = m_inView.update(barcodes, QDateTime::currentMSecsSinceEpoch());
    Q_EMIT frameDecoded(int(barcodes.size()));
    if (fresh.isEmpty())
        return;
    QList<ScanEvent> read;
    read.reserve(fresh.size());
    for (const DecodedBarcode &b : fresh) {
        ScanEvent e;
        e.raw = b.scannerBytes();
        e.symbology = b.format;
        read << e;
    }
    deliver(std::move(read));
}

QImage CameraScanner::luminance(const QVideoFrame &input)
{
    QVideoFrame frame(input);
    if (!frame.isValid())
        return {};
    const int w = frame.width();
    const int h = frame.height();
    QImage grey;
    bool copied = false;
    if (frame.map(QVideoFrame::ReadOnly)) {
        const uchar *y = frame.bits(0);
        const int bpl = frame.bytesPerLine(0);
        copied = true;
        switch (frame.pixelFormat()) {
        case QVideoFrameFormat::Format_Y8:
        case QVideoFrameFormat::Format_NV12:
        case QVideoFrameFormat::Format_NV21:
        case QVideoFrameFormat::Format_YUV420P:
        case QVideoFrameFormat::Format_YUV422P:
        case QVideoFrameFormat::Format_YV12:
        case QVideoFrameFormat::Format_IMC1:
        case QVideoFrameFormat::Format_IMC2:
        case QVideoFrameFormat::Format_IMC3:
        case QVideoFrameFormat::Format_IMC4:
            grey = copyLuma(y, bpl, w, h, 0, 1);
            break;
        case QVideoFrameFormat::Format_YUYV:
            grey = copyLuma(y, bpl, w, h, 0, 2);
            break;
        case QVideoFrameFormat::Format_UYVY:
            grey = copyLuma(y, bpl, w, h, 1, 2);
            break;
        case QVideoFrameFormat::Format_Y16:
        case QVideoFrameFormat::Format_P010:
        case QVideoFrameFormat::Format_P016:
            grey = copyLuma(y, bpl, w, h, 1, 2); // the high byte of little-endian 16-bit samples
            break;
        default:
            copied = false;
            break;
        }
        frame.unmap();
    }
    if (!copied)
        grey = GreyFrame::toGrayscale8(frame.toImage());
    else if (frame.surfaceFormat().scanLineDirection() == QVideoFrameFormat::BottomToTop)
        grey = grey.mirrored(false, true);
    return grey;
}

// ---- camera ----
QCameraDevice CameraScanner::chooseDevice() const
{
    if (m_device.isEmpty())
        return QMediaDevices::defaultVideoInput();
    const QList<QCameraDevice> inputs = QMediaDevices::videoInputs();
    for (const QCameraDevice &d : inputs) {
        if (QString::fromUtf8(d.id()) == m_device || d.description() == m_device)
            return d;
    }
    return {};
}

void CameraScanner::startCamera()
{
    if (m_camera || m_device == QLatin1String("none"))
        return;
    const QCameraDevice device = chooseDevice();
    if (device.isNull()) {
        m_cameraProblem = m_device.isEmpty()
                              ? QStringLiteral("No camera is connected.")
                              : QStringLiteral("The camera \"%1\" is not connected.").arg(m_device);
        return;
    }
    m_cameraProblem.clear();
    m_camera = new QCamera(device, this);
    // The size closest to the configured one, then a format with a luma plane, then the higher frame rate.
    QCameraFormat best;
    auto score = [this](const QCameraFormat &f) {
        const QSize r = f.resolution();
        return std::make_tuple(
            -std::abs(r.width() * r.height() - m_resolution.width() * m_resolution.height()),
            hasLumaPlane(f.pixelFormat()), f.maxFrameRate());
    };
    const QList<QCameraFormat> formats = device.videoFormats();
    for (const QCameraFormat &f : formats) {
        if (best.isNull() || score(f) > score(best))
            best = f;
    }
    if (!best.isNull())
        m_camera->setCameraFormat(best);
    connect(m_camera, &QCamera::errorOccurred, this, [this](QCamera::Error error, const QString &text) {
        if (error == QCamera::NoError)
            return;
        m_cameraProblem = QStringLiteral("The camera reported a problem: %1").arg(text);
        updateHealth();
    });
    connect(m_camera, &QCamera::activeChanged, this, &CameraScanner::updateHealth);
    m_session.setCamera(m_camera);
    m_session.setVideoSink(m_sink);
    m_camera->start();
}

void CameraScanner::stopCamera()
{
    if (!m_camera)
        return;
    m_camera->stop();
    m_session.setCamera(nullptr);
    delete m_camera;
    m_camera = nullptr;
}

void CameraScanner::onVideoInputsChanged()
{
    if (!m_running)
        return;
    if (m_camera) {
        const QByteArray id = m_camera->cameraDevice().id();
        const QList<QCameraDevice> inputs = QMediaDevices::videoInputs();
        const bool stillThere =
            std::any_of(inputs.cbegin(), inputs.cend(), [&](const QCameraDevice &d) { return d.id() == id; });
        if (stillThere)
            return;
        stopCamera();
        m_cameraProblem = QStringLiteral("The camera was disconnected.");
    }
    startCamera(); // plugged (back) in
    updateHealth();
}

// ---- health ----
void CameraScanner::onDecoderState(SourceHealth::State state, const QString &message)
{
    m_decoderState = state;
    m_decoderMessage = message;
    updateHealth();
}

void CameraScanner::updateHealth()
{
    using State = SourceHealth::State;
    if (!m_running) {
        setState(m_configError.isEmpty() ? State::Stopped : State::Failed, m_configError);
        return;
    }
    if (m_decoderState == State::Restarting) {
        setState(State::Restarting, DecoderProcess::restartingMessage());
    } else if (m_decoderState == State::Failed) {
        setState(State::Failed, m_decoderMessage);
    } else if (!m_cameraProblem.isEmpty()) {
        // Waiting for the camera to come (back): QMediaDevices tells when one is plugged in.
        setState(m_camera ? State::Failed : State::Reconnecting, m_cameraProblem);
    } else if (m_decoderState == State::Connected &&
               (m_device == QLatin1String("none") || (m_camera && m_camera->isActive()))) {
        setState(State::Connected);
    } else {
        setState(State::Connecting);
    }
}
