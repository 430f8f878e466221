// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanWorker.h"
#include "Operators.h"
#include "ScanNormaliser.h"
#include "SupervisorService.h"
#include "UnitCondition.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcUi, "rs.ui", QtInfoMsg)

ScanWorker::ScanWorker(QString databasePath, QString stationId, ReceivingService::Options options,
                       const Clock &clock)
    : m_path(std::move(databasePath)), m_station(std::move(stationId)), m_options(std::move(options)),
      m_clock(clock)
{
    qRegisterMetaType<Verdict>();
    qRegisterMetaType<BoxSnapshot>();
    qRegisterMetaType<QList<ScanEvent>>();
}

ScanWorker::~ScanWorker() = default;

void ScanWorker::open()
{
    try {
        m_db = std::make_unique<Database>();
        m_db->open(m_path);
        m_service = std::make_unique<ReceivingService>(*m_db, m_clock, m_options);
        m_lastActivity = m_clock.nowUtc();
        if (!m_idleTimer) {
            m_idleTimer = new QTimer(this);
            m_idleTimer->setInterval(15000);
            connect(m_idleTimer, &QTimer::timeout, this, &ScanWorker::checkIdle);
            m_idleTimer->start();
        }
        Q_EMIT opened(true, QString());
        emitSnapshot();
        sessionEnded();
    } catch (const DbException &e) {
        m_db.reset();
        qCCritical(lcUi) << "cannot open the database:" << e.error().message;
        Q_EMIT opened(false, e.error().message);
    }
}

// The station's box as the screens show it; also where the worker learns who is signed in.
BoxSnapshot ScanWorker::snapshot()
{
    BoxSnapshot s;
    try {
        s = StationView::snapshot(*m_db, m_station, m_clock.nowUtc().toTimeZone(m_options.timeZone).date());
        m_lastSnapshot = s;
    } catch (const DbException &e) {
        qCWarning(lcUi) << "cannot read the station's box:" << e.error().message;
        // Keep showing the last box and operator: an outage of the depot's server is not a sign-out.
        s = m_lastSnapshot;
        s.stationId = m_station;
        s.storeProblem = e.error().kind == DbError::Kind::Unreachable
                             ? tr("Depot database not reachable: scans are not saved. Reconnecting…")
                             : e.error().message;
    }
    m_operatorId = s.operatorId;
    return s;
}

void ScanWorker::emitSnapshot()
{
    Q_EMIT snapshotReady(snapshot());
}

bool ScanWorker::isRegisteredBadge(const QList<ScanEvent> &read)
{
    try {
        Operators operators(*m_db);
        for (const ScanEvent &e : read) {
            const ScanNormaliser::Result n = ScanNormaliser::normalise(e.raw, e.truncated);
            if (n.isValid() && operators.byBadge(n.upper))
                return true;
        }
    } catch (const DbException &e) {
        qCWarning(lcUi) << "cannot look up a badge:" << e.error().message;
    }
    return false;
}

bool ScanWorker::isSupervisorBadge(const QList<ScanEvent> &read)
{
    try {
        Operators operators(*m_db);
        for (const ScanEvent &e : read) {
            const ScanNormaliser::Result n = ScanNormaliser::normalise(e.raw, e.truncated);
            if (!n.isValid())
                continue;
            const std::optional<Operators::Operator> who = operators.byBadge(n.upper);
            if (who && who->role == Operators::Role::Supervisor && !who->disabled)
                return true;
        }
    } catch (const DbException &e) {
        qCWarning(lcUi) << "cannot look up a badge:" << e.error().message;
    }
    return false;
}

