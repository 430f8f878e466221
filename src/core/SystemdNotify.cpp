// SPDX-License-Identifier: GPL-3.0-or-later
#include "SystemdNotify.h"

#include <QString>

#include <systemd/sd-daemon.h>

namespace {
bool send(const QByteArray &message)
{
    return sd_notify(0, message.constData()) > 0;
}
} // namespace

bool SystemdNotify::available()
{
    return !qEnvironmentVariableIsEmpty("NOTIFY_SOCKET");
}

bool SystemdNotify::ready(const QByteArray &status)
{
    return send(status.isEmpty() ? QByteArrayLiteral("READY=1") : "READY=1\nSTATUS=" + status);
}

bool SystemdNotify::watchdog()
{
    return send(QByteArrayLiteral("WATCHDOG=1"));
}

bool SystemdNotify::status(const QByteArray &status)
{
    return send("STATUS=" + status);
}

std::chrono::microseconds SystemdNotify::watchdogInterval()
{
    bool ok = false;
    const qlonglong usec = qEnvironmentVariable("WATCHDOG_USEC").toLongLong(&ok);
    return std::chrono::microseconds(ok && usec > 0 ? usec : 0);
}
