// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "Database.h"

#include <QCryptographicHash>

namespace {
QString rowHash(qint64 id, const QString &at, const QString &station, const QString &actor,
                const QString &action, const QString &subject, const QString &details,
                const QString &prevHash)
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
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

struct Head
{
    qint64 lastId = 0;
    QString lastHash;
};

Head currentHead(Database &db)
{
    {
        Statement s = db.prepare("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
        if (s.next())
            return Head{s.int64(0), s.text(1)};
    }
    // No anchor yet (fresh, or upgraded from schema 1): derive it from the newest row.
    Statement last = db.prepare("SELECT id, at, station_id, actor, action, subject, details, prev_hash "
                                "FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!last.next())
        return Head{0, AuditLog::genesisHash()};
    return Head{last.int64(0), rowHash(last.int64(0), last.text(1), last.text(2), last.text(3), last.text(4),
                                       last.text(5), last.text(6), last.text(7))};
}
} // namespace

QString AuditLog::genesisHash()
{
    return QString(64, QLatin1Char('0'));
}

void AuditLog::append(Database &db, const Entry &e)
{
    const Head head = currentHead(db);
    Statement ins =
        db.prepare("INSERT INTO audit_log (at, station_id, actor, action, subject, details, prev_hash) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    ins.bind(1, e.at).bind(2, e.stationId).bind(3, e.actor).bind(4, e.action).bind(5, e.subject);
    ins.bind(6, e.details).bind(7, head.lastHash);
    ins.exec();
    const qint64 id = db.lastInsertId();
    const QString hash =
        rowHash(id, e.at, e.stationId, e.actor, e.action, e.subject, e.details, head.lastHash);
    Statement up = db.prepare("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?1, ?2) "
                              "ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, "
                              "last_hash = excluded.last_hash");
    up.bind(1, id).bind(2, hash).exec();
}

AuditLog::Verification AuditLog::verify(Database &db)
{
    Verification v;
    QString expected = genesisHash();
    qint64 lastId = 0;
    Statement s = db.prepare("SELECT id, at, station_id, actor, action, subject, details, prev_hash "
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
        expected = rowHash(id, s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), prev);
        lastId = id;
        ++v.rows;
    }
    Statement h = db.prepare("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
    if (h.next() && (h.int64(0) != lastId || h.text(1) != expected)) {
        v.ok = false;
        v.firstBadId = lastId ? lastId : 1;
        v.message = QStringLiteral("Audit log broken after row %1: the newest rows were changed or removed.")
                        .arg(lastId);
        return v;
    }
    v.message = QStringLiteral("Audit log intact: %1 rows.").arg(v.rows);
    return v;
}
