// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDeadlineTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

// A private X server for the tests and benchmarks that drive the real kiosk: Xvfb on a display number it
// picks itself (-displayfd, so parallel tests never collide), stopped when this goes out of scope. A missing
// Xvfb is an error, never a skip: deploy/dev installs it.
class XvfbServer
{
public:
    explicit XvfbServer(const QString &screen = QStringLiteral("1280x800x24"))
    {
        const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        if (xvfb.isEmpty()) {
            m_error = QStringLiteral("Xvfb is not installed (deploy/dev installs package xvfb)");
            return;
        }
        m_process.setProgram(xvfb);
        m_process.setArguments({QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                                QStringLiteral("0"), screen, QStringLiteral("-nolisten"),
                                QStringLiteral("tcp"), QStringLiteral("-noreset")});
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(10'000)) {
            m_error = QStringLiteral("Xvfb did not start: %1").arg(m_process.errorString());
            return;
        }
        // Xvfb writes the display number it took once it accepts connections.
        QByteArray out;
        const QDeadlineTimer deadline(20'000);
        while (!out.contains('\n') && !deadline.hasExpired() && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
            out += m_process.readAllStandardOutput();
        }
        bool ok = false;
        const int number = out.trimmed().toInt(&ok);
        if (!ok) {
            m_error = QStringLiteral("Xvfb gave no display number: %1")
                          .arg(QString::fromLocal8Bit(m_process.readAllStandardError()).left(2000));
            return;
        }
        m_display = QStringLiteral(":%1").arg(number);
    }

    ~XvfbServer()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5'000)) {
            m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }

    XvfbServer(const XvfbServer &) = delete;
    XvfbServer &operator=(const XvfbServer &) = delete;

    bool isRunning() const { return !m_display.isEmpty() && m_process.state() == QProcess::Running; }
    QString display() const { return m_display; } // ":N"; empty when it did not start
    QString error() const { return m_error; }

private:
    QProcess m_process;
    QString m_display;
    QString m_error;
};
