// SPDX-License-Identifier: GPL-3.0-or-later
#include "EvdevScanner.h"

#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace {

constexpr qsizetype MaxLineChars = 4096;
constexpr qsizetype RecordSize = sizeof(input_event);

QString systemError(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

} // namespace

std::optional<EvdevScanner::Settings> EvdevScanner::Settings::fromConfig(const SourceConfig &config,
                                                                         QString *error)
{
    const auto fail = [&](const QString &m) -> std::optional<Settings> {
        if (error)
            *error = QStringLiteral("Scanner %1: %2").arg(config.id, m);
        return std::nullopt;
    };
    Settings s;
    s.device = config.value(QStringLiteral("device")).trimmed();
    if (s.device.isEmpty())
        return fail(
            QStringLiteral("device is not set; give the scanner's /dev/input/by-id/...-event-kbd path."));

    const QString keymap = config.value(QStringLiteral("keymap"), QStringLiteral("us"));
    const std::optional<Keymap> map = Keymap::byName(keymap);
    if (!map)
        return fail(QStringLiteral("keymap \"%1\" is unknown; use one of %2.")
                        .arg(keymap, Keymap::names().join(QStringLiteral(", "))));
    s.keymap = *map;

    const QStringList terminators = config.value(QStringLiteral("terminators"), QStringLiteral("enter"))
                                        .toLower()
                                        .split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &raw : terminators) {
        const QString t = raw.trimmed();
        if (t == u"tab")
            s.tabTerminates = true;
        else if (t != u"enter" && t != u"return")
            return fail(QStringLiteral("terminators must list enter and optionally tab, not \"%1\".").arg(t));
    }

    const QString grab = config.value(QStringLiteral("grab"), QStringLiteral("true")).trimmed().toLower();
    if (grab == u"true" || grab == u"yes" || grab == u"1")
        s.grab = true;
    else if (grab == u"false" || grab == u"no" || grab == u"0")
        s.grab = false;
    else
        return fail(QStringLiteral("grab must be true or false."));

    const QString retry = config.value(QStringLiteral("retry_ms")).trimmed();
    if (!retry.isEmpty()) {
        bool ok = false;
        s.retryMs = retry.toInt(&ok);
        if (!ok || s.retryMs < 50 || s.retryMs > 60000)
            return fail(QStringLiteral("retry_ms must be a number of milliseconds from 50 to 60000."));
    }
    return s;
}

EvdevScanner::EvdevScanner(QString id, Settings settings, QObject *parent)
    : ScanSource(std::move(id), parent), m_settings(std::move(settings)), m_hasPath(true)
{
    m_retry.setInterval(m_settings.retryMs);
    connect(&m_retry, &QTimer::timeout, this, &EvdevScanner::tryOpen);
}

EvdevScanner::EvdevScanner(QString id, int fd, Settings settings, Grab grab, QObject *parent)
    : ScanSource(std::move(id), parent), m_settings(std::move(settings)), m_hasPath(false), m_fd(fd),
      m_grabFd(grab == Grab::Yes)
{
    m_settings.device.clear();
}

EvdevScanner::~EvdevScanner()
{
    delete m_notifier;
    m_notifier = nullptr;
    if (m_fd >= 0)
        ::close(m_fd); // closing also releases the grab
}

void EvdevScanner::start()
{
    if (m_running)
        return;
    m_running = true;
    if (m_hasPath) {
        setState(SourceHealth::State::Connecting);
        tryOpen();
    } else if (m_notifier) {
        m_notifier->setEnabled(true);
        setState(SourceHealth::State::Connected);
    } else if (m_fd >= 0) {
        const int fd = m_fd;
        m_fd = -1;
        attach(fd, m_grabFd);
    } else {
        setState(SourceHealth::State::Reconnecting, QStringLiteral("The scanner's input has ended."));
    }
}

void EvdevScanner::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_retry.stop();
    if (m_watcher) {
        m_watcher->deleteLater();
        m_watcher = nullptr;
    }
    if (m_hasPath)
        detach(); // let go of the device so another program (or a restarted station) can take it
    else if (m_notifier)
        m_notifier->setEnabled(false);
    setState(SourceHealth::State::Stopped);
}

void EvdevScanner::tryOpen()
{
    if (!m_running || m_fd >= 0)
        return;
    const QString &path = m_settings.device;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        waitForDevice();
        if (err == ENOENT || err == ENODEV || err == ENXIO)
            setState(SourceHealth::State::Reconnecting,
                     QStringLiteral("The scanner %1 is not plugged in.").arg(path));
        else if (err == EACCES || err == EPERM)
            setState(
                SourceHealth::State::Reconnecting,
                QStringLiteral("The station may not read %1: its user needs the input group or a udev rule.")
                    .arg(path));
        else
            setState(SourceHealth::State::Reconnecting,
                     QStringLiteral("Cannot open the scanner %1: %2.").arg(path, systemError(err)));
        return;
    }
    attach(fd, m_settings.grab);
}

bool EvdevScanner::attach(int fd, bool grab)
{
    if (grab && ::ioctl(fd, EVIOCGRAB, 1) < 0) {
        const int err = errno;
        ::close(fd);
        const QString what = m_hasPath ? m_settings.device : QStringLiteral("the scanner's input");
        if (err == ENOTTY || err == EINVAL) {
            m_retry.stop();
            setState(
                SourceHealth::State::Failed,
                QStringLiteral("The station cannot read %1 as a scanner: it is not an input event device.")
                    .arg(what));
            return false;
        }
        waitForDevice();
        setState(SourceHealth::State::Reconnecting,
                 err == EBUSY
                     ? QStringLiteral("Another program holds %1 exclusively.").arg(what)
                     : QStringLiteral("Cannot take %1 for exclusive use: %2.").arg(what, systemError(err)));
        return false;
    }
    // A descriptor handed over may block (a pipe does); reading until EAGAIN needs it not to.
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK))
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    m_fd = fd;
    m_partial.clear();
    m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &EvdevScanner::onReadable);
    m_retry.stop();
    if (m_watcher) {
        m_watcher->deleteLater(); // we may be inside its directoryChanged
        m_watcher = nullptr;
    }
    setState(SourceHealth::State::Connected);
    return true;
}

