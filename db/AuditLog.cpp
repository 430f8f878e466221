// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "Database.h"

#include <QCryptographicHash>
#include <QMutex>
#include <QRegularExpression>

#include <pwd.h>
#include <unistd.h>
#include <vector>

namespace {
// `unixUser` is hashed only when set: rows written before schema 3 have none and keep their old hashes.
QString rowHash(qint64 id, const QString &at, const QString &station, const QString &actor,
                const QString &action, const QString &subject, const QString &details,
                const QString &prevHash, const QString &unixUser)
{
    // Unit separators keep ("ab","c") and ("a","bc") apart; a marker tells NULL from empty.
    QByteArray data;
    data.reserve(256);
    const auto add = [&data](const QString &s) {
        data += s.isNull() ? QByteArray("\x01") : s.toUtf8();
        data += '\x1f';
    };
    data += QByteArray::number(id);
    data += '\x1f';
    add(at);
    add(station);
    add(actor);
    add(action);
    add(subject);
    add(details);
    add(prevHash);
    if (!unixUser.isNull())
        add(unixUser);
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

// The hash of the row `s` is on: id, at, station_id, actor, action, subject, details, prev_hash, unix_user.
QString rowHash(const Statement &s)
{
    return rowHash(s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7),
                   s.text(8));
}

AuditLog::Head currentHead(Database &db)
{
    {
        // FOR UPDATE: on a shared PostgreSQL, stations appending at once queue here instead of forking the
        // chain.
        Statement s = db.prepare("SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE");
        if (s.next())
            return AuditLog::Head{s.int64(0), s.text(1)};
    }
    // No anchor yet (fresh, or upgraded from schema 1): derive it from the newest row.
    Statement last = db.prepare("SELECT id, at, station_id, actor, action, subject, details, prev_hash, "
                                "unix_user FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!last.next())
        return AuditLog::Head{0, AuditLog::genesisHash()};
    return AuditLog::Head{last.int64(0), rowHash(last)};
}

QMutex publisherMutex;
AuditLog::HeadPublisher headPublisher; // guarded by publisherMutex
const char publisherKey = 0;           // identifies the head publication among a transaction's callbacks

bool hasPublisher()
{
    QMutexLocker lock(&publisherMutex);
    return bool(headPublisher);
}

void publish(const QString &databasePath, qint64 id, const QString &hash)
{
    AuditLog::HeadPublisher p;
    {
        QMutexLocker lock(&publisherMutex);
        p = headPublisher;
    }
    if (p)
        p(databasePath, id, hash);
}
} // namespace

QString AuditLog::Head::text() const
{
    return QString::number(id) + QLatin1Char(':') + hash;
}

std::optional<AuditLog::ExpectedHead> AuditLog::ExpectedHead::parse(const QString &text)
{
    static const QRegularExpression form(QStringLiteral("^(?:([0-9]{1,18}):)?([0-9A-Fa-f]{64})$"));
    const QRegularExpressionMatch m = form.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    ExpectedHead e;
    if (m.hasCaptured(1))
        e.id = m.captured(1).toLongLong();
    e.hash = m.captured(2).toLower();
    return e;
}

void AuditLog::setHeadPublisher(HeadPublisher publisher)
{
    QMutexLocker lock(&publisherMutex);
    headPublisher = std::move(publisher);
}

QString AuditLog::genesisHash()
{
    return QString(64, QLatin1Char('0'));
}

QString AuditLog::processUnixUser()
{
    // The effective uid, not $USER, which any caller sets as it likes; looked up once per process.
    static const QString user = [] {
        const uid_t uid = geteuid();
        const long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
        std::vector<char> buffer(size_t(hint > 0 ? hint : 16384));
        passwd entry{};
        passwd *found = nullptr;
        if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found && found->pw_name &&
            *found->pw_name)
            return QString::fromLocal8Bit(found->pw_name);
        return QString::number(uid);
    }();
    return user;
}

