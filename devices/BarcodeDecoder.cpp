// SPDX-License-Identifier: GPL-3.0-or-later
#define ZX_USE_UTF8 // before any ZXing header: Result::text() is then UTF-8, not a wide string
#include "BarcodeDecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRect>

#ifndef RS_BARCODEDECODER_NO_QTGUI
#include <QImage>
#include <QPainter>
#endif

#include <ZXing/BarcodeFormat.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/ZXVersion.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <optional>
#include <vector>

namespace {

constexpr int ZXingMaxSymbols = 255; // DecodeHints keeps the count in a uint8_t

// Config and command-line spellings vary ("QR-Code", "qrcode", "Data_Matrix"); compare without them.
QString normalisedFormatName(QStringView name)
{
    QString out;
    out.reserve(name.size());
    for (const QChar c : name) {
        if (c.isLetterOrNumber())
            out += c.toLower();
    }
    return out;
}

std::optional<bool> parseBool(const QString &value)
{
    const QString v = value.trimmed().toLower();
    if (v == QLatin1String("1") || v == QLatin1String("true") || v == QLatin1String("yes") ||
        v == QLatin1String("on"))
        return true;
    if (v == QLatin1String("0") || v == QLatin1String("false") || v == QLatin1String("no") ||
        v == QLatin1String("off"))
        return false;
    return std::nullopt;
}

// Hand-written so that `--json` lines keep the documented key order (QJsonObject sorts keys).
void appendJsonString(QByteArray &out, const QString &s)
{
    out += '"';
    const QByteArray utf8 = s.toUtf8();
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    out += '"';
}

void appendJsonPosition(QByteArray &out, const QList<QPoint> &position)
{
    out += '[';
    for (qsizetype i = 0; i < position.size(); ++i) {
        if (i)
            out += ',';
        out += '[' + QByteArray::number(position[i].x()) + ',' + QByteArray::number(position[i].y()) + ']';
    }
    out += ']';
}

QString boolText(bool b)
{
    return b ? QStringLiteral("1") : QStringLiteral("0");
}

const char *binarizerName(ZXing::Binarizer b)
{
    switch (b) {
    case ZXing::Binarizer::LocalAverage:
        return "LocalAverage";
    case ZXing::Binarizer::GlobalHistogram:
        return "GlobalHistogram";
    case ZXing::Binarizer::FixedThreshold:
        return "FixedThreshold";
    case ZXing::Binarizer::BoolCast:
        return "BoolCast";
    }
    return "?";
}

DecodedBarcode toDecoded(const ZXing::Result &r)
{
    DecodedBarcode b;
    b.text = QString::fromStdString(r.text());
    b.format = QString::fromLatin1(ZXing::ToString(r.format()));
    const ZXing::Position &p = r.position();
    b.position = {QPoint(p.topLeft().x, p.topLeft().y), QPoint(p.topRight().x, p.topRight().y),
                  QPoint(p.bottomRight().x, p.bottomRight().y), QPoint(p.bottomLeft().x, p.bottomLeft().y)};
    b.symbologyId = QString::fromStdString(r.symbologyIdentifier());
    return b;
}

struct Vec
{
    double x = 0;
    double y = 0;
};
Vec operator-(Vec a, Vec b)
{
    return {a.x - b.x, a.y - b.y};
}
double dot(Vec a, Vec b)
{
    return a.x * b.x + a.y * b.y;
}

using GreyLut = std::array<uint8_t, 256>;

// ZXing 1.4's 2D readers miss symbols in a washed-out frame (a dim dock, a faded thermal label) that its 1D
// reader still reads. When the frame's 1st..99th percentile spans less than half the grey range, this widens
// that span around its middle, at most threefold; nullopt when the frame has enough contrast or none at all.
std::optional<GreyLut> contrastStretch(const GreyFrame &frame)
{
    std::array<int, 256> histogram = {};
    int samples = 0;
    for (int y = 0; y < frame.height; y += 4) {
        const uchar *row = frame.data + qsizetype(y) * frame.stride;
        for (int x = 0; x < frame.width; x += 4, ++samples)
            ++histogram[row[x]];
    }
    int lo = 0;
    int hi = 255;
    for (int seen = 0; lo < 255 && (seen += histogram[lo]) <= samples / 100;)
        ++lo;
    for (int seen = 0; hi > 0 && (seen += histogram[hi]) <= samples / 100;)
        --hi;
    const int span = hi - lo;
    if (span >= 128 || span < 8)
        return std::nullopt;
    // At most 3x, centred on the span: enough for the 2D readers, and an empty scene's noise stays small.
    const int gain = std::min(3 * span, 255);
    const int centre = (lo + hi) / 2;
    GreyLut lut;
    for (int v = 0; v < 256; ++v)
        lut[size_t(v)] = uint8_t(std::clamp(128 + (v - centre) * gain / span, 0, 255));
    return lut;
}

// The decoder's private copy of a frame: contrast-stretched when it is washed out, and painted over where a
// linear symbol has been found, so that the next one-symbol call finds the others. It lives in a buffer the
// decoder keeps, so that a camera's frames do not each cost a fresh allocation and its page faults.
class WorkFrame
{
public:
    // A copy of the frame; with `lut`, stretched through it after a 3x3 average, so that the stretch does not
    // amplify sensor noise along with the symbols (the 2D readers it is for do not mind the slight blur).
    WorkFrame(std::vector<uint8_t> &buffer, const GreyFrame &frame, const GreyLut *lut)
        : m_width(frame.width), m_height(frame.height)
    {
        buffer.resize(size_t(frame.width) * size_t(frame.height));
        m_pixels = buffer.data();
        if (!lut) {
            for (int y = 0; y < m_height; ++y)
                std::memcpy(m_pixels + size_t(y) * size_t(m_width), frame.data + qsizetype(y) * frame.stride,
                            size_t(m_width));
            return;
        }
        // Horizontal sums of three rows at a time, rolled down the frame.
        std::vector<uint16_t> sums(3 * size_t(m_width));
        auto rowSum = [&](int y, uint16_t *out) {
            const uchar *src = frame.data + qsizetype(std::clamp(y, 0, m_height - 1)) * frame.stride;
            out[0] = uint16_t(2 * src[0] + src[std::min(1, m_width - 1)]);
            for (int x = 1; x + 1 < m_width; ++x)
                out[x] = uint16_t(src[x - 1] + src[x] + src[x + 1]);
            if (m_width > 1)
                out[m_width - 1] = uint16_t(src[m_width - 2] + 2 * src[m_width - 1]);
        };
        rowSum(-1, sums.data());
        rowSum(0, sums.data() + m_width);
        for (int y = 0; y < m_height; ++y) {
            const uint16_t *above = sums.data() + size_t((y) % 3) * size_t(m_width);
            const uint16_t *here = sums.data() + size_t((y + 1) % 3) * size_t(m_width);
            uint16_t *below = sums.data() + size_t((y + 2) % 3) * size_t(m_width);
            rowSum(y + 1, below);
            uint8_t *dst = m_pixels + size_t(y) * size_t(m_width);
            for (int x = 0; x < m_width; ++x)
                dst[x] = (*lut)[size_t((above[x] + here[x] + below[x]) / 9)];
        }
    }

