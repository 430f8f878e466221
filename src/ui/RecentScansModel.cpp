// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecentScansModel.h"

#include <QSet>

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
    case ReceiptIdRole:
        return e.verdict.outcome == Outcome::Undone || e.voided ? 0 : e.verdict.receiptId.value_or(0);
    case ConditionRole:
        return e.condition;
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> RecentScansModel::roleNames() const
{
    return {{InputRole, "input"},     {OutcomeRole, "outcome"},     {SeverityRole, "severity"},
            {SerialRole, "serial"},   {MessageRole, "message"},     {TimeRole, "time"},
            {CaseRole, "caseNumber"}, {ReceiptIdRole, "receiptId"}, {ConditionRole, "condition"}};
}

void RecentScansModel::add(const Verdict &v, const QDateTime &at)
{
    // A badge is nobody's business on the screen: sign-ins are not kept for the next person to read.
    if (v.kind == ScanKind::Badge)
        return;
    if (v.outcome == Outcome::Undone && v.receiptId) {
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            Entry &e = m_entries[i];
            if (e.verdict.receiptId == v.receiptId && e.verdict.outcome != Outcome::Undone && !e.voided) {
                e.voided = true;
                Q_EMIT dataChanged(index(int(i)), index(int(i)), {ReceiptIdRole});
            }
        }
    }
    beginInsertRows(QModelIndex(), 0, 0);
    m_entries.prepend(Entry{v, at, QString(), false});
    endInsertRows();
    if (m_entries.size() > Capacity) {
        beginRemoveRows(QModelIndex(), Capacity, int(m_entries.size()) - 1);
        m_entries.resize(Capacity);
        endRemoveRows();
    }
}

void RecentScansModel::setCondition(qint64 receiptId, const QString &condition)
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        Entry &e = m_entries[i];
        if (e.verdict.receiptId == receiptId && e.verdict.outcome != Outcome::Undone) {
            e.condition = condition;
            Q_EMIT dataChanged(index(int(i)), index(int(i)), {ConditionRole});
        }
    }
}

QVariantList RecentScansModel::unitsInBox(qint64 boxId) const
{
    QVariantList units;
    QSet<qint64> seen;
    for (const Entry &e : m_entries) {
        if (!e.verdict.receiptId || e.voided || e.verdict.outcome == Outcome::Undone ||
            e.verdict.boxId != boxId || seen.contains(*e.verdict.receiptId))
            continue;
        seen.insert(*e.verdict.receiptId);
        units.append(QVariantMap{
            {QStringLiteral("receiptId"), *e.verdict.receiptId},
            {QStringLiteral("serial"), e.verdict.serial.isEmpty() ? e.verdict.input : e.verdict.serial},
            {QStringLiteral("sku"), e.verdict.sku},
            {QStringLiteral("time"), e.at.toLocalTime().toString(QStringLiteral("HH:mm"))},
            {QStringLiteral("condition"), e.condition}});
    }
    return units;
}
