// SPDX-License-Identifier: GPL-3.0-or-later
#include "RetryPolicy.h"

#include <algorithm>

RetryPolicy::Verdict RetryPolicy::classify(int status)
{
    if (status >= 200 && status < 300)
        return Verdict::Delivered;
    switch (status) {
    case 0: // no answer at all
    case 408:
    case 425:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
        return Verdict::Retry;
    case 401:
        return Verdict::RefreshToken;
    case 403:
        return Verdict::CredentialsRejected;
    default:
        break;
    }
    if (status >= 400 && status < 500)
        return Verdict::DeadLetter;
    // Other 5xx and odd codes (3xx: we never follow redirects) may pass with time.
    return Verdict::Retry;
}

qint64 RetryPolicy::delayMs(int attempts, std::optional<qint64> retryAfterSeconds, double random01) const
{
    if (retryAfterSeconds)
        return std::clamp<qint64>(*retryAfterSeconds * 1000, 0, m_options.maxRetryAfterMs);
    const int shift = std::clamp(attempts - 1, 0, 30);
    const qint64 ceiling = std::min<qint64>(m_options.capMs, m_options.baseMs << shift);
    // Full jitter between half and all of the ceiling: spreads stations out, never retries at once.
    const double r = std::clamp(random01, 0.0, 1.0);
    return qint64(double(ceiling) * (0.5 + 0.5 * r));
}
