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
    // Inserts or replaces one case (caller's transaction). Returns false when the stored copy is newer.
    enum class Upsert { Inserted, Updated, Unchanged };
    Upsert upsert(const CaseRecord &record);

    // The case with each line's received count and the receipts against it; nullopt when unknown.
    std::optional<QJsonObject> detail(const QString &caseNumber);

private:
    Database &m_db;
};
