// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

#include <optional>

class Database;
struct StationConfig;

// Where the upstream is and how to talk to it. The client secret is read from a file (a systemd credential in
// production) and kept only in memory: it never appears in a log, an error message or a command line.
struct UpstreamConfig
{
    QUrl url;
    QString clientId;
    QString clientSecretFile;
    QString caBundle;
    int pullIntervalSec = 60;
    int concurrency = 8; // 8 in flight: 2,900-3,300 events/s to the reference upstream, 4 only 1,600-2,000
    int connectTimeoutMs = 5000;
    int totalTimeoutMs = 30000;
    int backoffCapSec = 60;
    int boxIdleMinutes = 30; // station.box_idle_minutes

    bool isConfigured() const { return url.isValid() && !url.isEmpty(); }
    // Reads upstream.* keys (environment: RECEIVING_UPSTREAM_URL, RECEIVING_CLIENT_ID,
    // RECEIVING_CLIENT_SECRET_FILE) and station.box_idle_minutes, the numbers through StationSettings.
    // Returns nullopt with `error` set for an invalid value.
    static std::optional<UpstreamConfig> fromStation(const StationConfig &station, QString *error);
    // The secret, trimmed; nullopt with `error` (naming the file, never its content) when unreadable.
    std::optional<QByteArray> readSecret(QString *error) const;
    // Minutes an open box may sit idle before the sync loop closes it: the settings table's box_idle_minutes
    // when set to a valid value (a supervisor's change applies at the next round), else boxIdleMinutes. Both
    // sync loops (the kiosk's SyncWorker, receiving-cli sync) ask here. Throws DbException.
    int effectiveBoxIdleMinutes(Database &db) const;
};
