// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReferenceUpstreamProcess.h"

#include <QDeadlineTimer>
#include <QStandardPaths>

#include <algorithm>

ReferenceUpstreamProcess::~ReferenceUpstreamProcess()
{
    stop();
}

QString ReferenceUpstreamProcess::scriptPath()
{
    return QStringLiteral(RS_SOURCE_DIR "/tests/upstream/reference_upstream.py");
}

bool ReferenceUpstreamProcess::start(const QStringList &extraArgs, QString *why, const QString &scheme)
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty()) {
        *why = QStringLiteral("python3 is not installed: the reference upstream cannot run");
        return false;
    }
    m_scheme = scheme;
    m_port = 0;
    m_process.setProgram(python);
    m_process.setArguments(
        QStringList{scriptPath(), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")} +
        extraArgs);
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start();
    if (!m_process.waitForStarted(30'000)) {
        *why = QStringLiteral("cannot start python3: %1").arg(m_process.errorString());
        return false;
    }
    QByteArray first;
    QDeadlineTimer deadline(60'000);
    while (!first.contains('\n') && !deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(int(std::min<qint64>(deadline.remainingTime(), 1000))) &&
            m_process.state() != QProcess::Running)
            break;
        first += m_process.readAllStandardOutput();
    }
    const QList<QByteArray> words = first.trimmed().split(' ');
    if (words.size() != 3 || words[0] != "listening" || words[2].toInt() <= 0) {
        *why = QStringLiteral("the reference upstream did not start: %1 %2")
                   .arg(QString::fromUtf8(first), QString::fromUtf8(m_process.readAllStandardError()));
        stop();
        return false;
    }
    m_port = words[2].toInt();
    return true;
}

void ReferenceUpstreamProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ReferenceUpstreamProcess::url(const QString &host) const
{
    return QStringLiteral("%1://%2:%3").arg(m_scheme, host).arg(m_port);
}
