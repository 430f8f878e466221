// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("receiving-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("receiving-station"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RS_VERSION));
    return runCli(QCoreApplication::arguments());
}
