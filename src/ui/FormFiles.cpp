// SPDX-License-Identifier: GPL-3.0-or-later
#include "FormFiles.h"
#include "Spreadsheet.h"
#include "TradeInForm.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QStorageInfo>

#include <algorithm>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("FormFiles", text);
}

// The real folder of a root, with a trailing slash so "/media/usb" does not contain "/media/usb2".
QString realFolder(const QString &path)
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    if (canonical.isEmpty())
        return {};
    return canonical.endsWith(QLatin1Char('/')) ? canonical : canonical + QLatin1Char('/');
}

bool inside(const QString &realFile, const QString &folder)
{
    return !folder.isEmpty() && realFile.startsWith(folder);
}
} // namespace

QList<FormFiles::Root> FormFiles::removableMedia()
{
    QList<Root> out;
    for (const QStorageInfo &v : QStorageInfo::mountedVolumes()) {
        const QString at = v.rootPath();
        if (!v.isValid() || !v.isReady() ||
            !(at.startsWith(QLatin1String("/media/")) || at.startsWith(QLatin1String("/run/media/"))))
            continue;
        out.append(Root{at, v.name().isEmpty() ? QFileInfo(at).fileName() : v.name(), true});
    }
    return out;
}

QList<FormFiles::Root> FormFiles::roots(const QString &formsDirectory, const QList<Root> &media)
{
    QList<Root> out;
    if (!formsDirectory.trimmed().isEmpty() && QFileInfo(formsDirectory.trimmed()).isDir())
        out.append(Root{formsDirectory.trimmed(), formsDirectory.trimmed(), false});
    for (const Root &r : media) {
        if (QFileInfo(r.path).isDir())
            out.append(r);
    }
    return out;
}

bool FormFiles::isFormFileName(const QString &fileName)
{
    if (fileName.startsWith(QLatin1Char('.')))
        return false;
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    return suffix == QLatin1String("xlsx") || suffix == QLatin1String("xls") ||
           suffix == QLatin1String("csv");
}

QJsonArray FormFiles::list(const QList<Root> &roots)
{
    struct Found
    {
        QFileInfo info;
        QString folder;
        const Root *root;
    };
    QList<Found> found;
    int folders = 0;
    for (const Root &root : roots) {
        const QString top = realFolder(root.path);
        if (top.isEmpty())
            continue;
        // Breadth first, so the files at the top of a stick are listed before a deep tree uses up the limits.
        QList<std::pair<QString, int>> queue{{top, 0}};
        while (!queue.isEmpty() && folders < MaxFolders) {
            const auto [folder, depth] = queue.takeFirst();
            ++folders;
            const QFileInfoList entries =
                QDir(folder).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable,
                                           QDir::Name | QDir::IgnoreCase);
            for (const QFileInfo &e : entries) {
                // A link may point anywhere: only what really lies inside the root is shown.
                const QString real = e.canonicalFilePath();
                if (real.isEmpty() || !inside(real, top))
                    continue;
                if (e.isDir()) {
                    if (depth < MaxDepth && !e.isSymLink())
                        queue.append({real, depth + 1});
                } else if (isFormFileName(e.fileName())) {
                    QString relative = QDir(top).relativeFilePath(e.absolutePath());
                    if (relative == QLatin1String("."))
                        relative.clear();
                    found.append(Found{e, relative, &root});
                }
            }
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const Found &a, const Found &b) {
        return a.info.lastModified() > b.info.lastModified();
    });
    QJsonArray out;
    for (qsizetype i = 0; i < found.size() && i < MaxFiles; ++i) {
        const Found &f = found.at(i);
        out.append(QJsonObject{
            {QStringLiteral("path"), f.info.absoluteFilePath()},
            {QStringLiteral("file_name"), f.info.fileName()},
            {QStringLiteral("folder"), f.folder},
            {QStringLiteral("source"), f.root->label},
            {QStringLiteral("removable"), f.root->removable},
            {QStringLiteral("size"), f.info.size()},
            {QStringLiteral("modified"),
             f.info.lastModified().toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"))}});
    }
    return out;
}

bool FormFiles::isAllowed(const QString &path, const QList<Root> &roots)
{
    const QFileInfo info(path);
    const QString real = info.canonicalFilePath();
    if (real.isEmpty() || !info.isFile() || !isFormFileName(info.fileName()))
        return false;
    return std::any_of(roots.cbegin(), roots.cend(),
                       [&real](const Root &r) { return inside(real, realFolder(r.path)); });
}

std::optional<TradeInFormImport> FormFiles::read(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("The file %1 cannot be read: %2.").arg(QFileInfo(path).fileName(), file.errorString());
        return std::nullopt;
    }
    // One read: the SHA-256 kept with the case is of the very bytes that were imported.
    const QByteArray bytes = file.read(SpreadsheetReader::MaxFileBytes);
    file.close();
    const std::optional<Workbook> book =
        SpreadsheetReader::readBytes(bytes, SpreadsheetReader::Format::Auto, error);
    if (!book)
        return std::nullopt;
    const std::optional<TradeInForm> form = TradeInForm::fromWorkbook(*book, QString(), error);
    if (!form)
        return std::nullopt;
    TradeInFormImport in;
    in.caseNumber = form->caseNumber;
    in.sheetName = form->sheetName;
    in.fileName = QFileInfo(path).fileName();
    in.sha256 = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    for (const TradeInForm::Line &l : form->lines)
        in.lines.append(TradeInFormImport::Line{l.line, l.sku, l.description, l.serial, l.quantity, l.sheet,
                                                l.row, l.serialColumn});
    return in;
}
