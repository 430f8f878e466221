// SPDX-License-Identifier: GPL-3.0-or-later
#include "PinWorker.h"
#include "AuditLog.h"
#include "Database.h"
#include "PinSignIn.h"
#include "StationSettings.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcUi)

PinWorker::PinWorker(QString databasePath, QString stationId, const Clock &clock)
    : m_path(std::move(databasePath)), m_station(std::move(stationId)), m_clock(clock)
{
    qRegisterMetaType<PinAnswer>();
}

PinWorker::~PinWorker() = default;

void PinWorker::open()
{
    try {
        m_db = std::make_unique<Database>();
        m_db->open(m_path);
    } catch (const DbException &e) {
        m_db.reset();
        qCCritical(lcUi) << "PIN checks: cannot open the database:" << e.error().message;
    }
    queryLock();
}

int PinWorker::supervisorMinutes()
{
    try {
        return StationSettings::fromDatabase(*m_db).supervisorMinutes();
    } catch (const DbException &e) {
        qCWarning(lcUi) << "cannot read supervisor_minutes, using 5:" << e.error().message;
    }
    return 5;
}

void PinWorker::signIn(const QString &pin)
{
    PinAnswer a;
    a.purpose = PinAnswer::Purpose::SignIn;
    if (!m_db) {
        a.message = tr("The station's database cannot be used, so nobody can sign in.");
        Q_EMIT answered(a);
        return;
    }
    try {
        const PinSignIn::Outcome o =
            PinSignIn(*m_db, m_clock, m_station, QStringLiteral("keypad")).signIn(pin);
        a.accepted = o.result == PinSignIn::Result::Accepted;
        a.badge = a.accepted && o.op ? o.op->badge : QString();
        a.message = o.message;
        a.lockedSeconds = o.lockedSeconds;
    } catch (const DbException &e) {
        a.message = e.error().message;
    }
    Q_EMIT answered(a);
}

void PinWorker::confirmSupervisor(const QString &badge, const QString &pin)
{
    PinAnswer a;
    a.purpose = PinAnswer::Purpose::Supervisor;
    if (!m_db) {
        a.message = tr("The station's database cannot be used.");
        Q_EMIT answered(a);
        return;
    }
    try {
        const PinSignIn::Outcome o =
            PinSignIn(*m_db, m_clock, m_station, QStringLiteral("keypad")).confirm(badge, pin, true);
        a.accepted = o.result == PinSignIn::Result::Accepted;
        a.badge = o.op ? o.op->badge : QString();
        a.message = o.message;
        a.lockedSeconds = o.lockedSeconds;
        a.supervisorMinutes = supervisorMinutes();
    } catch (const DbException &e) {
        a.message = e.error().message;
    }
    Q_EMIT answered(a);
}

void PinWorker::queryLock()
{
    int seconds = 0;
    if (m_db) {
        try {
            seconds = PinSignIn(*m_db, m_clock, m_station, QStringLiteral("keypad")).lockedSeconds();
        } catch (const DbException &e) {
            qCWarning(lcUi) << "cannot read the PIN lock:" << e.error().message;
        }
    }
    Q_EMIT lockState(seconds);
}

void PinWorker::recordQuit(const QString &badge)
{
    bool ok = false;
    if (m_db) {
        try {
            Transaction tx(*m_db);
            AuditLog::append(*m_db,
                             AuditLog::Entry{isoUtc(m_clock.nowUtc()), m_station, badge,
                                             QStringLiteral("kiosk_quit"), badge, QStringLiteral("{}")});
            tx.commit();
            ok = true;
        } catch (const DbException &e) {
            qCWarning(lcUi) << "kiosk quit not recorded:" << e.error().message;
        }
    }
    Q_EMIT quitRecorded(badge, ok);
}
