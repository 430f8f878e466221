// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChar>
#include <QList>
#include <QString>
#include <QStringView>

struct Gs1Element
{
    QString ai;
    QString value;
};

// The outcome of reading one GS1 element string. When !ok, `elements` is empty so nothing half-read
// can be mistaken for a good scan.
struct Gs1Result
{
    bool ok = false;
    QString error;       // one English sentence, ending with a full stop, when !ok
    QString symbologyId; // "]C1", "]d2", "]Q3", "]e0" (canonical case) or empty
    QList<Gs1Element> elements;

    QString value(QStringView ai) const; // first occurrence; empty when absent
    QString serial() const;              // AI 21
    QString sscc() const;                // AI 00
    QString product() const;             // AI 01 GTIN, else 02, else 240
};

// Splits GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR, DataBar, or the bracketed human-readable
// form) into AIs and values, checking each value against the GS1 rules for its AI.
class Gs1Parser
{
public:
    static constexpr QChar GroupSeparator = QChar(0x1D);

    // True when the text is meant as a GS1 element string: a GS1 symbology identifier (any case, since
    // wedge scanners may shift it), a GS anywhere (including FNC1 in first position), or the "(01)…"
    // bracketed form starting with a known AI. `substitute` is what a wedge scanner sends instead of GS
    // (QChar() = none).
    static bool looksLikeGs1(QStringView text, QChar substitute = QChar());
    static Gs1Result parse(QStringView text, QChar substitute = QChar());
    // GS1 mod-10: weights 3,1 from the right, the last digit being the check digit.
    static bool checkDigitValid(QStringView digits);
};
