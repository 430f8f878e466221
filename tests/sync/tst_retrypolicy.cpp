// SPDX-License-Identifier: GPL-3.0-or-later
#include "RetryPolicy.h"

#include <QTest>

#include <limits>

// What every upstream status means for an outbox event, and how long the station waits before the next try.
class TestRetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void classify_data();
    void classify();
    void delayGrowsAndCaps_data();
    void delayGrowsAndCaps();
    void jitterStaysWithinHalfAndWholeCeiling();
    void oddAttemptCountsAreSafe();
    void retryAfter_data();
    void retryAfter();
    void customOptions();
};

using Verdict = RetryPolicy::Verdict;
Q_DECLARE_METATYPE(RetryPolicy::Verdict)

void TestRetryPolicy::classify_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Verdict>("verdict");
    for (int s : {200, 201, 202, 204, 299})
        QTest::addRow("%d delivered", s) << s << Verdict::Delivered;
    // No answer, timeouts, "too early", rate limits and passing server trouble: try again later.
    for (int s : {0, 408, 425, 429, 500, 502, 503, 504})
        QTest::addRow("%d retry", s) << s << Verdict::Retry;
    // Other 5xx may pass with time too; a 3xx is never followed, so it is a misconfigured proxy: retry.
    for (int s : {501, 505, 507, 599, 301, 302, 304, 307})
        QTest::addRow("%d retry (other)", s) << s << Verdict::Retry;
    QTest::addRow("401 refresh token") << 401 << Verdict::RefreshToken;
    QTest::addRow("403 credentials rejected") << 403 << Verdict::CredentialsRejected;
    // Any other 4xx is about this event: a person must look at it.
    for (int s :
         {400, 402, 404, 405, 406, 409, 410, 411, 412, 413, 415, 418, 422, 424, 426, 428, 431, 451, 499})
        QTest::addRow("%d dead letter", s) << s << Verdict::DeadLetter;
}

void TestRetryPolicy::classify()
{
    QFETCH(int, status);
    QFETCH(Verdict, verdict);
    QCOMPARE(RetryPolicy::classify(status), verdict);
}

void TestRetryPolicy::delayGrowsAndCaps_data()
{
    QTest::addColumn<int>("attempts");
    QTest::addColumn<qint64>("ceiling");
    // Defaults: 1 s doubling per attempt, capped at 60 s.
    QTest::newRow("1") << 1 << qint64(1000);
    QTest::newRow("2") << 2 << qint64(2000);
    QTest::newRow("3") << 3 << qint64(4000);
    QTest::newRow("4") << 4 << qint64(8000);
    QTest::newRow("5") << 5 << qint64(16000);
    QTest::newRow("6") << 6 << qint64(32000);
    QTest::newRow("7 capped") << 7 << qint64(60000);
    QTest::newRow("30 capped") << 30 << qint64(60000);
    QTest::newRow("31 capped") << 31 << qint64(60000);
    QTest::newRow("1000 capped") << 1000 << qint64(60000);
    QTest::newRow("INT_MAX capped") << std::numeric_limits<int>::max() << qint64(60000);
}

void TestRetryPolicy::delayGrowsAndCaps()
{
    QFETCH(int, attempts);
    QFETCH(qint64, ceiling);
    const RetryPolicy p;
    QCOMPARE(p.delayMs(attempts, std::nullopt, 1.0), ceiling);
    QCOMPARE(p.delayMs(attempts, std::nullopt, 0.0), ceiling / 2);
}

