// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

// How report files reach their folder: written under a temporary name beside the target, synced, made
// owner-only (0600: reports name customers and operators), then renamed over the target, so a reader never
// sees half a report and a failed run leaves no file.
namespace ReportFiles {
// Writes `bytes` to `path` as above. False with `error` (a sentence) set when it could not.
bool write(const QString &path, const QByteArray &bytes, QString *error);
// For writers that need a file name of their own (libxlsxwriter): `produce` writes the temporary file it is
// given and returns false with a sentence in `error` on failure; then the file is published as write() does.
bool writeWith(const QString &path,
               const std::function<bool(const QString &temporary, QString *error)> &produce, QString *error);
} // namespace ReportFiles
