// SPDX-License-Identifier: GPL-3.0-or-later
// Pictures of labels as a dock camera sees them, for the decoder's tests and benchmark (rs_testpictures).
// Symbols are rendered by ZXing's MultiFormatWriter, placed on a frame of grey cardboard, then degraded
// (blur, noise, low contrast, perspective, rotation). Every function is deterministic: the same call makes
// the same pixels, so read rates measured on these pictures are comparable from run to run and between
// programs. Nothing here asserts; functions that can fail say so in their result.
#pragma once

#ifndef ZX_USE_UTF8
#define ZX_USE_UTF8
#endif

#include <QChar>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QSize>
#include <QString>

#include <ZXing/BarcodeFormat.h>

namespace TestPictures {

using ZXing::BarcodeFormat;

// A camera frame at the dock.
inline constexpr QSize FrameSize(1280, 720);

// ZXing 1.4's writer takes FNC1 only in Code 128, spelled as U+00F1 in the content: a leading one makes the
// symbol GS1-128 (]C1), a later one is the group separator between variable-length element strings.
inline constexpr QChar Fnc1(u'\u00F1');

bool isLinear(BarcodeFormat f);

// The format's name as the decoder reports it ("Code128", "DataMatrix", "QRCode").
QString formatName(BarcodeFormat f);

// A white label holding the symbol with its quiet zone, `module` pixels per module, modules pixel-exact. Bars
// are 30 % as tall as the symbol is long (at least 120 px) unless `barHeight` is given, so a horizontal line
// crosses a label tilted by 10 deg. Grayscale8.
QImage renderLabel(BarcodeFormat format, const QString &content, int module, int barHeight = 0);

// Cardboard under uneven light: a grey gradient, never a flat field. RGB32.
QImage blankFrame(QSize size = FrameSize);

// A dock scene without labels: table, box flaps, tape, shadow, over the whole grey range. RGB32.
QImage emptyScene(QSize size = FrameSize);

// Draws `label` centred on `center`, rotated by `degrees`, or warped onto a trapezoid when `perspective`
// (seen from below and to the left). False, with nothing drawn, when the perspective mapping cannot be made.
bool place(QImage &frame, const QImage &label, QPointF center, double degrees, bool perspective = false);

// One box blur pass of radius `r` (horizontal, then vertical; edges clamped) over a Grayscale8 picture.
void boxBlurOnce(QImage &img, int r);

// Repeated 3x3 box passes approach a gaussian (an out-of-focus camera): sigma 0.8, 1.15, 1.4 px for 1, 2, 3.
void blur(QImage &img, int passes, int radius = 1);

// Gaussian sensor noise of `sigma` grey levels over a Grayscale8 picture, the same for the same `seed`.
void addNoise(QImage &img, double sigma, quint32 seed);

// Squeezes a Grayscale8 picture into `levels` grey levels around mid-grey: a dim, washed-out frame.
void lowContrast(QImage &img, int levels);

struct Degradation
{
    int blurPasses = 0;
    double noiseSigma = 0;
    int contrastLevels = 0; // 0: full range
};

// The frame in grey, blurred, then squeezed in contrast, then with noise (seed 4711). Grayscale8.
QImage degrade(const QImage &rgb, const Degradation &d);

// One label of the degraded set: a symbol and the conditions it is seen under.
struct DegradedLabel
{
    QString name; // "<format> <text> <condition>", unique in the set
    BarcodeFormat format;
    QString text;
    int module;
    double angle;
    bool perspective;
    Degradation degradation;
};

// The degraded set: each symbol at the module size a 1280x720 camera sees it at reading distance, under every
// condition that applies to its kind (125 labels). The decoder must read all of them.
QList<DegradedLabel> degradedLabels();

// The label on a blank FrameSize frame, centred at (630, 360), then degraded. Null when it cannot be placed.
QImage degradedFrame(const DegradedLabel &label);

} // namespace TestPictures
