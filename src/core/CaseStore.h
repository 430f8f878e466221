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
    };

    explicit CaseStore(Database &db);

    // Parses {"cases": [...]}; validates every case before writing any; writes all in one transaction.
    // On a problem nothing changes and `error` names the case and the field.
    std::optional<ImportSummary> importJson(const QByteArray &json, const QString &actor, QString *error);
    // Where a case change came from, named in its audit row.
    enum class Origin { Upstream, Import, Demo };
    // Inserts or replaces one case (caller's transaction) and, when it did, writes a `case_changed` audit row
    // in that transaction (subject: the case number; details: the origin, the lines before and after).
    // Unchanged when the stored copy is as new or newer. Without an origin it is the upstream pull's.
    enum class Upsert { Inserted, Updated, Unchanged };
    Upsert upsert(const CaseRecord &record, Origin origin = Origin::Upstream);

    // The case with each line's received count and the receipts against it; nullopt when unknown.
    std::optional<QJsonObject> detail(const QString &caseNumber);

private:
    Upsert upsertAs(const CaseRecord &record, Origin origin, const QString &actor);

    Database &m_db;
};
