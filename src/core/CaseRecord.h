// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// A TMIP case as upstream and import files describe it ("case shape"), validated. Pure.
struct CaseRecord
{
    struct Item
    {
        int line = 0;
        QString sku;
        QString description;
        QString serial; // empty: the customer does not know it yet ("serial at dock")
        int quantity = 1;
    };

    QString caseNumber;
    QString program = QStringLiteral("TMIP");
    int phase = 1;
    QString disposition; // trade_in | destruction
    QString status;      // open | closed | cancelled
    QString customerName;
    QString customerAccount;
    QString partner;
    QDate orderDate;
    QDate dueDate;
    QStringList trackingNumbers;
    QList<Item> items;
    QString updatedAt; // RFC 3339 as received, normalised to UTC ms

    // Returns the record, or nullopt with `error` set to a sentence naming the field.
    static std::optional<CaseRecord> fromJson(const QJsonObject &o, QString *error);
    QJsonObject toJson() const;
    // Three months from the order, the TMIP delivery window, when the source gives no due date.
    static QDate defaultDueDate(QDate orderDate) { return orderDate.addMonths(3); }
};
