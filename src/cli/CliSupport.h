// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QCommandLineParser;
struct StationConfig;

// What the command files beside CliCommands.cpp share with it, so a check is written once.

// The supervisor check of `exceptions resolve` and the other supervisor commands: --operator must be an
// enabled supervisor and its PIN must come with the command (`pinOption`'s file, or typed at the terminal's
// prompt); a wrong PIN counts towards the station's lock. `parser` must know the options "operator" and
// `pinOption`. Returns 0, or the exit code (1 refused, 3 database unusable) with a sentence on stderr.
int requireCliSupervisorPin(QCommandLineParser &parser, const StationConfig &config,
                            const QString &pinOption);
