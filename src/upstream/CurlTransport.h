// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpTransport.h"

#include <QLoggingCategory>

#include <memory>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcUpstream)

// libcurl's multi interface: a few requests in flight over kept-alive connections, TLS peer and host
// verification always on, bounded timeouts, no signals. Asserts it never runs on the GUI thread.
class CurlTransport : public HttpTransport
{
public:
    struct Options
    {
        QString caBundle; // extra CA file; empty = the system store
        int connectTimeoutMs = 5000;
        int totalTimeoutMs = 30000;
        int lowSpeedBytesPerSec = 100; // abort a transfer slower than this ...
        int lowSpeedSeconds = 15;      // ... for this long
        int maxConnections = 4;
    };

    explicit CurlTransport(Options options);
    ~CurlTransport() override;
    CurlTransport(const CurlTransport &) = delete;
    CurlTransport &operator=(const CurlTransport &) = delete;

    QList<HttpResponse> perform(const QList<HttpRequest> &requests) override;

    // True for https, and for http only to loopback hosts (127.0.0.0/8, ::1, localhost).
    static bool isAllowedUrl(const QUrl &url, QString *why = nullptr);

private:
    struct Handles;
    Options m_options;
    std::unique_ptr<Handles> m_handles;
};
