// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>

class Database;

// What did not match, waiting for a supervisor: the exception rows with the unit and box they concern.
class ExceptionQueue
{
public:
    explicit ExceptionQueue(Database &db);
    // Newest first; open ones only unless `includeClosed`.
    QJsonArray list(bool includeClosed = false);

private:
    Database &m_db;
};
