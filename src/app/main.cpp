// SPDX-License-Identifier: GPL-3.0-or-later
// receiving-station: the kiosk. This is the composition root: it builds every service, wires them, and hands
// the QML screens the singletons they talk to.
#include "Appliance.h"
#include "AuditLog.h"
#include "BarcodeImageProvider.h"
#include "CameraScanner.h"
#include "Clock.h"
#include "JournalLog.h"
#include "KioskChecks.h"
#include "KioskLock.h"
#include "QmlSingletons.h"
#include "ScanSourceRegistry.h"
#include "ScanWorker.h"
#include "StationAutomation.h"
#include "StationConfig.h"
#include "StationController.h"
#include "SupervisorSingleton.h"
#include "SupervisorWorker.h"
#include "SyncWorker.h"
#include "VerdictSound.h"
#include "WedgeScannerFilter.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QScopeGuard>
#include <QScreen>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(ReceivingStation_StationPlugin)
Q_IMPORT_QML_PLUGIN(ReceivingStation_UiPlugin)

int main(int argc, char *argv[])
{
    // Qt Virtual Keyboard for the few free-text fields (search, notes). Scans never pass through it: the
    // keyboard wedge takes them at the window, before any input method.
    qputenv("QT_IM_MODULE", QByteArrayLiteral("qtvirtualkeyboard"));
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("receiving-station"));
    QGuiApplication::setOrganizationName(QStringLiteral("receiving-station"));
    QGuiApplication::setApplicationVersion(QStringLiteral(RS_VERSION));
    JournalLog::install(QByteArrayLiteral("receiving-station")); // journald under systemd, else stderr
    AuditLog::setHeadPublisher([](const QString &db, qint64 id, const QString &hash) { // audit anchors
        JournalLog::auditHead(db, id, hash);
        StationMetrics::publishAuditHead(id, hash);
    });

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Receiving Station kiosk"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("db"),
         QStringLiteral("Database file, or a PostgreSQL URI postgresql://... (overrides database.path and "
                        "database.url)."),
         QStringLiteral("path")},
        {QStringLiteral("config"), QStringLiteral("Configuration file."), QStringLiteral("path")},
        {QStringLiteral("station"), QStringLiteral("Station id (overrides station.id)."),
         QStringLiteral("id")},
        {QStringLiteral("windowed"), QStringLiteral("Run in a window (development) instead of full screen.")},
        {QStringLiteral("supervisor"),
         QStringLiteral(
             "The supervisor desk: a normal window for supervisors (badge and PIN) with the supervisor "
             "pages of every door on the depot's database; it receives no units.")},
        {QStringLiteral("silent"), QStringLiteral("No sounds.")},
        {QStringLiteral("self-test"),
         QStringLiteral("Load every page in every language and panel size on a demo database; fail on touch "
                        "targets under 15 mm, contrast under 7:1, a verdict serial under 12 mm.")},
        {QStringLiteral("screenshots"),
         QStringLiteral("Drive a demo session and write a PNG of every screen per language and size."),
         QStringLiteral("dir")},
        {QStringLiteral("test-freeze-gui"),
         QStringLiteral("Tests only: block the GUI thread 2 s after READY.")},
        {QStringLiteral("automation"),
         QStringLiteral("For tests and benchmarks: JSON events on stdout, commands on stdin.")},
    });
    parser.process(app);

    QHash<QString, QString> flags;
    if (parser.isSet(QStringLiteral("db")))
        flags.insert(QStringLiteral("database.path"), parser.value(QStringLiteral("db")));
    if (parser.isSet(QStringLiteral("station")))
        flags.insert(QStringLiteral("station.id"), parser.value(QStringLiteral("station")));
    // The self-checks run on their own demo database, drawn by the software renderer (CTest, offscreen).
    const bool checking =
        parser.isSet(QStringLiteral("self-test")) || parser.isSet(QStringLiteral("screenshots"));
    QTemporaryDir checkDir;
    if (checking) {
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
        flags.insert(QStringLiteral("database.path"), KioskChecks::prepareDemoDatabase(checkDir.path()));
    }
    QString why;
    const std::optional<StationConfig> config =
        StationConfig::load(parser.value(QStringLiteral("config")), flags, &why);
    if (!config) {
        fprintf(stderr, "receiving-station: %s\n", qPrintable(why));
        return 2;
    }

    SystemClock clock;
    QString patternError;
    ReceivingService::Options options{config->timeZone,
                                      LabelFields::fromConfig(config->values, &patternError)};
    if (!patternError.isEmpty())
        fprintf(stderr, "receiving-station: %s\n", qPrintable(patternError));
    auto *worker = new ScanWorker(config->databasePath, config->stationId, options, clock);
    std::unique_ptr<VerdictSound> sound;
    if (parser.isSet(QStringLiteral("silent")) || checking)
        sound = std::make_unique<SilentVerdictSound>();
    else
        sound = makeMultimediaVerdictSound();
    StationController station(config->stationId, worker, std::move(sound));
    station.setIdleMinutes(config->idleMinutes); // checked by StationConfig::load
    const bool desk = parser.isSet(QStringLiteral("supervisor"));
    station.setDesk(desk);

    ScanSourceRegistry scanners;
    // Cameras need Qt Multimedia and the decoder helper, which only the kiosk links.
    scanners.registerType(QStringLiteral("camera"),
                          [](const SourceConfig &sc, QString *error) -> std::unique_ptr<ScanSource> {
                              auto camera = std::make_unique<CameraScanner>(sc);
                              if (!camera->configError().isEmpty()) {
                                  *error = camera->configError();
                                  return nullptr;
                              }
                              return camera;
                          });
    // The keyboard wedge is always there: any USB scanner that types is caught whatever has focus.
    std::optional<WedgeScannerFilter::Settings> wedge = WedgeScannerFilter::Settings{};
    for (const SourceConfig &sc : ScanSourceRegistry::fromIni(config->values)) {
        if (sc.type == QLatin1String("wedge")) {
            wedge = WedgeScannerFilter::Settings::fromConfig(sc, &why);
            if (!wedge)
                fprintf(stderr, "receiving-station: scanner %s: %s\n", qPrintable(sc.id), qPrintable(why));
            continue;
        }
        if (!scanners.addFromConfig(sc, &why))
            fprintf(stderr, "receiving-station: scanner %s: %s\n", qPrintable(sc.id), qPrintable(why));
    }
    if (wedge)
        scanners.add(std::make_unique<WedgeScannerFilter>(QStringLiteral("wedge"), *wedge, &app));
    station.attach(&scanners);

    // Upstream sync on its own thread and connection; the status strip shows what it reports.
    const std::optional<UpstreamConfig> upstream = UpstreamConfig::fromStation(*config, &why);
    if (!upstream)
        fprintf(stderr, "receiving-station: %s\n", qPrintable(why));
    QThread syncThread;
    syncThread.setObjectName(QStringLiteral("rs-sync"));
    auto *sync =
        new SyncWorker(config->databasePath, upstream.value_or(UpstreamConfig{}), config->timeZone, clock);
    sync->setReportJobs(
        {config->reportDirectory,
         config->reportDailyAt.isEmpty()
             ? std::nullopt
             : std::optional<QTime>(QTime::fromString(config->reportDailyAt, QStringLiteral("HH:mm"))),
         config->reportPaper, config->stationId, config->timeZone});
    sync->moveToThread(&syncThread);
    QObject::connect(&syncThread, &QThread::finished, sync, &QObject::deleteLater);
    QObject::connect(sync, &SyncWorker::statusChanged, &station, &StationController::setSyncStatus);
    syncThread.start();
    QMetaObject::invokeMethod(sync, &SyncWorker::start, Qt::QueuedConnection);
    const auto stopSync = qScopeGuard([&syncThread] {
        syncThread.quit();
        syncThread.wait();
    });
    StationSingleton::instance = &station;
    // The supervisor pages: their own worker thread and connection; the signed-in operator acts.
    auto *supervisorWorker =
        new SupervisorWorker(config->databasePath, config->stationId, config->timeZone, clock);
    supervisorWorker->setReportSettings(config->reportDirectory, config->reportPaper);
    SupervisorController supervisor(supervisorWorker);
    supervisor.setStation(&station);
    supervisor.setFormsDirectory(config->formsDirectory);
    supervisor.setReportDirectory(config->reportDirectory);
    QObject::connect(sync, &SyncWorker::statusChanged, &supervisor, &SupervisorController::setSyncStatus);
    QObject::connect(&supervisor, &SupervisorController::syncRequested, sync, &SyncWorker::syncNow);
    QObject::connect(&supervisor, &SupervisorController::soundVolumeChanged, &station,
                     &StationController::setSoundVolume);
    SupervisorSingleton::instance = &supervisor;
    supervisor.start();
    Appliance appliance(*config, &station); // before station.start(): sets where pre-upgrade backups go
    QObject::connect(sync, &SyncWorker::statusChanged, &appliance, &Appliance::setSyncStatus);

    QQmlApplicationEngine engine;
    engine.addImageProvider(QStringLiteral("barcode"), new BarcodeImageProvider);
    QObject::connect(&station, &StationController::languageChanged, &engine, &QQmlEngine::retranslate);
    if (checking) {
        station.start();
        QTextStream out(stdout);
        const int failures =
            parser.isSet(QStringLiteral("self-test"))
                ? KioskChecks::selfTest(engine, station, out)
                : KioskChecks::screenshots(engine, station, parser.value(QStringLiteral("screenshots")), out);
        return failures == 0 ? 0 : 1;
    }
    engine.load(QUrl(QStringLiteral("qrc:/ReceivingStation/Ui/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    std::unique_ptr<StationAutomation> automation;
    if (parser.isSet(QStringLiteral("automation")))
        automation = std::make_unique<StationAutomation>(&engine, window, &station);
    std::unique_ptr<KioskLock> kioskLock;
    if (parser.isSet(QStringLiteral("windowed")) || desk) {
        window->resize(1280, 800);
        window->show();
    } else {
        // Kiosk: full screen, no decorations, and no way out but a supervisor's quit.
        kioskLock = std::make_unique<KioskLock>(window);
        window->setFlags(window->flags() | Qt::FramelessWindowHint);
        // The screen's size up front: without a window manager (a bare X server) full screen alone leaves
        // the window at its empty initial size.
        window->setGeometry(window->screen()->geometry());
        window->showFullScreen();
    }
    QObject::connect(&station, &StationController::quitApproved, &app, [&kioskLock] {
        if (kioskLock)
            kioskLock->unlock();
        QCoreApplication::quit();
    });
    window->requestActivate();
    appliance.watch(window, parser.isSet(QStringLiteral("test-freeze-gui")));
    station.start();
    return app.exec();
}
