// SPDX-License-Identifier: GPL-3.0-or-later
// receiving-decoder: reads the barcodes of frames the station puts in shared memory, one request at a time,
// so that a label which crashes ZXing (Debian's 1.4.0 predates the fix for zxing-cpp issue #572, a heap
// overflow in DataMatrix detection) ends this process and not the kiosk. Started and restarted by
// DecoderProcess; the protocol is described at DecoderWire in devices/BarcodeDecoder.h. Once set up it runs
// sandboxed (DecoderSandbox.h), so a label that takes over the library finds nothing to read and no way out.

#include "BarcodeDecoder.h"
#include "DecoderSandbox.h"

#include <QString>
#include <QStringList>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

// False at end of input or on a read error: either way the station is gone or done with us.
bool readFully(int fd, void *buffer, size_t size)
{
    auto *p = static_cast<char *>(buffer);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n == 0)
            return false;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        size -= size_t(n);
    }
    return true;
}

bool writeFully(int fd, const void *buffer, size_t size)
{
    const auto *p = static_cast<const char *>(buffer);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        size -= size_t(n);
    }
    return true;
}

// With write() rather than stdio, so the sandbox's list of allowed calls covers it by construction.
int fail(const QString &message)
{
    const QByteArray line = "receiving-decoder: " + message.toLocal8Bit() + '\n';
    writeFully(STDERR_FILENO, line.constData(), size_t(line.size()));
    return 2;
}

bool sendReply(quint32 magic, quint32 id, DecoderWire::Status status, const QByteArray &payload)
{
    DecoderWire::Reply reply;
    reply.magic = magic;
    reply.id = id;
    reply.status = quint32(status);
    reply.payloadSize = quint32(payload.size());
    return writeFully(STDOUT_FILENO, &reply, sizeof reply) &&
           writeFully(STDOUT_FILENO, payload.constData(), size_t(payload.size()));
}

// The station's frame segment, mapped read-only; re-mapped when the station has grown it for a larger frame.
class FrameSegment
{
public:
    explicit FrameSegment(int fd) : m_fd(fd) {}
    ~FrameSegment()
    {
        if (m_data != MAP_FAILED)
            ::munmap(m_data, m_size);
    }
    FrameSegment(const FrameSegment &) = delete;
    FrameSegment &operator=(const FrameSegment &) = delete;

    // A mapping of at least `size` bytes, or nullptr with `error` set.
    const uchar *map(quint64 size, QString *error)
    {
        if (m_data != MAP_FAILED && m_size >= size)
            return static_cast<const uchar *>(m_data);
        // Trust the file, not the request: mapping past its end would turn a bad request into SIGBUS. The raw
        // fstat call: glibc's fstat() is newfstatat, which the sandbox does not allow (it takes a path).
        struct stat st = {};
        if (::syscall(SYS_fstat, m_fd, &st) != 0 || quint64(st.st_size) < size) {
            *error = QStringLiteral("The frame does not fit in the shared memory segment (%1 bytes wanted).")
                         .arg(size);
            return nullptr;
        }
        if (m_data != MAP_FAILED)
            ::munmap(m_data, m_size);
        m_size = size_t(st.st_size);
        m_data = ::mmap(nullptr, m_size, PROT_READ, MAP_SHARED, m_fd, 0);
        if (m_data == MAP_FAILED) {
            m_size = 0;
            *error = QStringLiteral("The shared memory segment cannot be mapped: %1.")
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
            return nullptr;
        }
        return static_cast<const uchar *>(m_data);
    }

private:
    int m_fd;
    void *m_data = MAP_FAILED;
    size_t m_size = 0;
};

// A sentence when the request cannot be a frame in the segment, else empty.
QString checkRequest(const DecoderWire::Request &r)
{
    using namespace DecoderWire;
    if (r.width <= 0 || r.height <= 0 || r.width > MaxDimension || r.height > MaxDimension)
        return QStringLiteral("The frame size %1x%2 is outside 1..%3.")
            .arg(r.width)
            .arg(r.height)
            .arg(MaxDimension);
    if (r.stride < r.width)
        return QStringLiteral("The frame's row stride %1 is smaller than its width %2.")
            .arg(r.stride)
            .arg(r.width);
    const quint64 needed = quint64(r.stride) * quint64(r.height - 1) + quint64(r.width);
    if (needed > r.segmentSize)
        return QStringLiteral("The frame (%1 bytes) is larger than the segment (%2 bytes).")
            .arg(needed)
            .arg(r.segmentSize);
    return {};
}

