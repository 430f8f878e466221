// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StationController.h"

#include <QJSEngine>
#include <QQmlEngine>
#include <QtQml/qqmlregistration.h>

// Services built by the composition root reach QML as typed singletons (no context properties): main() sets
// the instance before the engine loads, QML gets it through create().
struct StationSingleton
{
    Q_GADGET
    QML_FOREIGN(StationController)
    QML_SINGLETON
    QML_NAMED_ELEMENT(Station)
public:
    inline static StationController *instance = nullptr;
    static StationController *create(QQmlEngine *, QJSEngine *engine)
    {
        Q_ASSERT(instance);
        engine->setObjectOwnership(instance, QJSEngine::CppOwnership);
        return instance;
    }
};