void AuditLog::append(Database &db, const Entry &e)
{
    const Head head = currentHead(db);
    const QString unixUser = processUnixUser();
    Statement ins = db.prepare(
        "INSERT INTO audit_log (at, station_id, actor, action, subject, details, prev_hash, unix_user) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    ins.bind(1, e.at).bind(2, e.stationId).bind(3, e.actor).bind(4, e.action).bind(5, e.subject);
    ins.bind(6, e.details).bind(7, head.hash).bind(8, unixUser);
    ins.exec();
    const qint64 id = db.lastInsertId();
    const QString hash =
        rowHash(id, e.at, e.stationId, e.actor, e.action, e.subject, e.details, head.hash, unixUser);
    Statement up = db.prepare("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?1, ?2) "
                              "ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, "
                              "last_hash = excluded.last_hash");
    up.bind(1, id).bind(2, hash).exec();
    // Published once the change it describes is on disk; a later append in the same transaction replaces it.
    if (hasPublisher())
        db.afterCommit(&publisherKey, [path = db.path(), id, hash] { publish(path, id, hash); });
}

AuditLog::Verification AuditLog::verify(Database &db, const std::optional<ExpectedHead> &expectedHead)
{
    Verification v;
    QString expected = genesisHash();
    qint64 lastId = 0;
    // Where the expected head's hash and id turned up while walking the chain.
    std::optional<qint64> anchorFoundAt;
    qint64 rowsUpToAnchor = 0;
    QString hashAtAnchorId;
    if (expectedHead && expectedHead->hash == expected)
        anchorFoundAt = 0;
    Statement s =
        db.prepare("SELECT id, at, station_id, actor, action, subject, details, prev_hash, unix_user "
                   "FROM audit_log ORDER BY id");
    while (s.next()) {
        const qint64 id = s.int64(0);
        const QString prev = s.text(7);
        if (prev != expected) {
            v.ok = false;
            v.firstBadId = id;
            // A hash names the row before it: either that row was edited, or rows between were removed.
            v.message =
                lastId > 0
                    ? QStringLiteral("Audit log broken at row %1: row %2 before it was changed, or rows "
                                     "between them were removed.")
                          .arg(id)
                          .arg(lastId)
                    : QStringLiteral("Audit log broken at row %1: it was changed, or the rows before "
                                     "it were removed.")
                          .arg(id);
            return v;
        }
        expected = rowHash(s);
        lastId = id;
        ++v.rows;
        if (expectedHead) {
            if (expected == expectedHead->hash && !anchorFoundAt) {
                anchorFoundAt = id;
                rowsUpToAnchor = v.rows;
            }
            if (expectedHead->id && *expectedHead->id == id)
                hashAtAnchorId = expected;
        }
    }
    v.head = Head{lastId, expected};
    {
        Statement h = db.prepare("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
        if (h.next() && (h.int64(0) != lastId || h.text(1) != expected)) {
            v.ok = false;
            v.firstBadId = lastId ? lastId : 1;
            v.message = QStringLiteral("Audit log broken after row %1: audit_head says the newest row is %2, "
                                       "so the newest rows were changed or removed.")
                            .arg(lastId)
                            .arg(h.int64(0));
            return v;
        }
    }
    if (expectedHead) {
        const QString anchor =
            expectedHead->id
                ? QStringLiteral("row %1 (hash %2)").arg(*expectedHead->id).arg(expectedHead->hash)
                : QStringLiteral("hash %1").arg(expectedHead->hash);
        const bool held = anchorFoundAt && (!expectedHead->id || *expectedHead->id == *anchorFoundAt);
        if (!held) {
            v.ok = false;
            if (expectedHead->id && lastId < *expectedHead->id) {
                v.firstBadId = lastId + 1;
                v.message = QStringLiteral("Audit log broken: the audit log ends at row %1 but the anchor "
                                           "says row %2 (hash %3): rows were removed.")
                                .arg(lastId)
                                .arg(*expectedHead->id)
                                .arg(expectedHead->hash);
            } else if (expectedHead->id && !hashAtAnchorId.isNull()) {
                v.firstBadId = *expectedHead->id;
                v.message = QStringLiteral("Audit log broken: row %1 has hash %2 but the anchor says %3: "
                                           "rows up to row %1 were rewritten.")
                                .arg(*expectedHead->id)
                                .arg(hashAtAnchorId, expectedHead->hash);
            } else if (expectedHead->id) {
                v.firstBadId = *expectedHead->id;
                v.message = QStringLiteral("Audit log broken: the anchor's %1 is missing from the chain, "
                                           "which ends at row %2: rows were removed.")
                                .arg(anchor)
                                .arg(lastId);
            } else {
                v.firstBadId = lastId + 1;
                v.message =
                    QStringLiteral("Audit log broken: the anchor's %1 is not in the chain, which ends "
                                   "at row %2 (hash %3): rows were removed or rewritten.")
                        .arg(anchor)
                        .arg(lastId)
                        .arg(expected);
            }
            return v;
        }
        v.message =
            QStringLiteral("Audit log intact: %1 rows; head %2; holds the anchor %3 and %4 rows after it.")
                .arg(v.rows)
                .arg(v.head.text(), anchor)
                .arg(v.rows - rowsUpToAnchor);
        return v;
    }
    v.message = QStringLiteral("Audit log intact: %1 rows; head %2.").arg(v.rows).arg(v.head.text());
    return v;
}
