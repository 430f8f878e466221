// SPDX-License-Identifier: GPL-3.0-or-later
#include "PinSignIn.h"
#include "AuditLog.h"
#include "Clock.h"
#include "Database.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

PinSignIn::PinSignIn(Database &db, const Clock &clock, QString stationId, QString method)
    : m_db(db), m_clock(clock), m_station(std::move(stationId)), m_method(std::move(method))
{
}

PinSignIn::LockState PinSignIn::lockState(const QDateTime &now, const QString &badge)
{
    // Two scopes: the station's (its lock rows have no subject), and, for a named badge, that badge's at
    // every station, so guessing one supervisor's PIN from many stations (or CLI --station values) is
    // stopped too.
    LockState st;
    const bool perBadge = !badge.isEmpty();
    {
        Statement s = m_db.prepare(perBadge ? "SELECT details FROM audit_log WHERE action = 'sign_in_locked' "
                                              "AND subject = ?1 ORDER BY id DESC LIMIT 1"
                                            : "SELECT details FROM audit_log WHERE action = 'sign_in_locked' "
                                              "AND station_id = ?1 AND coalesce(subject, '') = '' "
                                              "ORDER BY id DESC LIMIT 1");
        if (s.bind(1, perBadge ? badge : m_station).next()) {
            const QJsonObject d = QJsonDocument::fromJson(s.utf8(0)).object();
            st.until = QDateTime::fromString(d.value(QStringLiteral("until")).toString(), Qt::ISODateWithMs);
        }
    }
    // Failures count within the window, and only those after the last lock ended: a lock is served once.
    QDateTime since = now.addSecs(-qint64(WindowMinutes) * 60);
    if (st.until.isValid() && st.until > since)
        since = st.until;
    Statement c = m_db.prepare(perBadge ? "SELECT count(*) FROM audit_log WHERE subject = ?1 "
                                          "AND action = 'sign_in_failed' AND at > ?2"
                                        : "SELECT count(*) FROM audit_log WHERE station_id = ?1 "
                                          "AND action = 'sign_in_failed' AND at > ?2");
    c.bind(1, perBadge ? badge : m_station).bind(2, isoUtc(since)).next();
    st.failures = int(c.int64(0));
    return st;
}

int PinSignIn::lockedSeconds(const QString &badge)
{
    const QDateTime now = m_clock.nowUtc();
    QDateTime until = lockState(now, QString()).until;
    if (!badge.isEmpty()) {
        const QDateTime badgeUntil = lockState(now, badge).until;
        if (badgeUntil.isValid() && (!until.isValid() || badgeUntil > until))
            until = badgeUntil;
    }
    if (!until.isValid() || until <= now)
        return 0;
    return int(std::max<qint64>(1, (now.msecsTo(until) + 999) / 1000));
}

PinSignIn::Outcome PinSignIn::locked(int seconds) const
{
    Outcome o;
    o.result = Result::Locked;
    o.lockedSeconds = seconds;
    const int minutes = (seconds + 59) / 60;
    // Whole sentences per number (the CLI has no translator to fill in plurals).
    o.message =
        minutes == 1
            ? QCoreApplication::translate("PinSignIn", "Too many wrong PINs at this station. PIN sign-in "
                                                       "is locked for 1 more minute.")
            : QCoreApplication::translate("PinSignIn", "Too many wrong PINs at this station. PIN sign-in "
                                                       "is locked for %1 more minutes.")
                  .arg(minutes);
    return o;
}

void PinSignIn::audit(const QString &action, const QString &subject, const QString &details)
{
    AuditLog::append(m_db,
                     AuditLog::Entry{isoUtc(m_clock.nowUtc()), m_station, subject, action, subject, details});
}

