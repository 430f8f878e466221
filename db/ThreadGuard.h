// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QThread>
#include <QVariant>

// Disk and network work must never run on the GUI thread of the kiosk (a frozen screen at the dock).
// Headless programs (receiving-cli, tests without a GUI application) have no GUI thread and pass.
namespace ThreadGuard {
inline bool onGuiThread()
{
    const QCoreApplication *app = QCoreApplication::instance();
    return app && QThread::currentThread() == app->thread() && app->inherits("QGuiApplication") &&
           !app->property("rs_allow_gui_thread_io").toBool();
}

inline void assertWorkerThread(const char *what)
{
    if (onGuiThread())
        qFatal("%s called on the GUI thread: disk and network work belongs on a worker thread", what);
}
} // namespace ThreadGuard
