// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpTransport.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <deque>
#include <functional>

// A recording HttpTransport for unit tests: keeps every request with the answer it got and the batch it came
// in, and answers from scripts: first a queue of one-shot answers per route, then a standing answer per
// route, then a well-behaved default upstream (tokens "tok-1", "tok-2", ...; an empty last case page; 201 for
// every event). A route is matched by the end of the URL path ("/oauth/token", "/v1/cases", "/receipts",
// "/closure", "/v1/unmatched").
class FakeTransport : public HttpTransport
{
public:
    struct Exchange
    {
        HttpRequest request;
        HttpResponse response;
        int batch = 0;
    };

    QList<HttpResponse> perform(const QList<HttpRequest> &requests) override
    {
        ++batches;
        QList<HttpResponse> responses;
        for (const HttpRequest &rq : requests) {
            HttpResponse r;
            if (exchanges.size() >= maxRequests) {
                exceeded = true; // the engine loops: fail the test instead of hanging it
                r.transportError = QStringLiteral("fake: request limit reached");
            } else {
                r = answer(rq);
            }
            exchanges.append(Exchange{rq, r, batches});
            responses.append(r);
        }
        return responses;
    }

    void enqueue(const QString &route, const HttpResponse &r) { m_queued[route].push_back(r); }
    void always(const QString &route, const HttpResponse &r) { m_standing.insert(route, r); }
    void clearAlways() { m_standing.clear(); }

    QList<Exchange> to(const QString &route) const
    {
        QList<Exchange> out;
        for (const Exchange &e : exchanges) {
            if (e.request.url.path().endsWith(route))
                out.append(e);
        }
        return out;
    }
    int tokenRequests() const { return int(to(QStringLiteral("/oauth/token")).size()); }
    int eventRequests() const
    {
        return int(to(QStringLiteral("/receipts")).size() + to(QStringLiteral("/closure")).size() +
                   to(QStringLiteral("/v1/unmatched")).size());
    }
    static QByteArray header(const HttpRequest &rq, const QByteArray &name)
    {
        for (const auto &[n, v] : rq.headers) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return QByteArray();
    }

    static HttpResponse json(int status, const QJsonObject &body,
                             const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        HttpResponse r;
        r.status = status;
        r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        r.headers = headers;
        r.headers.prepend({"content-type", "application/json"});
        return r;
    }
    static HttpResponse error(int status, const QString &code,
                              const QString &message = QStringLiteral("fake"))
    {
        return json(status, QJsonObject{{QStringLiteral("error"),
                                         QJsonObject{{QStringLiteral("code"), code},
                                                     {QStringLiteral("message"), message}}}});
    }
    static HttpResponse withRetryAfter(HttpResponse r, qint64 seconds)
    {
        r.headers.append({"retry-after", QByteArray::number(seconds)});
        r.retryAfterSeconds = seconds;
        return r;
    }
    static HttpResponse noAnswer(const QString &why = QStringLiteral("Connection reset by peer"))
    {
        HttpResponse r;
        r.transportError = why;
        return r;
    }
    static HttpResponse token(const QString &value, int expiresIn)
    {
        return json(200, QJsonObject{{QStringLiteral("access_token"), value},
                                     {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                     {QStringLiteral("expires_in"), expiresIn}});
    }
    static HttpResponse casePage(const QJsonArray &cases, const QString &next, const QString &serverTime)
    {
        return json(200, QJsonObject{{QStringLiteral("cases"), cases},
                                     {QStringLiteral("next_page_token"),
                                      next.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(next)},
                                     {QStringLiteral("server_time"), serverTime}});
    }
    static HttpResponse raw(int status, const QByteArray &body)
    {
        HttpResponse r;
        r.status = status;
        r.body = body;
        return r;
    }

    QList<Exchange> exchanges;
    int batches = 0;
    int tokensIssued = 0;
    int tokenLifetime = 3600;
    QString serverTime = QStringLiteral("2026-11-03T12:00:00.000Z");
    int maxRequests = 5000;
    bool exceeded = false;

private:
    HttpResponse answer(const HttpRequest &rq)
    {
        const QString path = rq.url.path();
        for (auto it = m_queued.begin(); it != m_queued.end(); ++it) {
            if (path.endsWith(it.key()) && !it.value().empty()) {
                HttpResponse r = it.value().front();
                it.value().pop_front();
                return r;
            }
        }
        for (auto it = m_standing.cbegin(); it != m_standing.cend(); ++it) {
            if (path.endsWith(it.key()))
                return it.value();
        }
        if (path.endsWith(QLatin1String("/oauth/token")))
            return token(QStringLiteral("tok-%1").arg(++tokensIssued), tokenLifetime);
        if (path.endsWith(QLatin1String("/v1/cases")))
            return casePage(QJsonArray(), QString(), serverTime);
        return json(201, QJsonObject{{QStringLiteral("accepted_at"), serverTime}});
    }

    QHash<QString, std::deque<HttpResponse>> m_queued;
    QHash<QString, HttpResponse> m_standing;
};