    ZXing::ImageView view() const { return {m_pixels, m_width, m_height, ZXing::ImageFormat::Lum, m_width}; }

    struct LinearSymbol
    {
        QList<QPoint> corners; // the whole symbol, not just the lines that read it
        QRect painted;         // empty when it could not be painted (it runs off the frame)
    };

    // Paints over the linear symbol ZXing read at `position`. A one-symbol call reports only the scan line or
    // two that read it; the bars go on along the lines' normal, and the mask follows them as far as they go.
    LinearSymbol maskLinear(const ZXing::Position &position)
    {
        const Vec a0{double(position.topLeft().x), double(position.topLeft().y)};
        const Vec a1{double(position.topRight().x), double(position.topRight().y)};
        const Vec b1{double(position.bottomRight().x), double(position.bottomRight().y)};
        const Vec b0{double(position.bottomLeft().x), double(position.bottomLeft().y)};
        Vec d = a1 - a0;
        if (std::hypot(d.x, d.y) < 4)
            d = b1 - b0;
        const double length = std::max(1.0, std::hypot(d.x, d.y));
        const Vec u{d.x / length, d.y / length}; // along the scan lines
        const Vec n{-u.y, u.x};                  // along the bars
        double sLo = 0, sHi = 0, tLo = 0, tHi = 0;
        for (const Vec p : {a0, a1, b1, b0}) {
            sLo = std::min(sLo, dot(p - a0, u));
            sHi = std::max(sHi, dot(p - a0, u));
            tLo = std::min(tLo, dot(p - a0, n));
            tHi = std::max(tHi, dot(p - a0, n));
        }
        auto at = [&](double s, double t) {
            return QPoint(int(std::lround(a0.x + s * u.x + t * n.x)),
                          int(std::lround(a0.y + s * u.y + t * n.y)));
        };

        // The line that read the symbol may lie on the blurred end of its bars: start from the strongest row
        // near it instead.
        std::vector<int> reference;
        std::vector<int> row;
        RowStats seedStats;
        double seed = tLo;
        for (double t = tLo - 8; t <= tHi + 8; t += 1) {
            if (!profile(at, sLo, sHi, t, row))
                continue;
            const RowStats stats = rowStats(row);
            if (reference.empty() || stats.spread > seedStats.spread) {
                reference = row;
                seedStats = stats;
                seed = t;
            }
        }
        if (reference.empty())
            return {};
        std::vector<int> sorted = reference;
        std::sort(sorted.begin(), sorted.end());
        const int paper = sorted[sorted.size() * 9 / 10];
        const double maxExtent = 2 * (sHi - sLo); // bars are never taller than twice the symbol is long
        constexpr double MinSpread = 12;          // grey levels; paper with sensor noise stays well below

        // Rows belong to the symbol while they keep most of the bars' contrast (spread) and their pattern
        // (correlation with the row before); quiet zone, printed text and a stacked neighbour label fail one.
        auto extend = [&](double step) {
            std::vector<int> previous = reference;
            RowStats prevStats = seedStats;
            double t = seed;
            while (std::abs(t - seed) < maxExtent && profile(at, sLo, sHi, t + step, row)) {
                const RowStats stats = rowStats(row);
                if (stats.spread < std::max(MinSpread, 0.4 * seedStats.spread) ||
                    correlation(previous, prevStats, row, stats) < 0.5)
                    break;
                t += step;
                std::swap(previous, row);
                prevStats = stats;
            }
            return t;
        };
        // Too faint to follow: paint the lines that read it; a leftover found next time is painted then.
        const bool traceable = seedStats.spread >= MinSpread;
        const double top = traceable ? std::min(extend(-1), tLo) : tLo;
        const double bottom = traceable ? std::max(extend(1), tHi) : tHi;
        LinearSymbol symbol;
        symbol.corners = {at(sLo, top), at(sHi, top), at(sHi, bottom), at(sLo, bottom)};

        // A tilted label: ZXing's scan line is not the bars' normal, so away from the lines that read it the
        // symbol's ends drift by up to tan(12 deg) per row. A couple of pixels more take the blurred edges.
        auto margin = [&](double t) { return 3 + 0.22 * std::max({0.0, tLo - t, t - tHi}); };
        const double t0 = top - 2;
        const double t1 = bottom + 2;
        QRect box;
        for (const double t : {t0, t1})
            for (const double s : {sLo - margin(t), sHi + margin(t)})
                box |= QRect(at(s, t), QSize(1, 1));
        box = box.adjusted(-1, -1, 1, 1).intersected(QRect(0, 0, m_width, m_height));
        const auto fill = uint8_t(paper);
        for (int y = box.top(); y <= box.bottom(); ++y) {
            uint8_t *row = m_pixels + size_t(y) * size_t(m_width);
            for (int x = box.left(); x <= box.right(); ++x) {
                const Vec p = Vec{double(x), double(y)} - a0;
                const double t = dot(p, n);
                const double s = dot(p, u);
                if (t >= t0 && t <= t1 && s >= sLo - margin(t) && s <= sHi + margin(t))
                    row[x] = fill;
            }
        }
        symbol.painted = box;
        return symbol;
    }

private:
    struct RowStats
    {
        double mean = 0;
        double spread = 0; // standard deviation
    };
    static RowStats rowStats(const std::vector<int> &row)
    {
        double sum = 0;
        double squares = 0;
        for (const int v : row) {
            sum += v;
            squares += double(v) * v;
        }
        const double n = double(row.size());
        const double mean = sum / n;
        return {mean, std::sqrt(std::max(0.0, squares / n - mean * mean))};
    }
    static double correlation(const std::vector<int> &a, RowStats sa, const std::vector<int> &b, RowStats sb)
    {
        if (sa.spread < 1 || sb.spread < 1)
            return 0;
        double sum = 0;
        for (size_t i = 0; i < a.size(); ++i)
            sum += (a[i] - sa.mean) * (b[i] - sb.mean);
        return sum / (double(a.size()) * sa.spread * sb.spread);
    }

