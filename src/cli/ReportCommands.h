// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

#include <optional>

// `receiving-cli report receipts|cases|exceptions|osd ...` and `receiving-cli certificate CASE ...`, kept
// apart from the receiving commands. Returns the exit code when `arguments` name one of them, nullopt
// otherwise.
std::optional<int> runReportCli(const QStringList &arguments);

// True when argv names a command that draws PDFs (report, certificate): main() then makes the application
// a QGuiApplication on the offscreen platform, since QPainter text needs one and the CLI has no display.
bool reportCliNeedsGui(int argc, char **argv);
