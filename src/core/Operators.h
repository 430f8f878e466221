// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

class Database;

// Who may work the station: badges, names, roles, and PINs stored only as salted PBKDF2 hashes. A badge is
// printed on a card and is no secret: it names an operator, the PIN proves them. PINs are found through a
// keyed index (a 12-bit prefix of an HMAC under a key kept in the `secrets` table) so a PIN check costs one
// PBKDF2 however many operators there are, while the index alone cannot tell a PIN.
class Operators
{
public:
    enum class Role { Dock, Supervisor };
    struct Operator
    {
        qint64 id = 0;
        QString badge; // also the operator id carried by receipts
        QString name;
        Role role = Role::Dock;
        bool disabled = false;
    };

    explicit Operators(Database &db);

    // Adds one operator; on a problem returns nullopt with `error` set (badge taken, bad PIN, ...).
    std::optional<Operator> add(const QString &badge, const QString &name, Role role, const QString &pin,
                                const QString &actor, QString *error);
    // Disabled operators included: callers refuse them with their own sentence.
    std::optional<Operator> byBadge(const QString &badge);
    // The operator whose PIN this is, disabled ones included (each candidate of the PIN's index costs one
    // PBKDF2; PINs are unique, so there is one unless the database predates the index).
    std::optional<Operator> byPin(const QString &pin);
    // Whether `pin` is the PIN of `badge`: exactly one PBKDF2 when the badge has a PIN, none otherwise.
    bool checkPin(const QString &badge, const QString &pin);
    // An enabled operator with the supervisor role.
    bool isSupervisor(const QString &badge);
    // Whether any enabled supervisor exists.
    bool hasSupervisor();
    // Whether a supervisor was ever registered, disabled ones included: only a database that never had one
    // takes its first supervisor without a supervisor's PIN.
    bool everHadSupervisor();
    // Both audited with `actor`; false with `error` set when the badge is unknown or the PIN unacceptable.
    // The last enabled supervisor cannot be disabled (nobody could then resolve, close or add anyone).
    bool disable(const QString &badge, const QString &actor, QString *error);
    bool setPin(const QString &badge, const QString &pin, const QString &actor, QString *error);

    static std::optional<Role> roleFromName(const QString &name);
    static QString roleName(Role r);
    static QString hashPin(const QString &pin, const QByteArray &salt, int iterations);
    // Constant-time comparison of the derived key.
    static bool verifyPin(const QString &pin, const QString &stored);
    static bool isAcceptablePin(const QString &pin); // 4 to 8 digits
    // What a screen or log may show of a badge: its leading non-digits and last two characters, at least
    // two hidden between
    // (`BADGE-2001` -> `BADGE-••01`).
    static QString maskBadge(const QString &badge);
    // PBKDF2 derivations made by this process, for tests and benchmarks.
    static quint64 pinHashesComputed();

private:
    QByteArray indexKey(bool create);
    QString pinIndex(const QByteArray &key, const QString &pin) const;
    QString newPinHash(const QString &pin);
    std::optional<Operator> pinTaken(const QString &pin, const QByteArray &key);
    Database &m_db;
};
