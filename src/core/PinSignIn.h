// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Operators.h"

#include <QDateTime>
#include <QString>

#include <optional>

class Clock;
class Database;

// PIN checks for the kiosk's keypad and the CLI, with the guard against guessing: after MaxFailures wrong
// PINs within WindowMinutes at one station, PINs are refused there for LockMinutes; after as many wrong PINs
// for one badge, at any stations, that badge's PIN is refused everywhere for as long. Every failure and lock
// is an audit row (never the PIN), so the count survives a restart. Each check costs one PBKDF2; run it off
// the scan thread.
class PinSignIn
{
public:
    static constexpr int MaxFailures = 5;
    static constexpr int WindowMinutes = 10;
    static constexpr int LockMinutes = 5;

    enum class Result {
        Accepted,
        WrongPin,      // counted towards the lock
        Locked,        // refused without looking at the PIN
        Disabled,      // a disabled operator's PIN or badge
        NotSupervisor, // the right PIN of someone who may not do supervisor work
    };
    struct Outcome
    {
        Result result = Result::WrongPin;
        std::optional<Operators::Operator> op;
        QString message;       // a sentence for the person at the keypad or terminal
        int lockedSeconds = 0; // > 0 while PINs are refused
        int triesLeft = 0;     // after a wrong PIN
    };

    PinSignIn(Database &db, const Clock &clock, QString stationId, QString method);

    // Seconds until PINs are accepted again at this station (and, with a badge, for that badge anywhere),
    // 0 when they are.
    int lockedSeconds(const QString &badge = QString());
    // A PIN alone on the sign-in keypad: whose is it (dock work only, even for a supervisor).
    Outcome signIn(const QString &pin);
    // The PIN of an operator already named by their badge (the kiosk's signed-in supervisor, the CLI's
    // --operator). With `supervisorNeeded`, a dock worker's right PIN is refused as NotSupervisor.
    Outcome confirm(const QString &badge, const QString &pin, bool supervisorNeeded);

private:
    struct LockState
    {
        QDateTime until; // invalid: never locked
        int failures = 0;
    };
    LockState lockState(const QDateTime &now, const QString &badge);
    Outcome fail(const QString &subject, const QString &reason);
    Outcome locked(int seconds) const;
    void audit(const QString &action, const QString &subject, const QString &details);

    Database &m_db;
    const Clock &m_clock;
    QString m_station;
    QString m_method; // keypad | cli
};