    // The luminance along the line at offset t from the scan line; false when it leaves the frame.
    template <typename At>
    bool profile(const At &at, double sLo, double sHi, double t, std::vector<int> &out) const
    {
        out.clear();
        for (double s = sLo; s <= sHi; s += 1) {
            const QPoint p = at(s, t);
            if (p.x() < 0 || p.y() < 0 || p.x() >= m_width || p.y() >= m_height)
                return false;
            out.push_back(m_pixels[size_t(p.y()) * size_t(m_width) + size_t(p.x())]);
        }
        return !out.empty();
    }

    int m_width;
    int m_height;
    uint8_t *m_pixels = nullptr;
};

// Debian's ZXing 1.4.0 is built without C++20 coroutines, which switches off the DataMatrix detector's
// multi-line scan (DMDetector.cpp, DetectNew): it finds only a symbol that its picture's middle row crosses.
// So square patches of dense edges, where a DataMatrix may be, are found here on a 1:4 thumbnail of the frame
// and decoded again in small crops around them (see BarcodeDecoder::decode).
QList<QRect> dataMatrixCandidates(const GreyFrame &frame)
{
    constexpr int Scale = 4;     // thumbnail pixel = 4x4 frame pixels
    constexpr int Cell = 4;      // cell = 4x4 thumbnail pixels = 16x16 frame pixels
    constexpr int EdgeStep = 32; // grey levels between neighbouring thumbnail pixels that count as an edge
    constexpr int BusyEdges = 5; // of a cell's 16 pixels: modules of 1-2 thumbnail pixels make many more
    constexpr int MaxCells = 24; // 384 px: a larger symbol is read by the whole-frame pass anyway
    constexpr int MaxCandidates = 16;
    const int sw = frame.width / Scale;
    const int sh = frame.height / Scale;
    const int cw = sw / Cell;
    const int ch = sh / Cell;
    if (cw < 2 || ch < 2)
        return {};
    std::vector<uint8_t> thumb(size_t(sw) * size_t(sh));
    for (int y = 0; y < sh; ++y) {
        for (int x = 0; x < sw; ++x) {
            int sum = 0;
            for (int dy = 0; dy < Scale; ++dy) {
                const uchar *row = frame.data + qsizetype(y * Scale + dy) * frame.stride + x * Scale;
                sum += row[0] + row[1] + row[2] + row[3];
            }
            thumb[size_t(y) * size_t(sw) + size_t(x)] = uint8_t(sum / (Scale * Scale));
        }
    }
    auto px = [&](int x, int y) { return int(thumb[size_t(y) * size_t(sw) + size_t(x)]); };
    std::vector<uint8_t> busy(size_t(cw) * size_t(ch));
    for (int cy = 0; cy < ch; ++cy) {
        for (int cx = 0; cx < cw; ++cx) {
            int edges = 0;
            for (int y = cy * Cell; y < cy * Cell + Cell && y + 1 < sh; ++y)
                for (int x = cx * Cell; x < cx * Cell + Cell && x + 1 < sw; ++x)
                    edges +=
                        std::abs(px(x + 1, y) - px(x, y)) + std::abs(px(x, y + 1) - px(x, y)) >= EdgeStep;
            busy[size_t(cy) * size_t(cw) + size_t(cx)] = edges >= BusyEdges;
        }
    }
    // Connected patches of busy cells; a symbol is a compact, roughly square one.
    QList<QRect> candidates;
    std::vector<int> stack;
    for (int start = 0; start < cw * ch && candidates.size() < MaxCandidates; ++start) {
        if (busy[size_t(start)] != 1)
            continue;
        int cells = 0;
        QRect box(start % cw, start / cw, 1, 1);
        stack.assign(1, start);
        busy[size_t(start)] = 2;
        while (!stack.empty()) {
            const int c = stack.back();
            stack.pop_back();
            ++cells;
            const int x = c % cw;
            const int y = c / cw;
            box |= QRect(x, y, 1, 1);
            const std::pair<int, int> neighbours[] = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
            for (const auto &[nx, ny] : neighbours) {
                if (nx < 0 || ny < 0 || nx >= cw || ny >= ch ||
                    busy[size_t(ny) * size_t(cw) + size_t(nx)] != 1)
                    continue;
                busy[size_t(ny) * size_t(cw) + size_t(nx)] = 2;
                stack.push_back(ny * cw + nx);
            }
        }
        const int longer = std::max(box.width(), box.height());
        const int shorter = std::min(box.width(), box.height());
        if (longer < 2 || longer > MaxCells || longer > 2 * shorter + 1 ||
            cells * 2 < box.width() * box.height())
            continue;
        const int unit = Scale * Cell;
        candidates << QRect(box.x() * unit, box.y() * unit, box.width() * unit, box.height() * unit);
    }
    return candidates;
}

// Where in a frame a symbol can be, so that ZXing reads those parts and not a whole 1080p frame of cardboard.
// A symbol, whatever its kind, is a compact patch dense with edges: bars or modules a few pixels apart. A
// dock scene's other edges are sparse: the outline of a box, tape, a belt, a shadow, a line. So a thumbnail
// of the frame is cut into cells of 8x8 pixels; a cell is "busy" when at least 20 of its 64 pixels differ
// from their right or lower neighbour by the edge step (a straight edge crossing a cell makes 8-16 such
// pixels); a busy cell counts only as part of a 2x2 block of busy cells (which drops lines one cell thick);
// and a connected patch of such cells is a place to read when it is a compact 2x2 block (from 1:4 on) or at
// least 2.5 cells thick on average (a line two cells thick is not), with a margin for the quiet zone, a
// DataMatrix's solid finder edges and the ends of tilted bars. Four thumbnails, 1:2, 1:4, 1:8 and 1:16 (cells
// of 16 to 128 frame pixels), cover modules from 1-2 px to a label held close to the camera. nullopt when the
// frame cannot be judged this way and must be read whole: more than a third of the cells of the 1:2 or 1:4
// thumbnail busy (heavy sensor noise, a textile, fine print all over), or places covering nearly all of it
// (nothing to save). Busy patches of one thumbnail, as frame rectangles with their margin appended to `out`.
// False when too much of it is busy to tell symbols from the rest. `edgeStep`: |dx| + |dy| between
// neighbouring pixels that is an edge.
bool busyPatches(const Thumbnail &t, int edgeStep, QList<QRect> &out)
{
    constexpr int Cell = 8;
    constexpr int BusyEdges = 20;
    constexpr int MaxBusyPercent = 35;
    const int cw = t.width / Cell;
    const int ch = t.height / Cell;
    if (cw < 2 || ch < 2)
        return true;
    std::vector<uint8_t> busy(size_t(cw) * size_t(ch));
    std::vector<uint16_t> counts(static_cast<size_t>(cw));
    int busyCells = 0;
    const int xEnd = std::min(cw * Cell, t.width - 1);
    for (int cy = 0; cy < ch; ++cy) {
        std::fill(counts.begin(), counts.end(), uint16_t(0));
        for (int y = cy * Cell; y < cy * Cell + Cell; ++y) {
            const uint8_t *row = t.pixels.data() + size_t(y) * size_t(t.width);
            const uint8_t *next = y + 1 < t.height ? row + t.width : row;
            for (int x = 0; x < xEnd; ++x) {
                const int e = std::abs(int(row[x + 1]) - int(row[x])) + std::abs(int(next[x]) - int(row[x]));
                counts[size_t(x / Cell)] += e >= edgeStep;
            }
        }
        for (int cx = 0; cx < cw; ++cx) {
            const bool b = counts[size_t(cx)] >= BusyEdges;
            busy[size_t(cy) * size_t(cw) + size_t(cx)] = b;
            busyCells += b;
        }
    }
    // Noise and texture show at the fine scales; at the coarse ones a frame full of labels would count here.
    if (t.factor <= 4 && busyCells * 100 > MaxBusyPercent * cw * ch)
        return false;
    auto isBusy = [&](int x, int y) {
        return x >= 0 && y >= 0 && x < cw && y < ch && busy[size_t(y) * size_t(cw) + size_t(x)] != 0;
    };
    // Opening by a 2x2 block: 1 = busy, 2 = busy and in a 2x2 block of busy cells, 3 = 2 and visited.
    for (int y = 0; y < ch; ++y)
        for (int x = 0; x < cw; ++x) {
            if (!isBusy(x, y))
                continue;
            bool inBlock = false;
            for (int by = y - 1; by <= y && !inBlock; ++by)
                for (int bx = x - 1; bx <= x && !inBlock; ++bx)
                    inBlock =
                        isBusy(bx, by) && isBusy(bx + 1, by) && isBusy(bx, by + 1) && isBusy(bx + 1, by + 1);
            if (inBlock)
                busy[size_t(y) * size_t(cw) + size_t(x)] = 2;
        }
    std::vector<int> stack;
    for (int start = 0; start < cw * ch; ++start) {
        if (busy[size_t(start)] != 2)
            continue;
        int cells = 0;
        QRect box(start % cw, start / cw, 1, 1);
        stack.assign(1, start);
        busy[size_t(start)] = 3;
        while (!stack.empty()) {
            const int c = stack.back();
            stack.pop_back();
            ++cells;
            const int x = c % cw;
            const int y = c / cw;
            box |= QRect(x, y, 1, 1);
            for (int ny = std::max(0, y - 1); ny <= std::min(ch - 1, y + 1); ++ny)
                for (int nx = std::max(0, x - 1); nx <= std::min(cw - 1, x + 1); ++nx) {
                    uint8_t &n = busy[size_t(ny) * size_t(cw) + size_t(nx)];
                    if (n == 2) {
                        n = 3;
                        stack.push_back(ny * cw + nx);
                    }
                }
        }
        // A line two cells thick survives the opening; a symbol is thicker, or a compact 2x2 block.
        // (At 1:2 a 2x2 block is 32 px: too small to hold a symbol, but what sensor noise makes now and
        // then.)
        const int longer = std::max(box.width(), box.height());
        if ((longer > 2 || t.factor < 4) && 2 * cells < 5 * longer)
            continue;
        // Room for the quiet zone, a DataMatrix's solid finder edges (not busy) and the ends of tilted bars:
        // at least a cell of this scale, whose modules are larger the coarser it is.
        const int unit = t.factor * Cell;
        const QRect patch(box.x() * unit, box.y() * unit, box.width() * unit, box.height() * unit);
        const int margin = std::max({32, unit, std::max(patch.width(), patch.height()) / 6});
        out << patch.adjusted(-margin, -margin, margin, margin);
    }
    return true;
}

// `next` at half the size of `from` (2x2 averages).
void halve(const Thumbnail &from, Thumbnail &next)
{
    next.width = from.width / 2;
    next.height = from.height / 2;
    next.factor = from.factor * 2;
    next.pixels.resize(size_t(next.width) * size_t(next.height));
    for (int y = 0; y < next.height; ++y) {
        const uint8_t *a = from.pixels.data() + size_t(2 * y) * size_t(from.width);
        const uint8_t *b = a + from.width;
        uint8_t *dst = next.pixels.data() + size_t(y) * size_t(next.width);
        for (int x = 0; x < next.width; ++x)
            dst[x] = uint8_t((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) / 4);
    }
}

std::optional<QList<QRect>> symbolRegions(const GreyFrame &frame, std::array<Thumbnail, 4> &thumbs)
{
    constexpr int MaxAreaPercent = 90;
    if (frame.width < 64 || frame.height < 64)
        return std::nullopt; // a small picture is read whole: nothing to save
    Thumbnail &fine = thumbs[0];
    fine.width = frame.width / 2;
    fine.height = frame.height / 2;
    fine.factor = 2;
    fine.pixels.resize(size_t(fine.width) * size_t(fine.height));
    for (int y = 0; y < fine.height; ++y) {
        const uchar *a = frame.data + qsizetype(2 * y) * frame.stride;
        const uchar *b = a + frame.stride;
        uint8_t *dst = fine.pixels.data() + size_t(y) * size_t(fine.width);
        for (int x = 0; x < fine.width; ++x)
            dst[x] = uint8_t((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) / 4);
    }
    halve(thumbs[0], thumbs[1]);
    halve(thumbs[1], thumbs[2]);
    halve(thumbs[2], thumbs[3]);
    // A washed-out frame (a dim dock, a faded label) has fainter edges: the step follows the frame's grey
    // range (1st to 99th percentile), 10 levels at a range of 100 or more, down to 5.
    std::array<int, 256> histogram = {};
    int samples = 0;
    for (int y = 0; y < fine.height; y += 2) {
        const uint8_t *row = fine.pixels.data() + size_t(y) * size_t(fine.width);
        for (int x = 0; x < fine.width; x += 2, ++samples)
            ++histogram[row[x]];
    }
    int lo = 0;
    int hi = 255;
    for (int seen = 0; lo < 255 && (seen += histogram[size_t(lo)]) <= samples / 100;)
        ++lo;
    for (int seen = 0; hi > 0 && (seen += histogram[size_t(hi)]) <= samples / 100;)
        --hi;
    const int edgeStep = std::clamp((hi - lo) / 10, 5, 10);
    QList<QRect> patches;
    for (const Thumbnail &t : thumbs) {
        if (!busyPatches(t, edgeStep, patches))
            return std::nullopt;
    }
    const QRect whole(0, 0, frame.width, frame.height);
    QList<QRect> regions;
    for (const QRect &p : std::as_const(patches))
        regions << p.intersected(whole);
    // Overlapping places are read as one, so that no symbol is read twice or cut in two.
    for (bool merged = true; merged;) {
        merged = false;
        for (qsizetype i = 0; i < regions.size() && !merged; ++i)
            for (qsizetype j = i + 1; j < regions.size() && !merged; ++j)
                if (regions[i].intersects(regions[j])) {
                    regions[i] |= regions[j];
                    regions.removeAt(j);
                    merged = true;
                }
    }
    qint64 area = 0;
    for (const QRect &r : std::as_const(regions))
        area += qint64(r.width()) * r.height();
    if (area * 100 > qint64(MaxAreaPercent) * frame.width * frame.height)
        return std::nullopt;
    // Top to bottom, left to right, roughly the order a whole-frame read reports them in.
    std::sort(regions.begin(), regions.end(),
              [](const QRect &a, const QRect &b) { return a.y() != b.y() ? a.y() < b.y() : a.x() < b.x(); });
    return regions;
}

} // namespace

