// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ChecklistModel.h"
#include "PinWorker.h"
#include "RecentScansModel.h"
#include "ScanWorker.h"
#include "SyncEngine.h"
#include "VerdictSound.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <QTranslator>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class ScanSourceRegistry;

// The kiosk's face towards QML for the dock worker: session, the open box, the verdict of the last scan, the
// recent scans and the checklist. It only forwards work to the ScanWorker thread and shows its answers; every
// rule lives in rs_core.
class StationController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use the Station singleton")
    Q_PROPERTY(QString stationId READ stationId CONSTANT)
    Q_PROPERTY(bool ready READ isReady NOTIFY readyChanged)
    Q_PROPERTY(QString databaseError READ databaseError NOTIFY readyChanged)
    Q_PROPERTY(bool signedIn READ isSignedIn NOTIFY sessionChanged)
    Q_PROPERTY(QString operatorName READ operatorName NOTIFY sessionChanged)
    // The signed-in operator confirmed their supervisor PIN and has not let it lapse: what the supervisor
    // pages, resolutions, settings and leaving the kiosk need (checked here and in SupervisorController).
    Q_PROPERTY(bool supervisor READ isSupervisor NOTIFY sessionChanged)
    // The signed-in operator has the supervisor role (their badge alone gives dock work only).
    Q_PROPERTY(bool supervisorRole READ hasSupervisorRole NOTIFY sessionChanged)
    Q_PROPERTY(int pinLockedSeconds READ pinLockedSeconds NOTIFY pinStateChanged)
    Q_PROPERTY(QString pinMessage READ pinMessage NOTIFY pinStateChanged)
    Q_PROPERTY(bool pinBusy READ isPinBusy NOTIFY pinStateChanged)
    Q_PROPERTY(QVariantMap box READ box NOTIFY boxChanged)
    // The supervisor desk (receiving-station --supervisor): supervisors only, no receiving.
    Q_PROPERTY(bool desk READ isDesk CONSTANT)
    // Why the station's data could not be read just now (the depot's server away); empty when all is well.
    Q_PROPERTY(QString storeProblem READ storeProblem NOTIFY boxChanged)
    Q_PROPERTY(QVariantMap verdict READ verdict NOTIFY verdictChanged)
    Q_PROPERTY(int verdictSerialNumber READ verdictSerialNumber NOTIFY verdictChanged)
    Q_PROPERTY(bool writesRefused READ writesRefused NOTIFY verdictChanged)
    Q_PROPERTY(QString signInMessage READ signInMessage NOTIFY signInMessageChanged)
    Q_PROPERTY(ChecklistModel *checklist READ checklist CONSTANT)
    Q_PROPERTY(RecentScansModel *recentScans READ recentScans CONSTANT)
    Q_PROPERTY(QVariantMap sync READ sync NOTIFY syncChanged)
    Q_PROPERTY(QVariantList scanners READ scanners NOTIFY scannersChanged)
    // Appliance health: damaged (bool), problem, restoreCommand, lowDisk (bool), freeDisk (text).
    Q_PROPERTY(QVariantMap maintenance READ maintenance NOTIFY maintenanceChanged)
    Q_PROPERTY(QString language READ language NOTIFY languageChanged)
    Q_PROPERTY(QString conditionMessage READ conditionMessage NOTIFY conditionChanged)
    Q_PROPERTY(QVariantList commandBarcodes READ commandBarcodes NOTIFY languageChanged)
