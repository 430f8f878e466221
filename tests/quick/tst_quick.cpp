// SPDX-License-Identifier: GPL-3.0-or-later
// The Qt Quick Test runner for tests/quick/tst_*.qml: the kiosk's QML modules as built, and a real Station
// (its worker over a demo database in a temporary folder) for components that talk to it.
#include "Clock.h"
#include "KioskChecks.h"
#include "QmlSingletons.h"
#include "ScanWorker.h"
#include "StationController.h"
#include "SupervisorSingleton.h"
#include "SupervisorWorker.h"
#include "VerdictSound.h"

#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QTemporaryDir>
#include <QtQuickTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(ReceivingStation_StationPlugin)
Q_IMPORT_QML_PLUGIN(ReceivingStation_UiPlugin)

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable()
    {
        const QString db = KioskChecks::prepareDemoDatabase(m_dir.path());
        auto *worker = new ScanWorker(db, QStringLiteral("QUICK-TEST"), ReceivingService::Options{}, m_clock);
        m_station = std::make_unique<StationController>(QStringLiteral("QUICK-TEST"), worker,
                                                        std::make_unique<SilentVerdictSound>());
        StationSingleton::instance = m_station.get();
        m_station->start();
        // The supervisor pages' controller over the same database, for the exceptions list and its pages.
        m_supervisor = std::make_unique<SupervisorController>(new SupervisorWorker(
            db, QStringLiteral("QUICK-TEST"), QTimeZone(QByteArrayLiteral("America/Chicago")), m_clock));
        m_supervisor->setStation(m_station.get());
        SupervisorSingleton::instance = m_supervisor.get();
        m_supervisor->start();
    }
    void qmlEngineAvailable(QQmlEngine *engine) { engine->addImportPath(QStringLiteral(RS_QML_IMPORT_DIR)); }
    void cleanupTestCase()
    {
        StationSingleton::instance = nullptr;
        SupervisorSingleton::instance = nullptr;
    }

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    std::unique_ptr<StationController> m_station;
    std::unique_ptr<SupervisorController> m_supervisor;
};

QUICK_TEST_MAIN_WITH_SETUP(receiving_quick, Setup)

#include "tst_quick.moc"
