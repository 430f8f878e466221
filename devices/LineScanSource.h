// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanEvent.h"

#include <optional>

// Reads one scan per line from a file descriptor (stdin for `receiving-cli scan`, later sockets and serial
// ports). Blocking; memory stays bounded however long a line is: the excess is dropped and flagged.
class LineScanSource
{
public:
    explicit LineScanSource(int fd, QString sourceId, qsizetype maxLineBytes = 4096);

    // The next line without its terminator (LF; a CR before it is kept for the normaliser), or nullopt at
    // end of input. Throws nothing; a read error ends the input.
    std::optional<ScanEvent> next();

private:
    bool fill();
    int m_fd;
    QString m_sourceId;
    qsizetype m_max;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    bool m_eof = false;
};
