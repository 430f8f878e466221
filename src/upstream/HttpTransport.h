// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

// One HTTP exchange as the sync engine sees it, independent of libcurl so tests can record and fake them.
struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

struct HttpResponse
{
    int status = 0;         // 0: no HTTP answer (connection failed, timed out, dropped)
    QString transportError; // why there was no answer, for the supervisor's sync screen
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-case, in arrival order
    std::optional<qint64> retryAfterSeconds;      // from Retry-After (seconds or HTTP date), clamped at 0

    bool isSuccess() const { return status >= 200 && status < 300; }
    QByteArray header(const QByteArray &lowerName) const
    {
        for (const auto &[name, value] : headers) {
            if (name == lowerName)
                return value;
        }
        return QByteArray();
    }
};

// Performs a batch of requests concurrently and returns when all are answered, in the same order.
// Implementations are used by one thread only (each thread owns its own).
class HttpTransport
{
public:
    virtual ~HttpTransport() = default;
    virtual QList<HttpResponse> perform(const QList<HttpRequest> &requests) = 0;
};
