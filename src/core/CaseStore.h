// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CaseRecord.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

class Database;

// Cases in the store: importing or upserting them (from files now, from upstream later) and reading one back
// with the progress of each line.
class CaseStore
{
public:
    struct ImportSummary
    {
        int inserted = 0;
        int updated = 0;
        int unchanged = 0; // the stored copy was as new or newer
        qint64 items = 0;
        int nowExpected = 0; // open exceptions the import made "now expected" (CaseChanges::rematch)
    };

    explicit CaseStore(Database &db);

    // Parses {"cases": [...]}; validates every case before writing any; writes all in one transaction.
    // On a problem nothing changes and `error` names the case and the field.
    std::optional<ImportSummary> importJson(const QByteArray &json, const QString &actor, QString *error);
    // Where a case change came from, named in its audit row.
    enum class Origin { Upstream, Import, Demo };
    // Inserts or changes one case through CaseChanges (caller's transaction; receipts kept, a `case_changed`
    // audit row). Unchanged when the stored copy is as new or newer. Without an origin it is the upstream
    // pull's. Call rematch() once after a batch of upserts.
    enum class Upsert { Inserted, Updated, Unchanged };
    Upsert upsert(const CaseRecord &record, Origin origin = Origin::Upstream);
    // CaseChanges::rematch: marks open exceptions whose serial a case now expects; returns how many changed.
    int rematch();

    // The case with each line's received count and the receipts against it; nullopt when unknown.
    std::optional<QJsonObject> detail(const QString &caseNumber);

private:
    Upsert upsertAs(const CaseRecord &record, Origin origin, const QString &actor);

    Database &m_db;
};
