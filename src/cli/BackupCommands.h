// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

#include <optional>

// `receiving-cli backup [--to DIR]` and `receiving-cli restore FILE`, kept apart from the receiving commands.
// Returns the exit code when `arguments` name one of them, nullopt otherwise.
std::optional<int> runBackupCli(const QStringList &arguments);

// Reads the configuration the arguments name (quietly) and tells Migrations where its pre-upgrade backups go
// and how many backups rotation keeps.
void configureBackups(const QStringList &arguments);
