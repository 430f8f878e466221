// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChecklistModel.h"

ChecklistModel::ChecklistModel(QObject *parent) : QAbstractListModel(parent) {}

int ChecklistModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

QVariant ChecklistModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const BoxSnapshot::Line &l = m_lines.at(index.row());
    switch (role) {
    case LineRole:
        return l.line;
    case SkuRole:
        return l.sku;
    case DescriptionRole:
        return l.description;
    case SerialRole:
        return l.serial;
    case QuantityRole:
        return l.quantity;
    case ReceivedRole:
        return l.received;
    case CompleteRole:
        return l.complete();
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> ChecklistModel::roleNames() const
{
    return {{LineRole, "line"},        {SkuRole, "sku"},           {DescriptionRole, "description"},
            {SerialRole, "serial"},    {QuantityRole, "quantity"}, {ReceivedRole, "received"},
            {CompleteRole, "complete"}};
}

void ChecklistModel::setLines(const QString &caseNumber, const QList<BoxSnapshot::Line> &lines)
{
    const bool sameShape = caseNumber == m_caseNumber && lines.size() == m_lines.size();
    if (!sameShape) {
        beginResetModel();
        m_caseNumber = caseNumber;
        m_lines = lines;
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].received != m_lines[i].received || lines[i].line != m_lines[i].line) {
            m_lines[i] = lines[i];
            const QModelIndex ix = index(int(i));
            Q_EMIT dataChanged(ix, ix, {ReceivedRole, CompleteRole, LineRole});
        }
    }
}
