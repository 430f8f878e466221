// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecentScansModel.h"

RecentScansModel::RecentScansModel(QObject *parent) : QAbstractListModel(parent) {}

int RecentScansModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant RecentScansModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case InputRole:
        return e.verdict.input;
    case OutcomeRole:
        return outcomeName(e.verdict.outcome);
    case SeverityRole:
        return severityName(e.verdict.severity());
    case SerialRole:
        return e.verdict.serial;
    case MessageRole:
        return e.verdict.message;
    case TimeRole:
        return e.at.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    case CaseRole:
        return e.verdict.caseNumber;
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> RecentScansModel::roleNames() const
{
    return {{InputRole, "input"},    {OutcomeRole, "outcome"}, {SeverityRole, "severity"},
            {SerialRole, "serial"},  {MessageRole, "message"}, {TimeRole, "time"},
            {CaseRole, "caseNumber"}};
}

void RecentScansModel::add(const Verdict &v, const QDateTime &at)
{
    beginInsertRows(QModelIndex(), 0, 0);
    m_entries.prepend(Entry{v, at});
    endInsertRows();
    if (m_entries.size() > Capacity) {
        beginRemoveRows(QModelIndex(), Capacity, int(m_entries.size()) - 1);
        m_entries.resize(Capacity);
        endRemoveRows();
    }
}
