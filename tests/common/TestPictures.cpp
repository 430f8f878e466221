// SPDX-License-Identifier: GPL-3.0-or-later
#define ZX_USE_UTF8
#include "TestPictures.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPolygonF>
#include <QTransform>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace TestPictures {

bool isLinear(BarcodeFormat f)
{
    return f == BarcodeFormat::Code128;
}

QString formatName(BarcodeFormat f)
{
    return QString::fromLatin1(ZXing::ToString(f));
}

QImage renderLabel(BarcodeFormat format, const QString &content, int module, int barHeight)
{
    ZXing::MultiFormatWriter writer(format);
    writer.setMargin(0);
    const ZXing::BitMatrix m = writer.encode(content.toStdWString(), 0, 0);
    const bool linear = isLinear(format);
    const int quiet = linear ? 10 : 3; // modules; a little more than the symbologies' minimum
    const int w = (m.width() + 2 * quiet) * module;
    if (barHeight <= 0)
        barHeight = std::max(120, w * 3 / 10);
    const int h = linear ? barHeight + 2 * quiet * module : (m.height() + 2 * quiet) * module;
    QImage label(w, h, QImage::Format_Grayscale8);
    label.fill(245);
    for (int y = 0; y < h; ++y) {
        uchar *row = label.scanLine(y);
        const int my = linear ? 0 : y / module - quiet;
        if (linear && (y < quiet * module || y >= quiet * module + barHeight))
            continue;
        if (!linear && (my < 0 || my >= m.height()))
            continue;
        for (int x = 0; x < w; ++x) {
            const int mx = x / module - quiet;
            if (mx >= 0 && mx < m.width() && m.get(mx, my))
                row[x] = 20;
        }
    }
    return label;
}

QImage blankFrame(QSize size)
{
    QImage frame(size, QImage::Format_RGB32);
    QPainter p(&frame);
    QLinearGradient g(0, 0, size.width(), size.height());
    g.setColorAt(0, QColor(150, 150, 150));
    g.setColorAt(1, QColor(95, 95, 95));
    p.fillRect(frame.rect(), g);
    return frame;
}

QImage emptyScene(QSize size)
{
    QImage f = blankFrame(size);
    QPainter p(&f);
    const double sx = size.width() / 1280.0;
    const double sy = size.height() / 720.0;
    p.scale(sx, sy);
    p.fillRect(QRectF(0, 560, 1280, 160), QColor(40, 40, 40));    // conveyor belt
    p.fillRect(QRectF(180, 90, 820, 470), QColor(176, 150, 110)); // box
    p.fillRect(QRectF(560, 90, 70, 470), QColor(205, 190, 160));  // tape
    p.fillRect(QRectF(180, 300, 820, 6), QColor(120, 100, 70));   // flap edge
    p.setPen(QPen(QColor(235, 235, 235), 3));
    p.drawLine(QPointF(1000, 90), QPointF(1100, 40)); // flap in the light
    return f;
}

bool place(QImage &frame, const QImage &label, QPointF center, double degrees, bool perspective)
{
    if (perspective) {
        // Seen from below and to the left: the far edge shorter, the left side longer than the right.
        const double w = label.width();
        const double h = label.height();
        const QPolygonF from({QPointF(0, 0), QPointF(w, 0), QPointF(w, h), QPointF(0, h)});
        const QPolygonF to({center + QPointF(-0.45 * w, -0.50 * h), center + QPointF(0.50 * w, -0.38 * h),
                            center + QPointF(0.55 * w, 0.42 * h), center + QPointF(-0.52 * w, 0.55 * h)});
        QTransform t;
        if (!QTransform::quadToQuad(from, to, t))
            return false;
        QPainter p(&frame);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.setRenderHint(QPainter::Antialiasing);
        p.setTransform(t);
        p.drawImage(0, 0, label);
        return true;
    }
    QPainter p(&frame);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.setRenderHint(QPainter::Antialiasing);
    p.translate(center);
    p.rotate(degrees);
    p.drawImage(QPointF(-label.width() / 2.0, -label.height() / 2.0), label);
    return true;
}

void boxBlurOnce(QImage &img, int r)
{
    const int w = img.width();
    const int h = img.height();
    QImage tmp(img.size(), QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        const uchar *src = img.constScanLine(y);
        uchar *dst = tmp.scanLine(y);
        for (int x = 0; x < w; ++x) {
            int sum = 0;
            for (int k = -r; k <= r; ++k)
                sum += src[std::clamp(x + k, 0, w - 1)];
            dst[x] = uchar(sum / (2 * r + 1));
        }
    }
    for (int y = 0; y < h; ++y) {
        uchar *dst = img.scanLine(y);
        for (int x = 0; x < w; ++x) {
            int sum = 0;
            for (int k = -r; k <= r; ++k)
                sum += tmp.constScanLine(std::clamp(y + k, 0, h - 1))[x];
            dst[x] = uchar(sum / (2 * r + 1));
        }
    }
}

void blur(QImage &img, int passes, int radius)
{
    for (int i = 0; i < passes; ++i)
        boxBlurOnce(img, radius);
}

