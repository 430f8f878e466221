// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

class Database;

// What did not match, waiting for a supervisor: the exception rows with the unit and box they concern.
class ExceptionQueue
{
public:
    struct Filter
    {
        bool includeClosed = false; // resolved and cancelled ones too
        QString kind;               // empty: every kind
        QString createdBefore;      // UTC ISO-8601; empty: any age
        bool nowExpected = false;   // only those a case now expects ("now_expected" is set)
    };

    explicit ExceptionQueue(Database &db);
    // Newest first; open ones only unless `includeClosed`.
    QJsonArray list(bool includeClosed = false);
    QJsonArray list(const Filter &filter);
    std::optional<QJsonObject> byId(qint64 id);

private:
    Database &m_db;
};
