// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExceptionsModel.h"

ExceptionsModel::ExceptionsModel(QObject *parent)
    : JsonListModel({QStringLiteral("exception_id"), QStringLiteral("kind"), QStringLiteral("status"),
                     QStringLiteral("serial"), QStringLiteral("box"), QStringLiteral("case_number"),
                     QStringLiteral("station_id"), QStringLiteral("created_at"), QStringLiteral("age_hours"),
                     QStringLiteral("operator_id"), QStringLiteral("resolution"), QStringLiteral("notes"),
                     QStringLiteral("now_expected_case"), QStringLiteral("now_expected_line")},
                    parent)
{
}

QStringList ExceptionsModel::kinds()
{
    return {QStringLiteral("cross_case"), QStringLiteral("ambiguous"), QStringLiteral("already_received"),
            QStringLiteral("unexpected"), QStringLiteral("unmatched"), QStringLiteral("destruction_case"),
            QStringLiteral("case_closed")};
}

QVariant ExceptionsModel::computed(const QJsonObject &row, const QString &field) const
{
    if (field == QLatin1String("exception_id"))
        return row.value(QLatin1String("id")).toInteger();
    if (field == QLatin1String("age_hours"))
        return row.value(field).toDouble();
    // "now_expected": {case_number, line} while a case now expects the unit (CaseChanges::rematch); else
    // empty and 0.
    if (field == QLatin1String("now_expected_case"))
        return row.value(QLatin1String("now_expected"))
            .toObject()
            .value(QLatin1String("case_number"))
            .toString();
    if (field == QLatin1String("now_expected_line"))
        return int(
            row.value(QLatin1String("now_expected")).toObject().value(QLatin1String("line")).toInteger());
    return JsonListModel::computed(row, field);
}
