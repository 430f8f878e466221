// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LabelFields.h"
#include "ScanNormaliser.h"
#include "Verdict.h"

// What the classifier may ask about the station's data. The store implements it with indexed lookups;
// tests implement it with sets.
class ScanFacts
{
public:
    virtual ~ScanFacts() = default;
    virtual bool isBadge(const QString &upper) = 0;
    virtual bool isKnownTracking(const QString &upper) = 0;
    virtual bool isKnownSerial(const QString &upper) = 0; // expected on any case, whatever its status
    virtual bool isSkuOfActiveCase(const QString &upper) = 0;
};

enum class Command { None, Done, Undo };

// Which barcode a scan is, first match wins: invalid, command, badge, GS1, case number, known tracking
// number, known serial, SKU of the active box's case, carrier tracking number (valid check digit), unknown
// serial, MAC / CLEI / part number (wrong barcode), unknown serial.
struct Classification
{
    ScanKind kind = ScanKind::Invalid;
    QString value; // normalised: the serial, SKU, case/tracking number, badge; empty for commands
    Command command = Command::None;
    bool boxLabel = false; // a case number, tracking number or SSCC: opens a box
    bool known = false;    // tracking/case number known to a case, serial expected somewhere
    QString sku;           // a product id that came with the serial (GS1 AI 240)
    QString problem;       // why an invalid or wrong barcode was refused, for the message
};

class ScanClassifier
{
public:
    // `fields` recognises the label's other barcodes (MAC, CLEI, part number) and the configured serial
    // patterns; the default knows no patterns.
    static Classification classify(const ScanNormaliser::Result &scan, ScanFacts &facts,
                                   const LabelFields &fields = LabelFields());
    static bool isCaseNumber(QStringView upper);
};
