// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <functional>
#include <optional>

class Database;

// Append-only audit trail: each row carries the SHA-256 of the previous row, and audit_head anchors the
// newest one, so an edited, inserted or deleted row is found by verify(). Rows deleted from the end together
// with a rewritten audit_head are found only against an anchor kept outside the database: every committed
// append hands the new head to the head publisher (journal, metrics), and verify() checks a head given back.
class AuditLog
{
public:
    struct Entry
    {
        QString at; // UTC ISO-8601
        QString stationId;
        QString actor;
        QString action;
        QString subject;
        QString details; // JSON text
    };

    // The newest row of the chain: its id and its row hash (id 0 and the genesis hash when empty).
    struct Head
    {
        qint64 id = 0;
        QString hash;
        QString text() const; // "ID:HASH", as verify --expect-head takes it
    };

    // An anchor to check the log against: a row hash, with the row's id when known.
    struct ExpectedHead
    {
        std::optional<qint64> id;
        QString hash; // 64 lower-case hex digits
        // "HASH" or "ID:HASH"; nullopt when it is neither.
        static std::optional<ExpectedHead> parse(const QString &text);
    };

    struct Verification
    {
        bool ok = true;
        qint64 rows = 0;
        qint64 firstBadId = 0; // 0 when ok
        Head head;             // of the rows as they are, when the chain holds
        QString message;
    };

    // Called after the commit that made `head` the newest row (never for a rolled-back append), on the
    // committing thread; `databasePath` tells databases apart. One per process, set in main() before any
    // worker starts; an empty function publishes nothing.
    using HeadPublisher =
        std::function<void(const QString &databasePath, qint64 headId, const QString &headHash)>;
    static void setHeadPublisher(HeadPublisher publisher);

    // Must run inside the caller's transaction so the trail commits with the change it describes. Records
    // the Unix user of the process (its effective uid's name, else the number).
    static void append(Database &db, const Entry &entry);
    // The chain holds and ends where audit_head says; with `expected`, the chain also holds that row, so a
    // log cut back to before the anchor fails even when audit_head was rewritten to match.
    static Verification verify(Database &db, const std::optional<ExpectedHead> &expected = std::nullopt);
    static QString genesisHash();
    // The name of the effective uid, else its number: what append() records in unix_user.
    static QString processUnixUser();
};