public:
    StationController(QString stationId, ScanWorker *worker, std::unique_ptr<VerdictSound> sound,
                      QObject *parent = nullptr);
    ~StationController() override;

    // Takes every read of the registry's sources, and shows their health.
    void attach(ScanSourceRegistry *registry);
    void setSyncStatus(const SyncStatus &status);
    // The start-up quick_check failed: show the damaged-database screen and take no more scans.
    void setDatabaseDamaged(const QString &problem, const QString &restoreCommand);
    void setDiskStatus(qint64 freeBytes, bool low);
    bool isDatabaseDamaged() const { return m_damaged; }
    QVariantMap maintenance() const { return m_maintenance; }
    // Minutes without a scan or a touch before the session ends (configuration; the settings table wins).
    void setIdleMinutes(int minutes);
    void start();

    QString stationId() const { return m_stationId; }
    bool isReady() const { return m_ready; }
    QString databaseError() const { return m_databaseError; }
    QString storeProblem() const { return m_box.storeProblem; }
    bool isDesk() const { return m_desk; }
    // Before start(): makes this the supervisor desk. Dock workers are signed out again with a sentence.
    void setDesk(bool desk);
    bool isSignedIn() const { return !m_box.operatorId.isEmpty(); }
    QString operatorName() const;
    bool hasSupervisorRole() const { return m_box.operatorRole == QLatin1String("supervisor"); }
    bool isSupervisor() const;
    int pinLockedSeconds() const { return m_pinLockedSeconds; }
    QString pinMessage() const { return m_pinMessage; }
    bool isPinBusy() const { return m_pinBusy; }
    QString operatorId() const { return m_box.operatorId; }
    // The acting operator for supervisor work: the signed-in supervisor while their PIN is fresh, else
    // empty (and the work is refused). Each call counts as a supervisor action and keeps the PIN fresh.
    QString supervisorActor();
    void setSoundVolume(int percent); // 0-100, the settings table's `volume`, applied at once
    QVariantMap box() const;
    QVariantMap verdict() const { return m_verdict; }
    int verdictSerialNumber() const { return m_verdictCount; }
    bool writesRefused() const { return m_writesRefused; }
    QString signInMessage() const { return m_signInMessage; }
    ChecklistModel *checklist() { return &m_checklist; }
    RecentScansModel *recentScans() { return &m_recent; }
    QVariantMap sync() const { return m_sync; }
    QVariantList scanners() const { return m_scanners; }
    QString language() const { return m_language; }
    QString conditionMessage() const { return m_conditionMessage; }
    static QStringList languages() { return {QStringLiteral("en"), QStringLiteral("es")}; }
    // The commands ScanClassifier knows, for the help sheet: {code, title, description}.
    QVariantList commandBarcodes() const;

    // A PIN on the sign-in keypad (dock work, whoever's it is); checked on the PIN thread.
    Q_INVOKABLE void signInWithPin(const QString &pin);
    // The signed-in supervisor's own PIN: opens supervisor work for `station.supervisor_minutes`.
    Q_INVOKABLE void confirmSupervisorPin(const QString &pin);
    // Back to dock work: the next supervisor action asks for the PIN again.
    Q_INVOKABLE void endSupervisorWork();
    Q_INVOKABLE void clearPinMessage();
    Q_INVOKABLE void signOut();
    Q_INVOKABLE void undoLast();
    Q_INVOKABLE void boxDone();
    Q_INVOKABLE void typeSerial(const QString &serial); // manual entry when a label is unreadable
    // Leaving kiosk mode: only a signed-in supervisor with a fresh PIN (checked here, not in QML) may quit
    // the station. Returns true and emits quitApproved once the quit is in the audit chain, or returns false
    // and changes nothing.
    Q_INVOKABLE bool requestQuit();
    // en | es: installs that translation; main() retranslates the screens on languageChanged. Verdict
    // sentences are translated when they are made, so the next scan speaks the new language.
    Q_INVOKABLE bool setLanguage(const QString &language);
    // working | damaged | not_working for a unit of the open box (the last two need a note); the worker
    // thread records it (setUnitCondition) and conditionChanged reports the outcome.
    Q_INVOKABLE void setUnitCondition(qint64 receiptId, const QString &condition, const QString &note);
    void submit(const QList<ScanEvent> &read);

Q_SIGNALS:
    void readyChanged();
    void sessionChanged();
    void boxChanged();
    void verdictChanged();
    void signInMessageChanged();
    void syncChanged();
    void scannersChanged();
    void maintenanceChanged();
    void verdictShown(qint64 scanTimestampMs);    // for latency measurement
    void quitApproved(const QString &operatorId); // main() unlocks the kiosk and quits
    void languageChanged();
    void conditionChanged(bool ok);
    void pinStateChanged();
    // The supervisor PIN was accepted (the keypad closes and the supervisor pages open).
    void supervisorConfirmed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onVerdict(const Verdict &v, const BoxSnapshot &box);
    void onSnapshot(const BoxSnapshot &box);
    void command(const QByteArray &text);
    void onPinAnswer(const PinAnswer &answer);
    void setPinLock(int seconds);
    void setSupervisorDeadline(int minutes);
    void dropSupervisor();

    const QString m_stationId;
    QThread m_thread;
    ScanWorker *m_worker;
    std::unique_ptr<VerdictSound> m_sound;
    ChecklistModel m_checklist;
    RecentScansModel m_recent;
    BoxSnapshot m_box;
    QVariantMap m_verdict;
    int m_verdictCount = 0;
    bool m_ready = false;
    bool m_writesRefused = false;
    QString m_databaseError;
    QString m_signInMessage;
    bool m_desk = false;
    qint64 m_lastScanTimestamp = 0;
    QVariantMap m_sync;
    QVariantList m_scanners;
    ScanSourceRegistry *m_registry = nullptr;
    bool m_damaged = false;
    QVariantMap m_maintenance;
    QString m_language = QStringLiteral("en");
    std::unique_ptr<QTranslator> m_translator;
    QString m_conditionMessage;
    qint64 m_lastActivityNote = 0;

    QThread m_pinThread;
    PinWorker *m_pinWorker = nullptr;
    bool m_pinBusy = false;
    QString m_pinMessage;
    int m_pinLockedSeconds = 0;
    QDeadlineTimer m_pinLockDeadline;
    QTimer m_pinLockTick;      // counts the lock down on the keypad
    QString m_supervisorBadge; // whose PIN opened supervisor work
    QDeadlineTimer m_supervisorDeadline{QDeadlineTimer::Forever};
    int m_supervisorMinutes = 5;
    QTimer m_supervisorLapse;
    bool m_quitting = false;
};
