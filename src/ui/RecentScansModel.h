// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Verdict.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>

// The last scans of this station, newest first, for the list beside the verdict banner.
class RecentScansModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by Station.recentScans")
public:
    enum Role {
        InputRole = Qt::UserRole + 1,
        OutcomeRole,
        SeverityRole,
        SerialRole,
        MessageRole,
        TimeRole,
        CaseRole,
        ReceiptIdRole, // 0 when the scan received nothing
        ConditionRole  // working | damaged | not_working once the worker said so; empty before
    };
    Q_ENUM(Role)
    static constexpr int Capacity = 20;

    explicit RecentScansModel(QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void add(const Verdict &v, const QDateTime &at);
    void setCondition(qint64 receiptId, const QString &condition);
    // The units received into box `boxId` and not undone, newest first: {receiptId, serial, sku, time,
    // condition}, for the condition sheet.
    Q_INVOKABLE QVariantList unitsInBox(qint64 boxId) const;

private:
    struct Entry
    {
        Verdict verdict;
        QDateTime at;
        QString condition;
        bool voided = false;
    };
    QList<Entry> m_entries;
};
