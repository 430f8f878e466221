// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanSource.h"

#include <QByteArray>
#include <QHash>

#include <optional>

class QLocalServer;
class QLocalSocket;

// Lets tests, demos and other programs drive a running station: a Unix-domain socket where every line a
// client writes is one scan, exactly as if a scanner had read it. One-way on purpose: nothing is written
// back (the verdict is the station's to show; read it from the CLI or the database), so a client can be as
// simple as `printf '2026-1103-0001\n' | socat - UNIX-CONNECT:PATH`.
//
// Lines end with LF; a CR before it is kept for the normaliser, as on stdin. A client's last line counts even
// without a final LF. Lines longer than 4096 bytes are cut and flagged. The socket file is 0660, so access is
// by the station's user and group.
class AutomationSocketSource : public ScanSource
{
    Q_OBJECT
public:
    struct Settings
    {
        QString path;       // the socket file; its folder is created when missing
        int maxClients = 8; // further clients are turned away

        // Keys: path (required), max_clients. Returns nullopt with a sentence in `error` when unusable.
        static std::optional<Settings> fromConfig(const SourceConfig &config, QString *error);
    };

    AutomationSocketSource(QString id, Settings settings, QObject *parent = nullptr);
    ~AutomationSocketSource() override;

    // Replaces a stale socket file left by a crashed station, but never a live one or a non-socket file.
    void start() override;
    void stop() override; // disconnects clients and removes the socket file

    const Settings &settings() const { return m_settings; }
    int clientCount() const { return int(m_clients.size()); }

private:
    struct Client
    {
        QByteArray line;
        bool truncated = false;
    };
    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);
    void onDisconnected(QLocalSocket *socket);
    void endLine(Client &client);

    Settings m_settings;
    QLocalServer *m_server = nullptr;
    QHash<QLocalSocket *, Client> m_clients;
};
