// SPDX-License-Identifier: GPL-3.0-or-later
#include "LineScanSource.h"

#include <QDateTime>

#include <cerrno>
#include <unistd.h>

LineScanSource::LineScanSource(int fd, QString sourceId, qsizetype maxLineBytes)
    : m_fd(fd), m_sourceId(std::move(sourceId)), m_max(maxLineBytes)
{
}

bool LineScanSource::fill()
{
    if (m_eof)
        return false;
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    char chunk[8192];
    for (;;) {
        const ssize_t n = ::read(m_fd, chunk, sizeof chunk);
        if (n > 0) {
            m_buffer.append(chunk, n);
            return true;
        }
        if (n < 0 && errno == EINTR)
            continue;
        m_eof = true;
        return false;
    }
}

std::optional<ScanEvent> LineScanSource::next()
{
    ScanEvent ev;
    ev.sourceId = m_sourceId;
    bool any = false;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', m_pos);
        const qsizetype end = nl < 0 ? m_buffer.size() : nl;
        if (end > m_pos) {
            any = true;
            const qsizetype room = m_max - ev.raw.size();
            const qsizetype take = std::min(room, end - m_pos);
            if (take > 0)
                ev.raw.append(m_buffer.constData() + m_pos, take);
            if (take < end - m_pos)
                ev.truncated = true;
        }
        if (nl >= 0) {
            m_pos = nl + 1;
            break;
        }
        m_pos = m_buffer.size();
        if (!fill()) {
            if (!any)
                return std::nullopt;
            break;
        }
    }
    ev.timestampMs = QDateTime::currentMSecsSinceEpoch();
    return ev;
}
