// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanSource.h"

Q_LOGGING_CATEGORY(lcDevices, "rs.devices", QtInfoMsg)

QString SourceHealth::stateName(State s)
{
    switch (s) {
    case State::Stopped:
        return QStringLiteral("stopped");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Connected:
        return QStringLiteral("connected");
    case State::Reconnecting:
        return QStringLiteral("reconnecting");
    case State::Restarting:
        return QStringLiteral("restarting");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

ScanSource::ScanSource(QString id, QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
{
    qRegisterMetaType<ScanEvent>();
    qRegisterMetaType<QList<ScanEvent>>();
}

ScanSource::~ScanSource() = default;

void ScanSource::setState(SourceHealth::State state, const QString &error)
{
    if (m_health.state == state && m_health.lastError == error)
        return;
    m_health.state = state;
    if (!error.isEmpty()) {
        m_health.lastError = error;
        ++m_health.errors;
        qCWarning(lcDevices) << m_id << SourceHealth::stateName(state) << error;
    } else if (state == SourceHealth::State::Connected) {
        m_health.lastError.clear();
    }
    Q_EMIT healthChanged();
}

void ScanSource::deliver(QList<ScanEvent> read)
{
    if (read.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (ScanEvent &e : read) {
        if (e.sourceId.isEmpty())
            e.sourceId = m_id;
        if (e.timestampMs == 0)
            e.timestampMs = now;
    }
    m_health.lastRead = QDateTime::fromMSecsSinceEpoch(now, Qt::UTC);
    ++m_health.reads;
    Q_EMIT scanned(read);
    Q_EMIT healthChanged();
}
