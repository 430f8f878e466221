// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanSource.h"

#include <QByteArray>
#include <QSerialPort>
#include <QTimer>

#include <optional>

// Reads a scanner on a serial port (RS-232, or USB in CDC/virtual COM mode): one read per terminated line.
// The port is 8N1 without flow control at the configured baud rate. When the port fails or disappears it is
// closed and reopened every retryMs until it answers again; a line cut off by that is dropped.
class SerialScanner : public ScanSource
{
    Q_OBJECT
public:
    enum class Terminator {
        Cr,   // "\r"
        Lf,   // "\n"
        CrLf, // "\r\n" only; a lone CR or LF is data
        Any,  // CR, LF or CRLF, whichever the scanner sends
    };

    struct Settings
    {
        QString port; // "ttyACM0", "/dev/ttyUSB0" or a stable /dev/serial/by-id/... link
        qint32 baudRate = 9600;
        Terminator terminator = Terminator::Any;
        int retryMs = 1000;

        // Keys: port (required), baud, terminator (cr, lf, crlf, any; "\r", "\n", "\r\n" also accepted),
        // retry_ms. Returns nullopt with a sentence in `error` when a value is unusable.
        static std::optional<Settings> fromConfig(const SourceConfig &config, QString *error);
    };

    SerialScanner(QString id, Settings settings, QObject *parent = nullptr);
    ~SerialScanner() override;

    void start() override;
    void stop() override;

    const Settings &settings() const { return m_settings; }

private:
    void tryOpen();
    void onReadyRead();
    void onError(QSerialPort::SerialPortError error);
    void fail(const QString &why);
    void take(const char *data, qsizetype size);
    void endLine();
    void reset();

    Settings m_settings;
    QSerialPort m_port;
    QTimer m_retry;
    bool m_running = false;
    bool m_opening = false; // open() reports its failure itself; errorOccurred during it is not news
    QByteArray m_line;
    bool m_truncated = false;
    bool m_afterCr = false; // the last byte was a CR: in CrLf mode it may start the terminator, in Any mode
                            // an LF right after it belongs to the same line end
};
