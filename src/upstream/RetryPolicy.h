// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <optional>

// What an upstream answer means for an outbox event, and how long to wait before trying again:
// exponential back-off with full jitter, capped, honouring Retry-After (as a lower bound). Pure.
class RetryPolicy
{
public:
    enum class Verdict {
        Delivered,           // 2xx
        Retry,               // network error, timeout, 408, 425, 429, 5xx that may pass
        RefreshToken,        // 401: fetch a new token once, then try again
        CredentialsRejected, // 403 (or 401 right after a fresh token): pause, never dead-letter
        DeadLetter,          // any other 4xx: a person must fix the cause
    };

    struct Options
    {
        qint64 baseMs = 1000;
        qint64 capMs = 60000;
        qint64 maxRetryAfterMs = 3600 * 1000; // an upstream cannot park us for more than an hour
    };

    RetryPolicy() = default;
    explicit RetryPolicy(Options options) : m_options(options) {}

    static Verdict classify(int httpStatus);
    // Delay before attempt number `attempts` + 1 (attempts >= 1). `random01` in [0, 1) makes the jitter.
    // With Retry-After: the later of it (at most maxRetryAfterMs) and the back-off.
    qint64 delayMs(int attempts, std::optional<qint64> retryAfterSeconds, double random01) const;
    const Options &options() const { return m_options; }

private:
    Options m_options;
};
