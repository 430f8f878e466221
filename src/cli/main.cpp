// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "BackupCommands.h"
#include "CliCommands.h"
#include "JournalLog.h"

#include <QCoreApplication>
#include <QFileInfo>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("receiving-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("receiving-station"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RS_VERSION));
    // Each committed audit head is an anchor in the journal, as the kiosk's are (JournalLog was not
    // install()ed, so stdout and stderr stay the commands' own). The database is named absolutely: --db is
    // often relative.
    AuditLog::setHeadPublisher([](const QString &database, qint64 id, const QString &hash) {
        JournalLog::auditHead(QFileInfo(database).absoluteFilePath(), id, hash);
    });
    const QStringList arguments = QCoreApplication::arguments();
    configureBackups(arguments);
    if (const std::optional<int> rc = runBackupCli(arguments))
        return *rc;
    return runCli(arguments);
}
