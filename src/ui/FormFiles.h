// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SupervisorService.h"

#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>

// The Trade-In Form files a supervisor may pick at the kiosk or the desk: spreadsheets (.xlsx, .xls, .csv) on
// removable media mounted under /media or /run/media, and in the station's forms.directory. Nobody types a
// path: the Import a Trade-In Form page shows this list, and a file is read only while it still lies inside
// one of these folders (a symbolic link out of them is neither listed nor read). Touches the disk: call it on
// a worker thread.
class FormFiles
{
public:
    struct Root
    {
        QString path;   // as configured or mounted
        QString label;  // the volume's name; for forms.directory, the folder's path
        bool removable; // a mounted volume, not forms.directory
    };

    static constexpr int MaxDepth = 3;   // folders below a root that are looked into
    static constexpr int MaxFiles = 500; // rows listed, newest first
    static constexpr int MaxFolders =
        2000; // folders walked over all roots, so a huge disk cannot stall the page

    // The volumes mounted under /media/ or /run/media/ (QStorageInfo), in mount order.
    static QList<Root> removableMedia();
    // forms.directory (when set) first, then `media`; folders that do not exist are left out.
    static QList<Root> roots(const QString &formsDirectory, const QList<Root> &media);

    // .xlsx, .xls or .csv, any case; not a hidden file.
    static bool isFormFileName(const QString &fileName);
    // The form files under `roots`, newest first, at most MaxFiles: {"path", "file_name", "folder" (relative
    // to its root, empty at the top), "source" (the root's label), "removable", "size" (bytes), "modified"
    // (UTC ISO-8601)}.
    static QJsonArray list(const QList<Root> &roots);
    // True when `path` is a form file whose real location (links resolved) lies inside one of `roots`.
    static bool isAllowed(const QString &path, const QList<Root> &roots);

    // Reads the file into what SupervisorService::importForm takes (the file's name and SHA-256 with it), or
    // nullopt with the reader's one sentence (sheet, row and column when the layout is at fault).
    static std::optional<TradeInFormImport> read(const QString &path, QString *error);
};
