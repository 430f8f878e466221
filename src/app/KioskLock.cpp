// SPDX-License-Identifier: GPL-3.0-or-later
#include "KioskLock.h"

#include <QCloseEvent>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLoggingCategory>
#include <QWindow>

Q_LOGGING_CATEGORY(lcKiosk, "rs.ui.kiosk")

namespace {
// Key combinations that close or quit an application somewhere; none of them does anything in the kiosk.
bool isWayOut(const QKeyEvent *e)
{
    const QKeyCombination combination(e->modifiers() & ~Qt::KeypadModifier, Qt::Key(e->key()));
    if (combination == QKeyCombination(Qt::AltModifier, Qt::Key_F4) ||
        combination == QKeyCombination(Qt::ControlModifier, Qt::Key_Q) ||
        combination == QKeyCombination(Qt::ControlModifier, Qt::Key_W) ||
        combination == QKeyCombination(Qt::ControlModifier, Qt::Key_F4))
        return true;
    return e->matches(QKeySequence::Quit) || e->matches(QKeySequence::Close);
}
} // namespace

KioskLock::KioskLock(QWindow *window, QObject *parent) : QObject(parent), m_window(window)
{
    m_window->installEventFilter(this);
}

KioskLock::~KioskLock()
{
    if (m_window)
        m_window->removeEventFilter(this);
}

void KioskLock::unlock()
{
    m_locked = false;
}

bool KioskLock::eventFilter(QObject *watched, QEvent *event)
{
    if (!m_locked || watched != m_window)
        return false;
    switch (event->type()) {
    case QEvent::Close:
        qCInfo(lcKiosk) << "close request refused: leaving kiosk mode needs a supervisor";
        event->ignore();
        return true;
    case QEvent::ShortcutOverride:
    case QEvent::KeyPress:
    case QEvent::KeyRelease:
        return isWayOut(static_cast<QKeyEvent *>(event));
    default:
        return false;
    }
}
