// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonListModel.h"

JsonListModel::JsonListModel(QStringList fields, QObject *parent)
    : QAbstractListModel(parent), m_fields(std::move(fields))
{
}

int JsonListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant JsonListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int field = role - (Qt::UserRole + 1);
    if (field < 0 || field >= m_fields.size())
        return {};
    return computed(m_rows.at(index.row()), m_fields.at(field));
}

QVariant JsonListModel::computed(const QJsonObject &row, const QString &field) const
{
    const QJsonValue v = row.value(field);
    // QML delegates declare string/int properties: a missing or null field is shown as empty, not "null".
    if (v.isNull() || v.isUndefined())
        return QString();
    return v.toVariant();
}

QHash<int, QByteArray> JsonListModel::roleNames() const
{
    QHash<int, QByteArray> names;
    for (int i = 0; i < m_fields.size(); ++i)
        names.insert(Qt::UserRole + 1 + i, camelCase(m_fields.at(i)));
    return names;
}

QByteArray JsonListModel::camelCase(const QString &field)
{
    QByteArray out;
    bool upper = false;
    for (const QChar c : field) {
        if (c == QLatin1Char('_')) {
            upper = true;
            continue;
        }
        out.append(upper ? c.toUpper().toLatin1() : c.toLatin1());
        upper = false;
    }
    return out;
}

void JsonListModel::setRows(const QJsonArray &rows)
{
    const int before = int(m_rows.size());
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(rows.size());
    for (const QJsonValue &v : rows)
        m_rows.append(v.toObject());
    endResetModel();
    if (before != m_rows.size())
        Q_EMIT countChanged();
}

QVariantMap JsonListModel::get(int i) const
{
    QVariantMap map;
    if (i < 0 || i >= m_rows.size())
        return map;
    for (const QString &f : m_fields)
        map.insert(QString::fromLatin1(camelCase(f)), computed(m_rows.at(i), f));
    return map;
}
