// SPDX-License-Identifier: GPL-3.0-or-later
#include "StationAutomation.h"
#include "StationController.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <unistd.h>

StationAutomation::StationAutomation(QQmlEngine *engine, QQuickWindow *window, StationController *station,
                                     QObject *parent)
    : QObject(parent), m_engine(engine), m_window(window), m_station(station),
      m_stdin(STDIN_FILENO, QSocketNotifier::Read)
{
    connect(&m_stdin, &QSocketNotifier::activated, this, &StationAutomation::onInput);
    m_fieldComponent = std::make_unique<QQmlComponent>(engine);
    m_fieldComponent->setData("import QtQuick\n"
                              "TextInput { objectName: \"automationField\"; x: 4; y: 4; z: 1000;"
                              " width: 240; height: 40; font.pixelSize: 20; color: \"black\" }\n",
                              QUrl(QStringLiteral("automation:field")));

    // Ready to scan: the worker opened the database and a frame showing the page after "Starting…" was
    // swapped. The render thread only flips flags; the line is written on the GUI thread.
    const auto becameReady = [this] {
        if (m_station->isReady())
            m_readyShown = true;
        if (m_window)
            m_window->update();
    };
    connect(m_station, &StationController::readyChanged, this, becameReady);
    becameReady();
    connect(
        window, &QQuickWindow::afterSynchronizing, this,
        [this] {
            if (m_readyShown)
                m_readyFrame = true;
        },
        Qt::DirectConnection);
    connect(
        window, &QQuickWindow::frameSwapped, this,
        [this] {
            if (m_readyFrame.exchange(false))
                QMetaObject::invokeMethod(this, [this] {
                    if (m_readyReported)
                        return;
                    m_readyReported = true;
                    emitLine({{QStringLiteral("event"), QStringLiteral("ready")}});
                });
        },
        Qt::DirectConnection);
}

StationAutomation::~StationAutomation() = default;

void StationAutomation::onInput()
{
    char buffer[4096];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) {
        m_stdin.setEnabled(false); // end of input: the kiosk keeps running, it just takes no more commands
        return;
    }
    m_pending.append(buffer, n);
    qsizetype end;
    while ((end = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(end).trimmed();
        m_pending.remove(0, end + 1);
        if (!line.isEmpty())
            run(line);
    }
}

void StationAutomation::run(const QByteArray &command)
{
    if (command == "state") {
        emitLine(state());
    } else if (command == "focus-field") {
        focusField();
        emitLine(state());
    } else if (command == "close") {
        // Refused by the kiosk lock unless --windowed; an accepted close ends the application.
        const bool closed = m_window && m_window->close();
        emitLine({{QStringLiteral("event"), QStringLiteral("close")}, {QStringLiteral("closed"), closed}});
    } else if (command.startsWith("locate ")) {
        emitLine(locate(QString::fromUtf8(command.mid(7)).trimmed()));
    } else if (command == "quit") {
        const bool approved = m_station->requestQuit();
        emitLine({{QStringLiteral("event"), QStringLiteral("quit")}, {QStringLiteral("approved"), approved}});
    } else {
        emitLine({{QStringLiteral("event"), QStringLiteral("error")},
                  {QStringLiteral("message"),
                   QStringLiteral("unknown command %1").arg(QString::fromUtf8(command))}});
    }
}

QJsonObject StationAutomation::locate(const QString &name) const
{
    QJsonObject o{{QStringLiteral("event"), QStringLiteral("locate")},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("found"), false}};
    if (!m_window)
        return o;
    // Several items may share a name across pages: the visible, enabled one on screen is meant. The visual
    // tree is walked (delegates and loaded pages are not always QObject children of what shows them), the
    // topmost item first.
    QList<const QQuickItem *> items;
    std::function<void(const QQuickItem *)> walk = [&](const QQuickItem *item) {
        if (!item->isVisible())
            return;
        if (item->objectName() == name)
            items.prepend(item);
        for (const QQuickItem *child : item->childItems())
            walk(child);
    };
    walk(m_window->contentItem());
    for (const QQuickItem *item : std::as_const(items)) {
        if (!item->isVisible() || !item->isEnabled() || item->width() <= 0 || item->height() <= 0)
            continue;
        const QPointF c = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        if (c.x() < 0 || c.y() < 0 || c.x() >= m_window->width() || c.y() >= m_window->height())
            continue;
        o.insert(QStringLiteral("found"), true);
        o.insert(QStringLiteral("x"), qRound(c.x()));
        o.insert(QStringLiteral("y"), qRound(c.y()));
        return o;
    }
    return o;
}

