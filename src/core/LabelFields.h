// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QRegularExpression>
#include <QString>

#include <optional>

// Recognises the other barcodes on a network-gear label (MAC address, CLEI code, Juniper part number), so
// that scanning one of them where a serial belongs is refused instead of taken for an unknown serial.
// Configured serial patterns per SKU family win over these guesses. Pure.
class LabelFields
{
public:
    enum class Field { None, Mac, Clei, PartNumber };

    // `patterns`: SKU family (an upper-case SKU prefix such as "MX960" or "EX4300") -> serial pattern.
    LabelFields() = default;
    explicit LabelFields(QHash<QString, QRegularExpression> patterns);

    // Reads "serial.pattern.FAMILY=REGEX" keys from configuration values; invalid patterns are reported.
    static LabelFields fromConfig(const QHash<QString, QString> &values, QString *error = nullptr);

    Field recognise(const QString &upper) const;
    bool matchesSerialPattern(const QString &upper) const;
    // The family a SKU belongs to, when a pattern is configured for one of its prefixes.
    std::optional<QString> familyOf(const QString &sku) const;
    bool serialFitsSku(const QString &serial, const QString &sku) const;

    static bool isMac(const QString &upper);
    static bool isClei(const QString &upper);
    static bool isPartNumber(const QString &upper);
    static QString fieldName(Field f); // "mac", "clei", "part_number"
    // What the dock worker is told: what they scanned, and what to scan instead.
    static QString wrongBarcodeMessage(Field f);

private:
    QHash<QString, QRegularExpression> m_patterns;
};
