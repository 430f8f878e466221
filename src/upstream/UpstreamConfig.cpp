// SPDX-License-Identifier: GPL-3.0-or-later
#include "UpstreamConfig.h"
#include "CurlTransport.h"
#include "StationConfig.h"
#include "StationSettings.h"

#include <QFile>

namespace {
QString pick(const StationConfig &c, const char *key, const char *env)
{
    // The short variable names win over the generic RECEIVING_UPSTREAM_* ones.
    if (qEnvironmentVariableIsSet(env))
        return qEnvironmentVariable(env);
    return c.value(QLatin1String(key));
}

// A number of the settings table (StationSettings), left as it is when the configuration does not name it.
bool readInt(const StationConfig &c, const char *key, int *out, QString *error)
{
    const QString v = c.value(QLatin1String(key));
    if (v.trimmed().isEmpty())
        return true;
    const StationSettings::Value n = StationSettings::parse(QLatin1String(key), v);
    if (!n.ok()) {
        if (error)
            *error = n.error;
        return false;
    }
    *out = int(n.integer()); // every upstream range is within int
    return true;
}
} // namespace

std::optional<UpstreamConfig> UpstreamConfig::fromStation(const StationConfig &c, QString *error)
{
    UpstreamConfig u;
    const QString url = pick(c, "upstream.url", "RECEIVING_UPSTREAM_URL").trimmed();
    if (!url.isEmpty()) {
        u.url = QUrl(url, QUrl::StrictMode);
        QString why;
        if (!CurlTransport::isAllowedUrl(u.url, &why)) {
            if (error)
                *error = QStringLiteral("upstream.url: %1.").arg(why);
            return std::nullopt;
        }
    }
    u.clientId = pick(c, "upstream.client_id", "RECEIVING_CLIENT_ID").trimmed();
    u.clientSecretFile = pick(c, "upstream.client_secret_file", "RECEIVING_CLIENT_SECRET_FILE").trimmed();
    if (u.clientSecretFile.isEmpty() && qEnvironmentVariableIsSet("CREDENTIALS_DIRECTORY"))
        u.clientSecretFile = qEnvironmentVariable("CREDENTIALS_DIRECTORY") + QStringLiteral("/client_secret");
    u.caBundle = c.value(QStringLiteral("upstream.ca_bundle"));
    if (!readInt(c, "upstream.pull_interval", &u.pullIntervalSec, error) ||
        !readInt(c, "upstream.concurrency", &u.concurrency, error) ||
        !readInt(c, "upstream.connect_timeout_ms", &u.connectTimeoutMs, error) ||
        !readInt(c, "upstream.timeout_ms", &u.totalTimeoutMs, error) ||
        !readInt(c, "upstream.backoff_cap", &u.backoffCapSec, error) ||
        !readInt(c, "station.box_idle_minutes", &u.boxIdleMinutes, error))
        return std::nullopt;
    return u;
}

std::optional<QByteArray> UpstreamConfig::readSecret(QString *error) const
{
    if (clientSecretFile.isEmpty()) {
        if (error)
            *error = QStringLiteral("No client secret file is configured (upstream.client_secret_file or "
                                    "$CREDENTIALS_DIRECTORY/client_secret).");
        return std::nullopt;
    }
    QFile f(clientSecretFile);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("The client secret file %1 cannot be read: %2")
                         .arg(clientSecretFile, f.errorString());
        return std::nullopt;
    }
    const QByteArray secret = f.read(4096).trimmed();
    if (secret.isEmpty()) {
        if (error)
            *error = QStringLiteral("The client secret file %1 is empty.").arg(clientSecretFile);
        return std::nullopt;
    }
    return secret;
}

int UpstreamConfig::effectiveBoxIdleMinutes(Database &db) const
{
    return StationSettings::fromDatabase(db).boxIdleMinutes().value_or(boxIdleMinutes);
}
