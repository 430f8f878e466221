// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// Turns raw scanner bytes into the text the matcher compares, or refuses them. Pure.
class ScanNormaliser
{
public:
    static constexpr int MaxLength = 128; // characters, after trimming

    enum class Problem { None, Empty, TooLong, InvalidUtf8, ControlCharacter };

    struct Result
    {
        Problem problem = Problem::None;
        QString text;    // trimmed, original case (GS1 values keep their case)
        QString upper;   // what serials, SKUs, case and tracking numbers compare as
        QString display; // safe to echo back: valid UTF-8, control characters shown as U+FFFD, shortened
        bool isValid() const { return problem == Problem::None; }
    };

    static Result normalise(const QByteArray &raw, bool truncatedBySource = false);
    static QString problemMessage(Problem p);
    // A printable, bounded rendering of any bytes, for logs and verdict `input` fields.
    static QString displayForm(const QByteArray &raw);
};
