// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <chrono>

// Tells systemd how the station is doing through $NOTIFY_SOCKET (READY=1, WATCHDOG=1, STATUS=). Off systemd
// every call does nothing. The unit runs cage as its main process with NotifyAccess=all, so WATCHDOG_PID
// names cage, not us: the watchdog interval is read from WATCHDOG_USEC alone.
namespace SystemdNotify {
bool available();
bool ready(const QByteArray &status = QByteArray());
bool watchdog();
bool status(const QByteArray &status);
// WATCHDOG_USEC, or zero when systemd watches nothing.
std::chrono::microseconds watchdogInterval();
} // namespace SystemdNotify
