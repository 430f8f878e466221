// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"
#include "Database.h"
#include "ReceivingService.h"
#include "ScanEvent.h"
#include "StationSettings.h"
#include "StationView.h"
#include "Verdict.h"

#include <QObject>
#include <QTimeZone>
#include <QTimer>

#include <memory>
#include <optional>

// The kiosk's receiving work on its own thread ("rs-receiving"): owns the station's SQLite connection and the
// receiving service, takes scans and session commands by queued call, and answers with the verdict and a
// fresh snapshot of the open box. The GUI thread never waits for it. It also keeps the session: a station
// nobody is signed in to records nothing but a badge, and a session idle for `idle_minutes` (settings table,
// else configuration) is signed out.
class ScanWorker : public QObject
{
    Q_OBJECT
public:
    ScanWorker(QString databasePath, QString stationId, ReceivingService::Options options,
               const Clock &clock);
    ~ScanWorker() override;

    // Minutes without a scan or touch before the session ends; the settings table's `idle_minutes`, when
    // present and valid, overrides it (re-read on every check, so a supervisor's change applies at once).
    void setIdleMinutes(int minutes) { m_idleMinutes = minutes; }
    // The supervisor desk (receiving-station --supervisor) records no scans: only a supervisor's badge, which
    // signs in. Set before the worker's thread starts.
    void setDeskMode(bool desk) { m_desk = desk; }
    static constexpr int DefaultIdleMinutes = 10;
    int effectiveIdleMinutes();
    QString databasePath() const { return m_path; }
    const Clock &clock() const { return m_clock; }

public Q_SLOTS:
    void open();
    void processRead(const QList<ScanEvent> &read);
    // Signs in an operator whose PIN the PinWorker accepted.
    void signInOperator(const QString &badge);
    void signOut();
    void refresh();
    // A touch on the screen: the session is in use.
    void noteActivity();
    // Signs the station out when the session has been idle long enough (run by a timer every 15 s).
    void checkIdle();
    // working | damaged | not_working for a unit of the open box; answers with conditionDone.
    void setUnitCondition(qint64 receiptId, const QString &condition, const QString &note);

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void verdictReady(const Verdict &verdict, const BoxSnapshot &box);
    void snapshotReady(const BoxSnapshot &box);
    void signInRefused(const QString &message);
    void signedOutIdle(int minutes);
    void conditionDone(qint64 receiptId, const QString &condition, bool ok, const QString &message);
    // The settings table's `language` (en | es): what the sign-in screen starts in; sent when the station
    // opens and whenever a session ends.
    void defaultLanguage(const QString &language);

private:
    BoxSnapshot snapshot();
    void emitSnapshot();
    bool isRegisteredBadge(const QList<ScanEvent> &read);
    bool isSupervisorBadge(const QList<ScanEvent> &read);
    std::optional<StationSettings> settings();
    void sessionEnded();
    QString m_path;
    QString m_station;
    BoxSnapshot m_lastSnapshot; // shown again while the store cannot be read
    ReceivingService::Options m_options;
    const Clock &m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ReceivingService> m_service;
    QString m_operatorId; // who is signed in, from the latest snapshot
    bool m_desk = false;
    int m_idleMinutes = DefaultIdleMinutes;
    QDateTime m_lastActivity;
    QTimer *m_idleTimer = nullptr;
    QStringList m_settingsProblems; // the settings table's bad rows, as last logged
};

Q_DECLARE_METATYPE(Verdict)
Q_DECLARE_METATYPE(BoxSnapshot)
