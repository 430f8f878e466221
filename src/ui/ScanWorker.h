// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"
#include "Database.h"
#include "ReceivingService.h"
#include "ScanEvent.h"
#include "StationView.h"
#include "Verdict.h"

#include <QObject>
#include <QTimeZone>

#include <memory>

// The kiosk's receiving work on its own thread ("rs-receiving"): owns the station's SQLite connection and the
// receiving service, takes scans and session commands by queued call, and answers with the verdict and a
// fresh snapshot of the open box. The GUI thread never waits for it.
class ScanWorker : public QObject
{
    Q_OBJECT
public:
    ScanWorker(QString databasePath, QString stationId, ReceivingService::Options options,
               const Clock &clock);
    ~ScanWorker() override;

public Q_SLOTS:
    void open();
    void processRead(const QList<ScanEvent> &read);
    void signInWithPin(const QString &pin);
    void signOut();
    void refresh();

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void verdictReady(const Verdict &verdict, const BoxSnapshot &box);
    void snapshotReady(const BoxSnapshot &box);
    void signInRefused(const QString &message);

private:
    BoxSnapshot snapshot();
    QString m_path;
    QString m_station;
    ReceivingService::Options m_options;
    const Clock &m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ReceivingService> m_service;
};

Q_DECLARE_METATYPE(Verdict)
Q_DECLARE_METATYPE(BoxSnapshot)
