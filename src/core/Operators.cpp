// SPDX-License-Identifier: GPL-3.0-or-later
#include "Operators.h"
#include "AuditLog.h"
#include "Clock.h"
#include "Database.h"
#include "ScanNormaliser.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace {
constexpr int PinIterations = 20000; // PINs are checked against every operator at sign-in

QByteArray pbkdf2Sha256(const QByteArray &password, const QByteArray &salt, int iterations)
{
    // One 32-byte block is all a PIN hash needs (RFC 8018, dkLen = hLen).
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, password);
    mac.addData(salt);
    mac.addData(QByteArray("\x00\x00\x00\x01", 4));
    QByteArray u = mac.result();
    QByteArray out = u;
    for (int i = 1; i < iterations; ++i) {
        mac.reset();
        mac.addData(u);
        u = mac.result();
        for (int j = 0; j < out.size(); ++j)
            out[j] = char(out[j] ^ u[j]);
    }
    return out;
}
} // namespace

Operators::Operators(Database &db) : m_db(db) {}

std::optional<Operators::Role> Operators::roleFromName(const QString &name)
{
    if (name == QLatin1String("dock"))
        return Role::Dock;
    if (name == QLatin1String("supervisor"))
        return Role::Supervisor;
    return std::nullopt;
}

QString Operators::roleName(Role r)
{
    return r == Role::Supervisor ? QStringLiteral("supervisor") : QStringLiteral("dock");
}

bool Operators::isAcceptablePin(const QString &pin)
{
    if (pin.size() < 4 || pin.size() > 8)
        return false;
    for (const QChar c : pin) {
        if (!c.isDigit() || c.unicode() > 0x7F)
            return false;
    }
    return true;
}

QString Operators::hashPin(const QString &pin, const QByteArray &salt, int iterations)
{
    return QStringLiteral("pbkdf2-sha256$%1$%2$%3")
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toHex()),
             QString::fromLatin1(pbkdf2Sha256(pin.toUtf8(), salt, iterations).toHex()));
}

bool Operators::verifyPin(const QString &pin, const QString &stored)
{
    const QStringList parts = stored.split(QLatin1Char('$'));
    if (parts.size() != 4 || parts[0] != QLatin1String("pbkdf2-sha256"))
        return false;
    const int iterations = parts[1].toInt();
    if (iterations < 1)
        return false;
    return hashPin(pin, QByteArray::fromHex(parts[2].toLatin1()), iterations) == stored;
}

std::optional<Operators::Operator> Operators::add(const QString &badgeIn, const QString &nameIn, Role role,
                                                  const QString &pin, const QString &actor, QString *error)
{
    const auto fail = [&](const QString &m) {
        if (error)
            *error = m;
        return std::nullopt;
    };
    const ScanNormaliser::Result badge = ScanNormaliser::normalise(badgeIn.toUtf8());
    if (!badge.isValid() || badge.upper.startsWith(QLatin1Char(':')))
        return fail(
            QStringLiteral("The badge id must be 1 to 128 printable characters and not start with ':'."));
    const QString name = nameIn.simplified();
    if (name.isEmpty() || name.size() > 100)
        return fail(QStringLiteral("The name must be 1 to 100 characters."));
    if (!pin.isEmpty() && !isAcceptablePin(pin))
        return fail(QStringLiteral("The PIN must be 4 to 8 digits."));
    try {
        Transaction tx(m_db);
        if (byBadge(badge.upper))
            return fail(QStringLiteral("Badge %1 is already registered.").arg(badge.upper));
        QString pinHash;
        if (!pin.isEmpty()) {
            // PINs are short: refuse one another operator already uses, or the keypad could not tell them
            // apart.
            if (byPin(pin))
                return fail(
                    QStringLiteral("Another operator already uses that PIN. Choose a different one."));
            QByteArray salt(16, Qt::Uninitialized);
            QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()), 4);
            pinHash = hashPin(pin, salt, PinIterations);
        }
        const QString now = isoUtc(QDateTime::currentDateTimeUtc());
        Statement s = m_db.prepare("INSERT INTO operators (badge, name, role, pin_hash, created_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)");
        s.bind(1, badge.upper).bind(2, name).bind(3, roleName(role)).bind(4, pinHash).bind(5, now).exec();
        const qint64 id = m_db.lastInsertId();
        AuditLog::append(m_db,
                         AuditLog::Entry{now, QString(), actor, QStringLiteral("operator_added"), badge.upper,
                                         QStringLiteral("{\"name\":\"%1\",\"role\":\"%2\"}")
                                             .arg(QString(name).replace(QLatin1Char('"'), QLatin1Char('\'')),
                                                  roleName(role))});
        tx.commit();
        return Operator{id, badge.upper, name, role};
    } catch (const DbException &e) {
        return fail(e.error().message);
    }
}

std::optional<Operators::Operator> Operators::byBadge(const QString &badge)
{
    Statement s = m_db.prepare("SELECT id, badge, name, role FROM operators WHERE badge = ?1");
    if (!s.bind(1, badge.trimmed().toUpper()).next())
        return std::nullopt;
    return Operator{s.int64(0), s.text(1), s.text(2),
                    s.text(3) == QLatin1String("supervisor") ? Role::Supervisor : Role::Dock};
}

std::optional<Operators::Operator> Operators::byPin(const QString &pin)
{
    if (!isAcceptablePin(pin))
        return std::nullopt;
    Statement s =
        m_db.prepare("SELECT id, badge, name, role, pin_hash FROM operators WHERE pin_hash IS NOT NULL");
    while (s.next()) {
        if (verifyPin(pin, s.text(4)))
            return Operator{s.int64(0), s.text(1), s.text(2),
                            s.text(3) == QLatin1String("supervisor") ? Role::Supervisor : Role::Dock};
    }
    return std::nullopt;
}

bool Operators::isSupervisor(const QString &badge)
{
    const std::optional<Operator> op = byBadge(badge);
    return op && op->role == Role::Supervisor;
}
