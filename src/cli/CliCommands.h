// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

// `receiving-cli`: every business operation of the station without a screen. Returns the process exit code:
// 0 done, 1 refused or failed (a sentence on stderr), 2 wrong usage, 3 the database cannot be used.
int runCli(const QStringList &arguments);
