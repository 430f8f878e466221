// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class Database;

// The events a station sends upstream (a receipt, an unmatched-unit report, a case closure): the only place
// their payloads, idempotency keys and outbox rows are made, so a scan and a supervisor's action queue the
// same bytes. Each event gets a fresh key (a UUID, also the payload's receipt_id / report_id / closure_id).
// An event about a unit in an open box is held with that box (the box's closing releases it); any other is
// pending at once. Writes in the caller's transaction.
class UpstreamEvents
{
public:
    struct Closure
    {
        QString caseNumber;
        QString kind;            // complete | partial
        QStringList received;    // CaseLines::receivedSerials
        QList<int> missingLines; // empty for a complete case
        QString stationId;       // where it was closed
        QString approvedBy;      // a partial closure's supervisor; empty: null
    };
    struct Unmatched
    {
        qint64 receiptId = 0;
        QString serial;
        QString sku;
        QString caseNumber;     // the box's case, if any
        QString trackingNumber; // trackingNumber(box label, box's case)
        QString stationId;
        QString notes;
    };

    // A receipt's reported fields, as stored.
    struct Receipt
    {
        qint64 id = 0;
        QString serial;
        QString sku; // empty: null
        std::optional<int> line;
        QString receivedAt;
        QString stationId;
        QString operatorId; // empty: null
        QString condition;  // working | damaged | not_working
        bool late = false;
        QString supersedesUnmatched; // the key of this unit's unmatched report already sent; empty: none
    };

    explicit UpstreamEvents(Database &db);

    // The receipt as stored (serial, SKU, line, time, station, operator, condition, lateness) against
    // `caseNumber`. Returns the key.
    QString queueReceipt(qint64 receiptId, const QString &caseNumber, const QString &trackingNumber,
                         std::optional<qint64> heldInBox, const QString &now);
    // The same from the values the caller has just written (no re-read of the row).
    QString queueReceipt(const Receipt &r, const QString &caseNumber, const QString &trackingNumber,
                         std::optional<qint64> heldInBox, const QString &now);
    // A unit no case expects, reported as received at `now`.
    QString queueUnmatched(const Unmatched &u, std::optional<qint64> heldInBox, const QString &now);
    // A case's closure, closed at `now`.
    QString queueClosure(const Closure &c, std::optional<qint64> heldInBox, const QString &now);

    // The box label is a carrier's tracking number unless the box was opened by its case number; empty: none.
    static QString trackingNumber(const QString &boxLabel, const QString &boxCaseNumber);

private:
    void insert(const QString &key, const char *kind, const QString &caseNumber,
                std::optional<qint64> receiptId, std::optional<qint64> heldInBox, const QString &payload,
                const QString &now);

    Database &m_db;
};
