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
// The stderr line of one entry (pure; tested).
QByteArray stderrLine(const QByteArray &identifier, QtMsgType type, const char *category,
                      const QString &message, const Fields &extra);
} // namespace JournalLog
