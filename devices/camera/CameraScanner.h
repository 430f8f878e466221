// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BarcodeDecoder.h"
#include "DecoderProcess.h"
#include "ScanSource.h"

#include <QCameraDevice>
#include <QHash>
#include <QImage>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QPointer>
#include <QThread>
#include <QVideoFrame>

class QCamera;
class QVideoSink;

// Which codes are in front of the camera, so that a label staying in view is reported once, and again only
// after it has been out of view for a while. Absence is counted in decoded frames that lack the code, so a
// decoder restart or dropped frames never make a code that is still there look new. Plain logic, no camera.
class CodesInView
{
public:
    explicit CodesInView(qint64 absenceMs = 1000) : m_absenceMs(absenceMs) {}

    // The barcodes of one decoded frame taken at `nowMs`; returns those that just came into view, in frame
    // order.
    QList<DecodedBarcode> update(const QList<DecodedBarcode> &frame, qint64 nowMs);
    void clear() { m_codes.clear(); }
    qsizetype tracked() const { return m_codes.size(); }

private:
    struct Seen
    {
        bool inView = true;
        qint64 missingSinceMs = 0; // the first decoded frame without it, when !inView
    };
    QHash<QString, Seen> m_codes; // by format and text
    qint64 m_absenceMs;
};

// The camera's decoding side, living on the "rs-decoder" thread: owns the DecoderProcess, takes the luminance
// out of a video frame there (so the GUI thread only hands frames over) and decodes it. Internal to
// CameraScanner; declared here for moc.
class CameraDecodeWorker : public QObject
{
    Q_OBJECT
public:
    explicit CameraDecodeWorker(DecoderProcess::Options options);
    ~CameraDecodeWorker() override;

    void start();
    void stop();
    void decodeVideoFrame(const QVideoFrame &frame);
    void decodeImage(const QImage &image);

Q_SIGNALS:
    // Once for every frame handed over: `decoded` is false when it was dropped or the decoder failed on it.
    void frameDone(const QList<DecodedBarcode> &barcodes, bool decoded);
    void decoderStateChanged(SourceHealth::State state, const QString &message);
    void decoderCrashed(const QString &message, const QString &savedFramePath);

private:
    DecoderProcess::Options m_options;
    DecoderProcess *m_decoder = nullptr;
};

// A camera as a scan source. Qt Multimedia frames (which arrive on the GUI thread in Qt 6.4) are handed to a
// named worker thread, "rs-decoder", and decoded through the crash-isolated helper. The latest frame wins: a
// frame arriving while one is being decoded is dropped, never queued. The new codes of a frame are delivered
// as one read; a code staying in view is reported once. A decoder crash shows "camera scanner restarting".
//
// Configuration ([scanner.NAME], type = camera): device (a camera id or description; empty: the default
// camera; "none": no camera, frames come only through processImage()), resolution (default 1920x1080),
// formats, try_harder, try_rotate, try_downscale, max_symbols (see DecodeSettings), crash_folder (default
// <app data>/decoder-crashes), repeat_after_ms (how long a code must be out of view to count again, 1000).
class CameraScanner : public ScanSource
{
    Q_OBJECT
public:
    explicit CameraScanner(const SourceConfig &config, QObject *parent = nullptr);
    ~CameraScanner() override;

    void start() override;
    void stop() override;

    // The sink frames are read from. A viewfinder passes its own (VideoOutput.videoSink) because a capture
    // session has one video output, which the preview and the scanner then share.
    QVideoSink *videoSink() const;
    void setVideoSink(QVideoSink *sink);

    QString configError() const { return m_configError; }
    qint64 framesDecoded() const { return m_framesDecoded; }
    qint64 framesDropped() const { return m_framesDropped; }

    // The luminance of a video frame as a Grayscale8 image: the Y plane copied for YUV formats, a conversion
    // otherwise. Null when the frame cannot be read.
    static QImage luminance(const QVideoFrame &frame);

public Q_SLOTS:
    // Decodes a picture as if the camera had delivered it (tests, other frame sources). False when it is
    // dropped because a frame is being decoded or the scanner is not started.
    bool processImage(const QImage &image);
    bool processVideoFrame(const QVideoFrame &frame);

Q_SIGNALS:
    // Each decoded frame, with how many barcodes it held (also when none is new): for a viewfinder and tests.
    void frameDecoded(int barcodes);
    void decoderCrashed(const QString &message, const QString &savedFramePath);

private:
    bool tryHandOver();
    void onFrameDone(const QList<DecodedBarcode> &barcodes, bool decoded);
    void onDecoderState(SourceHealth::State state, const QString &message);
    void startCamera();
    void stopCamera();
    void onVideoInputsChanged();
    QCameraDevice chooseDevice() const;
    void updateHealth();

    QString m_device;
    QSize m_resolution;
    QString m_configError;
    DecoderProcess::Options m_decoderOptions;

    QThread m_thread;
    CameraDecodeWorker *m_worker = nullptr;
    bool m_running = false;
    bool m_busy = false; // a frame is on the worker thread; touched on this thread only
    CodesInView m_inView;
    qint64 m_framesDecoded = 0;
    qint64 m_framesDropped = 0;

    QMediaDevices m_mediaDevices;
    QMediaCaptureSession m_session;
    QCamera *m_camera = nullptr;
    QVideoSink *m_ownSink = nullptr;
    QPointer<QVideoSink> m_sink;
    QString m_cameraProblem;
    SourceHealth::State m_decoderState = SourceHealth::State::Stopped;
    QString m_decoderMessage;
};
