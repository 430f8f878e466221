// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class Database;

// Append-only audit trail: each row carries the SHA-256 of the previous row, and audit_head anchors the
// newest one, so an edited, inserted or deleted row is found by verify().
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

    struct Verification
    {
        bool ok = true;
        qint64 rows = 0;
        qint64 firstBadId = 0; // 0 when ok
        QString message;
    };

    // Must run inside the caller's transaction so the trail commits with the change it describes.
    static void append(Database &db, const Entry &entry);
    static Verification verify(Database &db);
    static QString genesisHash();
};
