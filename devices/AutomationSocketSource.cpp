// SPDX-License-Identifier: GPL-3.0-or-later
#include "AutomationSocketSource.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>

#include <sys/stat.h>

namespace {

constexpr qsizetype MaxLineBytes = 4096;

} // namespace

std::optional<AutomationSocketSource::Settings>
AutomationSocketSource::Settings::fromConfig(const SourceConfig &config, QString *error)
{
    const auto fail = [&](const QString &m) -> std::optional<Settings> {
        if (error)
            *error = QStringLiteral("Scanner %1: %2").arg(config.id, m);
        return std::nullopt;
    };
    Settings s;
    s.path = config.value(QStringLiteral("path")).trimmed();
    if (s.path.isEmpty() || !QDir::isAbsolutePath(s.path))
        return fail(QStringLiteral("path must be the absolute path of the socket file, for example "
                                   "/run/receiving-station/scan.sock."));
    const QString clients = config.value(QStringLiteral("max_clients")).trimmed();
    if (!clients.isEmpty()) {
        bool ok = false;
        s.maxClients = clients.toInt(&ok);
        if (!ok || s.maxClients < 1 || s.maxClients > 256)
            return fail(QStringLiteral("max_clients must be a number from 1 to 256."));
    }
    return s;
}

AutomationSocketSource::AutomationSocketSource(QString id, Settings settings, QObject *parent)
    : ScanSource(std::move(id), parent), m_settings(std::move(settings))
{
}

AutomationSocketSource::~AutomationSocketSource()
{
    if (m_server) {
        for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it)
            it.key()->disconnect(this);
        m_server->close(); // removes the socket file
    }
}

void AutomationSocketSource::start()
{
    if (m_server)
        return;
    const QString &path = m_settings.path;
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder)) {
        setState(SourceHealth::State::Failed,
                 QStringLiteral("Cannot create the folder %1 for the automation socket.").arg(folder));
        return;
    }
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            setState(
                SourceHealth::State::Failed,
                QStringLiteral("%1 exists and is not a socket; the station will not replace it.").arg(path));
            return;
        }
        // A socket file nobody answers on is what a crashed station leaves behind.
        QLocalSocket probe;
        probe.connectToServer(path);
        if (probe.waitForConnected(500)) {
            probe.abort();
            setState(SourceHealth::State::Failed,
                     QStringLiteral("Another program is already listening on %1.").arg(path));
            return;
        }
        QLocalServer::removeServer(path);
    }

    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption | QLocalServer::GroupAccessOption);
    if (!m_server->listen(path)) {
        const QString why = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        setState(SourceHealth::State::Failed,
                 QStringLiteral("Cannot listen for automation scans on %1: %2.").arg(path, why));
        return;
    }
    // Qt creates the socket 0770 (already private, bound in a private folder and renamed into place);
    // execute means nothing on a socket, so narrow it to the documented 0660.
    ::chmod(QFile::encodeName(path).constData(), 0660);
    connect(m_server, &QLocalServer::newConnection, this, &AutomationSocketSource::onNewConnection);
    setState(SourceHealth::State::Connected);
}

void AutomationSocketSource::stop()
{
    if (!m_server)
        return;
    const QList<QLocalSocket *> sockets = m_clients.keys();
    m_clients.clear();
    for (QLocalSocket *s : sockets) {
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    m_server->close();
    m_server->deleteLater(); // stop() may run inside one of its sockets' signals
    m_server = nullptr;
    setState(SourceHealth::State::Stopped);
}

void AutomationSocketSource::onNewConnection()
{
    while (m_server && m_server->hasPendingConnections()) {
        QLocalSocket *socket = m_server->nextPendingConnection();
        if (m_clients.size() >= m_settings.maxClients) {
            qCInfo(lcDevices) << id() << "turned away an automation client: already" << m_clients.size();
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_clients.insert(socket, Client{});
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
        // Bytes may have arrived before we connected to readyRead.
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void AutomationSocketSource::onReadyRead(QLocalSocket *socket)
{
    const QByteArray data = socket->readAll();
    qsizetype pos = 0;
    while (pos < data.size()) {
        // Looked up every time: a receiver of the previous line may have stopped us.
        const auto it = m_clients.find(socket);
        if (it == m_clients.end())
            return;
        const qsizetype nl = data.indexOf('\n', pos);
        const qsizetype end = nl < 0 ? data.size() : nl;
        const qsizetype take = std::min(end - pos, MaxLineBytes - it->line.size());
        if (take > 0)
            it->line.append(data.constData() + pos, take);
        if (take < end - pos)
            it->truncated = true;
        pos = end + 1;
        if (nl >= 0)
            endLine(*it);
    }
}

void AutomationSocketSource::onDisconnected(QLocalSocket *socket)
{
    if (!m_clients.contains(socket))
        return;
    if (socket->bytesAvailable() > 0)
        onReadyRead(socket);
    const auto it = m_clients.find(socket);
    if (it == m_clients.end())
        return;
    Client last = *it;
    m_clients.erase(it);
    socket->disconnect(this);
    socket->deleteLater();
    endLine(last);
}

void AutomationSocketSource::endLine(Client &client)
{
    ScanEvent read;
    read.raw = std::exchange(client.line, QByteArray());
    read.truncated = std::exchange(client.truncated, false);
    if (read.raw.isEmpty() && !read.truncated)
        return; // blank lines from `echo` and friends are not scans
    deliver({read});
}