PinSignIn::Outcome PinSignIn::fail(const QString &subject, const QString &reason)
{
    const QDateTime now = m_clock.nowUtc();
    Transaction tx(m_db);
    const LockState station = lockState(now, QString());
    const LockState named = subject.isEmpty() ? LockState{} : lockState(now, subject);
    QJsonObject details{{QStringLiteral("method"), m_method}, {QStringLiteral("reason"), reason}};
    AuditLog::append(
        m_db, AuditLog::Entry{isoUtc(now), m_station, QString(), QStringLiteral("sign_in_failed"), subject,
                              QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
    const int failures = std::max(station.failures, named.failures) + 1;
    if (failures >= MaxFailures) {
        const QDateTime until = now.addSecs(qint64(LockMinutes) * 60);
        const auto lock = [&](const QString &scope, const QString &lockSubject, int count) {
            const QJsonObject d{{QStringLiteral("until"), isoUtc(until)},
                                {QStringLiteral("failures"), count},
                                {QStringLiteral("scope"), scope}};
            AuditLog::append(
                m_db, AuditLog::Entry{isoUtc(now), m_station, QString(), QStringLiteral("sign_in_locked"),
                                      lockSubject,
                                      QString::fromUtf8(QJsonDocument(d).toJson(QJsonDocument::Compact))});
        };
        if (station.failures + 1 >= MaxFailures)
            lock(QStringLiteral("station"), QString(), station.failures + 1);
        if (!subject.isEmpty() && named.failures + 1 >= MaxFailures)
            lock(QStringLiteral("badge"), subject, named.failures + 1);
        tx.commit();
        return locked(LockMinutes * 60);
    }
    tx.commit();
    Outcome o;
    o.result = Result::WrongPin;
    o.triesLeft = MaxFailures - failures;
    o.message = o.triesLeft == 1
                    ? QCoreApplication::translate("PinSignIn", "That PIN is not right. One more wrong PIN "
                                                               "locks PIN sign-in here for 5 minutes.")
                    : QCoreApplication::translate("PinSignIn", "That PIN is not right. %1 more wrong PINs "
                                                               "lock PIN sign-in here for 5 minutes.")
                          .arg(o.triesLeft);
    return o;
}

PinSignIn::Outcome PinSignIn::signIn(const QString &pin)
{
    if (const int seconds = lockedSeconds())
        return locked(seconds);
    Operators operators(m_db);
    const std::optional<Operators::Operator> op =
        Operators::isAcceptablePin(pin) ? operators.byPin(pin) : std::nullopt;
    if (!op)
        return fail(QString(), QStringLiteral("unknown_pin"));
    Outcome o;
    o.op = op;
    if (op->disabled) {
        // The right PIN of a disabled operator: no sign-in, and nothing recorded.
        o.result = Result::Disabled;
        o.message = QCoreApplication::translate("PinSignIn", "Badge disabled — see a supervisor.");
        return o;
    }
    o.result = Result::Accepted;
    return o;
}

PinSignIn::Outcome PinSignIn::confirm(const QString &badge, const QString &pin, bool supervisorNeeded)
{
    Operators operators(m_db);
    const std::optional<Operators::Operator> op = operators.byBadge(badge);
    if (const int seconds = lockedSeconds(op ? op->badge : QString()))
        return locked(seconds);
    Outcome o;
    if (op && op->disabled) {
        o.result = Result::Disabled;
        o.op = op;
        o.message = QCoreApplication::translate("PinSignIn", "Badge disabled — see a supervisor.");
        return o;
    }
    // The PIN is checked before the role, and a wrong one counts whoever it is: the answer tells no one
    // whether a badge exists or what it may do before the PIN is right.
    if (!op || !operators.checkPin(op->badge, pin))
        return fail(op ? op->badge : QString(), QStringLiteral("wrong_pin"));
    o.op = op;
    if (supervisorNeeded && op->role != Operators::Role::Supervisor) {
        o.result = Result::NotSupervisor;
        o.message = QCoreApplication::translate("PinSignIn", "Only a supervisor can do this.");
        return o;
    }
    o.result = Result::Accepted;
    Transaction tx(m_db);
    audit(
        supervisorNeeded ? QStringLiteral("supervisor_confirmed") : QStringLiteral("pin_confirmed"),
        op->badge,
        QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("method"), m_method}}).toJson(QJsonDocument::Compact)));
    tx.commit();
    return o;
}
