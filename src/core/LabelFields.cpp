// SPDX-License-Identifier: GPL-3.0-or-later
#include "LabelFields.h"

#include <QCoreApplication>

namespace {
bool isHex(QChar c)
{
    return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
}

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

bool isLetter(QChar c)
{
    return c >= QLatin1Char('A') && c <= QLatin1Char('Z');
}
} // namespace

LabelFields::LabelFields(QHash<QString, QRegularExpression> patterns) : m_patterns(std::move(patterns)) {}

LabelFields LabelFields::fromConfig(const QHash<QString, QString> &values, QString *error)
{
    static const QString prefix = QStringLiteral("serial.pattern.");
    QHash<QString, QRegularExpression> patterns;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!it.key().startsWith(prefix))
            continue;
        const QString family = it.key().mid(prefix.size()).toUpper();
        // Anchored: a pattern describes the whole serial, not a part of it.
        QRegularExpression re(QStringLiteral("\\A(?:%1)\\z").arg(it.value()),
                              QRegularExpression::CaseInsensitiveOption);
        if (family.isEmpty() || !re.isValid()) {
            if (error)
                *error =
                    QStringLiteral("%1 is not a valid serial pattern: %2").arg(it.key(), re.errorString());
            continue;
        }
        re.optimize();
        patterns.insert(family, re);
    }
    return LabelFields(std::move(patterns));
}

bool LabelFields::isMac(const QString &s)
{
    // With separators: 00:1A:2B:3C:4D:5E, 00-1A-2B-3C-4D-5E, 001A.2B3C.4D5E.
    if (s.size() == 17 && (s[2] == QLatin1Char(':') || s[2] == QLatin1Char('-'))) {
        const QChar sep = s[2];
        for (int i = 0; i < 17; ++i) {
            if (i % 3 == 2 ? s[i] != sep : !isHex(s[i]))
                return false;
        }
        return true;
    }
    if (s.size() == 14 && s[4] == QLatin1Char('.') && s[9] == QLatin1Char('.')) {
        for (int i = 0; i < 14; ++i) {
            if (i != 4 && i != 9 && !isHex(s[i]))
                return false;
        }
        return true;
    }
    // Bare: 12 hex digits. All-decimal strings are left alone (EX-series serials are 12 digits), so a bare
    // MAC needs at least one letter A-F and at least two digits.
    if (s.size() != 12)
        return false;
    int letters = 0, digits = 0;
    for (const QChar c : s) {
        if (!isHex(c))
            return false;
        isDigit(c) ? ++digits : ++letters;
    }
    return letters >= 1 && digits >= 2;
}

bool LabelFields::isClei(const QString &s)
{
    // Telcordia CLEI: 10 characters, letters and digits; on Juniper labels they start with two letters and
    // end in a letter (IPMJ610DRA, COUIA8PBAA, CMM1X00DRA) and carry at least one digit.
    if (s.size() != 10 || !isLetter(s[0]) || !isLetter(s[1]) || !isLetter(s[9]))
        return false;
    int digits = 0;
    for (const QChar c : s) {
        if (!isLetter(c) && !isDigit(c))
            return false;
        digits += isDigit(c);
    }
    return digits >= 1 && digits <= 6;
}

bool LabelFields::isPartNumber(const QString &s)
{
    // Juniper assembly/part numbers: 710-, 711-, 720-, 730-, 740-, 750-, 760- and six digits, maybe a
    // revision.
    static const QRegularExpression re(
        QStringLiteral("\\A7(?:1[01]|[2-6]0)-\\d{6}(?:(?:-| ?REV ?)[0-9A-Z]{1,3})?\\z"));
    return re.match(s).hasMatch();
}

LabelFields::Field LabelFields::recognise(const QString &upper) const
{
    if (matchesSerialPattern(upper))
        return Field::None;
    if (isPartNumber(upper))
        return Field::PartNumber;
    if (isMac(upper))
        return Field::Mac;
    if (isClei(upper))
        return Field::Clei;
    return Field::None;
}

bool LabelFields::matchesSerialPattern(const QString &upper) const
{
    for (auto it = m_patterns.cbegin(); it != m_patterns.cend(); ++it) {
        if (it.value().match(upper).hasMatch())
            return true;
    }
    return false;
}

std::optional<QString> LabelFields::familyOf(const QString &sku) const
{
    std::optional<QString> best;
    for (auto it = m_patterns.cbegin(); it != m_patterns.cend(); ++it) {
        if (sku.startsWith(it.key()) && (!best || it.key().size() > best->size()))
            best = it.key();
    }
    return best;
}

bool LabelFields::serialFitsSku(const QString &serial, const QString &sku) const
{
    const std::optional<QString> family = familyOf(sku);
    return !family || m_patterns.value(*family).match(serial).hasMatch();
}

QString LabelFields::fieldName(Field f)
{
    switch (f) {
    case Field::Mac:
        return QStringLiteral("mac");
    case Field::Clei:
        return QStringLiteral("clei");
    case Field::PartNumber:
        return QStringLiteral("part_number");
    case Field::None:
        break;
    }
    return QString();
}

QString LabelFields::wrongBarcodeMessage(Field f)
{
    switch (f) {
    case Field::Mac:
        return QCoreApplication::translate("Verdict", "You scanned the MAC address. Scan the S/N barcode.");
    case Field::Clei:
        return QCoreApplication::translate("Verdict", "You scanned the CLEI code. Scan the S/N barcode.");
    case Field::PartNumber:
        return QCoreApplication::translate("Verdict", "You scanned the part number. Scan the S/N barcode.");
    case Field::None:
        break;
    }
    return QString();
}
