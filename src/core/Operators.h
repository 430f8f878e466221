// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

class Database;

// Who may work the station: badges, names, roles, and PINs stored only as salted PBKDF2 hashes.
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
    };

    explicit Operators(Database &db);

    // Adds one operator; on a problem returns nullopt with `error` set (badge taken, bad PIN, ...).
    std::optional<Operator> add(const QString &badge, const QString &name, Role role, const QString &pin,
                                const QString &actor, QString *error);
    std::optional<Operator> byBadge(const QString &badge);
    std::optional<Operator> byPin(const QString &pin);
    // Throws nothing; false when the operator is unknown or not a supervisor.
    bool isSupervisor(const QString &badge);

    static std::optional<Role> roleFromName(const QString &name);
    static QString roleName(Role r);
    static QString hashPin(const QString &pin, const QByteArray &salt, int iterations);
    static bool verifyPin(const QString &pin, const QString &stored);
    static bool isAcceptablePin(const QString &pin); // 4 to 8 digits

private:
    Database &m_db;
};