// ---- GreyFrame ----
#ifndef RS_BARCODEDECODER_NO_QTGUI
GreyFrame GreyFrame::fromImage(const QImage &grey)
{
    if (grey.isNull() || grey.format() != QImage::Format_Grayscale8)
        return {};
    return GreyFrame{grey.width(), grey.height(), int(grey.bytesPerLine()), grey.constBits()};
}

QImage GreyFrame::toGrayscale8(const QImage &image)
{
    if (image.isNull() || image.format() == QImage::Format_Grayscale8)
        return image;
    if (!image.hasAlphaChannel())
        return image.convertToFormat(QImage::Format_Grayscale8);
    // A label exported with a transparent background: transparent must read as paper, not as black ink.
    QImage flat(image.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    {
        QPainter painter(&flat);
        painter.drawImage(0, 0, image);
    }
    return flat.convertToFormat(QImage::Format_Grayscale8);
}

QImage GreyFrame::toImage() const
{
    if (!isValid())
        return {};
    QImage image(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y)
        std::memcpy(image.scanLine(y), data + qsizetype(y) * stride, size_t(width));
    return image;
}
#endif

// ---- DecodedBarcode ----
bool DecodedBarcode::isGs1() const
{
    return symbologyId == QLatin1String("]C1") || symbologyId == QLatin1String("]d2") ||
           symbologyId == QLatin1String("]Q3") || symbologyId == QLatin1String("]e0");
}

QByteArray DecodedBarcode::scannerBytes() const
{
    return isGs1() ? (symbologyId + text).toUtf8() : text.toUtf8();
}

QPoint DecodedBarcode::center() const
{
    if (position.isEmpty())
        return {};
    QPoint sum;
    for (const QPoint &p : position)
        sum += p;
    return sum / position.size();
}

// ---- DecodeSettings ----
QStringList DecodeSettings::defaultFormats()
{
    return {QStringLiteral("Code128"), QStringLiteral("DataMatrix"), QStringLiteral("QRCode")};
}

QStringList DecodeSettings::knownFormats()
{
    QStringList names;
    for (int bit = 1; bit <= int(ZXing::BarcodeFormat::_max); bit <<= 1)
        names << QString::fromLatin1(ZXing::ToString(ZXing::BarcodeFormat(bit)));
    return names;
}

std::optional<QStringList> DecodeSettings::parseFormats(const QString &commaList, QString *error)
{
    const QStringList known = knownFormats();
    QStringList formats;
    for (const QString &part : commaList.split(QLatin1Char(','))) {
        const QString wanted = normalisedFormatName(part);
        if (wanted.isEmpty())
            continue;
        const auto it = std::find_if(known.cbegin(), known.cend(), [&](const QString &name) {
            return normalisedFormatName(name) == wanted;
        });
        if (it == known.cend()) {
            if (error)
                *error = QStringLiteral("The barcode format \"%1\" is unknown; use a comma list of %2.")
                             .arg(part.trimmed(), known.join(QStringLiteral(", ")));
            return std::nullopt;
        }
        if (!formats.contains(*it))
            formats << *it;
    }
    if (formats.isEmpty()) {
        if (error)
            *error = QStringLiteral("No barcode format is configured; name at least one, e.g. %1.")
                         .arg(defaultFormats().join(QLatin1Char(',')));
        return std::nullopt;
    }
    return formats;
}

std::optional<DecodeSettings> DecodeSettings::fromValues(const QHash<QString, QString> &values,
                                                         QString *error)
{
    DecodeSettings s;
    if (values.contains(QStringLiteral("formats"))) {
        auto formats = parseFormats(values.value(QStringLiteral("formats")), error);
        if (!formats)
            return std::nullopt;
        s.formats = *formats;
    }
    const std::pair<const char *, bool *> flags[] = {
        {"try_harder", &s.tryHarder}, {"try_rotate", &s.tryRotate}, {"try_downscale", &s.tryDownscale}};
    for (const auto &[key, target] : flags) {
        const QString name = QString::fromLatin1(key);
        if (!values.contains(name))
            continue;
        const auto b = parseBool(values.value(name));
        if (!b) {
            if (error)
                *error = QStringLiteral("The decoder setting %1 must be on or off, not \"%2\".")
                             .arg(name, values.value(name));
            return std::nullopt;
        }
        *target = *b;
    }
    if (values.contains(QStringLiteral("max_symbols"))) {
        bool ok = false;
        const int n = values.value(QStringLiteral("max_symbols")).trimmed().toInt(&ok);
        if (!ok || n < 0 || n > ZXingMaxSymbols) {
            if (error)
                *error =
                    QStringLiteral("The decoder setting max_symbols must be a number from 0 (all) to %1, "
                                   "not \"%2\".")
                        .arg(ZXingMaxSymbols)
                        .arg(values.value(QStringLiteral("max_symbols")));
            return std::nullopt;
        }
        s.maxSymbols = n;
    }
    return s;
}

QStringList DecodeSettings::toArguments() const
{
    return {QStringLiteral("--formats=") + formats.join(QLatin1Char(',')),
            QStringLiteral("--try-harder=") + boolText(tryHarder),
            QStringLiteral("--try-rotate=") + boolText(tryRotate),
            QStringLiteral("--try-downscale=") + boolText(tryDownscale),
            QStringLiteral("--max-symbols=") + QString::number(maxSymbols)};
}

std::optional<DecodeSettings> DecodeSettings::fromArguments(const QStringList &arguments, QString *error)
{
    QHash<QString, QString> values;
    for (const QString &arg : arguments) {
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        if (!arg.startsWith(QLatin1String("--")) || eq < 0) {
            if (error)
                *error = QStringLiteral("The decoder option \"%1\" is not of the form --key=value.").arg(arg);
            return std::nullopt;
        }
        QString key = arg.mid(2, eq - 2).replace(QLatin1Char('-'), QLatin1Char('_'));
        const QStringList keys = {QStringLiteral("formats"), QStringLiteral("try_harder"),
                                  QStringLiteral("try_rotate"), QStringLiteral("try_downscale"),
                                  QStringLiteral("max_symbols")};
        if (!keys.contains(key)) {
            if (error)
                *error = QStringLiteral("The decoder option \"%1\" is unknown.").arg(arg);
            return std::nullopt;
        }
        values.insert(key, arg.mid(eq + 1));
    }
    return fromValues(values, error);
}

ZXing::DecodeHints DecodeSettings::hints() const
{
    ZXing::BarcodeFormats zxFormats;
    for (const QString &name : formats)
        zxFormats |= ZXing::BarcodeFormatFromString(name.toStdString());
    ZXing::DecodeHints h;
    h.setFormats(zxFormats);
    h.setTryHarder(tryHarder);
    h.setTryRotate(tryRotate);
    h.setTryDownscale(tryDownscale);
    h.setMaxNumberOfSymbols(
        uint8_t(maxSymbols > 0 ? std::min(maxSymbols, ZXingMaxSymbols) : ZXingMaxSymbols));
    return h;
}

QString DecodeSettings::describe(const ZXing::DecodeHints &h)
{
    return QStringLiteral("ZXing %1.%2.%3 ReadBarcodes: formats=%4 tryHarder=%5 tryRotate=%6 tryDownscale=%7 "
                          "downscaleThreshold=%8 downscaleFactor=%9 binarizer=%10 minLineCount=%11 "
                          "maxNumberOfSymbols=%12 isPure=%13 returnErrors=%14")
        .arg(ZXING_VERSION_MAJOR)
        .arg(ZXING_VERSION_MINOR)
        .arg(ZXING_VERSION_PATCH)
        .arg(QString::fromStdString(ZXing::ToString(h.formats())), boolText(h.tryHarder()),
             boolText(h.tryRotate()), boolText(h.tryDownscale()))
        .arg(h.downscaleThreshold())
        .arg(h.downscaleFactor())
        .arg(QString::fromLatin1(binarizerName(h.binarizer())))
        .arg(h.minLineCount())
        .arg(h.maxNumberOfSymbols())
        .arg(boolText(h.isPure()), boolText(h.returnErrors()));
}

QString DecodeSettings::describe() const
{
    return describe(hints()) +
           QStringLiteral(
               "; read in the places of the frame dense with edges (a whole frame when it is noisy or busy "
               "all over; nothing when no place is); linear formats one symbol per call "
               "(maxNumberOfSymbols=1 minLineCount=1), each "
               "found one painted out for the next call (ZXing 1.4.0 asserts on a linear code seen "
               "twice); DataMatrix also looked for in crops around dense square patches (the 1.4.0 build "
               "finds it only "
               "on the picture's middle row); washed-out frames contrast-stretched for the matrix formats");
}

// ---- BarcodeDecoder ----
BarcodeDecoder::BarcodeDecoder(DecodeSettings settings) : m_settings(std::move(settings))
{
    const ZXing::DecodeHints all = m_settings.hints();
    const ZXing::BarcodeFormats linear =
        all.formats() & ZXing::BarcodeFormats(ZXing::BarcodeFormat::LinearCodes);
    const ZXing::BarcodeFormats matrix =
        all.formats() & ZXing::BarcodeFormats(ZXing::BarcodeFormat::MatrixCodes);
    m_hasLinear = !linear.empty();
    m_hasMatrix = !matrix.empty();
    m_linearHints = all;
    m_linearHints.setFormats(linear).setMaxNumberOfSymbols(1).setMinLineCount(1);
    m_matrixHints = all;
    m_matrixHints.setFormats(matrix);
    // Crops are small: no downscaled layers, and one symbol each.
    m_hasDataMatrix = all.formats().testFlag(ZXing::BarcodeFormat::DataMatrix);
    m_dataMatrixHints = all;
    m_dataMatrixHints.setFormats(ZXing::BarcodeFormat::DataMatrix)
        .setTryDownscale(false)
        .setMaxNumberOfSymbols(1);
}

QList<DecodedBarcode> BarcodeDecoder::decode(const GreyFrame &frame, QString *error) const
{
    if (!frame.isValid()) {
        if (error)
            *error = QStringLiteral("The picture is empty or its size is invalid.");
        return {};
    }
    const int wanted = m_settings.maxSymbols > 0 ? m_settings.maxSymbols : 255;
    const std::optional<QList<QRect>> regions = symbolRegions(frame, m_thumbnails);
    if (!regions)
        return decodeRegion(frame, wanted, error);
    QList<DecodedBarcode> out;
    for (const QRect &r : *regions) {
        if (out.size() >= wanted)
            break;
        const GreyFrame crop{r.width(), r.height(), frame.stride,
                             frame.data + qsizetype(r.y()) * frame.stride + r.x()};
        QString regionError;
        QList<DecodedBarcode> found = decodeRegion(crop, wanted - int(out.size()), &regionError);
        if (!regionError.isEmpty()) {
            if (error)
                *error = regionError;
            return {};
        }
        // The DataMatrix detector of this ZXing build needs the picture's middle row through the symbol (see
        // decodeRegion), and a place cut by the frame's edge, or merged with another, is not centred on its
        // symbol: a place that gave nothing is tried again with its middle a quarter higher and lower.
        for (const int shift : {-r.height() / 4, r.height() / 4}) {
            if (!found.isEmpty() || !m_hasDataMatrix || shift == 0)
                break;
            const int top = r.y() + std::max(0, 2 * shift);
            const int height = r.height() - 2 * std::abs(shift);
            try {
                const ZXing::Results results = ZXing::ReadBarcodes(
                    ZXing::ImageView(frame.data + qsizetype(top) * frame.stride + r.x(), r.width(), height,
                                     ZXing::ImageFormat::Lum, frame.stride),
                    m_dataMatrixHints);
                if (!results.empty() && results.front().isValid()) {
                    DecodedBarcode b = toDecoded(results.front());
                    for (QPoint &p : b.position)
                        p += QPoint(0, top - r.y());
                    found << std::move(b);
                }
            } catch (const std::exception &e) {
                if (error)
                    *error = QStringLiteral("The barcode library failed on this picture: %1")
                                 .arg(QString::fromUtf8(e.what()));
                return {};
            }
        }
        for (DecodedBarcode b : found) {
            for (QPoint &p : b.position)
                p += r.topLeft();
            out << std::move(b);
        }
    }
    return out;
}

QList<DecodedBarcode> BarcodeDecoder::decodeRegion(const GreyFrame &frame, int wanted, QString *error) const
{
    QList<DecodedBarcode> out;
    const ZXing::ImageView original(frame.data, frame.width, frame.height, ZXing::ImageFormat::Lum,
                                    frame.stride);
    // Only the matrix readers get a washed-out frame stretched: the 1D reader copes with it as it is, and
    // would spend its time on the amplified sensor noise of an empty scene.
    std::optional<WorkFrame> stretched;
    if (m_hasMatrix) {
        if (const auto lut = contrastStretch(frame))
            stretched.emplace(m_stretchBuffer, frame, &*lut);
    }
    const ZXing::ImageView matrixInput = stretched ? stretched->view() : original;
    std::optional<WorkFrame> work; // made once a linear symbol is found, to paint it out
    auto linearInput = [&] { return work ? work->view() : original; };

    try {
        if (m_hasMatrix) {
            ZXing::DecodeHints hints = m_matrixHints;
            hints.setMaxNumberOfSymbols(uint8_t(wanted));
            for (const ZXing::Result &r : ZXing::ReadBarcodes(matrixInput, hints)) {
                if (r.isValid())
                    out << toDecoded(r);
            }
        }
        if (m_hasDataMatrix && out.size() < wanted) {
            const ZXing::ImageView &in = matrixInput;
            const GreyFrame searched =
                stretched ? GreyFrame{frame.width, frame.height, frame.width, in.data(0, 0)} : frame;
            for (const QRect &candidate : dataMatrixCandidates(searched)) {
                if (out.size() >= wanted)
                    break;
                const bool known = std::any_of(out.cbegin(), out.cend(), [&](const DecodedBarcode &b) {
                    return candidate.contains(b.center());
                });
                if (known)
                    continue;
                // A crop around the patch, read with its middle row through the patch's centre and a quarter
                // above and below: the detector is picky about where that row crosses the symbol.
                const int size = std::max(candidate.width(), candidate.height());
                const int side = size + 2 * std::max(24, size / 2);
                for (const int shift : {0, -size / 4, size / 4}) {
                    QRect crop(0, 0, side, side);
                    crop.moveCenter(candidate.center() + QPoint(0, shift));
                    crop = crop.intersected(QRect(0, 0, frame.width, frame.height));
                    const ZXing::Results found = ZXing::ReadBarcodes(
                        in.cropped(crop.x(), crop.y(), crop.width(), crop.height()), m_dataMatrixHints);
                    if (found.empty() || !found.front().isValid())
                        continue;
                    DecodedBarcode b = toDecoded(found.front());
                    for (QPoint &p : b.position)
                        p += crop.topLeft();
                    out << std::move(b);
                    break;
                }
            }
        }
        struct Painted
        {
            QString key;
            QRect area;
        };
        QList<Painted> painted;
        for (int pass = 0; m_hasLinear && pass < MaxLinearSymbols && out.size() < wanted; ++pass) {
            const ZXing::Results found = ZXing::ReadBarcodes(linearInput(), m_linearHints);
            if (found.empty() || !found.front().isValid())
                break;
            DecodedBarcode b = toDecoded(found.front());
            const QString key = b.format + QLatin1Char('\n') + b.text;
            const QPoint center = b.center();
            // What is left of a symbol whose mask fell short is read again right next to it: paint that too,
            // but do not report the symbol twice. The same text further away is a second label.
            const bool leftover = std::any_of(painted.cbegin(), painted.cend(), [&](const Painted &p) {
                const int reach = std::min(p.area.width(), p.area.height()) / 2;
                return p.key == key && p.area.adjusted(-reach, -reach, reach, reach).contains(center);
            });
            if (!work)
                work.emplace(m_maskBuffer, frame, nullptr);
            const WorkFrame::LinearSymbol symbol = work->maskLinear(found.front().position());
            if (!leftover) {
                if (!symbol.corners.isEmpty())
                    b.position = symbol.corners;
                out << std::move(b);
            }
            if (symbol.painted.isEmpty())
                break; // it runs off the frame and cannot be painted out: another pass would only find it
                       // again
            painted << Painted{key, symbol.painted};
        }
    } catch (const std::exception &e) {
        // ZXing 1.4 throws on a few malformed symbols instead of skipping them: the frame yields no barcode,
        // and the caller learns why.
        if (error)
            *error = QStringLiteral("The barcode library failed on this picture: %1")
                         .arg(QString::fromUtf8(e.what()));
        return {};
    }
    return out;
}

QByteArray BarcodeDecoder::toJson(const QList<DecodedBarcode> &barcodes)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < barcodes.size(); ++i) {
        const DecodedBarcode &b = barcodes[i];
        if (i)
            out += ',';
        out += "{\"text\":";
        appendJsonString(out, b.text);
        out += ",\"format\":";
        appendJsonString(out, b.format);
        out += ",\"position\":";
        appendJsonPosition(out, b.position);
        out += ",\"symbologyId\":";
        appendJsonString(out, b.symbologyId);
        out += '}';
    }
    out += ']';
    return out;
}

