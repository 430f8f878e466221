// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>

class Database;

// What a PIN check answered, for the GUI thread.
struct PinAnswer
{
    enum class Purpose { SignIn, Supervisor };
    Purpose purpose = Purpose::SignIn;
    bool accepted = false;
    QString badge;         // who the PIN belongs to, when accepted
    QString message;       // a sentence for the keypad
    int lockedSeconds = 0; // > 0: PINs are refused here for that long
    int supervisorMinutes = 5;
};
Q_DECLARE_METATYPE(PinAnswer)

// PIN checks on their own thread ("rs-signin") with their own connection: one PBKDF2 is ~10 ms, and a scan
// must never wait behind it. Also records the kiosk's quit in the audit chain before the kiosk may go.
class PinWorker : public QObject
{
    Q_OBJECT
public:
    PinWorker(QString databasePath, QString stationId, const Clock &clock);
    ~PinWorker() override;

public Q_SLOTS:
    void open();
    // A PIN on the sign-in keypad.
    void signIn(const QString &pin);
    // The signed-in supervisor's PIN, for the supervisor pages and leaving the kiosk.
    void confirmSupervisor(const QString &badge, const QString &pin);
    // Answers with lockState.
    void queryLock();
    // Appends the kiosk_quit audit row, then answers quitRecorded.
    void recordQuit(const QString &badge);

Q_SIGNALS:
    void answered(const PinAnswer &answer);
    void lockState(int lockedSeconds);
    void quitRecorded(const QString &badge, bool ok);

private:
    int supervisorMinutes();
    QString m_path;
    QString m_station;
    const Clock &m_clock;
    std::unique_ptr<Database> m_db;
};
