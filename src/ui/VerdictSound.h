// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Verdict.h"

#include <memory>

// One sound per severity, behind an interface so tests and machines without audio need no device.
class VerdictSound
{
public:
    virtual ~VerdictSound() = default;
    virtual void play(Severity severity) = 0;
    virtual void setVolume(double volume01) = 0;
};

class SilentVerdictSound : public VerdictSound
{
public:
    void play(Severity) override { ++played; }
    void setVolume(double) override {}
    int played = 0;
};

// Qt Multimedia sound effects made from tones at start-up (no audio files to ship): a rising chirp for
// success, two mid beeps for attention, a long low buzz for error, loud enough for a dock.
std::unique_ptr<VerdictSound> makeMultimediaVerdictSound();
