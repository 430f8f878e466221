// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// This header and BarcodeDecoder.cpp are also compiled into the receiving-decoder helper, which links only
// Qt Core and ZXing: nothing here may need Qt Gui except the QImage helpers, which the helper leaves out
// (RS_BARCODEDECODER_NO_QTGUI).

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QPoint>
#include <QString>
#include <QStringList>

#include <ZXing/DecodeHints.h>

#include <array>
#include <optional>
#include <vector>

class QImage;

// A view of an 8-bit luminance picture: a camera frame's Y plane, a greyscale image, a shared-memory frame.
// It does not own the pixels; whoever made it keeps them alive while it is used.
struct GreyFrame
{
    int width = 0;
    int height = 0;
    int stride = 0; // bytes from one row to the next, at least `width`
    const uchar *data = nullptr;

    bool isValid() const { return data && width > 0 && height > 0 && stride >= width; }

    // The view of a Grayscale8 image; an invalid frame for any other format (see toGrayscale8()).
    static GreyFrame fromImage(const QImage &grey);
    // Any picture as Grayscale8, the form the decoder reads; shares the image when it already is.
    static QImage toGrayscale8(const QImage &image);
    // A deep copy, e.g. to save the frame that crashed the decoder.
    QImage toImage() const;
};

// One barcode found in a picture, as ZXing reported it.
struct DecodedBarcode
{
    QString text;
    QString format; // ZXing's name: "Code128", "DataMatrix", "QRCode", ...
    // The four corners in frame pixels: top-left, top-right, bottom-right, bottom-left. For a 1D symbol, the
    // whole symbol as far as its bars go, not only the lines that read it.
    QList<QPoint> position;
    QString symbologyId; // the AIM identifier, e.g. "]C0"; "]C1", "]d2", "]Q3", "]e0" mark GS1 data

    bool isGs1() const;
    // What a handheld scanner set to send AIM identifiers for GS1 would type: GS1 data keeps its identifier
    // in front, so the classifier tells an element string from a plain serial the same way for both.
    QByteArray scannerBytes() const;
    QPoint center() const;

    bool operator==(const DecodedBarcode &) const = default;
};
Q_DECLARE_METATYPE(DecodedBarcode)

// What the decoder looks for and how hard it tries; read from a scanner's configuration, passed to the helper
// on its command line, and turned into the one ZXing::DecodeHints every path (helper, tests, benchmark) uses.
struct DecodeSettings
{
    QStringList formats = defaultFormats(); // canonical ZXing names
    bool tryHarder = true;
    bool tryRotate = true;
    bool tryDownscale = true;
    int maxSymbols = 0; // 0: every barcode in the picture (ZXing's own limit, 255)

    static QStringList defaultFormats(); // Code128, DataMatrix, QRCode: what labels at the dock carry
    static QStringList knownFormats();
    // "Code128, datamatrix,QR-Code" -> canonical names. nullopt with `error` set for an unknown or no name.
    static std::optional<QStringList> parseFormats(const QString &commaList, QString *error);
    // From configuration keys formats, try_harder, try_rotate, try_downscale, max_symbols; an absent key
    // keeps its default. nullopt with `error` set when a value is invalid.
    static std::optional<DecodeSettings> fromValues(const QHash<QString, QString> &values, QString *error);

    // The helper's command line carries the settings as "--key=value"; these two are each other's inverse.
    QStringList toArguments() const;
    static std::optional<DecodeSettings> fromArguments(const QStringList &arguments, QString *error);

    // The hints as configured, for one ReadBarcodes call over all formats (what the benchmark's bare call
    // uses).
    ZXing::DecodeHints hints() const;
    // Every hint the library gets, on one line, so two decode paths can be shown to use the same ones;
    // describe() adds how BarcodeDecoder splits the work (see there).
    static QString describe(const ZXing::DecodeHints &hints);
    QString describe() const;

    bool operator==(const DecodeSettings &) const = default;
};

// A downscaled copy of a frame (see BarcodeDecoder.cpp); the decoder keeps its buffers from frame to frame.
struct Thumbnail
{
    std::vector<uint8_t> pixels;
    int width = 0;
    int height = 0;
    int factor = 1; // frame pixels per thumbnail pixel
};

// Reads every barcode of one picture with ZXing-cpp, restricted to the configured formats. The station runs
// it inside the receiving-decoder helper (see DecoderProcess) so that a crash in the library cannot take the
// kiosk down; tests and the benchmark also call it directly.
//
// Debian builds ZXing 1.4.0 with assertions on, and ReadBarcodes aborts (Result.cpp:140, `lineCount() == 1`)
// whenever it collects the same linear code twice: a 1D label big enough to be read again in a downscaled
// layer, two identical 1D labels in one frame, or one read by both the straight and the rotated scan. So
// linear formats are read one symbol per call (which never compares results; minLineCount 1 makes up for the
// coarser row step ZXing uses for one symbol); each symbol found is painted over in a private copy of the
// frame and the next call looks for the rest. Matrix formats, whose comparison has no such assertion, are
// read in one call. Both passes use the configured hints otherwise. That build also lacks C++20 coroutines,
// which switches off the DataMatrix detector's multi-line scan: it only finds a symbol that the picture's
// middle row crosses. So square patches of dense edges are decoded again, each in a small crop centred on it.
// For the matrix formats, a frame that uses less than half the grey range is contrast-stretched first:
// ZXing 1.4's 2D readers miss symbols at 40-60 grey levels of contrast, which its 1D reader still reads.
// All of this runs on the places of the frame where a symbol can be, not on the whole frame: compact patches
// dense with edges, found on 1:2 to 1:16 thumbnails in about 1.5 ms at 1080p, each read as a crop of
// the frame (same hints) with a margin. A frame with no such place holds no symbol and costs only that search
// (a dock scene without a label); a frame busy all over (heavy sensor noise, a textile) is read whole. A
// single ZXing call on a 1080p frame spends most of its time binarizing the whole frame at three pyramid
// layers and scanning about 2,500 pattern rows, most of them over cardboard (see
// tests/bench/bench_decode.cpp).
class BarcodeDecoder
{
public:
    explicit BarcodeDecoder(DecodeSettings settings = {});

