// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

class QCommandLineParser;
struct StationConfig;

// What the command files beside CliCommands.cpp share with it, so a check is written once.

// The station's configuration as every command sees it: --config, then --db and --station over the file and
// the environment. nullopt after a sentence on stderr.
std::optional<StationConfig> loadCliConfig(const QCommandLineParser &parser);

// The supervisor check of `exceptions resolve` and the other supervisor commands: --operator must be an
// enabled supervisor and its PIN must come with the command (`pinOption`'s file, or typed at the terminal's
// prompt); a wrong PIN counts towards the station's lock. `parser` must know the options "operator" and
// `pinOption`. Returns 0, or the exit code (1 refused, 3 database unusable) with a sentence on stderr.
int requireCliSupervisorPin(QCommandLineParser &parser, const StationConfig &config,
                            const QString &pinOption);
