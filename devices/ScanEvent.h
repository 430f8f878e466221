// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// One read from any scanner, before anyone has judged it: the bytes as they arrived, and where from.
struct ScanEvent
{
    QByteArray raw;           // as received, terminator removed; may be invalid UTF-8
    bool truncated = false;   // the source cut an over-long read (the matcher then refuses it)
    QString symbology;        // e.g. "Code128", empty when the source cannot tell
    QString sourceId;         // e.g. "stdin", "wedge", "evdev:/dev/input/by-id/..."
    qint64 timestampMs = 0;   // ms since epoch, when the read completed
    bool manualEntry = false; // typed by a person on the keypad instead of scanned
};
