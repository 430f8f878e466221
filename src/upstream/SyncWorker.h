// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SyncEngine.h"
#include "UpstreamConfig.h"

#include <QObject>
#include <QTimeZone>
#include <QTimer>

#include <memory>

class Clock;
class CurlTransport;
class Database;
class IdleBoxes;

// The kiosk's sync loop on its own thread ("rs-sync"), with its own SQLite connection and libcurl handles:
// closes idle boxes, pulls cases every pull interval, pushes whatever the outbox has due, and reports its
// state after every round. The GUI thread only reads the reported state.
class SyncWorker : public QObject
{
    Q_OBJECT
public:
    SyncWorker(QString databasePath, UpstreamConfig config, QTimeZone timeZone, const Clock &clock);
    ~SyncWorker() override;

public Q_SLOTS:
    void start();
    void stop();
    void syncNow(); // a supervisor's "sync now", or a box just closed

Q_SIGNALS:
    void statusChanged(const SyncStatus &status);

private:
    void round();
    QString m_path;
    UpstreamConfig m_config;
    QTimeZone m_timeZone;
    const Clock &m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<CurlTransport> m_transport;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<IdleBoxes> m_boxes;
    QTimer *m_timer = nullptr;
    QDateTime m_nextPull;
};

Q_DECLARE_METATYPE(SyncStatus)
