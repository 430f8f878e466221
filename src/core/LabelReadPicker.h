// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanClassifier.h"

#include <QList>

// One physical read can carry several barcodes (all codes of a camera frame, a scanner in multi-code mode):
// serial, part number, MAC, CLEI, SKU on a unit's label; tracking and postal codes on a shipping label. This
// picks the one the matcher should see, plus the SKU that came with it, so a label gives one verdict. Pure.
class LabelReadPicker
{
public:
    struct Pick
    {
        qsizetype index = -1; // which classification to act on; -1 when the list is empty
        QString skuHint;      // a SKU of the active case read alongside a serial
    };

    // Order: a command, a badge, a serial known to a case, a box label known to a case, a serial with a SKU
    // beside it, any other serial, a carrier box label, a SKU, the wrong barcode (MAC, CLEI, part number),
    // the first read. Invalid codes are never picked while a valid one exists.
    static Pick pick(const QList<Classification> &codes);
};
