// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

class QWindow;

// Keeps the kiosk window up until a supervisor lets it go: close requests (the window manager's close,
// Alt+F4, QWindow::close()) are refused and the usual quit and close shortcuts (Ctrl+Q, Ctrl+W, Alt+F4) are
// eaten. unlock() is the only way out; main() calls it when StationController approves a supervisor's quit.
class KioskLock : public QObject
{
    Q_OBJECT
public:
    explicit KioskLock(QWindow *window, QObject *parent = nullptr);
    ~KioskLock() override;

    void unlock();
    bool isLocked() const { return m_locked; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPointer<QWindow> m_window;
    bool m_locked = true;
};
