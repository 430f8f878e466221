// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonListModel.h"

#include <QtQml/qqmlregistration.h>

// The supervisor's exception queue as SupervisorService::exceptions answers it (already filtered by kind and
// age there), newest first. The row id is the role exceptionId ("id" is reserved in QML); nowExpectedCase and
// nowExpectedLine say which case line now expects the unit (empty and 0: none).
class ExceptionsModel : public JsonListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by Supervisor.exceptions")
public:
    explicit ExceptionsModel(QObject *parent = nullptr);
    // The kinds of exception the receiving service raises, for the filter.
    static QStringList kinds();

protected:
    QVariant computed(const QJsonObject &row, const QString &field) const override;
};
