// SPDX-License-Identifier: GPL-3.0-or-later
#include "JournalLog.h"

#include <QCoreApplication>

#include <systemd/sd-journal.h>

#include <cstdio>
#include <sys/uio.h>
#include <vector>

namespace {
QByteArray logIdentifier = QByteArrayLiteral("receiving-station");
bool journal = false;
bool installed = false;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

bool sendToJournal(const QByteArray &identifier, QtMsgType type, const char *category, const QString &message,
                   const JournalLog::Fields &extra, const char *file, int line, const char *function)
{
    const QList<QByteArray> fields =
        JournalLog::journalFields(identifier, type, category, message, extra, file, line, function);
    std::vector<iovec> iov;
    iov.reserve(size_t(fields.size()));
    for (const QByteArray &f : fields)
        iov.push_back({const_cast<char *>(f.constData()), size_t(f.size())});
    return sd_journal_sendv(iov.data(), int(iov.size())) >= 0;
}

void write(QtMsgType type, const char *category, const QString &message, const JournalLog::Fields &extra,
           const char *file, int line, const char *function)
{
    if (journal && sendToJournal(logIdentifier, type, category, message, extra, file, line, function))
        return;
    const QByteArray l = JournalLog::stderrLine(logIdentifier, type, category, message, extra);
    fwrite(l.constData(), 1, size_t(l.size()), stderr);
    fflush(stderr);
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    write(type, context.category, message, {}, context.file, context.line, context.function);
}
} // namespace

int JournalLog::priority(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 7;
    case QtInfoMsg:
        return 6;
    case QtWarningMsg:
        return 4;
    case QtCriticalMsg:
        return 3;
    case QtFatalMsg:
        return 2;
    }
    return 6;
}

QList<QByteArray> JournalLog::journalFields(const QByteArray &identifier, QtMsgType type,
                                            const char *category, const QString &message, const Fields &extra,
                                            const char *file, int line, const char *function)
{
    QList<QByteArray> f;
    f << "MESSAGE=" + message.toUtf8() << "PRIORITY=" + QByteArray::number(priority(type))
      << "SYSLOG_IDENTIFIER=" + identifier;
    if (category && *category && qstrcmp(category, "default") != 0)
        f << QByteArray("CATEGORY=") + category;
    for (const auto &[name, value] : extra) {
        if (!value.isEmpty())
            f << name + '=' + value.toUtf8();
    }
    if (file && *file)
        f << QByteArray("CODE_FILE=") + file << "CODE_LINE=" + QByteArray::number(line);
    if (function && *function)
        f << QByteArray("CODE_FUNC=") + function;
    return f;
}

QByteArray JournalLog::stderrLine(const QByteArray &identifier, QtMsgType type, const char *category,
                                  const QString &message, const Fields &extra)
{
    QByteArray l = identifier;
    if (category && *category && qstrcmp(category, "default") != 0)
        l += QByteArray(" [") + category + ']';
    l += QByteArray(" ") + levelName(type) + ": " + message.toUtf8();
    for (const auto &[name, value] : extra) {
        if (!value.isEmpty())
            l += ' ' + name + '=' + value.toUtf8();
    }
    return l + '\n';
}

void JournalLog::install(const QByteArray &identifier, Sink sink)
{
    logIdentifier = identifier;
    journal = sink == Sink::Journal ||
              (sink == Sink::Automatic && (!qEnvironmentVariableIsEmpty("INVOCATION_ID") ||
                                           !qEnvironmentVariableIsEmpty("JOURNAL_STREAM")));
    installed = true;
    qInstallMessageHandler(handler);
}

bool JournalLog::toJournal()
{
    return journal;
}

void JournalLog::event(QtMsgType type, const char *category, const QString &message, const Fields &fields)
{
    write(type, category, message, fields, nullptr, 0, nullptr);
}

JournalLog::Fields JournalLog::auditHeadFields(const QString &databasePath, qint64 headId,
                                               const QString &headHash)
{
    return {{"MESSAGE_ID", QLatin1String(AuditHeadMessageId)},
            {"AUDIT_HEAD_ID", QString::number(headId)},
            {"AUDIT_HEAD_HASH", headHash},
            {"AUDIT_DATABASE", databasePath}};
}

void JournalLog::auditHead(const QString &databasePath, qint64 headId, const QString &headHash)
{
    const QString message = QStringLiteral("audit head: row %1, hash %2").arg(headId).arg(headHash);
    const Fields fields = auditHeadFields(databasePath, headId, headHash);
    // A process that never install()ed (receiving-cli) keeps stderr for its own output.
    const QByteArray identifier = installed || QCoreApplication::applicationName().isEmpty()
                                      ? logIdentifier
                                      : QCoreApplication::applicationName().toUtf8();
    if (sendToJournal(identifier, QtInfoMsg, "rs.audit", message, fields, nullptr, 0, nullptr) || !installed)
        return;
    write(QtInfoMsg, "rs.audit", message, fields, nullptr, 0, nullptr);
}
