// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

// A list model over the JSON rows the supervisor service answers with: one role per field, named in
// camelCase for QML ("case_number" becomes the role caseNumber), from Qt::UserRole + 1 in the order given.
// Subclasses fix the fields and may add computed roles.
class JsonListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    JsonListModel(QStringList fields, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setRows(const QJsonArray &rows);
    QJsonObject row(int i) const { return m_rows.value(i); }
    Q_INVOKABLE QVariantMap get(int i) const;
    static QByteArray camelCase(const QString &field);

Q_SIGNALS:
    void countChanged();

protected:
    virtual QVariant computed(const QJsonObject &row, const QString &field) const;
    const QStringList m_fields;

private:
    QList<QJsonObject> m_rows;
};
