// SPDX-License-Identifier: GPL-3.0-or-later
#include "BackupCommands.h"
#include "CliCommands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("receiving-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("receiving-station"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RS_VERSION));
    const QStringList arguments = QCoreApplication::arguments();
    configureBackups(arguments);
    if (const std::optional<int> rc = runBackupCli(arguments))
        return *rc;
    return runCli(arguments);
}
