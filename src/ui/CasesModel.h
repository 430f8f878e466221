// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonListModel.h"

#include <QSet>
#include <QtQml/qqmlregistration.h>

// Cases found by the supervisor's search (or the cases due soon), with the role dueSoon true for an open case
// due within 14 days (or late) that has nothing received yet, so the page can highlight it.
class CasesModel : public JsonListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by Supervisor.cases")
public:
    explicit CasesModel(QObject *parent = nullptr);
    // Case numbers of SupervisorService::casesDueSoon; updates the dueSoon role of the rows shown.
    void setDueSoon(const QSet<QString> &caseNumbers);

protected:
    QVariant computed(const QJsonObject &row, const QString &field) const override;

private:
    QSet<QString> m_dueSoon;
};
