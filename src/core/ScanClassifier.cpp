// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanClassifier.h"
#include "Gs1Parser.h"
#include "TrackingNumber.h"

#include <QCoreApplication>

namespace {
bool allDigits(QStringView s)
{
    for (const QChar c : s) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    return !s.isEmpty();
}

Classification make(ScanKind kind, QString value)
{
    Classification c;
    c.kind = kind;
    c.value = std::move(value);
    return c;
}
// Another barcode of the unit's label where its serial belongs: refused with what was scanned and what to
// scan.
Classification wrong(ScanKind kind, QString value, LabelFields::Field field)
{
    Classification c = make(kind, std::move(value));
    c.problem = LabelFields::wrongBarcodeMessage(field);
    return c;
}
} // namespace

bool ScanClassifier::isCaseNumber(QStringView s)
{
    // NNNN-NNNN-NNNN to NNNN-NNNN-NNNNNN
    if (s.size() < 14 || s.size() > 16 || s[4] != QLatin1Char('-') || s[9] != QLatin1Char('-'))
        return false;
    return allDigits(s.first(4)) && allDigits(s.sliced(5, 4)) && allDigits(s.sliced(10));
}

Classification ScanClassifier::classify(const ScanNormaliser::Result &scan, ScanFacts &facts,
                                        const LabelFields &fields)
{
    if (!scan.isValid()) {
        Classification c = make(ScanKind::Invalid, QString());
        c.problem = ScanNormaliser::problemMessage(scan.problem);
        return c;
    }
    const QString &up = scan.upper;

    if (up == QLatin1String(":DONE") || up == QLatin1String(":UNDO")) {
        Classification c = make(ScanKind::Command, QString());
        c.command = up == QLatin1String(":DONE") ? Command::Done : Command::Undo;
        return c;
    }

    if (facts.isBadge(up))
        return make(ScanKind::Badge, up);

    if (Gs1Parser::looksLikeGs1(scan.text)) {
        const Gs1Result gs1 = Gs1Parser::parse(scan.text);
        if (!gs1.ok) {
            Classification c = make(ScanKind::Invalid, QString());
            c.problem = QCoreApplication::translate("Verdict",
                                                    "That GS1 barcode could not be read: %1 Scan it again.")
                            .arg(gs1.error);
            return c;
        }
        if (const QString serial = gs1.serial().toUpper(); !serial.isEmpty()) {
            Classification c = make(ScanKind::Gs1, serial);
            c.known = facts.isKnownSerial(serial);
            c.sku = gs1.value(u"240").toUpper();
            return c;
        }
        if (const QString sscc = gs1.sscc(); !sscc.isEmpty()) {
            Classification c = make(ScanKind::Gs1, sscc);
            c.boxLabel = true;
            c.known = facts.isKnownTracking(sscc);
            return c;
        }
        // USPS IMpb labels are GS1-128 too: AI 420 (ZIP) followed by the tracking number.
        if (!gs1.value(u"420").isEmpty()) {
            QString flat;
            for (const Gs1Element &e : gs1.elements)
                flat += e.ai + e.value;
            const TrackingMatch usps = TrackingNumber::recognise(flat);
            if (usps.isValid()) {
                Classification c = make(ScanKind::TrackingNumber, usps.number);
                c.boxLabel = true;
                c.known = facts.isKnownTracking(usps.number);
                return c;
            }
        }
        // A product code without a serial: not something the dock can receive on its own.
        Classification c = make(ScanKind::Gs1, gs1.product().toUpper());
        c.problem = QCoreApplication::translate(
            "Verdict", "That GS1 barcode holds no serial number (AI 21). Scan the S/N barcode.");
        return c;
    }

    if (isCaseNumber(up)) {
        Classification c = make(ScanKind::CaseNumber, up);
        c.boxLabel = true;
        return c;
    }

    const TrackingMatch carrier = TrackingNumber::recognise(up);
    const bool knownAsIs = facts.isKnownTracking(up);
    if (knownAsIs || (carrier.isValid() && carrier.number != up && facts.isKnownTracking(carrier.number))) {
        Classification c = make(ScanKind::TrackingNumber, knownAsIs ? up : carrier.number);
        c.boxLabel = true;
        c.known = true;
        return c;
    }

    if (facts.isKnownSerial(up)) {
        Classification c = make(ScanKind::Serial, up);
        c.known = true;
        return c;
    }

    if (facts.isSkuOfActiveCase(up))
        return make(ScanKind::Sku, up);

    if (carrier.isValid()) {
        Classification c = make(ScanKind::TrackingNumber, carrier.number);
        c.boxLabel = true;
        return c;
    }

    switch (fields.recognise(up)) {
    case LabelFields::Field::Mac:
        return wrong(ScanKind::Mac, up, LabelFields::Field::Mac);
    case LabelFields::Field::Clei:
        return wrong(ScanKind::Clei, up, LabelFields::Field::Clei);
    case LabelFields::Field::PartNumber:
        return wrong(ScanKind::PartNumber, up, LabelFields::Field::PartNumber);
    case LabelFields::Field::None:
        break;
    }
    return make(ScanKind::Serial, up);
}
