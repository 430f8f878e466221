// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StationView.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

// The open box's case lines as a checklist that ticks as units arrive.
class ChecklistModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by Station.checklist")
public:
    enum Role {
        LineRole = Qt::UserRole + 1,
        SkuRole,
        DescriptionRole,
        SerialRole,
        QuantityRole,
        ReceivedRole,
        CompleteRole
    };
    Q_ENUM(Role)

    explicit ChecklistModel(QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Replaces the lines; emits only what changed when the case stays the same.
    void setLines(const QString &caseNumber, const QList<BoxSnapshot::Line> &lines);

private:
    QString m_caseNumber;
    QList<BoxSnapshot::Line> m_lines;
};