void TestRetryPolicy::jitterStaysWithinHalfAndWholeCeiling()
{
    const RetryPolicy p;
    for (int attempts = 1; attempts <= 10; ++attempts) {
        const qint64 ceiling = std::min<qint64>(60000, qint64(1000) << (attempts - 1));
        qint64 lowest = std::numeric_limits<qint64>::max();
        qint64 highest = 0;
        for (int i = 0; i < 1000; ++i) {
            const double r = i / 1000.0;
            const qint64 d = p.delayMs(attempts, std::nullopt, r);
            QVERIFY2(d >= ceiling / 2 && d <= ceiling,
                     qPrintable(QStringLiteral("attempt %1, r %2: %3 ms").arg(attempts).arg(r).arg(d)));
            lowest = std::min(lowest, d);
            highest = std::max(highest, d);
        }
        // The jitter really spreads stations over the whole upper half.
        QVERIFY(highest - lowest >= ceiling / 2 - ceiling / 100 - 1);
    }
    // Out-of-range randomness is clamped, not trusted.
    QCOMPARE(p.delayMs(1, std::nullopt, -3.0), 500);
    QCOMPARE(p.delayMs(1, std::nullopt, 7.0), 1000);
}

void TestRetryPolicy::oddAttemptCountsAreSafe()
{
    const RetryPolicy p;
    QCOMPARE(p.delayMs(0, std::nullopt, 1.0), 1000);
    QCOMPARE(p.delayMs(-5, std::nullopt, 1.0), 1000);
    QCOMPARE(p.delayMs(std::numeric_limits<int>::min(), std::nullopt, 1.0), 1000);
}

void TestRetryPolicy::retryAfter_data()
{
    QTest::addColumn<int>("attempts");
    QTest::addColumn<qint64>("retryAfterSeconds");
    QTest::addColumn<double>("random01");
    QTest::addColumn<qint64>("expectedMs");
    // The upstream's Retry-After is the least we wait.
    QTest::newRow("7 s on the first attempt") << 1 << qint64(7) << 0.0 << qint64(7000);
    QTest::newRow("1 s") << 1 << qint64(1) << 1.0 << qint64(1000);
    QTest::newRow("120 s") << 3 << qint64(120) << 0.5 << qint64(120000);
    // Never less than our own back-off: 0 (or a date in the past, clamped to 0) must not mean "at once,
    // again and again".
    QTest::newRow("0 -> back-off, attempt 1") << 1 << qint64(0) << 0.0 << qint64(500);
    QTest::newRow("0 -> back-off, attempt 4") << 4 << qint64(0) << 1.0 << qint64(8000);
    QTest::newRow("negative -> back-off") << 2 << qint64(-30) << 1.0 << qint64(2000);
    QTest::newRow("shorter than back-off") << 6 << qint64(2) << 1.0 << qint64(32000);
    // An upstream cannot park the station for more than an hour.
    QTest::newRow("one hour") << 1 << qint64(3600) << 0.0 << qint64(3600000);
    QTest::newRow("a day -> one hour") << 1 << qint64(86400) << 0.0 << qint64(3600000);
    QTest::newRow("huge -> one hour") << 1 << qint64(1'000'000'000'000) << 0.0 << qint64(3600000);
    QTest::newRow("INT64_MAX -> one hour")
        << 1 << std::numeric_limits<qint64>::max() << 0.0 << qint64(3600000);
}

void TestRetryPolicy::retryAfter()
{
    QFETCH(int, attempts);
    QFETCH(qint64, retryAfterSeconds);
    QFETCH(double, random01);
    QFETCH(qint64, expectedMs);
    QCOMPARE(RetryPolicy().delayMs(attempts, retryAfterSeconds, random01), expectedMs);
}

void TestRetryPolicy::customOptions()
{
    RetryPolicy::Options o;
    o.baseMs = 200;
    o.capMs = 1000;
    o.maxRetryAfterMs = 5000;
    const RetryPolicy p(o);
    QCOMPARE(p.options().capMs, 1000);
    QCOMPARE(p.delayMs(1, std::nullopt, 1.0), 200);
    QCOMPARE(p.delayMs(3, std::nullopt, 1.0), 800);
    QCOMPARE(p.delayMs(4, std::nullopt, 1.0), 1000);
    QCOMPARE(p.delayMs(4, std::nullopt, 0.0), 500);
    QCOMPARE(p.delayMs(1, qint64(3), 0.0), 3000);
    QCOMPARE(p.delayMs(1, qint64(60), 0.0), 5000);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