    const DecodeSettings &settings() const { return m_settings; }
    // Every barcode of the frame at once; an empty list when it holds none. `error` is set when the frame is
    // invalid or the library failed on it (ZXing 1.4 throws on some malformed symbols). Not reentrant: it
    // reuses its scratch copies of the frame, so each thread needs its own decoder.
    QList<DecodedBarcode> decode(const GreyFrame &frame, QString *error = nullptr) const;

    // The helper's reply payload: a compact JSON array. fromJson returns nullopt with `error` set when the
    // bytes are not such an array.
    static QByteArray toJson(const QList<DecodedBarcode> &barcodes);
    static std::optional<QList<DecodedBarcode>> fromJson(const QByteArray &json, QString *error);
    // One line of `receiving-cli decode --json`: {"text","format","position":[[x,y],x4],"kind"} and a
    // newline.
    static QByteArray toJsonLine(const DecodedBarcode &barcode, const QString &kind);

    static constexpr int MaxLinearSymbols = 32; // one call each; a frame never shows more 1D labels

private:
    // The whole pipeline below on one part of a frame (or all of it), at most `wanted` symbols.
    QList<DecodedBarcode> decodeRegion(const GreyFrame &frame, int wanted, QString *error) const;

    DecodeSettings m_settings;
    ZXing::DecodeHints m_linearHints;     // linear formats, one symbol per call
    ZXing::DecodeHints m_matrixHints;     // matrix formats, all at once
    ZXing::DecodeHints m_dataMatrixHints; // DataMatrix in a crop around a candidate patch
    bool m_hasLinear = false;
    bool m_hasMatrix = false;
    bool m_hasDataMatrix = false;
    // Private copies of the frame, kept from one frame to the next: decode() is not reentrant, so use one
    // decoder per thread (the helper has one).
    mutable std::vector<uint8_t> m_stretchBuffer;
    mutable std::vector<uint8_t> m_maskBuffer;
    // 1:2, 1:4, 1:8 and 1:16 thumbnails of the frame, to find the places where symbols can be.
    mutable std::array<Thumbnail, 4> m_thumbnails;
};

// The wire protocol between DecoderProcess (the station) and receiving-decoder (the helper), version 1.
//
// Start: the station creates a memfd (close-on-exec, cleared in the child only) and starts
//   receiving-decoder --shm-fd=<fd> --formats=Code128,DataMatrix --try-harder=1 --try-rotate=1
//                     --try-downscale=1 --max-symbols=0 [--core-dumps]
//   The helper maps the memfd, then writes a Hello reply: {HelloMagic, Version, 0, n} + n bytes of UTF-8, its
//   DecodeSettings::describe(), so the station can show the hints the helper really uses.
// Each frame: the station writes the frame's luminance rows into the memfd at offset 0 (growing it with
//   ftruncate when needed; `segmentSize` says how big it now is, so the helper re-maps), then writes a
//   Request (32 bytes) to the helper's stdin. The helper decodes straight from the mapping (no copy) and
//   writes a Reply (16 bytes) plus `payloadSize` bytes to its stdout: status Ok with BarcodeDecoder::toJson()
//   (an empty array when the picture holds none), or BadRequest (a frame it will not read) / DecodeError (the
//   library failed) with a sentence saying why.
// Exactly one request is in flight at a time, so the station never writes the segment while the helper reads
//   it, and after a crash the segment still holds the frame that caused it.
// End: the station closes the helper's stdin; the helper exits 0 at end of input. It is also killed when the
//   thread that started it ends (PR_SET_PDEATHSIG), so a helper stuck in a decode never outlives the station.
// All integers are in host byte order: both ends run on the same machine from the same build.
namespace DecoderWire {
constexpr quint32 Version = 1;
constexpr quint32 RequestMagic = 0x51445352; // "RSDQ"
constexpr quint32 ReplyMagic = 0x52445352;   // "RSDR"
constexpr quint32 HelloMagic = 0x48445352;   // "RSDH"
constexpr int MaxDimension = 16384;          // either side; larger frames are refused, not decoded
constexpr quint32 MaxPayload = 16 * 1024 * 1024;

enum class Status : quint32 { Ok = 0, BadRequest = 1, DecodeError = 2 };

struct Request
{
    quint32 magic = RequestMagic;
    quint32 id = 0;
    qint32 width = 0;
    qint32 height = 0;
    qint32 stride = 0;
    quint32 reserved = 0;
    quint64 segmentSize = 0;
};
static_assert(sizeof(Request) == 32);

struct Reply
{
    quint32 magic = ReplyMagic;
    quint32 id = 0; // the request's id; Version in a Hello
    quint32 status = 0;
    quint32 payloadSize = 0;
};
static_assert(sizeof(Reply) == 16);
} // namespace DecoderWire
