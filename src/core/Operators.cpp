// SPDX-License-Identifier: GPL-3.0-or-later
#include "Operators.h"
#include "AuditLog.h"
#include "Clock.h"
#include "Database.h"
#include "ScanNormaliser.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <atomic>

namespace {
constexpr int PinIterations = 20000;
constexpr int PinIndexChars = 3; // 12 bits: 4,096 buckets, so a bucket holds ~2.4 of the 10,000 4-digit PINs
std::atomic<quint64> pinHashes{0};

QByteArray pbkdf2Sha256(const QByteArray &password, const QByteArray &salt, int iterations)
{
    pinHashes.fetch_add(1, std::memory_order_relaxed);
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

namespace {
Operators::Operator operatorFrom(const Statement &s)
{
    return Operators::Operator{s.int64(0), s.text(1), s.text(2),
                               s.text(3) == QLatin1String("supervisor") ? Operators::Role::Supervisor
                                                                        : Operators::Role::Dock,
                               !s.text(4).isEmpty()};
}

QString quoteless(QString s)
{
    return s.replace(QLatin1Char('"'), QLatin1Char('\''));
}
} // namespace

quint64 Operators::pinHashesComputed()
{
    return pinHashes.load(std::memory_order_relaxed);
}

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

QString Operators::maskBadge(const QString &badge)
{
    const qsizetype n = badge.size();
    if (n <= 2)
        return QString(n, QChar(0x2022));
    // The letters a badge starts with name the badge series, not the person; they stay, as long as two
    // characters before the last two are hidden.
    qsizetype keep = 0;
    while (keep < n && !badge.at(keep).isDigit())
        ++keep;
    const qsizetype tail = 2;
    keep = std::max<qsizetype>(0, std::min(keep, n - tail - 2)); // at least two characters hidden
    const qsizetype hidden = std::max<qsizetype>(0, n - keep - tail);
    return badge.left(keep) + QString(hidden, QChar(0x2022)) + badge.right(n - keep - hidden);
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
    if (iterations < 1 || iterations > 10'000'000)
        return false;
    const QByteArray expected = QByteArray::fromHex(parts[3].toLatin1());
    const QByteArray derived =
        pbkdf2Sha256(pin.toUtf8(), QByteArray::fromHex(parts[2].toLatin1()), iterations);
    if (expected.size() != derived.size())
        return false;
    // Every byte is compared whatever the first difference: the time says nothing about the PIN.
    unsigned char diff = 0;
    for (qsizetype i = 0; i < derived.size(); ++i)
        diff |= static_cast<unsigned char>(derived[i] ^ expected[i]);
    return diff == 0;
}

QByteArray Operators::indexKey(bool create)
{
    {
        Statement s = m_db.prepare("SELECT value FROM secrets WHERE name = 'pin_index'");
        if (s.next())
            return QByteArray::fromHex(s.utf8(0));
    }
    if (!create)
        return QByteArray();
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), 8);
    Statement ins = m_db.prepare("INSERT INTO secrets (name, value) VALUES ('pin_index', ?1)");
    ins.bind(1, key.toHex()).exec();
    return key;
}

QString Operators::pinIndex(const QByteArray &key, const QString &pin) const
{
    const QByteArray mac = QMessageAuthenticationCode::hash(pin.toUtf8(), key, QCryptographicHash::Sha256);
    return QString::fromLatin1(mac.toHex().left(PinIndexChars));
}

QString Operators::newPinHash(const QString &pin)
{
    QByteArray salt(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()), 4);
    return hashPin(pin, salt, PinIterations);
}

std::optional<Operators::Operator> Operators::pinTaken(const QString &pin, const QByteArray &key)
{
    // Candidates: the PIN's index bucket, and PINs set before the index existed (no index yet).
    Statement s =
        m_db.prepare("SELECT id, badge, name, role, disabled_at, pin_hash, pin_index FROM operators "
                     "WHERE pin_hash IS NOT NULL AND pin_hash <> '' "
                     "AND (pin_index = ?1 OR pin_index IS NULL) ORDER BY id");
    s.bind(1, key.isEmpty() ? QString() : pinIndex(key, pin));
    std::optional<Operator> found;
    bool legacy = false;
    while (s.next()) {
        if (verifyPin(pin, s.text(5))) {
            found = operatorFrom(s);
            legacy = s.text(6).isEmpty();
            break;
        }
    }
    // A PIN set before the index: remember its index now, so the next check costs one PBKDF2 (only outside
    // a caller's transaction, and never at the price of the sign-in).
    if (found && legacy && !key.isEmpty() && !m_db.inTransaction()) {
        try {
            Statement up = m_db.prepare("UPDATE operators SET pin_index = ?1 WHERE id = ?2");
            up.bind(1, pinIndex(key, pin)).bind(2, found->id).exec();
        } catch (const DbException &) {
        }
    }
    return found;
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
        QString pinHash, index;
        if (!pin.isEmpty()) {
            const QByteArray key = indexKey(true);
            // PINs are short: refuse one another operator already uses, or the keypad could not tell them
            // apart.
            if (pinTaken(pin, key))
                return fail(
                    QStringLiteral("Another operator already uses that PIN. Choose a different one."));
            pinHash = newPinHash(pin);
            index = pinIndex(key, pin);
        }
        const QString now = isoUtc(QDateTime::currentDateTimeUtc());
        Statement s =
            m_db.prepare("INSERT INTO operators (badge, name, role, pin_hash, pin_index, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        s.bind(1, badge.upper).bind(2, name).bind(3, roleName(role)).bind(4, pinHash).bind(5, index);
        s.bind(6, now).exec();
        const qint64 id = m_db.lastInsertId();
        AuditLog::append(
            m_db,
            AuditLog::Entry{now, QString(), actor, QStringLiteral("operator_added"), badge.upper,
                            QStringLiteral("{\"name\":\"%1\",\"role\":\"%2\",\"pin\":%3}")
                                .arg(quoteless(name), roleName(role),
                                     pin.isEmpty() ? QStringLiteral("false") : QStringLiteral("true"))});
        tx.commit();
        return Operator{id, badge.upper, name, role, false};
    } catch (const DbException &e) {
        return fail(e.error().message);
    }
}

