// SPDX-License-Identifier: GPL-3.0-or-later
// What decoding a camera frame costs through the station's pipeline (DecoderProcess -> receiving-decoder
// helper
// -> BarcodeDecoder), against the bare ZXing-cpp call, in the same run and with the same hints.
//
// Full run (manual, a few minutes):
//   cmake --build <build> --target bench_decode && <build>/tests/bench/bench_decode
// Options: --quick (the CI size: proves it runs), --rounds <n> (default 8), --iterations <n> per round
// (default 5), --cpu <n> (pin the benchmark, and so the helper it starts, to one core). CTest runs only
// `bench_decode --quick` (label bench).
//
// Three paths per frame, interleaved round by round so that a load change hits them alike:
//  - bare: one ZXing::ReadBarcodes(frame, hints) call. It runs in a forked child, because Debian's
//  ZXing 1.4.0
//    aborts on some frames (an assertion; see BarcodeDecoder.h) and the benchmark must report that, not die;
//  - in-process: BarcodeDecoder::decode, the station's decoder without the helper;
//  - station: DecoderProcess::decodeBlocking: copy into shared memory, request over the pipe, decode in the
//    helper, reply, parse. station/in-process is what the crash isolation costs.
// Times are medians of CPU time (the helper's included, read from /proc/<pid>/schedstat), which is what a
// decode costs on one core whatever else a shared machine runs; wall-clock medians are printed next to them.
// It never fails on timings; it fails when the station reads less of the degraded set than the unit test does
// (all of it), or when the helper reports other hints than the station.

#define ZX_USE_UTF8
#include "BarcodeDecoder.h"
#include "DecoderProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPainter>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <sched.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace {

using ZXing::BarcodeFormat;

// ---- pictures: the same renderer and degradations as tests/unit/tst_barcodedecoder.cpp ----
bool isLinear(BarcodeFormat f)
{
    return f == BarcodeFormat::Code128;
}

QImage renderLabel(BarcodeFormat format, const QString &content, int module, int barHeight = 0)
{
    ZXing::MultiFormatWriter writer(format);
    writer.setMargin(0);
    const ZXing::BitMatrix m = writer.encode(content.toStdWString(), 0, 0);
    const bool linear = isLinear(format);
    const int quiet = linear ? 10 : 3;
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

void place(QImage &frame, const QImage &label, QPointF center, double degrees, bool perspective = false)
{
    QPainter p(&frame);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.setRenderHint(QPainter::Antialiasing);
    if (perspective) {
        const double w = label.width();
        const double h = label.height();
        const QPolygonF from({QPointF(0, 0), QPointF(w, 0), QPointF(w, h), QPointF(0, h)});
        const QPolygonF to({center + QPointF(-0.45 * w, -0.50 * h), center + QPointF(0.50 * w, -0.38 * h),
                            center + QPointF(0.55 * w, 0.42 * h), center + QPointF(-0.52 * w, 0.55 * h)});
        QTransform t;
        QTransform::quadToQuad(from, to, t);
        p.setTransform(t);
        p.drawImage(0, 0, label);
        return;
    }
    p.translate(center);
    p.rotate(degrees);
    p.drawImage(QPointF(-label.width() / 2.0, -label.height() / 2.0), label);
}

void boxBlurOnce(QImage &img)
{
    const int w = img.width();
    const int h = img.height();
    QImage tmp(img.size(), QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        const uchar *src = img.constScanLine(y);
        uchar *dst = tmp.scanLine(y);
        for (int x = 0; x < w; ++x)
            dst[x] = uchar((src[std::max(x - 1, 0)] + src[x] + src[std::min(x + 1, w - 1)]) / 3);
    }
    for (int y = 0; y < h; ++y) {
        const uchar *a = tmp.constScanLine(std::max(y - 1, 0));
        const uchar *b = tmp.constScanLine(y);
        const uchar *c = tmp.constScanLine(std::min(y + 1, h - 1));
        uchar *dst = img.scanLine(y);
        for (int x = 0; x < w; ++x)
            dst[x] = uchar((a[x] + b[x] + c[x]) / 3);
    }
}

QImage degrade(const QImage &rgb, int blurPasses, double noise, int levels)
{
    QImage grey = rgb.convertToFormat(QImage::Format_Grayscale8);
    for (int i = 0; i < blurPasses; ++i)
        boxBlurOnce(grey);
    if (levels > 0) {
        for (int y = 0; y < grey.height(); ++y) {
            uchar *row = grey.scanLine(y);
            for (int x = 0; x < grey.width(); ++x)
                row[x] = uchar(100 + row[x] * levels / 256);
        }
    }
    if (noise > 0) {
        std::mt19937 rng(4711);
        std::normal_distribution<double> n(0.0, noise);
        for (int y = 0; y < grey.height(); ++y) {
            uchar *row = grey.scanLine(y);
            for (int x = 0; x < grey.width(); ++x)
                row[x] = uchar(std::clamp(int(std::lround(row[x] + n(rng))), 0, 255));
        }
    }
    return grey;
}

struct Case
{
    QString name;
    QImage frame;
    QStringList expected; // texts that must be read
};

// The unit test's degraded set (readsDegradedLabels), frame for frame.
QList<Case> degradedSet()
{
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
        int blur;
        double noise;
        int levels;
        Applies applies;
    };
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
    QList<Case> cases;
    for (const Code &code : codes) {
        for (const Condition &c : conditions) {
            if ((c.applies == Linear && !isLinear(code.format)) ||
                (c.applies == Matrix && isLinear(code.format)))
                continue;
            QImage frame = blankFrame(QSize(1280, 720));
            place(frame, renderLabel(code.format, QString::fromLatin1(code.text), code.module),
                  QPointF(630, 360), c.angle, c.perspective);
            cases << Case{QStringLiteral("%1 %2 %3")
                              .arg(QString::fromLatin1(ZXing::ToString(code.format)),
                                   QString::fromLatin1(code.text), QString::fromLatin1(c.name)),
                          degrade(frame, c.blur, c.noise, c.levels),
                          {QString::fromLatin1(code.text)}};
        }
    }
    return cases;
}

