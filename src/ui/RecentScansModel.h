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
        CaseRole
    };
    Q_ENUM(Role)
    static constexpr int Capacity = 20;

    explicit RecentScansModel(QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void add(const Verdict &v, const QDateTime &at);

private:
    struct Entry
    {
        Verdict verdict;
        QDateTime at;
    };
    QList<Entry> m_entries;
};
