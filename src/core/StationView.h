// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QList>
#include <QString>

#include <optional>

class Database;

// What the receive screen shows about a station: who is signed in, the open box, its case and the case's
// lines with their progress. Read-only; built on the worker thread and handed to the GUI as a value.
struct BoxSnapshot
{
    struct Line
    {
        int line = 0;
        QString sku;
        QString description;
        QString serial; // empty: "serial at dock"
        int quantity = 1;
        int received = 0;
        bool complete() const { return received >= quantity; }
    };

    QString stationId;
    QString operatorId;
    QString operatorName;
    QString operatorRole; // dock | supervisor, empty when signed out
    std::optional<qint64> boxId;
    QString boxLabel;
    QString caseNumber;
    QString customer;
    int phase = 0;
    QString disposition;
    QString caseStatus;
    QDate dueDate;
    int daysLeft = 0; // negative when late
    bool late = false;
    QList<Line> lines;
    int expectedUnits = 0;
    int receivedUnits = 0;
    QString pendingSerial; // a unit waiting for its SKU
    // Set when the store could not be read (the depot's server away): the rest is the last good snapshot.
    QString storeProblem;
};

class StationView
{
public:
    static BoxSnapshot snapshot(Database &db, const QString &stationId, const QDate &today);
};
