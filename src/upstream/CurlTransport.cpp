// SPDX-License-Identifier: GPL-3.0-or-later
#include "CurlTransport.h"
#include "ThreadGuard.h"

#include <QHostAddress>

#include <curl/curl.h>

#include <algorithm>
#include <array>

Q_LOGGING_CATEGORY(lcUpstream, "rs.upstream", QtInfoMsg)

namespace {
struct CurlGlobal
{
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

size_t collect(char *data, size_t size, size_t count, void *userdata)
{
    auto *body = static_cast<QByteArray *>(userdata);
    constexpr qsizetype MaxBody = 64 * 1024 * 1024; // a case page is far smaller; refuse a runaway answer
    if (body->size() + qsizetype(size * count) > MaxBody)
        return 0;
    body->append(data, qsizetype(size * count));
    return size * count;
}
size_t collectHeader(char *data, size_t size, size_t count, void *userdata)
{
    auto *headers = static_cast<QList<QPair<QByteArray, QByteArray>> *>(userdata);
    const QByteArray line = QByteArray(data, qsizetype(size * count)).trimmed();
    if (line.startsWith("HTTP/"))
        headers->clear(); // a new response (after 100-continue): keep only the final one's headers
    const qsizetype colon = line.indexOf(':');
    if (colon > 0 && headers->size() < 200)
        headers->append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    return size * count;
}
} // namespace

// Easy handles are kept between batches so their connections stay alive.
struct CurlTransport::Handles
{
    CURLM *multi = nullptr;
    std::vector<CURL *> idle;
};

CurlTransport::CurlTransport(Options options)
    : m_options(std::move(options)), m_handles(std::make_unique<Handles>())
{
    static CurlGlobal global; // curl_global_init is not thread-safe before 7.84 and must run once
    m_handles->multi = curl_multi_init();
    curl_multi_setopt(m_handles->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, long(m_options.maxConnections));
    curl_multi_setopt(m_handles->multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(m_options.maxConnections));
}

CurlTransport::~CurlTransport()
{
    for (CURL *h : m_handles->idle)
        curl_easy_cleanup(h);
    curl_multi_cleanup(m_handles->multi);
}

bool CurlTransport::isAllowedUrl(const QUrl &url, QString *why)
{
    const auto fail = [&](const QString &m) {
        if (why)
            *why = m;
        return false;
    };
    if (!url.isValid() || url.host().isEmpty())
        return fail(QStringLiteral("the upstream URL \"%1\" is not a valid URL").arg(url.toString()));
    if (url.scheme() == QLatin1String("https"))
        return true;
    if (url.scheme() != QLatin1String("http"))
        return fail(QStringLiteral("the upstream URL must start with https://"));
    const QString host = url.host();
    const QHostAddress address(host);
    if (host == QLatin1String("localhost") || address.isLoopback())
        return true;
    return fail(
        QStringLiteral("plain http:// is only allowed to this machine (loopback); use https:// for %1")
            .arg(host));
}

QList<HttpResponse> CurlTransport::perform(const QList<HttpRequest> &requests)
{
    ThreadGuard::assertWorkerThread("CurlTransport::perform");
    QList<HttpResponse> responses(requests.size());
    struct Transfer
    {
        CURL *easy;
        curl_slist *headers;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> responseHeaders;
        QByteArray url;
        QByteArray method;
        QByteArray payload;
        std::array<char, CURL_ERROR_SIZE>
            errorText; // libcurl's detailed reason ("SSL certificate problem: ...")
    };
    std::vector<Transfer> transfers;
    transfers.reserve(size_t(requests.size()));

    for (qsizetype i = 0; i < requests.size(); ++i) {
        const HttpRequest &rq = requests[i];
        QString why;
        if (!isAllowedUrl(rq.url, &why)) {
            responses[i].transportError = why;
            transfers.push_back(Transfer{nullptr, nullptr, {}, {}, {}, {}, {}, {}});
            continue;
        }
        CURL *h = nullptr;
        if (!m_handles->idle.empty()) {
            h = m_handles->idle.back();
            m_handles->idle.pop_back();
            curl_easy_reset(h);
        } else {
            h = curl_easy_init();
        }
        Transfer t{h, nullptr, {}, {}, rq.url.toEncoded(), rq.method, rq.body, {}};
        for (const auto &[name, value] : rq.headers)
            t.headers = curl_slist_append(t.headers, (name + ": " + value).constData());
        transfers.push_back(std::move(t));
        Transfer &tr = transfers.back();
        curl_easy_setopt(h, CURLOPT_URL, tr.url.constData());
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!m_options.caBundle.isEmpty())
            curl_easy_setopt(h, CURLOPT_CAINFO, m_options.caBundle.toLocal8Bit().constData());
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(m_options.connectTimeoutMs));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(m_options.totalTimeoutMs));
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, long(m_options.lowSpeedBytesPerSec));
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, long(m_options.lowSpeedSeconds));
        curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, tr.headers);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &tr.body);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collectHeader);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &tr.responseHeaders);
        curl_easy_setopt(h, CURLOPT_PRIVATE, reinterpret_cast<void *>(i));
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, tr.errorText.data());
        if (tr.method == "POST") {
            curl_easy_setopt(h, CURLOPT_POST, 1L);
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, tr.payload.constData());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, long(tr.payload.size()));
        } else if (tr.method != "GET") {
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, tr.method.constData());
        }
        curl_multi_add_handle(m_handles->multi, h);
    }

    int running = 0;
    do {
        CURLMcode mc = curl_multi_perform(m_handles->multi, &running);
        if (mc == CURLM_OK && running > 0)
            mc = curl_multi_poll(m_handles->multi, nullptr, 0, 200, nullptr);
        if (mc != CURLM_OK) {
            qCWarning(lcUpstream) << "curl multi failed:" << curl_multi_strerror(mc);
            break;
        }
        int queued = 0;
        while (CURLMsg *msg = curl_multi_info_read(m_handles->multi, &queued)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            void *priv = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            const auto i = qsizetype(reinterpret_cast<intptr_t>(priv));
            HttpResponse &r = responses[i];
            if (msg->data.result == CURLE_OK) {
                long code = 0;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
                r.status = int(code);
                r.body = std::move(transfers[size_t(i)].body);
                r.headers = std::move(transfers[size_t(i)].responseHeaders);
                // Only a Retry-After the upstream actually sent counts: libcurl reports 0 for "none", which
                // would make a bare 503 look like "retry at once". 7.88 reports a date in the past as a
                // negative number: clamp it.
                const bool hasRetryAfter =
                    std::any_of(r.headers.cbegin(), r.headers.cend(),
                                [](const auto &h) { return h.first == "retry-after"; });
                curl_off_t retryAfter = 0;
                if (hasRetryAfter &&
                    curl_easy_getinfo(msg->easy_handle, CURLINFO_RETRY_AFTER, &retryAfter) == CURLE_OK)
                    r.retryAfterSeconds = std::max<qint64>(0, qint64(retryAfter));
            } else {
                r.status = 0;
                const char *detail = transfers[size_t(i)].errorText.data();
                r.transportError = QString::fromUtf8(*detail ? detail : curl_easy_strerror(msg->data.result));
            }
        }
    } while (running > 0);

    for (Transfer &t : transfers) {
        if (!t.easy)
            continue;
        curl_multi_remove_handle(m_handles->multi, t.easy);
        curl_easy_setopt(t.easy, CURLOPT_ERRORBUFFER, nullptr); // the buffer dies with this batch
        curl_slist_free_all(t.headers);
        m_handles->idle.push_back(t.easy);
    }
    return responses;
}
