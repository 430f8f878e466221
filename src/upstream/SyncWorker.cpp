// SPDX-License-Identifier: GPL-3.0-or-later
#include "SyncWorker.h"
#include "Clock.h"
#include "CurlTransport.h"
#include "Database.h"
#include "IdleBoxes.h"

namespace {
constexpr int RoundMs = 1000; // how often due events are looked for; a round with nothing to do is one query
}

SyncWorker::SyncWorker(QString databasePath, UpstreamConfig config, QTimeZone timeZone, const Clock &clock)
    : m_path(std::move(databasePath)), m_config(std::move(config)), m_timeZone(std::move(timeZone)),
      m_clock(clock)
{
    qRegisterMetaType<SyncStatus>();
}

SyncWorker::~SyncWorker() = default;

void SyncWorker::setReportJobs(ReportJobs::Settings settings)
{
    m_reportSettings = std::move(settings);
}

void SyncWorker::fillReportStatus(SyncStatus &s) const
{
    if (!m_reports)
        return;
    const ReportJobsStatus r = m_reports->status();
    s.reportsConfigured = m_reports->isConfigured();
    s.reportError = r.error;
    s.lastDailyExportDay = r.lastDailyExportDay;
    s.lastDailyExport = r.lastDailyExport;
    s.dailyExportFailures = r.dailyExportFailures;
    s.certificateFailures = r.certificateFailures;
    s.certificatesPending = r.certificatesPending;
}

void SyncWorker::start()
{
    try {
        m_db = std::make_unique<Database>();
        m_db->open(m_path);
    } catch (const DbException &e) {
        SyncStatus s;
        s.configured = m_config.isConfigured();
        s.lastError = e.error().message;
        Q_EMIT statusChanged(s);
        return;
    }
    CurlTransport::Options topt;
    topt.caBundle = m_config.caBundle;
    topt.connectTimeoutMs = m_config.connectTimeoutMs;
    topt.totalTimeoutMs = m_config.totalTimeoutMs;
    topt.maxConnections = m_config.concurrency;
    m_transport = std::make_unique<CurlTransport>(topt);
    RetryPolicy::Options popt;
    popt.capMs = qint64(m_config.backoffCapSec) * 1000;
    m_engine = std::make_unique<SyncEngine>(*m_db, *m_transport, m_config, m_clock, RetryPolicy(popt));
    m_boxes = std::make_unique<IdleBoxes>(*m_db, m_clock);
    m_reports = std::make_unique<ReportJobs>(*m_db, m_reportSettings, m_clock);
    m_timer = new QTimer(this);
    m_timer->setInterval(RoundMs);
    connect(m_timer, &QTimer::timeout, this, &SyncWorker::round);
    m_timer->start();
    round();
}

void SyncWorker::stop()
{
    if (m_timer)
        m_timer->stop();
}

void SyncWorker::syncNow()
{
    m_nextPull = QDateTime();
    round();
}

void SyncWorker::round()
{
    if (!m_engine)
        return;
    try {
        m_boxes->close(m_config.effectiveBoxIdleMinutes(*m_db)); // settings table first, each round
        bool delivered = false;
        if (m_config.isConfigured()) {
            if (!m_nextPull.isValid() || m_clock.nowUtc() >= m_nextPull) {
                delivered = m_engine->runOnce().push.delivered > 0;
                m_nextPull = m_clock.nowUtc().addSecs(m_config.pullIntervalSec);
            } else {
                // Push until nothing is due now; a network problem ends the round (retries wait their turn).
                for (;;) {
                    const SyncEngine::PushResult r = m_engine->pushDue();
                    delivered |= r.delivered > 0;
                    if (r.sent == 0 || r.problem != SyncEngine::Problem::None)
                        break;
                }
            }
        }
        // After the delivery states are committed, so a report failure can never undo one.
        m_reports->run(delivered);
        SyncStatus s = m_engine->status();
        s.configured = m_config.isConfigured();
        fillReportStatus(s);
        Q_EMIT statusChanged(s);
    } catch (const DbException &e) {
        SyncStatus s;
        s.configured = m_config.isConfigured();
        s.lastError = e.error().message;
        fillReportStatus(s);
        Q_EMIT statusChanged(s);
    }
}
