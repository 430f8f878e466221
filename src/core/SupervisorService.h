// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CaseRecord.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <optional>
#include <stdexcept>

class Clock;
class Database;

// A Trade-In Form as read from its file (rs_forms' TradeInForm), with the file's identity: what
// SupervisorService::importForm loads into a case. Where each value stood (sheet, row, column) is kept so a
// refusal can name the cell.
struct TradeInFormImport
{
    struct Line
    {
        int line = 0;
        QString sku;
        QString description;
        QString serial; // empty: serial-less
        int quantity = 1;
        QString sheet;
        int row = 0;
        QString serialColumn; // e.g. "D"
    };
    QString caseNumber;
    QString caseCell; // where the case number was read, e.g. "cell C4"; empty when given by --case
    QString sheetName;
    QString fileName;
    QString sha256; // hex
    QList<Line> lines;
};

// Why a supervisor (or unit-condition) action was refused, with a sentence a person understands.
struct SupervisorError : std::runtime_error
{
    enum Kind { Denied, NotFound, Invalid, Conflict } kind;
    SupervisorError(Kind k, const QString &message);
    QString message() const { return QString::fromUtf8(what()); }
};

// What a supervisor does at the kiosk or with receiving-cli: clears the exception queue, searches cases,
// approves partial closures, reviews open boxes and edits the station's settings. Every mutating call checks
// in C++ that the acting operator is a supervisor, writes the audit log and commits in one transaction with
// its outbox event. One per thread/connection, like ReceivingService; not a QObject. Refusals throw
// SupervisorError and change nothing; a storage failure throws DbException and rolls back.
class SupervisorService
{
public:
    SupervisorService(Database &db, const Clock &clock);
    // The station the actions are taken at (audit log, closure payloads); default: the host name.
    void setStationId(const QString &stationId);
    // The station's time zone decides "today" for due dates and lateness; default America/Chicago.
    void setTimeZone(const QTimeZone &timeZone);

    struct ExceptionFilter
    {
        QString kind;        // empty: every kind
        int minAgeHours = 0; // only exceptions at least this old
        bool includeClosed = false;
        bool nowExpected = false; // only those a case now expects
    };
    // Newest first; fields as ExceptionQueue::list plus "age_hours" and "case_id".
    QJsonArray exceptions(const ExceptionFilter &f);
    // {"exception":{...},"serial_history":[scans],"box_history":[scans]}; throws NotFound.
    QJsonObject exceptionDetail(qint64 id);
    // resolution: assign_to_case | confirm_cross_case | not_tmip | return_to_sender. assign_to_case needs
    // `caseNumber` (an open trade-in case with an open line for the unit: its serial, else its SKU, else
    // `sku`) and queues a receipt to it (held while the unit's box is open), plus the case's closure when
    // that receipt completes it. Returns nothing; throws SupervisorError.
    void resolveException(qint64 id, const QString &resolution, const QString &note,
                          const QString &supervisorId, const QString &caseNumber = {},
                          const QString &sku = {});
    static QStringList resolutions();
    // One tap on an exception marked "now expected: case C, line N": the unit is received on that line
    // (assign_to_case with the case and line the mark names), and every open exception of that unit is
    // resolved. Returns {"exception_id","case_number","line","receipt_id","case_complete"}.
    QJsonObject assignNowExpected(qint64 exceptionId, const QString &supervisorId);

    // Loads a Trade-In Form's lines into its (stored, open, trade-in) case through CaseChanges, then marks
    // the exceptions the case now expects; keeps the form (case_forms: file, SHA-256, lines, who, when).
    // All or nothing: a bad line throws SupervisorError naming the sheet, row and column, and nothing
    // changes. `dryRun` does the same in a transaction that is rolled back, so the preview is what applying
    // does. Returns {"case_number","file_name","sha256","dry_run","lines_before","lines_after",
    // "lines_added","lines_changed","lines_removed","receipts_moved","receipts_orphaned","now_expected"}.
    QJsonObject importForm(const TradeInFormImport &form, bool dryRun, const QString &supervisorId);

    // Case number, serial, tracking number or customer (name or account); open cases first.
    QJsonArray searchCases(const QString &text, int limit = 50);
    // {"case_number",...,"lines":[{"line","sku","serial","quantity","received","status"}],"receipts":[...]}
    QJsonObject caseDetail(const QString &caseNumber);
    // Queues closure "partial" (received serials, missing lines) and closes the case; open cases only.
    void approvePartialClosure(const QString &caseNumber, const QString &note, const QString &supervisorId);
    // Open cases due within `days` (or already late) with nothing received, soonest first.
    QJsonArray casesDueSoon(int days = 14);
    // Per station:
    // {"station_id","box_id","label","case_number","operator_id","opened_at","last_scan_at","units"}.
    QJsonArray openBoxes();

    // {"idle_minutes": "15", "volume": null, ...}: every key of knownSettings(), as stored text or null.
    QJsonObject settings();
    // Parsed by StationSettings::parseDepot (its ranges; the station id and scanners are refused, as they
    // belong to each station's configuration), stored in canonical form and audited.
    void setSetting(const QString &key, const QString &value, const QString &supervisorId);
    // The settings table's keys (StationSettings::depotKeys()), in the Settings page's order.
    static QStringList knownSettings();

    bool isSupervisor(const QString &operatorId);

private:
    struct Unit;
    void assignToCase(const Unit &unit, const QString &caseNumber, const QString &sku, QJsonObject &details);
    CaseRecord formRecord(const TradeInFormImport &form, qint64 *caseId);
    void requireSupervisor(const QString &operatorId);
    void audit(const QString &actor, const QString &action, const QString &subject,
               const QJsonObject &details);
    QString now() const;

    Database &m_db;
    const Clock &m_clock;
    QString m_stationId;
    QTimeZone m_timeZone;
    QString m_now; // timestamp of the action being taken
};