void EvdevScanner::detach()
{
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater(); // we may be inside its activated()
        m_notifier = nullptr;
    }
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_partial.clear();
    m_line.clear();
    m_truncated = false;
    m_dropping = false;
    m_leftShift = m_rightShift = m_capsLock = m_altGr = m_ctrl = false;
}

void EvdevScanner::waitForDevice()
{
    if (!m_hasPath || !m_running)
        return;
    if (!m_retry.isActive())
        m_retry.start();
    // udev creates the by-id link a moment after the device node: watching the folder reopens at once
    // instead of up to retryMs later. The folder itself can be missing while no USB input device is present.
    if (!m_watcher) {
        const QString dir = QFileInfo(m_settings.device).absolutePath();
        if (QFileInfo(dir).isDir()) {
            m_watcher = new QFileSystemWatcher(QStringList{dir}, this);
            connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &EvdevScanner::tryOpen);
        }
    }
}

void EvdevScanner::lost(const QString &why)
{
    detach();
    waitForDevice();
    setState(SourceHealth::State::Reconnecting, why);
}

void EvdevScanner::onReadable()
{
    const QString what =
        m_hasPath ? QStringLiteral("The scanner %1").arg(m_settings.device) : QStringLiteral("The scanner");
    char buffer[RecordSize * 64];
    for (;;) {
        if (m_fd < 0)
            return;
        const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n == 0) {
            lost(QStringLiteral("%1 stopped sending (end of input).").arg(what));
            return;
        }
        if (n < 0) {
            const int err = errno;
            if (err == EINTR)
                continue;
            if (err == EAGAIN || err == EWOULDBLOCK)
                return;
            lost(err == ENODEV ? QStringLiteral("%1 was unplugged.").arg(what)
                               : QStringLiteral("%1 could not be read: %2.").arg(what, systemError(err)));
            return;
        }
        // Records may arrive split across reads (always so through a pipe); keep the tail for next time.
        m_partial.append(buffer, n);
        qsizetype used = 0;
        while (m_partial.size() - used >= RecordSize) {
            input_event ev;
            std::memcpy(&ev, m_partial.constData() + used, RecordSize);
            used += RecordSize;
            const qint64 ms = qint64(ev.input_event_sec) * 1000 + qint64(ev.input_event_usec) / 1000;
            handle(ev.type, ev.code, ev.value, ms);
            if (m_fd < 0)
                return; // a receiver of the read stopped us; detach() already dropped the buffer
        }
        m_partial.remove(0, used);
        if (!m_running)
            return; // stopped (descriptor kept): leave the rest in the pipe
    }
}

void EvdevScanner::handle(quint16 type, quint16 code, qint32 value, qint64 timeMs)
{
    if (type == EV_SYN) {
        if (code == SYN_DROPPED) {
            // The kernel's buffer overflowed: key state and the current read are unknown until the next
            // report.
            m_dropping = true;
            m_line.clear();
            m_truncated = false;
            m_leftShift = m_rightShift = m_altGr = m_ctrl = false;
            setState(SourceHealth::State::Connected,
                     QStringLiteral(
                         "The scanner sent faster than the station read it; a scan may have been lost."));
        } else if (code == SYN_REPORT) {
            m_dropping = false;
        }
        return;
    }
    if (type != EV_KEY || m_dropping)
        return;
    const bool down = value != 0;
    switch (code) {
    case KEY_LEFTSHIFT:
        m_leftShift = down;
        return;
    case KEY_RIGHTSHIFT:
        m_rightShift = down;
        return;
    case KEY_LEFTCTRL:
    case KEY_RIGHTCTRL:
        m_ctrl = down;
        return;
    case KEY_RIGHTALT:
        m_altGr = down;
        return;
    case KEY_CAPSLOCK:
        if (value == 1)
            m_capsLock = !m_capsLock;
        return;
    default:
        break;
    }
    if (!down)
        return; // releases carry nothing else; value 2 (auto-repeat) types the key again, as it would
    if (code == KEY_ENTER || code == KEY_KPENTER || (code == KEY_TAB && m_settings.tabTerminates)) {
        if (value == 1)
            finishLine(timeMs);
        return;
    }
    QChar c =
        m_settings.keymap.map(code, Keymap::Modifiers{m_leftShift || m_rightShift, m_capsLock, m_altGr});
    if (c.isNull())
        return; // arrows, function keys and the like carry no data
    if (m_ctrl) {
        // Ctrl+] is GS, Ctrl+^ is RS and so on: how scanners type separators on a keyboard interface.
        const char16_t u = c.toUpper().unicode();
        if (u < 0x40 || u > 0x5F)
            return;
        c = QChar(char16_t(u - 0x40));
    }
    if (m_line.size() >= MaxLineChars) {
        m_truncated = true;
        return;
    }
    m_line += c;
}

void EvdevScanner::finishLine(qint64 timeMs)
{
    if (m_line.isEmpty() && !m_truncated)
        return;
    ScanEvent read;
    read.raw = m_line.toUtf8();
    read.truncated = m_truncated;
    read.timestampMs = timeMs; // the kernel's wall-clock time of the Enter; 0 (a test pipe) means "now"
    m_line.clear();
    m_truncated = false;
    deliver({read});
}
