// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReportFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
QString temporaryBeside(const QString &path)
{
    const QFileInfo info(path);
    return info.absoluteDir().filePath(
        QStringLiteral(".%1.%2.tmp")
            .arg(info.fileName())
            .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0')));
}

bool syncAndPublish(const QString &temporary, const QString &path, QString *error)
{
    const QByteArray tmp = QFile::encodeName(temporary);
    const int fd = ::open(tmp.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
    if (fd >= 0)
        ::close(fd);
    ok = ok && ::rename(tmp.constData(), QFile::encodeName(path).constData()) == 0;
    if (!ok) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno)));
        ::unlink(tmp.constData());
        return false;
    }
    // The rename itself survives a power cut once the folder is synced.
    const int dir =
        ::open(QFile::encodeName(QFileInfo(path).absolutePath()).constData(), O_RDONLY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return true;
}
} // namespace

bool ReportFiles::write(const QString &path, const QByteArray &bytes, QString *error)
{
    return writeWith(
        path,
        [&bytes](const QString &temporary, QString *why) {
            const int fd = ::open(QFile::encodeName(temporary).constData(),
                                  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
            if (fd < 0) {
                *why = QStringLiteral("cannot create %1: %2")
                           .arg(temporary, QString::fromLocal8Bit(strerror(errno)));
                return false;
            }
            qsizetype done = 0;
            while (done < bytes.size()) {
                const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    break;
                done += n;
            }
            const int saved = errno;
            ::close(fd);
            if (done != bytes.size()) {
                *why = QStringLiteral("cannot write %1: %2")
                           .arg(temporary, QString::fromLocal8Bit(strerror(saved)));
                return false;
            }
            return true;
        },
        error);
}

bool ReportFiles::writeWith(const QString &path,
                            const std::function<bool(const QString &temporary, QString *error)> &produce,
                            QString *error)
{
    const QFileInfo info(path);
    if (!info.absoluteDir().exists()) {
        *error = QStringLiteral("the folder %1 does not exist.").arg(info.absolutePath());
        return false;
    }
    if (info.isDir()) {
        *error = QStringLiteral("%1 is a folder; name a file.").arg(path);
        return false;
    }
    const QString temporary = temporaryBeside(path);
    if (!produce(temporary, error)) {
        QFile::remove(temporary);
        return false;
    }
    return syncAndPublish(temporary, path, error);
}
