// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ReportJobs.h"
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
    // The daily export and the certificates of accepted closures (report.*), run after each round's sync.
    void setReportJobs(ReportJobs::Settings settings);
    ~SyncWorker() override;

public Q_SLOTS:
    void start();
    void stop();
    void syncNow(); // a supervisor's "sync now", or a box just closed

Q_SIGNALS:
    void statusChanged(const SyncStatus &status);

private:
    void round();
    void fillReportStatus(SyncStatus &s) const;
    QString m_path;
    UpstreamConfig m_config;
    QTimeZone m_timeZone;
    const Clock &m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<CurlTransport> m_transport;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<IdleBoxes> m_boxes;
    ReportJobs::Settings m_reportSettings;
    std::unique_ptr<ReportJobs> m_reports;
    QTimer *m_timer = nullptr;
    QDateTime m_nextPull;
};

Q_DECLARE_METATYPE(SyncStatus)
