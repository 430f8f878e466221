// SPDX-License-Identifier: GPL-3.0-or-later
#include "SerialScanner.h"

#include <QFileInfo>

namespace {

constexpr qsizetype MaxLineBytes = 4096;

} // namespace

std::optional<SerialScanner::Settings> SerialScanner::Settings::fromConfig(const SourceConfig &config,
                                                                           QString *error)
{
    const auto fail = [&](const QString &m) -> std::optional<Settings> {
        if (error)
            *error = QStringLiteral("Scanner %1: %2").arg(config.id, m);
        return std::nullopt;
    };
    Settings s;
    s.port = config.value(QStringLiteral("port")).trimmed();
    if (s.port.isEmpty())
        return fail(QStringLiteral("port is not set; give the serial port, for example /dev/ttyACM0."));

    const QString baud = config.value(QStringLiteral("baud")).trimmed();
    if (!baud.isEmpty()) {
        bool ok = false;
        s.baudRate = baud.toInt(&ok);
        if (!ok || s.baudRate < 300 || s.baudRate > 4000000)
            return fail(QStringLiteral("baud must be a rate such as 9600 or 115200."));
    }

    const QString t = config.value(QStringLiteral("terminator"), QStringLiteral("any")).trimmed().toLower();
    if (t == u"cr" || t == u"\\r")
        s.terminator = Terminator::Cr;
    else if (t == u"lf" || t == u"\\n")
        s.terminator = Terminator::Lf;
    else if (t == u"crlf" || t == u"\\r\\n")
        s.terminator = Terminator::CrLf;
    else if (t == u"any")
        s.terminator = Terminator::Any;
    else
        return fail(QStringLiteral("terminator must be cr, lf, crlf or any, not \"%1\".").arg(t));

    const QString retry = config.value(QStringLiteral("retry_ms")).trimmed();
    if (!retry.isEmpty()) {
        bool ok = false;
        s.retryMs = retry.toInt(&ok);
        if (!ok || s.retryMs < 50 || s.retryMs > 60000)
            return fail(QStringLiteral("retry_ms must be a number of milliseconds from 50 to 60000."));
    }
    return s;
}

SerialScanner::SerialScanner(QString id, Settings settings, QObject *parent)
    : ScanSource(std::move(id), parent), m_settings(std::move(settings))
{
    m_retry.setInterval(m_settings.retryMs);
    connect(&m_retry, &QTimer::timeout, this, &SerialScanner::tryOpen);
    connect(&m_port, &QSerialPort::readyRead, this, &SerialScanner::onReadyRead);
    connect(&m_port, &QSerialPort::errorOccurred, this, &SerialScanner::onError);
}

SerialScanner::~SerialScanner()
{
    m_port.disconnect(this); // closing below must not call back into a half-destroyed object
    m_port.close();
}

void SerialScanner::start()
{
    if (m_running)
        return;
    m_running = true;
    setState(SourceHealth::State::Connecting);
    tryOpen();
}

void SerialScanner::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_retry.stop();
    m_port.close();
    reset();
    setState(SourceHealth::State::Stopped);
}

void SerialScanner::tryOpen()
{
    if (!m_running || m_port.isOpen())
        return;
    m_port.setPortName(m_settings.port);
    m_port.setBaudRate(m_settings.baudRate);
    m_port.setDataBits(QSerialPort::Data8);
    m_port.setParity(QSerialPort::NoParity);
    m_port.setStopBits(QSerialPort::OneStop);
    m_port.setFlowControl(QSerialPort::NoFlowControl);
    m_opening = true;
    const bool opened = m_port.open(QIODevice::ReadOnly);
    m_opening = false;
    if (opened) {
        m_retry.stop();
        reset();
        setState(SourceHealth::State::Connected);
        return;
    }
    const QString port = m_settings.port;
    switch (m_port.error()) {
    case QSerialPort::DeviceNotFoundError:
        fail(QStringLiteral("The serial port %1 does not exist; is the scanner plugged in?").arg(port));
        break;
    case QSerialPort::PermissionError:
        fail(QStringLiteral(
                 "The station may not open %1: its user needs the dialout group, or another program "
                 "has the port open.")
                 .arg(port));
        break;
    default:
        fail(QStringLiteral("Cannot open the serial port %1: %2.").arg(port, m_port.errorString()));
        break;
    }
}

void SerialScanner::onError(QSerialPort::SerialPortError error)
{
    if (error == QSerialPort::NoError || m_opening || !m_port.isOpen())
        return;
    // Unplugging shows as ResourceError on USB adapters, but as odd ioctl failures on others: a port whose
    // device node is gone has disappeared, whatever the error says.
    const QString node = m_settings.port.startsWith(QLatin1Char('/'))
                             ? m_settings.port
                             : QStringLiteral("/dev/") + m_settings.port;
    if (error == QSerialPort::ResourceError || !QFileInfo::exists(node))
        fail(
            QStringLiteral("The serial port %1 disappeared; is the scanner unplugged?").arg(m_settings.port));
    else
        fail(QStringLiteral("The serial port %1 failed: %2.").arg(m_settings.port, m_port.errorString()));
}

void SerialScanner::fail(const QString &why)
{
    m_port.close();
    reset();
    setState(SourceHealth::State::Reconnecting, why);
    if (m_running && !m_retry.isActive())
        m_retry.start();
}

void SerialScanner::reset()
{
    m_line.clear();
    m_truncated = false;
    m_afterCr = false;
}

void SerialScanner::onReadyRead()
{
    const QByteArray data = m_port.readAll();
    take(data.constData(), data.size());
}

void SerialScanner::take(const char *data, qsizetype size)
{
    const auto append = [this](char c) {
        if (m_line.size() < MaxLineBytes)
            m_line.append(c);
        else
            m_truncated = true; // the excess is dropped; the matcher refuses a truncated read
    };
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        switch (m_settings.terminator) {
        case Terminator::Cr:
            c == '\r' ? endLine() : append(c);
            break;
        case Terminator::Lf:
            c == '\n' ? endLine() : append(c);
            break;
        case Terminator::Any:
            if (c == '\r') {
                endLine();
                m_afterCr = true;
            } else if (c == '\n') {
                if (!m_afterCr)
                    endLine();
                m_afterCr = false;
            } else {
                m_afterCr = false;
                append(c);
            }
            break;
        case Terminator::CrLf:
            if (m_afterCr) {
                m_afterCr = false;
                if (c == '\n') {
                    endLine();
                    break;
                }
                append('\r'); // the CR was data after all
            }
            if (c == '\r')
                m_afterCr = true;
            else
                append(c);
            break;
        }
        if (!m_port.isOpen())
            return; // a receiver of the read stopped us
    }
}

void SerialScanner::endLine()
{
    if (m_line.isEmpty() && !m_truncated)
        return;
    ScanEvent read;
    read.raw = m_line;
    read.truncated = m_truncated;
    m_line.clear();
    m_truncated = false;
    deliver({read});
}
