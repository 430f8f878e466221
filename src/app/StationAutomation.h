// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QSocketNotifier>

#include <atomic>
#include <memory>

class QQmlComponent;
class QQmlEngine;
class QQuickItem;
class QQuickWindow;
class StationController;

// `receiving-station --automation`: lets a test or benchmark drive and inspect the running kiosk. It writes
// one JSON object per line on stdout and reads one command per line on stdin:
//   {"event":"ready"} once the database is open and the first frame of the sign-in screen is on screen;
//   state        the session, the last verdict, the window, the focused item and every text field's text;
//   focus-field  puts a plain text field (objectName "automationField") on the window and gives it focus;
//   close        asks the window to close, as a window manager's close does;
//   quit         StationController::requestQuit(), the supervisor's way out;
//   locate NAME  where the visible item with that objectName is (window coordinates of its centre), so a
//                test can tap it with a real pointer event (xdotool click), as a finger would.
// Nothing here bypasses a rule: sign-in, PINs and scans still come through the keyboard, the pointer or a
// scanner like a person's.
class StationAutomation : public QObject
{
    Q_OBJECT
public:
    StationAutomation(QQmlEngine *engine, QQuickWindow *window, StationController *station,
                      QObject *parent = nullptr);
    ~StationAutomation() override;

private:
    void onInput();
    void run(const QByteArray &command);
    void focusField();
    QJsonObject locate(const QString &name) const;
    void emitLine(const QJsonObject &o);
    QJsonObject state() const;
    QJsonObject itemJson(const QQuickItem *item) const;

    QQmlEngine *m_engine;
    QPointer<QQuickWindow> m_window;
    StationController *m_station;
    QSocketNotifier m_stdin;
    QByteArray m_pending;
    std::unique_ptr<QQmlComponent> m_fieldComponent;
    QPointer<QQuickItem> m_field;
    bool m_readyReported = false;
    std::atomic<bool> m_readyShown{false}; // set on the GUI thread when the station became ready
    std::atomic<bool> m_readyFrame{false}; // a frame synchronised after that is being rendered
};
