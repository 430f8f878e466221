// SPDX-License-Identifier: GPL-3.0-or-later
#include "CasesModel.h"

CasesModel::CasesModel(QObject *parent)
    : JsonListModel({QStringLiteral("case_number"), QStringLiteral("customer"), QStringLiteral("status"),
                     QStringLiteral("disposition"), QStringLiteral("phase"), QStringLiteral("due_date"),
                     QStringLiteral("days_left"), QStringLiteral("late"), QStringLiteral("matched_by"),
                     QStringLiteral("expected_units"), QStringLiteral("received_units"),
                     QStringLiteral("due_soon")},
                    parent)
{
}

void CasesModel::setDueSoon(const QSet<QString> &caseNumbers)
{
    if (caseNumbers == m_dueSoon)
        return;
    m_dueSoon = caseNumbers;
    if (rowCount() > 0) {
        const int role = Qt::UserRole + 1 + int(m_fields.indexOf(QStringLiteral("due_soon")));
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {role});
    }
}

QVariant CasesModel::computed(const QJsonObject &row, const QString &field) const
{
    if (field == QLatin1String("due_soon"))
        return m_dueSoon.contains(row.value(QLatin1String("case_number")).toString());
    if (field == QLatin1String("late"))
        return row.value(field).toBool();
    if (field == QLatin1String("received_units") || field == QLatin1String("expected_units"))
        return row.value(field).toInteger();
    return JsonListModel::computed(row, field);
}