// A dock scene without labels: table, box flaps, tape, shadow, over the whole grey range.
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

// The timed frames: what the camera sees at the dock, in focus, at both resolutions.
QList<Case> timedSet()
{
    QList<Case> cases;
    for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        const QString res = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
        const double sx = size.width() / 1280.0;
        const double sy = size.height() / 720.0;
        cases << Case{res + QStringLiteral(" empty"), degrade(emptyScene(size), 0, 3, 0), {}};
        // Dim and flat: the matrix formats get the contrast-stretched copy.
        cases << Case{res + QStringLiteral(" empty, washed out"), degrade(blankFrame(size), 0, 3, 0), {}};
        {
            QImage f = emptyScene(size);
            place(f, renderLabel(BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 2),
                  QPointF(560 * sx, 330 * sy), 0);
            cases << Case{
                res + QStringLiteral(" one Code128"), degrade(f, 0, 3, 0), {QStringLiteral("JN11F3A2BAFA")}};
        }
        {
            QImage f = emptyScene(size);
            place(f, renderLabel(BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 3),
                  QPointF(560 * sx, 330 * sy), 0);
            cases << Case{res + QStringLiteral(" one Code128, 3 px modules"),
                          degrade(f, 0, 3, 0),
                          {QStringLiteral("JN11F3A2BAFA")}};
        }
        {
            // A returned device in its box: serial and part number labels, the case's DataMatrix, a return
            // link.
            QImage f = emptyScene(size);
            place(f, renderLabel(BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 2),
                  QPointF(400 * sx, 180 * sy), 0);
            place(f, renderLabel(BarcodeFormat::Code128, QStringLiteral("SRX300-SYS-JB"), 2),
                  QPointF(400 * sx, 440 * sy), 3);
            place(f, renderLabel(BarcodeFormat::DataMatrix, QStringLiteral("CAHZ4512"), 5),
                  QPointF(880 * sx, 180 * sy), 0);
            place(f,
                  renderLabel(BarcodeFormat::QRCode, QStringLiteral("https://returns.example.com/r/CAHZ4512"),
                              4),
                  QPointF(900 * sx, 440 * sy), 0);
            cases << Case{res + QStringLiteral(" four codes"),
                          degrade(f, 0, 3, 0),
                          {QStringLiteral("JN11F3A2BAFA"), QStringLiteral("SRX300-SYS-JB"),
                           QStringLiteral("CAHZ4512"),
                           QStringLiteral("https://returns.example.com/r/CAHZ4512")}};
        }
    }
    return cases;
}

// ---- measuring ----
double median(std::vector<double> v)
{
    if (v.empty())
        return NAN;
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
}