std::optional<Operators::Operator> Operators::byBadge(const QString &badge)
{
    Statement s = m_db.prepare("SELECT id, badge, name, role, disabled_at FROM operators WHERE badge = ?1");
    if (!s.bind(1, badge.trimmed().toUpper()).next())
        return std::nullopt;
    return operatorFrom(s);
}

std::optional<Operators::Operator> Operators::byPin(const QString &pin)
{
    if (!isAcceptablePin(pin))
        return std::nullopt;
    return pinTaken(pin, indexKey(false));
}

bool Operators::checkPin(const QString &badge, const QString &pin)
{
    Statement s = m_db.prepare("SELECT pin_hash FROM operators WHERE badge = ?1");
    if (!s.bind(1, badge.trimmed().toUpper()).next() || s.text(0).isEmpty() || !isAcceptablePin(pin))
        return false;
    return verifyPin(pin, s.text(0));
}

bool Operators::isSupervisor(const QString &badge)
{
    const std::optional<Operator> op = byBadge(badge);
    return op && op->role == Role::Supervisor && !op->disabled;
}

bool Operators::hasSupervisor()
{
    Statement s =
        m_db.prepare("SELECT 1 FROM operators WHERE role = 'supervisor' AND disabled_at IS NULL LIMIT 1");
    return s.next();
}

bool Operators::everHadSupervisor()
{
    Statement s = m_db.prepare("SELECT 1 FROM operators WHERE role = 'supervisor' LIMIT 1");
    return s.next();
}

bool Operators::disable(const QString &badge, const QString &actor, QString *error)
{
    try {
        Transaction tx(m_db);
        const std::optional<Operator> op = byBadge(badge);
        if (!op) {
            if (error)
                *error = QStringLiteral("Badge %1 is not registered.").arg(Operators::maskBadge(badge));
            return false;
        }
        const QString now = isoUtc(QDateTime::currentDateTimeUtc());
        if (!op->disabled && op->role == Role::Supervisor) {
            Statement others = m_db.prepare("SELECT count(*) FROM operators WHERE role = 'supervisor' "
                                            "AND disabled_at IS NULL AND id <> ?1");
            others.bind(1, op->id).next();
            if (others.int64(0) == 0) {
                if (error)
                    *error = QStringLiteral("%1 is the last supervisor: add another supervisor before "
                                            "disabling this one.")
                                 .arg(op->badge);
                return false;
            }
        }
        if (!op->disabled) {
            Statement s = m_db.prepare("UPDATE operators SET disabled_at = ?1 WHERE id = ?2");
            s.bind(1, now).bind(2, op->id).exec();
            // Signed in somewhere: that session ends now, so the disabled badge records nothing more.
            Statement out =
                m_db.prepare("UPDATE station_state SET operator_id = NULL WHERE operator_id = ?1");
            out.bind(1, op->badge).exec();
            AuditLog::append(m_db, AuditLog::Entry{now, QString(), actor, QStringLiteral("operator_disabled"),
                                                   op->badge, QStringLiteral("{}")});
        }
        tx.commit();
        return true;
    } catch (const DbException &e) {
        if (error)
            *error = e.error().message;
        return false;
    }
}

bool Operators::setPin(const QString &badge, const QString &pin, const QString &actor, QString *error)
{
    const auto fail = [&](const QString &m) {
        if (error)
            *error = m;
        return false;
    };
    if (!isAcceptablePin(pin))
        return fail(QStringLiteral("The PIN must be 4 to 8 digits."));
    try {
        Transaction tx(m_db);
        const std::optional<Operator> op = byBadge(badge);
        if (!op)
            return fail(QStringLiteral("Badge %1 is not registered.").arg(Operators::maskBadge(badge)));
        const QByteArray key = indexKey(true);
        const std::optional<Operator> holder = pinTaken(pin, key);
        if (holder && holder->id != op->id)
            return fail(QStringLiteral("Another operator already uses that PIN. Choose a different one."));
        Statement s = m_db.prepare("UPDATE operators SET pin_hash = ?1, pin_index = ?2 WHERE id = ?3");
        s.bind(1, newPinHash(pin)).bind(2, pinIndex(key, pin)).bind(3, op->id).exec();
        const QString now = isoUtc(QDateTime::currentDateTimeUtc());
        AuditLog::append(m_db, AuditLog::Entry{now, QString(), actor, QStringLiteral("operator_pin_set"),
                                               op->badge, QStringLiteral("{}")});
        tx.commit();
        return true;
    } catch (const DbException &e) {
        return fail(e.error().message);
    }
}
