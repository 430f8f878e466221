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
    const int shift = std::clamp(attempts, 1, 31) - 1; // clamp first: attempts - 1 can overflow
    const qint64 ceiling = std::min<qint64>(m_options.capMs, m_options.baseMs << shift);
    // Full jitter between half and all of the ceiling: spreads stations out, never retries at once.
    const double r = std::clamp(random01, 0.0, 1.0);
    const qint64 backoff = qint64(double(ceiling) * (0.5 + 0.5 * r));
    if (!retryAfterSeconds)
        return backoff;
    // Retry-After is the least we wait, never less than our own back-off: "Retry-After: 0" or a date in the
    // past would otherwise resend at once, over and over, to an upstream that is struggling.
    const qint64 maxSeconds = m_options.maxRetryAfterMs / 1000;
    const qint64 asked = std::clamp<qint64>(*retryAfterSeconds, 0, maxSeconds) * 1000;
    return std::max(asked, backoff);
}
