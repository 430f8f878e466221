// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <optional>

class Database;

// A station's persistent context: its row in station_state (who is signed in, the open box, the unit waiting
// for its SKU), with the open box and the box's case read in the same query. Loaded once per scan by
// ReceivingService and once per UI snapshot by StationView; saved back by the scan that changes it.
struct StationState
{
    QString id;
    QString operatorId;
    QString operatorName; // from operators, for the screen
    QString operatorRole; // dock | supervisor; empty when signed out or unknown
    std::optional<qint64> boxId;
    QString boxLabel;
    std::optional<qint64> caseId; // the open box's case
    QString caseNumber;
    QString customer;
    int phase = 0;
    QString caseStatus;
    QString disposition;
    QString dueDate;
    std::optional<qint64> pendingReceiptId;
    QString pendingSerial;

    bool boxHasOpenTradeIn() const;
    // Forgets the box and its case (not the pending unit).
    void clearBox();

    // Whether load() also locks the open box's case row until the transaction ends (CaseLines::lockCase, in
    // the same round trip): what a scan does first, so stations on one case take turns from there to COMMIT.
    enum class CaseLock { None, BoxCase };
    // The stored context of `stationId`; only the id when the station has no row yet.
    static StationState load(Database &db, const QString &stationId, CaseLock lock = CaseLock::None);
    // Writes operator, open box and pending unit back (inserting the row when it is new).
    void save(Database &db, const QString &now) const;

    // What closing the open box did.
    struct ClosedBox
    {
        QString label;
        QString caseNumber;
        QList<int> missingLines;
        QString unboundSerial;
        std::optional<qint64> unboundException;
    };
    // Closes the open box (there must be one): a unit still waiting for its SKU becomes unexpected (an
    // exception and an unmatched report), the box's held events are released, the box's case's missing lines
    // are counted, the closing is audited and the station is saved without a box.
    ClosedBox closeBox(Database &db, const QString &now);

    // An exception raised at this station, in its open box if any.
    qint64 recordException(Database &db, const QString &now, const QString &kind,
                           std::optional<qint64> receiptId, std::optional<qint64> caseId,
                           const QString &serial) const;
    // An audit row in the name of the station and its operator.
    void audit(Database &db, const QString &now, const QString &action, const QString &subject,
               const QString &details = {}) const;
};