void ScanWorker::processRead(const QList<ScanEvent> &read)
{
    if (!m_service || read.isEmpty())
        return;
    if (m_desk) {
        if (!isSupervisorBadge(read))
            Q_EMIT signInRefused(
                tr("This is the supervisor desk: it records no scans. Receive units at a dock "
                   "door; sign in here with a supervisor's badge."));
        else if (m_operatorId.isEmpty())
            Q_EMIT verdictReady(m_service->scanRead(read, m_station), snapshot());
        return;
    }
    // Signed out, the station records nothing: only a registered badge (which signs in) goes through.
    if (m_operatorId.isEmpty() && !isRegisteredBadge(read)) {
        Q_EMIT signInRefused(tr("Nobody is signed in, so nothing was recorded. Scan your badge first."));
        return;
    }
    m_lastActivity = m_clock.nowUtc();
    // One physical read gives one verdict, whatever number of codes it carried.
    const Verdict v = m_service->scanRead(read, m_station);
    Q_EMIT verdictReady(v, snapshot());
}

// The depot's settings as of now; nullopt when the table cannot be read. A row that is no value of its key is
// logged once, while it stays that way, and left to the station's own value.
std::optional<StationSettings> ScanWorker::settings()
{
    if (!m_db)
        return std::nullopt;
    try {
        StationSettings s = StationSettings::fromDatabase(*m_db);
        if (s.problems() != m_settingsProblems) {
            m_settingsProblems = s.problems();
            for (const QString &problem : std::as_const(m_settingsProblems))
                qCWarning(lcUi).noquote()
                    << "settings table:" << problem << "The station's own value applies.";
        }
        return s;
    } catch (const DbException &e) {
        qCWarning(lcUi) << "cannot read the settings table:" << e.error().message;
    }
    return std::nullopt;
}

void ScanWorker::sessionEnded()
{
    const std::optional<StationSettings> s = settings();
    if (const std::optional<QString> language = s ? s->language() : std::nullopt)
        Q_EMIT defaultLanguage(*language);
}

int ScanWorker::effectiveIdleMinutes()
{
    const std::optional<StationSettings> s = settings();
    return s ? s->idleMinutes().value_or(m_idleMinutes) : m_idleMinutes;
}

void ScanWorker::noteActivity()
{
    m_lastActivity = m_clock.nowUtc();
}

void ScanWorker::checkIdle()
{
    if (!m_service || m_operatorId.isEmpty())
        return;
    const int minutes = effectiveIdleMinutes();
    if (m_lastActivity.secsTo(m_clock.nowUtc()) < qint64(minutes) * 60)
        return;
    qCInfo(lcUi) << "signing out" << m_operatorId << "after" << minutes << "idle minutes";
    try {
        m_service->signOut(m_station);
    } catch (const DbException &e) {
        qCWarning(lcUi) << "idle sign-out not recorded:" << e.error().message;
        return;
    }
    emitSnapshot();
    sessionEnded();
    Q_EMIT signedOutIdle(minutes);
}

void ScanWorker::setUnitCondition(qint64 receiptId, const QString &condition, const QString &note)
{
    if (!m_service)
        return;
    m_lastActivity = m_clock.nowUtc();
    try {
        ::setUnitCondition(*m_db, m_clock, m_station, receiptId, condition, note, m_operatorId);
    } catch (const SupervisorError &e) {
        Q_EMIT conditionDone(receiptId, condition, false, e.message());
        return;
    } catch (const DbException &e) {
        Q_EMIT conditionDone(receiptId, condition, false, e.error().message);
        return;
    }
    Q_EMIT conditionDone(receiptId, condition, true, QString());
    emitSnapshot();
}

void ScanWorker::signInOperator(const QString &badge)
{
    // The PIN was checked on the sign-in thread (PinWorker); this only records who works here now.
    if (!m_service)
        return;
    try {
        m_service->signIn(m_station, badge);
    } catch (const DbException &e) {
        Q_EMIT signInRefused(e.error().message);
        return;
    }
    m_lastActivity = m_clock.nowUtc();
    emitSnapshot();
}

void ScanWorker::signOut()
{
    if (!m_service)
        return;
    try {
        m_service->signOut(m_station);
    } catch (const DbException &e) {
        qCWarning(lcUi) << "sign-out not recorded:" << e.error().message;
    }
    emitSnapshot();
    sessionEnded();
}

void ScanWorker::refresh()
{
    if (m_service)
        emitSnapshot();
}
