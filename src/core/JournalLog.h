// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QtGlobal>

// The station's log: every Qt message (qCInfo, qCWarning, ...) goes to journald through sd_journal_send with
// structured fields (PRIORITY, CATEGORY, CASE_NUMBER, SERIAL, CODE_*), or to stderr when the process does not
// run under systemd. install() once in main(); event() logs with extra fields such as a case number and
// serial.
namespace JournalLog {
using Fields = QList<QPair<QByteArray, QString>>; // NAME (upper case) -> value

// Journal when running under systemd (INVOCATION_ID or JOURNAL_STREAM set), else stderr. `force` overrides.
enum class Sink { Automatic, Journal, Stderr };
void install(const QByteArray &identifier, Sink sink = Sink::Automatic);
bool toJournal();

// One log entry with extra fields; empty values are left out.
void event(QtMsgType type, const char *category, const QString &message, const Fields &fields);

// syslog priority of a Qt message type (debug 7, info 6, warning 4, critical 3, fatal 2).
int priority(QtMsgType type);
// The journal fields of one entry, "NAME=value" each (pure; tested).
QList<QByteArray> journalFields(const QByteArray &identifier, QtMsgType type, const char *category,
                                const QString &message, const Fields &extra, const char *file = nullptr,
                                int line = 0, const char *function = nullptr);
// An audit head anchor (AuditLog's head publisher): an entry with MESSAGE_ID=AuditHeadMessageId and the
// fields AUDIT_HEAD_ID, AUDIT_HEAD_HASH and AUDIT_DATABASE, sent to journald whatever the sink, so
// receiving-cli in a shell leaves its anchors there too. Without a journal it goes to stderr only in a
// process that install()ed. `journalctl MESSAGE_ID=eaa7a5e336b745f584e2e6cecd28b10a -n 1 -o verbose` shows
// the newest.
constexpr const char *AuditHeadMessageId = "eaa7a5e336b745f584e2e6cecd28b10a";
void auditHead(const QString &databasePath, qint64 headId, const QString &headHash);
// The extra fields of that entry (pure; tested).
Fields auditHeadFields(const QString &databasePath, qint64 headId, const QString &headHash);
// The stderr line of one entry (pure; tested).
QByteArray stderrLine(const QByteArray &identifier, QtMsgType type, const char *category,
                      const QString &message, const Fields &extra);
} // namespace JournalLog
