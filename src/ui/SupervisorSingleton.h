// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SupervisorController.h"

#include <QJSEngine>
#include <QQmlEngine>
#include <QtQml/qqmlregistration.h>

// The supervisor pages' controller as the QML singleton "Supervisor": main() sets the instance before the
// engine loads (like StationSingleton).
struct SupervisorSingleton
{
    Q_GADGET
    QML_FOREIGN(SupervisorController)
    QML_SINGLETON
    QML_NAMED_ELEMENT(Supervisor)
public:
    inline static SupervisorController *instance = nullptr;
    static SupervisorController *create(QQmlEngine *, QJSEngine *engine)
    {
        Q_ASSERT(instance);
        engine->setObjectOwnership(instance, QJSEngine::CppOwnership);
        return instance;
    }
};