void addNoise(QImage &img, double sigma, quint32 seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0.0, sigma);
    for (int y = 0; y < img.height(); ++y) {
        uchar *row = img.scanLine(y);
        for (int x = 0; x < img.width(); ++x)
            row[x] = uchar(std::clamp(int(std::lround(row[x] + n(rng))), 0, 255));
    }
}

void lowContrast(QImage &img, int levels)
{
    for (int y = 0; y < img.height(); ++y) {
        uchar *row = img.scanLine(y);
        for (int x = 0; x < img.width(); ++x)
            row[x] = uchar(100 + row[x] * levels / 256);
    }
}

QImage degrade(const QImage &rgb, const Degradation &d)
{
    QImage grey = rgb.convertToFormat(QImage::Format_Grayscale8);
    blur(grey, d.blurPasses);
    if (d.contrastLevels > 0)
        lowContrast(grey, d.contrastLevels);
    if (d.noiseSigma > 0)
        addNoise(grey, d.noiseSigma, 4711);
    return grey;
}

QList<DegradedLabel> degradedLabels()
{
    // Module sizes as a 1280x720 camera sees labels at reading distance; every label fits the frame turned
    // by 90.
    struct Code
    {
        BarcodeFormat format;
        const char *text;
        int module;
    };
    const Code codes[] = {
        {BarcodeFormat::Code128, "JN11F3A2BAFA", 3},
        {BarcodeFormat::Code128, "CAHZ4512", 4},
        {BarcodeFormat::Code128, "1Z999AA10123456784", 3},
        {BarcodeFormat::DataMatrix, "JN11F3A2BAFA", 6},
        {BarcodeFormat::DataMatrix, "CAHZ4512", 6},
        {BarcodeFormat::QRCode, "JN11F3A2BAFA", 6},
        {BarcodeFormat::QRCode, "https://returns.example.com/tmip/CAHZ4512", 5},
    };
    enum Applies { All, Linear, Matrix };
    struct Condition
    {
        const char *name;
        double angle;
        bool perspective;
        int blur; // 3x3 box passes
        double noise;
        int levels;
        Applies applies;
    };
    // ZXing 1.4's 1D reader loses bars 3-4 px wide under blur much sooner than the 2D readers lose modules,
    // so matrix symbols also get the harsher conditions.
    const Condition conditions[] = {
        {"clean", 0, false, 0, 0, 0, All},
        {"blur", 0, false, 2, 0, 0, All},
        {"noise 10", 0, false, 0, 10, 0, All},
        {"40 grey levels", 0, false, 0, 0, 40, All},
        {"40 grey levels + blur", 0, false, 1, 0, 40, All},
        {"perspective", 0, true, 0, 0, 0, All},
        {"perspective + noise", 0, true, 0, 6, 0, All},
        {"rotated 90", 90, false, 0, 0, 0, All},
        {"rotated 180", 180, false, 0, 0, 0, All},
        {"rotated 270", 270, false, 0, 0, 0, All},
        {"rotated 90 + blur + noise", 90, false, 1, 4, 0, All},
        {"rotated -10", -10, false, 0, 0, 0, Linear},
        {"rotated -5 + noise", -5, false, 0, 6, 0, Linear},
        {"rotated -2", -2, false, 0, 0, 0, Linear},
        {"rotated +3 + noise", 3, false, 0, 6, 0, Linear},
        {"rotated +7", 7, false, 0, 0, 0, Linear},
        {"rotated +10", 10, false, 0, 0, 0, Linear},
        {"rotated +10 + noise", 10, false, 0, 6, 0, Linear},
        {"rotated 190 (upside down, -10)", 190, false, 0, 0, 0, Linear},
        {"strong blur + noise", 0, false, 3, 12, 0, Matrix},
        {"heavy noise", 0, false, 0, 25, 0, Matrix},
        {"40 grey levels + noise", 0, false, 0, 4, 40, Matrix},
        {"rotated 7 + blur + noise", 7, false, 1, 8, 0, Matrix},
        {"rotated 135", 135, false, 0, 0, 0, Matrix},
        {"perspective + blur + noise", 0, true, 1, 8, 0, Matrix},
    };
    QList<DegradedLabel> labels;
    for (const Code &code : codes) {
        for (const Condition &c : conditions) {
            if ((c.applies == Linear && !isLinear(code.format)) ||
                (c.applies == Matrix && isLinear(code.format)))
                continue;
            const QString text = QString::fromLatin1(code.text);
            labels << DegradedLabel{
                QStringLiteral("%1 %2 %3").arg(formatName(code.format), text, QString::fromLatin1(c.name)),
                code.format,
                text,
                code.module,
                c.angle,
                c.perspective,
                {c.blur, c.noise, c.levels}};
        }
    }
    return labels;
}

QImage degradedFrame(const DegradedLabel &label)
{
    QImage frame = blankFrame();
    if (!place(frame, renderLabel(label.format, label.text, label.module), QPointF(630, 360), label.angle,
               label.perspective))
        return {};
    return degrade(frame, label.degradation);
}

} // namespace TestPictures
