// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuditLog.h"
#include "BackupCommands.h"
#include "CliCommands.h"
#include "JournalLog.h"
#include "ReportCommands.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>

#include <memory>

int main(int argc, char *argv[])
{
    // Reports and certificates draw PDF text with QPainter, which needs a QGuiApplication; on the offscreen
    // platform it needs no display. Every other command stays a plain QCoreApplication.
    std::unique_ptr<QCoreApplication> app;
    if (reportCliNeedsGui(argc, argv)) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
        app->setProperty("rs_allow_gui_thread_io", true); // no screen to freeze: ThreadGuard may let it pass
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
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
    if (const std::optional<int> rc = runReportCli(arguments))
        return *rc;
    return runCli(arguments);
}
