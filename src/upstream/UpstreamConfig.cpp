// SPDX-License-Identifier: GPL-3.0-or-later
#include "UpstreamConfig.h"
#include "CurlTransport.h"
#include "StationConfig.h"

#include <QFile>

namespace {
QString pick(const StationConfig &c, const char *key, const char *env)
{
    // The short variable names win over the generic RECEIVING_UPSTREAM_* ones.
    if (qEnvironmentVariableIsSet(env))
        return qEnvironmentVariable(env);
    return c.value(QLatin1String(key));
}

bool readInt(const StationConfig &c, const char *key, int min, int max, int *out, QString *error)
{
    const QString v = c.value(QLatin1String(key));
    if (v.isEmpty())
        return true;
    bool ok = false;
    const int n = v.toInt(&ok);
    if (!ok || n < min || n > max) {
        if (error)
            *error = QStringLiteral("%1 must be a whole number from %2 to %3.")
                         .arg(QLatin1String(key))
                         .arg(min)
                         .arg(max);
        return false;
    }
    *out = n;
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
    if (!readInt(c, "upstream.pull_interval", 5, 86400, &u.pullIntervalSec, error) ||
        !readInt(c, "upstream.concurrency", 1, 16, &u.concurrency, error) ||
        !readInt(c, "upstream.connect_timeout_ms", 100, 120000, &u.connectTimeoutMs, error) ||
        !readInt(c, "upstream.timeout_ms", 1000, 600000, &u.totalTimeoutMs, error) ||
        !readInt(c, "upstream.backoff_cap", 1, 3600, &u.backoffCapSec, error) ||
        !readInt(c, "station.box_idle_minutes", 1, 24 * 60, &u.boxIdleMinutes, error))
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