// For tests only (--sandbox-probe=NAME, not part of the protocol): once sandboxed, make one call the sandbox
// must stop, which kills the process with SIGSYS, or crash the way the library does (abort: SIGABRT, not
// SIGSYS). Returns only when the sandbox let the call through.
int runSandboxProbe(const QString &probe)
{
    if (probe == QLatin1String("open")) {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd >= 0)
            ::close(fd);
    } else if (probe == QLatin1String("socket")) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0)
            ::close(fd);
    } else if (probe == QLatin1String("abort")) {
        std::abort();
    }
    return fail(QStringLiteral("The sandbox let the probe \"%1\" through.").arg(probe));
}

} // namespace

int main(int argc, char **argv)
{
    // Before anything can read it: the station's credentials and upstream settings stay with the station.
    DecoderSandbox::clearEnvironment();

    int shmFd = -1;
    bool coreDumps = false;
    QString sandboxProbe;
    QStringList settingArguments;
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (arg.startsWith(QLatin1String("--shm-fd="))) {
            bool ok = false;
            shmFd = arg.mid(9).toInt(&ok);
            if (!ok)
                shmFd = -1;
        } else if (arg == QLatin1String("--core-dumps")) {
            coreDumps = true;
        } else if (arg.startsWith(QLatin1String("--sandbox-probe="))) {
            sandboxProbe = arg.mid(16);
        } else {
            settingArguments << arg;
        }
    }
    if (shmFd < 0)
        return fail(
            QStringLiteral("--shm-fd=N is missing: this program is started by the receiving station."));
    if (!sandboxProbe.isEmpty() &&
        !QStringList{QStringLiteral("open"), QStringLiteral("socket"), QStringLiteral("abort")}.contains(
            sandboxProbe))
        return fail(QStringLiteral("--sandbox-probe takes open, socket or abort."));
    QString error;
    const auto settings = DecodeSettings::fromArguments(settingArguments, &error);
    if (!settings)
        return fail(error);
    if (!DecoderSandbox::closeInheritedDescriptors(shmFd, &error))
        return fail(error);

    // A helper stuck inside the library must not outlive the thread that supervises it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (!coreDumps) {
        // The station saves the frame that crashed us, which is what a bug report needs; a kiosk that dumps
        // core on every retry of the same label would fill its disk instead.
        const rlimit none = {0, 0};
        ::setrlimit(RLIMIT_CORE, &none);
    }

    FrameSegment segment(shmFd);
    const BarcodeDecoder decoder(*settings);
    // Everything is open and loaded: from here on the helper only reads requests and writes replies.
    if (!DecoderSandbox::enter(shmFd, &error))
        return fail(error);
    if (!sandboxProbe.isEmpty())
        return runSandboxProbe(sandboxProbe);
    if (!sendReply(DecoderWire::HelloMagic, DecoderWire::Version, DecoderWire::Status::Ok,
                   settings->describe().toUtf8()))
        return 0;

    DecoderWire::Request request;
    while (readFully(STDIN_FILENO, &request, sizeof request)) {
        if (request.magic != DecoderWire::RequestMagic)
            return fail(QStringLiteral("The station sent something that is not a frame request; stopping."));
        QString problem = checkRequest(request);
        const uchar *base = problem.isEmpty() ? segment.map(request.segmentSize, &problem) : nullptr;
        bool sent = false;
        if (!base) {
            sent = sendReply(DecoderWire::ReplyMagic, request.id, DecoderWire::Status::BadRequest,
                             problem.toUtf8());
        } else {
            const GreyFrame frame{request.width, request.height, request.stride, base};
            QString decodeError;
            const QList<DecodedBarcode> barcodes = decoder.decode(frame, &decodeError);
            sent = decodeError.isEmpty()
                       ? sendReply(DecoderWire::ReplyMagic, request.id, DecoderWire::Status::Ok,
                                   BarcodeDecoder::toJson(barcodes))
                       : sendReply(DecoderWire::ReplyMagic, request.id, DecoderWire::Status::DecodeError,
                                   decodeError.toUtf8());
        }
        if (!sent)
            return 0; // the station closed our stdout: it is shutting down or gone
    }
    return 0;
}