std::optional<QList<DecodedBarcode>> BarcodeDecoder::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray()) {
        if (error)
            *error =
                QStringLiteral("The decoder's reply is not a JSON array (%1).").arg(parseError.errorString());
        return std::nullopt;
    }
    QList<DecodedBarcode> out;
    const QJsonArray array = doc.array();
    out.reserve(array.size());
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        DecodedBarcode b;
        b.text = o.value(QLatin1String("text")).toString();
        b.format = o.value(QLatin1String("format")).toString();
        b.symbologyId = o.value(QLatin1String("symbologyId")).toString();
        const QJsonArray corners = o.value(QLatin1String("position")).toArray();
        for (const QJsonValue &c : corners) {
            const QJsonArray xy = c.toArray();
            b.position << QPoint(xy.at(0).toInt(), xy.at(1).toInt());
        }
        if (b.format.isEmpty() || b.position.size() != 4) {
            if (error)
                *error = QStringLiteral("The decoder's reply holds a barcode without format or position.");
            return std::nullopt;
        }
        out << std::move(b);
    }
    return out;
}

QByteArray BarcodeDecoder::toJsonLine(const DecodedBarcode &barcode, const QString &kind)
{
    QByteArray out = "{\"text\":";
    appendJsonString(out, barcode.text);
    out += ",\"format\":";
    appendJsonString(out, barcode.format);
    out += ",\"position\":";
    appendJsonPosition(out, barcode.position);
    out += ",\"kind\":";
    appendJsonString(out, kind);
    out += "}\n";
    return out;
}
