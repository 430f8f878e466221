// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

class Database;

// The outbox table as the sync worker sees it: which events are due, and recording what happened to each.
// Events are created by the receiving service in the transaction of the scan that causes them.
class OutboxStore
{
public:
    struct Event
    {
        qint64 id = 0;
        QString key;
        QString kind; // receipt | closure | unmatched
        QString caseNumber;
        QByteArray payload;
        int attempts = 0;
    };
    enum class Outcome { Delivered, Retry, Dead };
    struct Result
    {
        qint64 id;
        Outcome outcome;
        int attempts;
        QString error;
        QDateTime nextAttempt; // for Retry
    };

    explicit OutboxStore(Database &db);

    // Pending events whose time has come, longest due first. A closure is due only once every receipt event
    // of its case was delivered, so the upstream never sees a case closed before its receipts.
    QList<Event> due(const QDateTime &now, int limit);
    // Records a batch of outcomes in one transaction (one fsync for the batch).
    void record(const QList<Result> &results, const QDateTime &now);
    QHash<QString, qint64> countsByState();
    std::optional<QDateTime> nextAttempt(); // earliest pending attempt time
    // Pending events still waiting for the upstream to take them: every pending one except closures held back
    // by a receipt of their case in an open box or among the dead letters (those wait for people instead).
    qint64 awaitingUpstream();
    // A supervisor's "try again" on a dead letter. False when `id` is not a dead letter.
    bool retryDead(qint64 id, const QString &actor, const QDateTime &now);
    QList<Event> deadLetters(QList<QString> *errors = nullptr);

private:
    Database &m_db;
};
