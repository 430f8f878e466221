// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanNormaliser.h"

#include <QCoreApplication>
#include <QList>
#include <QStringDecoder>

namespace {
constexpr char16_t GroupSeparator = 0x1D;
constexpr qsizetype DisplayLimit = 64;

bool isForbiddenControl(char32_t c)
{
    if (c == GroupSeparator)
        return false;
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}
} // namespace

QString ScanNormaliser::displayForm(const QByteArray &raw)
{
    QString s = QString::fromUtf8(raw.left(DisplayLimit * 4)); // invalid bytes become U+FFFD
    QString out;
    out.reserve(std::min<qsizetype>(s.size(), DisplayLimit) + 1);
    for (const QChar c : std::as_const(s)) {
        if (out.size() >= DisplayLimit) {
            out += QChar(0x2026);
            return out;
        }
        if (c.unicode() == GroupSeparator)
            out += QStringLiteral("<GS>");
        else
            out += isForbiddenControl(c.unicode()) ? QChar(QChar::ReplacementCharacter) : c;
    }
    if (raw.size() > DisplayLimit * 4)
        out += QChar(0x2026);
    return out;
}

ScanNormaliser::Result ScanNormaliser::normalise(const QByteArray &raw, bool truncatedBySource)
{
    Result r;
    r.display = displayForm(raw);
    if (truncatedBySource || raw.size() > MaxLength * 4 + 8) { // longer than any 128 characters can be
        r.problem = Problem::TooLong;
        return r;
    }
    QByteArrayView bytes(raw);
    while (!bytes.isEmpty() && (bytes.back() == '\n' || bytes.back() == '\r'))
        bytes.chop(1);
    while (!bytes.isEmpty() && bytes.back() == ' ')
        bytes.chop(1);
    while (!bytes.isEmpty() && bytes.front() == ' ')
        bytes = bytes.sliced(1);
    if (bytes.isEmpty()) {
        r.problem = Problem::Empty;
        return r;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError()) {
        r.problem = Problem::InvalidUtf8;
        return r;
    }
    // The limit is in characters: a surrogate pair (a 4-byte UTF-8 character) counts once.
    const QList<uint> codePoints = text.toUcs4();
    if (codePoints.size() > MaxLength) {
        r.problem = Problem::TooLong;
        return r;
    }
    for (const char32_t c : codePoints) {
        if (isForbiddenControl(c) || c == 0xFEFF) {
            r.problem = Problem::ControlCharacter;
            return r;
        }
    }
    r.upper = text.toUpper();
    r.text = std::move(text);
    return r;
}

QString ScanNormaliser::problemMessage(Problem p)
{
    switch (p) {
    case Problem::None:
        return QString();
    case Problem::Empty:
        return QCoreApplication::translate("Verdict", "The scan was empty. Scan the barcode again.");
    case Problem::TooLong:
        return QCoreApplication::translate(
            "Verdict", "That scan is too long to be a label (over 128 characters). Scan the barcode again.");
    case Problem::InvalidUtf8:
        return QCoreApplication::translate(
            "Verdict", "That scan had unreadable characters. Check the scanner's keyboard setting and "
                       "scan again.");
    case Problem::ControlCharacter:
        return QCoreApplication::translate(
            "Verdict", "That scan had hidden control characters. Check the scanner setup and scan again.");
    }
    return QString();
}
