// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Keymap.h"
#include "ScanSource.h"

#include <QByteArray>
#include <QTimer>

#include <optional>

class QFileSystemWatcher;
class QSocketNotifier;

// Reads a USB scanner straight from its Linux input device (/dev/input/by-id/...-event-kbd), grabbed
// exclusively so its keys never reach the desktop or a text field. Key codes become characters through the
// configured Keymap; Enter (and Tab if configured) ends a read. When the scanner is unplugged it waits and
// reopens the same path as soon as it reappears.
//
// Also reads any file descriptor carrying struct input_event records, so tests can feed it through a pipe.
class EvdevScanner : public ScanSource
{
    Q_OBJECT
public:
    struct Settings
    {
        QString device;               // the node to open; a by-id path survives replugging
        Keymap keymap = Keymap::us(); // the layout the scanner is programmed for
        bool tabTerminates = false;   // Tab ends a read as Enter does
        bool grab = true;             // EVIOCGRAB: nobody else sees the keys
        int retryMs = 1000;           // reopen attempts while the device is missing

        // Keys: device (required), keymap (us, de, fr), terminators ("enter" or "enter,tab"), grab
        // (true/false), retry_ms. Returns nullopt with a sentence in `error` when a value is unusable.
        static std::optional<Settings> fromConfig(const SourceConfig &config, QString *error);
    };
    enum class Grab { No, Yes };

    // Opens settings.device on start() and keeps it open across unplugging.
    EvdevScanner(QString id, Settings settings, QObject *parent = nullptr);
    // Reads `fd`, which it takes ownership of and makes non-blocking; settings.device is ignored. Grabs only
    // when asked. There is nothing to reopen, so at end of input it stays Reconnecting until stopped.
    EvdevScanner(QString id, int fd, Settings settings, Grab grab = Grab::No, QObject *parent = nullptr);
    ~EvdevScanner() override;

    void start() override;
    void stop() override;

    const Settings &settings() const { return m_settings; }

private:
    void tryOpen();
    bool attach(int fd, bool grab);
    void detach();
    void onReadable();
    void handle(quint16 type, quint16 code, qint32 value, qint64 timeMs);
    void finishLine(qint64 timeMs);
    void lost(const QString &why);
    void waitForDevice();

    Settings m_settings;
    bool m_hasPath;
    int m_fd = -1;
    bool m_running = false;
    bool m_grabFd = false; // descriptor mode: grab when attaching
    // Both are deleted later, never inside their own signal.
    QSocketNotifier *m_notifier = nullptr;
    QFileSystemWatcher *m_watcher = nullptr; // reopens at once when udev recreates the by-id link
    QTimer m_retry;

    QByteArray m_partial; // bytes of an input_event record not completely read yet
    QString m_line;
    bool m_truncated = false;
    bool m_dropping = false; // after SYN_DROPPED the kernel lost events: skip to the next report
    bool m_leftShift = false;
    bool m_rightShift = false;
    bool m_capsLock = false;
    bool m_altGr = false;
    bool m_ctrl = false;
};
