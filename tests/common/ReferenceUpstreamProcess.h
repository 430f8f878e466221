// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

// The reference upstream (tests/upstream/reference_upstream.py) as a child process on a free loopback port,
// for the sync integration test and bench_sync: started with `--port 0 --quiet` plus the caller's flags,
// ready once it printed "listening on PORT"; stopped (SIGTERM, then SIGKILL) by stop() or when destroyed.
// A missing python3 is a failure with a reason, never a skip.
class ReferenceUpstreamProcess
{
public:
    ReferenceUpstreamProcess() = default;
    ~ReferenceUpstreamProcess();
    ReferenceUpstreamProcess(const ReferenceUpstreamProcess &) = delete;
    ReferenceUpstreamProcess &operator=(const ReferenceUpstreamProcess &) = delete;

    // `scheme` is what url() says ("https" when `extraArgs` has --tls-cert). False with `*why` set when the
    // server did not come up within a minute.
    bool start(const QStringList &extraArgs, QString *why, const QString &scheme = QStringLiteral("http"));
    void stop();

    int port() const { return m_port; }
    QString scheme() const { return m_scheme; }
    QString url(const QString &host = QStringLiteral("127.0.0.1")) const;

    static QString scriptPath();

private:
    QProcess m_process;
    QString m_scheme = QStringLiteral("http");
    int m_port = 0;
};
