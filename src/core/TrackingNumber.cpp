// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrackingNumber.h"

#include "Gs1Parser.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

namespace {

constexpr QChar GS = Gs1Parser::GroupSeparator;

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

int digitAt(QStringView s, qsizetype i)
{
    return s[i].unicode() - u'0';
}

// UPS: "1Z" + 15 characters + numeric check digit. Letters count as (ASCII - 63) % 10, the characters after
// "1Z" are weighted 1,2,1,2,... from the left.
bool isUps(QStringView s)
{
    if (s.size() != 18 || !s.startsWith(u"1Z") || !isAsciiDigit(s[17]))
        return false;
    int sum = 0;
    for (qsizetype i = 2; i < 17; ++i) {
        const QChar c = s[i];
        int v = 0;
        if (isAsciiDigit(c))
            v = c.unicode() - u'0';
        else if (c >= u'A' && c <= u'Z')
            v = (c.unicode() - 63) % 10;
        else
            return false;
        sum += (i - 2) % 2 == 0 ? v : 2 * v;
    }
    return (10 - sum % 10) % 10 == digitAt(s, 17);
}

// USPS IMpb body: the GS1 channel AI 91-95 leads it. 96 is FedEx Ground's, so excluding it keeps the two
// apart.
bool isUspsBody(QStringView s)
{
    static constexpr qsizetype Lengths[] = {20, 22, 26, 30, 34};
    if (std::find(std::begin(Lengths), std::end(Lengths), s.size()) == std::end(Lengths) || !allDigits(s))
        return false;
    return s[0] == u'9' && s[1] >= u'1' && s[1] <= u'5' && Gs1Parser::checkDigitValid(s);
}

// "420" + ZIP routing prefix. ZIP+4 is tried before ZIP5 because a 34-digit string splits both ways and
// 22-digit bodies (ZIP+4) are far more common than 26-digit ones; 11 digits is ZIP+4+delivery point.
std::optional<QString> uspsAfterRouting(QStringView s)
{
    if (!s.startsWith(u"420") || !allDigits(s))
        return std::nullopt;
    for (qsizetype zip : {9, 5, 11}) {
        const QStringView body = s.mid(qMin<qsizetype>(3 + zip, s.size()));
        if (isUspsBody(body))
            return body.toString();
    }
    return std::nullopt;
}

// FedEx Express 12-digit: weights 1,3,7 repeating from the rightmost non-check digit leftwards, mod 11
// mod 10.
bool isFedEx12(QStringView s)
{
    if (s.size() != 12 || !allDigits(s))
        return false;
    static constexpr int Weights[] = {1, 3, 7};
    int sum = 0;
    for (qsizetype i = 10, w = 0; i >= 0; --i, ++w)
        sum += digitAt(s, i) * Weights[w % 3];
    return sum % 11 % 10 == digitAt(s, 11);
}

// FedEx Ground 15-digit: GS1 mod 10.
bool isFedEx15(QStringView s)
{
    return s.size() == 15 && Gs1Parser::checkDigitValid(s);
}

// The 34-digit FedEx barcodes ("96" Ground/GSN, "100" Express) end with the 12-digit tracking number.
std::optional<QString> fedEx34(QStringView s)
{
    if (s.size() != 34 || !allDigits(s) || !(s.startsWith(u"96") || s.startsWith(u"100")))
        return std::nullopt;
    const QStringView tracking = s.right(12);
    return isFedEx12(tracking) ? std::optional<QString>(tracking.toString()) : std::nullopt;
}

// The 22-digit FedEx Ground "96" barcode: "96" + SCNC + service type, then the 15-digit tracking number.
std::optional<QString> fedEx22(QStringView s)
{
    if (s.size() != 22 || !allDigits(s) || !s.startsWith(u"96"))
        return std::nullopt;
    const QStringView tracking = s.right(15);
    return isFedEx15(tracking) ? std::optional<QString>(tracking.toString()) : std::nullopt;
}

// DHL Express waybill: the first nine digits mod 7 give the tenth.
bool isDhl(QStringView s)
{
    if (s.size() != 10 || !allDigits(s))
        return false;
    return s.left(9).toInt() % 7 == digitAt(s, 9);
}

TrackingMatch match(Carrier carrier, QString number)
{
    return {carrier, std::move(number)};
}

TrackingMatch classify(QStringView s)
{
    if (s.size() == 20 && s.startsWith(u"00") && allDigits(s) && Gs1Parser::checkDigitValid(s.mid(2)))
        return match(Carrier::Sscc, s.mid(2).toString());
    if (isUps(s))
        return match(Carrier::Ups, s.toString());
    if (isUspsBody(s))
        return match(Carrier::Usps, s.toString());
    if (const auto body = uspsAfterRouting(s))
        return match(Carrier::Usps, *body);
    if (const auto tracking = fedEx34(s))
        return match(Carrier::FedEx, *tracking);
    if (const auto tracking = fedEx22(s))
        return match(Carrier::FedEx, *tracking);
    if (isFedEx15(s) || isFedEx12(s))
        return match(Carrier::FedEx, s.toString());
    if (isDhl(s))
        return match(Carrier::Dhl, s.toString());
    return {};
}

} // namespace

TrackingMatch TrackingNumber::recognise(QStringView text)
{
    QString s;
    s.reserve(text.size());
    for (QChar c : text) {
        if (!c.isSpace())
            s.append(c.toUpper());
    }

    // Wedge scanners may prefix an AIM identifier ("]C1" on IMpb and SSCC labels) and send FNC1 as GS.
    if (s.startsWith(u']') && s.size() >= 3)
        s.remove(0, 3);
    while (s.startsWith(GS))
        s.remove(0, 1);

    // Human-readable GS1 form as printed under the barcode.
    if (s.startsWith(u"(00)"))
        s.replace(0, 4, QStringLiteral("00"));
    else if (s.startsWith(u"(420)"))
        s.replace(0, 5, QStringLiteral("420"));

    // "420"+ZIP GS body: the separator says exactly where the routing prefix ends.
    if (const qsizetype gs = s.indexOf(GS); gs >= 0) {
        const QStringView head = QStringView(s).left(gs);
        if (head.startsWith(u"420") && (head.size() == 8 || head.size() == 12 || head.size() == 14) &&
            allDigits(head)) {
            QString body = s.mid(gs + 1);
            body.remove(GS);
            return isUspsBody(body) ? match(Carrier::Usps, body) : TrackingMatch{};
        }
        s.remove(GS);
    }

    return classify(s);
}

QString TrackingNumber::carrierName(Carrier c)
{
    switch (c) {
    case Carrier::Ups:
        return QStringLiteral("UPS");
    case Carrier::FedEx:
        return QStringLiteral("FedEx");
    case Carrier::Usps:
        return QStringLiteral("USPS");
    case Carrier::Dhl:
        return QStringLiteral("DHL");
    case Carrier::Sscc:
        return QStringLiteral("SSCC");
    case Carrier::None:
        break;
    }
    return {};
}
