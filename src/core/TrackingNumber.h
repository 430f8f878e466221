// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

enum class Carrier { None, Ups, FedEx, Usps, Dhl, Sscc };

struct TrackingMatch
{
    Carrier carrier = Carrier::None;
    // As the carrier shows it: upper-case, no spaces, USPS "420"+ZIP routing prefix stripped, SSCC without
    // its "00"/"(00)" AI, FedEx 22/34-digit barcodes reduced to the tracking number they carry.
    QString number;
    bool isValid() const { return carrier != Carrier::None; }
};

// Recognises a parcel-carrier tracking number by its pattern and check digit, so a scanned shipping label
// can be told apart from serials and part numbers.
class TrackingNumber
{
public:
    // Anything that fails its check digit is Carrier::None. Whitespace is ignored, and a leading AIM
    // symbology identifier and GS separators are tolerated. All-digit input is tried in this fixed order,
    // first match wins: SSCC, UPS, USPS, FedEx 34, FedEx 22, FedEx 15, FedEx 12, DHL.
    static TrackingMatch recognise(QStringView text);
    static QString carrierName(Carrier c); // "UPS", "FedEx", "USPS", "DHL", "SSCC"; empty for None
};