// CPU time of the calling thread: what a decode costs on one core, whatever else the machine is doing.
double threadCpuMs()
{
    timespec ts = {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// CPU time of another (single-threaded) process, in ns resolution: the first field of /proc/<pid>/schedstat.
double processCpuMs(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/schedstat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return NAN;
    return f.readAll().split(' ').value(0).toDouble() / 1e6;
}

struct Samples
{
    std::vector<double> ms;  // wall clock
    std::vector<double> cpu; // CPU time, helper process included
    int found = -1;          // barcodes of the expected ones read (last run)
    bool aborted = false;    // the bare call killed its process
};

int countExpected(const QStringList &expected, const QStringList &read)
{
    return int(std::count_if(expected.cbegin(), expected.cend(),
                             [&](const QString &t) { return read.contains(t); }));
}

// Runs the bare ReadBarcodes calls in a child process, because Debian's ZXing 1.4.0 aborts on some frames and
// the benchmark must report that, not die. One long-lived child serves every request: forking before each one
// would leave the benchmark's own memory copy-on-write and slow down the other two paths measured after it.
// A child that dies is replaced for the next request.
class BareWorker
{
public:
    BareWorker(const QList<Case> &cases, const ZXing::DecodeHints &hints) : m_cases(cases), m_hints(hints) {}
    ~BareWorker() { retire(); }
    BareWorker(const BareWorker &) = delete;
    BareWorker &operator=(const BareWorker &) = delete;

    void measure(qsizetype index, int iterations, Samples &out)
    {
        if (out.aborted)
            return; // it killed the library once; it would again
        if (m_pid <= 0)
            spawn();
        const int request[2] = {int(index), iterations};
        int found = -1;
        int n = 0;
        bool ok = ::write(m_toChild, request, sizeof request) == ssize_t(sizeof request) &&
                  readFully(&found, sizeof found) && readFully(&n, sizeof n) && n > 0;
        std::vector<double> ms(size_t(std::max(0, n)));
        ok = ok && readFully(ms.data(), sizeof(double) * ms.size());
        if (!ok) {
            out.aborted = true;
            retire();
            return;
        }
        out.found = found;
        for (size_t i = 0; i + 1 < ms.size(); i += 2) {
            out.cpu.push_back(ms[i]);
            out.ms.push_back(ms[i + 1]);
        }
    }

private:
    bool readFully(void *buffer, size_t size)
    {
        auto *p = static_cast<char *>(buffer);
        while (size > 0) {
            const ssize_t n = ::read(m_fromChild, p, size);
            if (n <= 0)
                return false;
            p += n;
            size -= size_t(n);
        }
        return true;
    }

    void spawn()
    {
        int down[2];
        int up[2];
        if (::pipe(down) != 0 || ::pipe(up) != 0)
            return;
        std::fflush(stdout);
        m_pid = ::fork();
        if (m_pid == 0) {
            ::close(down[1]);
            ::close(up[0]);
            // The library's assertion message would break the table; the parent reports the abort instead.
            std::freopen("/dev/null", "w", stderr);
            serve(down[0], up[1]);
            ::_exit(0);
        }
        ::close(down[0]);
        ::close(up[1]);
        m_toChild = down[1];
        m_fromChild = up[0];
    }

    void serve(int in, int out) const
    {
        int request[2];
        while (::read(in, request, sizeof request) == ssize_t(sizeof request)) {
            const Case &c = m_cases[request[0]];
            const ZXing::ImageView view(c.frame.constBits(), c.frame.width(), c.frame.height(),
                                        ZXing::ImageFormat::Lum, int(c.frame.bytesPerLine()));
            std::vector<double> ms; // pairs of CPU and wall milliseconds
            int found = 0;
            for (int i = 0; i < request[1]; ++i) {
                QElapsedTimer t;
                t.start();
                const double cpu0 = threadCpuMs();
                const ZXing::Results results = ZXing::ReadBarcodes(view, m_hints);
                ms.push_back(threadCpuMs() - cpu0);
                ms.push_back(double(t.nsecsElapsed()) / 1e6);
                QStringList texts;
                for (const ZXing::Result &r : results)
                    texts << QString::fromStdString(r.text());
                found = countExpected(c.expected, texts);
            }
            const int n = int(ms.size());
            if (::write(out, &found, sizeof found) != ssize_t(sizeof found) ||
                ::write(out, &n, sizeof n) != ssize_t(sizeof n) ||
                ::write(out, ms.data(), sizeof(double) * ms.size()) != ssize_t(sizeof(double) * ms.size()))
                return;
        }
    }

    void retire()
    {
        if (m_pid <= 0)
            return;
        ::close(m_toChild);
        ::close(m_fromChild);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = 0;
    }

    const QList<Case> &m_cases;
    ZXing::DecodeHints m_hints;
    pid_t m_pid = 0;
    int m_toChild = -1;
    int m_fromChild = -1;
};

// `helperPid`: a process that also works on each decode (0 for none); its CPU time is added.
template <typename Decode>
void measure(const Case &c, int iterations, Samples &out, qint64 helperPid, const Decode &decode)
{
    for (int i = 0; i < iterations; ++i) {
        QElapsedTimer t;
        t.start();
        const double cpu0 = threadCpuMs();
        const double helper0 = helperPid ? processCpuMs(helperPid) : 0.0;
        const QList<DecodedBarcode> found = decode(GreyFrame::fromImage(c.frame));
        const double helper1 = helperPid ? processCpuMs(helperPid) : 0.0;
        out.cpu.push_back(threadCpuMs() - cpu0 + (helper1 - helper0));
        out.ms.push_back(double(t.nsecsElapsed()) / 1e6);
        QStringList texts;
        for (const DecodedBarcode &b : found)
            texts << b.text;
        out.found = countExpected(c.expected, texts);
    }
}

QString cell(double v)
{
    return std::isnan(v) ? QStringLiteral("-") : QString::number(v, 'f', 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Decode cost: station pipeline against bare ZXing-cpp."));
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("CI size: proves it runs."));
    const QCommandLineOption rounds(QStringLiteral("rounds"), QStringLiteral("Interleaved rounds."),
                                    QStringLiteral("n"), QStringLiteral("8"));
    const QCommandLineOption iterations(QStringLiteral("iterations"),
                                        QStringLiteral("Decodes per path per round."), QStringLiteral("n"),
                                        QStringLiteral("5"));
    const QCommandLineOption cpu(QStringLiteral("cpu"),
                                 QStringLiteral("Pin to this core (the helper inherits it)."),
                                 QStringLiteral("n"));
    parser.addOptions({quick, rounds, iterations, cpu});
    parser.process(app);
    const bool isQuick = parser.isSet(quick);
    const int roundCount = isQuick ? 1 : std::max(1, parser.value(rounds).toInt());
    const int perRound = isQuick ? 2 : std::max(1, parser.value(iterations).toInt());

    if (parser.isSet(cpu)) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(parser.value(cpu).toInt(), &set);
        if (::sched_setaffinity(0, sizeof set, &set) != 0)
            std::printf("warning: could not pin to core %s\n", qPrintable(parser.value(cpu)));
    }

    // Every picture is made before any child process starts, so that none of them is copied on write later.
    const QList<Case> timed = timedSet();
    QList<Case> degraded = degradedSet();
    if (isQuick) {
        QList<Case> some;
        for (qsizetype i = 0; i < degraded.size(); i += 8)
            some << degraded[i];
        degraded = some;
    }

    // The station's configuration: Code 128 + DataMatrix + QR, try-harder, rotate and downscale on.
    const DecodeSettings settings;
    const BarcodeDecoder inProcess(settings);
    DecoderProcess::Options options;
    options.settings = settings;
    DecoderProcess station(options);
    const auto warmup = station.decodeBlocking(
        GreyFrame::fromImage(blankFrame(QSize(64, 64)).convertToFormat(QImage::Format_Grayscale8)), 60000);
    if (!warmup.ok()) {
        std::printf("error: %s\n", qPrintable(warmup.error));
        return 2;
    }
    const ZXing::DecodeHints bareHints = settings.hints();
    std::printf("hints, station:      %s\n", qPrintable(settings.describe()));
    std::printf("hints, helper said:  %s\n", qPrintable(station.helperHints()));
    std::printf("hints, bare call:    %s\n", qPrintable(DecodeSettings::describe(bareHints)));
    std::printf("helper: %s (pid %lld)\n", qPrintable(station.helperPath()), station.helperPid());
    std::printf(
        "%d round(s) x %d decode(s) per path and frame, interleaved; bare calls in a forked child\n\n",
        roundCount, perRound);
    if (station.helperHints() != settings.describe()) {
        std::printf("FAIL: the helper uses other hints than the station\n");
        return 1;
    }

    // ---- timed frames ----
    BareWorker bareTimed(timed, bareHints);
    std::vector<Samples> bare(size_t(timed.size())), local(size_t(timed.size())), piped(size_t(timed.size()));
    for (int round = 0; round < roundCount; ++round) {
        for (qsizetype i = 0; i < timed.size(); ++i) {
            const Case &c = timed[i];
            bareTimed.measure(i, perRound, bare[size_t(i)]);
            measure(c, perRound, local[size_t(i)], 0,
                    [&](const GreyFrame &f) { return inProcess.decode(f); });
            measure(c, perRound, piped[size_t(i)], station.helperPid(),
                    [&](const GreyFrame &f) { return station.decodeBlocking(f, 60000).barcodes; });
        }
    }
    std::printf(
        "median ms per frame. CPU: on one core, the helper's included; wall: elapsed on this (shared) "
        "machine\n");
    std::printf("%-36s %-9s | %-23s | %-23s | %s\n", "frame", "found", "CPU: bare in-proc station",
                "wall: bare in-proc station", "CPU station/bare, /in-proc");
    for (qsizetype i = 0; i < timed.size(); ++i) {
        const Samples &b = bare[size_t(i)];
        const Samples &l = local[size_t(i)];
        const Samples &p = piped[size_t(i)];
        const QString found = QStringLiteral("%1 %2 %3/%4")
                                  .arg(b.aborted ? QStringLiteral("A") : QString::number(b.found))
                                  .arg(l.found)
                                  .arg(p.found)
                                  .arg(timed[i].expected.size());
        const QString bareCpu = b.aborted ? QStringLiteral("abort") : cell(median(b.cpu));
        const QString bareWall = b.aborted ? QStringLiteral("abort") : cell(median(b.ms));
        const QString vsBare = b.aborted ? QStringLiteral("-") : cell(median(p.cpu) / median(b.cpu));
        std::printf("%-36s %-9s | %7s %7s %7s | %7s %7s %7s | %6s %6s\n", qPrintable(timed[i].name),
                    qPrintable(found), qPrintable(bareCpu), qPrintable(cell(median(l.cpu))),
                    qPrintable(cell(median(p.cpu))), qPrintable(bareWall), qPrintable(cell(median(l.ms))),
                    qPrintable(cell(median(p.ms))), qPrintable(vsBare),
                    qPrintable(cell(median(p.cpu) / median(l.cpu))));
    }
    std::printf(
        "found: expected codes read by bare, in-process, station; A: the bare call aborted its process "
        "(ZXing 1.4.0's assertion on a linear code read twice)\n\n");

    auto row = [&](const QString &name) {
        for (qsizetype i = 0; i < timed.size(); ++i)
            if (timed[i].name == name)
                return median(piped[size_t(i)].cpu);
        return double(NAN);
    };
    std::printf("targets (station, CPU median): 1080p one Code128 %s ms (< 8), 1080p empty %s ms (< 10), "
                "1080p four codes %s ms (< 33)\n",
                qPrintable(cell(row(QStringLiteral("1920x1080 one Code128")))),
                qPrintable(cell(row(QStringLiteral("1920x1080 empty")))),
                qPrintable(cell(row(QStringLiteral("1920x1080 four codes")))));

    // ---- degraded set: read rate ----
    BareWorker bareDegraded(degraded, bareHints);
    int stationRead = 0;
    int bareRead = 0;
    int bareAborted = 0;
    for (qsizetype i = 0; i < degraded.size(); ++i) {
        const Case &c = degraded[i];
        Samples b;
        bareDegraded.measure(i, 1, b);
        bareAborted += b.aborted;
        bareRead += b.found == 1;
        Samples p;
        measure(c, 1, p, 0, [&](const GreyFrame &f) { return station.decodeBlocking(f, 60000).barcodes; });
        stationRead += p.found == 1;
        if (p.found != 1)
            std::printf("  station missed: %s\n", qPrintable(c.name));
    }
    const double unitTestRate = 100.0; // tst_barcodedecoder requires every degraded frame to be read
    const double stationRate = 100.0 * stationRead / std::max<qsizetype>(1, degraded.size());
    std::printf(
        "degraded set (%lld frames, 1280x720): station read %d (%.1f %%), bare call read %d and aborted on "
        "%d; unit test: %.0f %%\n",
        qlonglong(degraded.size()), stationRead, stationRate, bareRead, bareAborted, unitTestRate);
    if (stationRate < unitTestRate) {
        std::printf("FAIL: the station reads less of the degraded set than the unit test requires\n");
        return 1;
    }
    return 0;
}
