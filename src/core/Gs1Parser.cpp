// SPDX-License-Identifier: GPL-3.0-or-later
#include "Gs1Parser.h"

#include <QLatin1StringView>

#include <optional>

namespace {

constexpr QChar GS = Gs1Parser::GroupSeparator;

enum class Content { Digits, Chars82 };

struct AiSpec
{
    int fixedLength; // 0 = variable length, ended by GS or the end of the data
    int maxLength;
    Content content;
    bool checkDigit;
    bool date;
};

struct AiEntry
{
    const char *ai;
    AiSpec spec;
};

constexpr AiSpec fixedDigits(int length)
{
    return {length, length, Content::Digits, false, false};
}
constexpr AiSpec fixedWithCheck(int length)
{
    return {length, length, Content::Digits, true, false};
}
constexpr AiSpec date6()
{
    return {6, 6, Content::Digits, false, true};
}
constexpr AiSpec varDigits(int max)
{
    return {0, max, Content::Digits, false, false};
}
constexpr AiSpec varChars(int max)
{
    return {0, max, Content::Chars82, false, false};
}

// The AIs a receiving dock meets on product, carton and shipping labels (GS1 General Specifications,
// section 3). Measures (31nn-36nn) and amounts (39nn) are handled in specFor() since their fourth digit is a
// decimal-point position.
constexpr AiEntry AiTable[] = {
    {"00", fixedWithCheck(18)},  // SSCC
    {"01", fixedWithCheck(14)},  // GTIN
    {"02", fixedWithCheck(14)},  // GTIN of contained trade items
    {"10", varChars(20)},        // batch/lot
    {"11", date6()},             // production date
    {"12", date6()},             // due date
    {"13", date6()},             // packaging date
    {"15", date6()},             // best before
    {"16", date6()},             // sell by
    {"17", date6()},             // expiration date
    {"20", fixedDigits(2)},      // internal product variant
    {"21", varChars(20)},        // serial number
    {"22", varChars(20)},        // consumer product variant
    {"30", varDigits(8)},        // variable count
    {"37", varDigits(8)},        // count of trade items in a logistic unit
    {"240", varChars(30)},       // additional product identification
    {"241", varChars(30)},       // customer part number
    {"250", varChars(30)},       // secondary serial number
    {"251", varChars(30)},       // reference to source entity
    {"400", varChars(30)},       // customer's purchase order number
    {"401", varChars(30)},       // GINC
    {"402", fixedWithCheck(17)}, // GSIN
    {"403", varChars(30)},       // routing code
    {"410", fixedWithCheck(13)}, // ship to GLN
    {"411", fixedWithCheck(13)},
    {"412", fixedWithCheck(13)},
    {"413", fixedWithCheck(13)},
    {"414", fixedWithCheck(13)},
    {"415", fixedWithCheck(13)},
    {"416", fixedWithCheck(13)},
    {"417", fixedWithCheck(13)},
    {"420", varChars(20)}, // ship-to postal code; GS1 format X..20 because many countries use letters
    {"421", varChars(12)}, // ISO country code + postal code
    {"422", fixedDigits(3)},
    {"8004", varChars(30)}, // GIAI
    {"90", varChars(30)},
    {"91", varChars(90)},
    {"92", varChars(90)},
    {"93", varChars(90)},
    {"94", varChars(90)},
    {"95", varChars(90)},
    {"96", varChars(90)},
    {"97", varChars(90)},
    {"98", varChars(90)},
    {"99", varChars(90)},
};

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool allDigits(QStringView s)
{
    for (QChar c : s) {
        if (!isAsciiDigit(c))
            return false;
    }
    return !s.isEmpty();
}

// GS1 AI encodable character set 82; anything else in a value means a misread or a wrong separator.
bool isChar82(QChar c)
{
    const char16_t u = c.unicode();
    if ((u >= u'0' && u <= u'9') || (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z'))
        return true;
    return QStringView(u"!\"%&'()*+,-./:;<=>?_").contains(c);
}

std::optional<AiSpec> specFor(QStringView ai)
{
    for (const AiEntry &e : AiTable) {
        if (ai == QLatin1StringView(e.ai))
            return e.spec;
    }
    if (ai.size() != 4 || !allDigits(ai))
        return std::nullopt;
    const int stem = ai.left(3).toInt();
    if ((stem >= 310 && stem <= 316) || (stem >= 320 && stem <= 337) || (stem >= 340 && stem <= 357) ||
        (stem >= 360 && stem <= 369))
        return fixedDigits(6);
    if (stem == 390 || stem == 392) // amount / price
        return varDigits(15);
    if (stem == 391 || stem == 393) // ISO currency + amount / price
        return varDigits(18);
    return std::nullopt;
}

// How long an AI starting with these two digits is, per the GS1 AI prefix table; only used to name an
// unknown AI in the error message.
int aiLengthForPrefix(int prefix)
{
    if ((prefix >= 23 && prefix <= 25) || (prefix >= 40 && prefix <= 42) || prefix == 71)
        return 3;
    if ((prefix >= 31 && prefix <= 36) || prefix == 39 || prefix == 43 || prefix == 70 || prefix == 72 ||
        (prefix >= 80 && prefix <= 82))
        return 4;
    return 2;
}

int gs1CheckDigit(QStringView body)
{
    int sum = 0;
    bool weightThree = true;
    for (qsizetype i = body.size() - 1; i >= 0; --i) {
        const int d = body[i].unicode() - u'0';
        sum += weightThree ? 3 * d : d;
        weightThree = !weightThree;
    }
    return (10 - sum % 10) % 10;
}

QString describeChar(QChar c)
{
    if (c.isPrint() && !c.isSpace())
        return QStringLiteral("\"%1\"").arg(c);
    return QStringLiteral("U+%1").arg(uint(c.unicode()), 4, 16, QLatin1Char('0')).toUpper();
}

QString validate(const QString &ai, const AiSpec &spec, QStringView value)
{
    if (value.isEmpty())
        return QStringLiteral("AI %1 has no value.").arg(ai);
    if (spec.fixedLength > 0) {
        if (value.size() != spec.fixedLength || !allDigits(value))
            return QStringLiteral("AI %1 needs %2 digits.").arg(ai).arg(spec.fixedLength);
        if (spec.checkDigit && !Gs1Parser::checkDigitValid(value)) {
            return QStringLiteral("AI %1 has a wrong check digit (expected %2).")
                .arg(ai)
                .arg(gs1CheckDigit(value.chopped(1)));
        }
        if (spec.date) {
            const int month = value.mid(2, 2).toInt();
            const int day = value.mid(4, 2).toInt(); // GS1 allows day 00 meaning "end of month"
            if (month < 1 || month > 12 || day > 31)
                return QStringLiteral("AI %1 needs a date as YYMMDD, not %2.").arg(ai, value);
        }
        return {};
    }
    if (value.size() > spec.maxLength) {
        return QStringLiteral("AI %1 allows at most %2 characters but has %3.")
            .arg(ai)
            .arg(spec.maxLength)
            .arg(value.size());
    }
    if (spec.content == Content::Digits && !allDigits(value))
        return QStringLiteral("AI %1 allows only digits.").arg(ai);
    for (QChar c : value) {
        if (!isChar82(c))
            return QStringLiteral("AI %1 contains %2, which GS1 does not allow.").arg(ai, describeChar(c));
    }
    return {};
}

struct Failure
{
    QString message;
};

using Elements = QList<Gs1Element>;

// Element string as carried in the barcode: fixed-length AIs run straight into the next AI, variable-length
// ones end at GS. A GS after a fixed-length field is tolerated since many encoders add one.
std::optional<Failure> parseRaw(QStringView data, Elements &out)
{
    qsizetype pos = 0;
    while (pos < data.size()) {
        if (data[pos] == GS) {
            ++pos;
            continue;
        }
        const QStringView rest = data.mid(pos);
        if (!isAsciiDigit(rest[0]))
            return Failure{QStringLiteral("Expected a GS1 AI (digits) but found \"%1\".").arg(rest.left(10))};

        QString ai;
        std::optional<AiSpec> spec;
        for (qsizetype len = 2; len <= 4 && len <= rest.size() && !spec; ++len) {
            if (!allDigits(rest.left(len)))
                break;
            spec = specFor(rest.left(len));
            if (spec)
                ai = rest.left(len).toString();
        }
        if (!spec) {
            const bool twoDigits = rest.size() >= 2 && isAsciiDigit(rest[1]);
            const qsizetype guess = twoDigits ? aiLengthForPrefix(rest.left(2).toInt()) : 2;
            qsizetype len = 0;
            while (len < guess && len < rest.size() && isAsciiDigit(rest[len]))
                ++len;
            if (len == rest.size() && len < guess)
                return Failure{QStringLiteral("The data ends inside an AI (\"%1\").").arg(rest)};
            if (len < guess)
                return Failure{
                    QStringLiteral("Expected a GS1 AI (digits) but found \"%1\".").arg(rest.left(10))};
            return Failure{QStringLiteral("Unknown AI %1.").arg(rest.left(len))};
        }

        pos += ai.size();
        qsizetype end = data.size();
        if (spec->fixedLength > 0) {
            end = qMin(pos + spec->fixedLength, data.size());
        } else {
            const qsizetype gs = data.indexOf(GS, pos);
            if (gs >= 0)
                end = gs;
        }
        const QStringView value = data.mid(pos, end - pos);
        if (const QString error = validate(ai, *spec, value); !error.isEmpty())
            return Failure{error};
        out.append({ai, value.toString()});
        pos = end;
    }
    return std::nullopt;
}

// Start of the next "(nn)" .. "(nnnn)" AI at or after `from`, or size() when there is none. Values may
// themselves contain "(" (set 82 allows it), so only a bracketed 2-4 digit run counts.
qsizetype nextBracketedAi(QStringView data, qsizetype from)
{
    for (qsizetype i = data.indexOf(u'(', from); i >= 0; i = data.indexOf(u'(', i + 1)) {
        const qsizetype close = data.indexOf(u')', i + 1);
        const qsizetype len = close - i - 1;
        if (close > 0 && len >= 2 && len <= 4 && allDigits(data.mid(i + 1, len)))
            return i;
    }
    return data.size();
}

std::optional<Failure> parseBracketed(QStringView data, Elements &out)
{
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype close = data.indexOf(u')', pos);
        if (data[pos] != u'(' || close < 0)
            return Failure{QStringLiteral("The bracketed AI at \"%1\" is malformed.").arg(data.mid(pos, 10))};
        const QString ai = data.mid(pos + 1, close - pos - 1).toString();
        if (!allDigits(ai))
            return Failure{QStringLiteral("\"(%1)\" is not a GS1 AI.").arg(ai)};
        const std::optional<AiSpec> spec = specFor(ai);
        if (!spec)
            return Failure{QStringLiteral("Unknown AI %1.").arg(ai)};
        const qsizetype end = nextBracketedAi(data, close + 1);
        const QStringView value = data.mid(close + 1, end - close - 1);
        if (const QString error = validate(ai, *spec, value); !error.isEmpty())
            return Failure{error};
        out.append({ai, value.toString()});
        pos = end;
    }
    return std::nullopt;
}

constexpr const char16_t *Gs1SymbologyIds[] = {u"]C1", u"]d2", u"]Q3", u"]e0"};

// Canonical spelling of a GS1 symbology identifier at the start of `text`, or empty.
QString gs1SymbologyId(QStringView text)
{
    for (const char16_t *id : Gs1SymbologyIds) {
        if (text.startsWith(QStringView(id), Qt::CaseInsensitive))
            return QString::fromUtf16(id);
    }
    return {};
}

bool startsWithKnownBracketedAi(QStringView text)
{
    if (text.isEmpty() || text[0] != u'(')
        return false;
    const qsizetype close = text.indexOf(u')');
    return close >= 3 && close <= 5 && specFor(text.mid(1, close - 1)).has_value();
}

QString withSeparators(QStringView text, QChar substitute)
{
    QString s = text.trimmed().toString();
    if (!substitute.isNull() && substitute != GS)
        s.replace(substitute, GS);
    return s;
}

} // namespace

QString Gs1Result::value(QStringView ai) const
{
    for (const Gs1Element &e : elements) {
        if (e.ai == ai)
            return e.value;
    }
    return {};
}

QString Gs1Result::serial() const
{
    return value(u"21");
}

QString Gs1Result::sscc() const
{
    return value(u"00");
}

QString Gs1Result::product() const
{
    for (const char16_t *ai : {u"01", u"02", u"240"}) {
        if (QString v = value(ai); !v.isEmpty())
            return v;
    }
    return {};
}

bool Gs1Parser::looksLikeGs1(QStringView text, QChar substitute)
{
    const QString s = withSeparators(text, substitute);
    return !gs1SymbologyId(s).isEmpty() || s.contains(GS) || startsWithKnownBracketedAi(s);
}

Gs1Result Gs1Parser::parse(QStringView text, QChar substitute)
{
    Gs1Result result;
    const QString s = withSeparators(text, substitute);
    QStringView data = s;

    if (data.startsWith(u']')) {
        result.symbologyId = gs1SymbologyId(data);
        if (result.symbologyId.isEmpty()) {
            result.error =
                QStringLiteral("The symbology identifier %1 does not mark GS1 data.").arg(data.left(3));
            return result;
        }
        data = data.mid(3);
    }
    while (data.startsWith(GS)) // FNC1 in first position
        data = data.mid(1);

    if (data.isEmpty()) {
        result.error = result.symbologyId.isEmpty()
                           ? QStringLiteral("The scan holds no GS1 data.")
                           : QStringLiteral("There is no data after the symbology identifier %1.")
                                 .arg(result.symbologyId);
        return result;
    }

    Elements elements;
    std::optional<Failure> failure;
    if (data.startsWith(u'(')) {
        // Separators carry no meaning in the bracketed form; the brackets delimit the values.
        QString plain = data.toString();
        plain.remove(GS);
        failure = parseBracketed(plain, elements);
    } else {
        failure = parseRaw(data, elements);
    }
    if (failure) {
        result.error = failure->message;
        return result;
    }
    result.ok = true;
    result.elements = elements;
    return result;
}

bool Gs1Parser::checkDigitValid(QStringView digits)
{
    if (digits.size() < 2 || !allDigits(digits))
        return false;
    return gs1CheckDigit(digits.chopped(1)) == digits.last().unicode() - u'0';
}