void StationAutomation::focusField()
{
    if (!m_window)
        return;
    if (!m_field) {
        // The type loader may still be busy with the pages (it compiles in the background).
        if (m_fieldComponent->isLoading()) {
            QEventLoop loop;
            connect(m_fieldComponent.get(), &QQmlComponent::statusChanged, &loop, &QEventLoop::quit);
            QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        auto *field = qobject_cast<QQuickItem *>(m_fieldComponent->create());
        if (!field) {
            qWarning("automation: the text field did not load: %s",
                     qPrintable(m_fieldComponent->errorString()));
            return;
        }
        field->setParent(m_window->contentItem());
        field->setParentItem(m_window->contentItem());
        m_field = field;
    }
    m_field->forceActiveFocus();
}

QJsonObject StationAutomation::itemJson(const QQuickItem *item) const
{
    if (!item)
        return {};
    QJsonObject o{{QStringLiteral("class"), QString::fromLatin1(item->metaObject()->className())},
                  {QStringLiteral("object_name"), item->objectName()}};
    const QVariant text = item->property("text");
    if (text.isValid())
        o.insert(QStringLiteral("text"), text.toString());
    const QVariant acceptsScans = item->property("acceptsScans");
    o.insert(QStringLiteral("accepts_scans"), acceptsScans.isValid() && acceptsScans.toBool());
    o.insert(QStringLiteral("focus"), item->hasActiveFocus());
    o.insert(QStringLiteral("visible"), item->isVisible());
    return o;
}

QJsonObject StationAutomation::state() const
{
    QJsonObject o{{QStringLiteral("event"), QStringLiteral("state")},
                  {QStringLiteral("ready"), m_station->isReady()},
                  {QStringLiteral("signed_in"), m_station->isSignedIn()},
                  {QStringLiteral("operator"), m_station->operatorName()},
                  {QStringLiteral("supervisor"), m_station->isSupervisor()},
                  {QStringLiteral("supervisor_role"), m_station->hasSupervisorRole()},
                  {QStringLiteral("pin_locked_seconds"), m_station->pinLockedSeconds()},
                  {QStringLiteral("pin_message"), m_station->pinMessage()},
                  {QStringLiteral("verdicts"), m_station->verdictSerialNumber()}};
    const QVariantMap v = m_station->verdict();
    o.insert(QStringLiteral("verdict"),
             QJsonObject{{QStringLiteral("outcome"), v.value(QStringLiteral("outcome")).toString()},
                         {QStringLiteral("serial"), v.value(QStringLiteral("serial")).toString()},
                         {QStringLiteral("input"), v.value(QStringLiteral("input")).toString()}});
    if (!m_window)
        return o;
    const QRect g = m_window->geometry();
    o.insert(QStringLiteral("window"),
             QJsonObject{{QStringLiteral("visible"), m_window->isVisible()},
                         {QStringLiteral("full_screen"), m_window->visibility() == QWindow::FullScreen},
                         {QStringLiteral("frameless"), m_window->flags().testFlag(Qt::FramelessWindowHint)},
                         {QStringLiteral("active"), m_window->isActive()},
                         {QStringLiteral("x"), g.x()},
                         {QStringLiteral("y"), g.y()},
                         {QStringLiteral("width"), g.width()},
                         {QStringLiteral("height"), g.height()}});
    o.insert(QStringLiteral("focus"), itemJson(m_window->activeFocusItem()));
    // Every text input in the scene, pop-ups included (they live under the window's root item too).
    QJsonArray fields;
    QList<QQuickItem *> todo{m_window->contentItem()};
    while (!todo.isEmpty()) {
        QQuickItem *item = todo.takeFirst();
        if (item->inherits("QQuickTextInput") || item->inherits("QQuickTextEdit"))
            fields.append(itemJson(item));
        todo.append(item->childItems());
    }
    o.insert(QStringLiteral("text_fields"), fields);
    return o;
}

void StationAutomation::emitLine(const QJsonObject &o)
{
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    fwrite(line.constData(), 1, size_t(line.size()), stdout);
    fflush(stdout);
}
