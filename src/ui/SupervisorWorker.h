// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTimeZone>

#include <memory>

class Clock;
class Database;
class SupervisorService;
struct TradeInFormImport;

// The supervisor pages' database work on its own thread ("rs-supervisor") with its own SQLite connection:
// every SupervisorService and OutboxStore call the kiosk makes runs here, taken by queued call and answered
// by signal. Refusals (not a supervisor, missing note, conflict) come back as `failed` with the service's
// sentence; the GUI thread never waits for any of it.
class SupervisorWorker : public QObject
{
    Q_OBJECT
public:
    SupervisorWorker(QString databasePath, QString stationId, QTimeZone timeZone, const Clock &clock);
    ~SupervisorWorker() override;
    // report.directory and report.paper, for the Reports page's export and the case's certificate; before
    // the thread starts.
    void setReportSettings(const QString &directory, const QString &paper);

public Q_SLOTS:
    void open();
    void loadExceptions(const QString &kind, int minAgeHours, bool includeClosed, bool nowExpected);
    void loadExceptionDetail(qint64 id);
    void resolveException(qint64 id, const QString &resolution, const QString &note,
                          const QString &supervisorId, const QString &caseNumber);
    void searchCases(const QString &text);
    void loadCaseOverview(); // due soon with nothing received, and the open boxes
    void loadCaseDetail(const QString &caseNumber);
    void approvePartialClosure(const QString &caseNumber, const QString &note, const QString &supervisorId);
    void loadOutbox();
    void retryDeadLetter(qint64 id, const QString &supervisorId);
    void loadSettings();
    void setSetting(const QString &key, const QString &value, const QString &supervisorId);
    // Issue #12: one tap on an exception a case now expects.
    void assignNowExpected(qint64 id, const QString &supervisorId);
    // The Import a Trade-In Form page: the form files on removable media and in forms.directory; a chosen
    // file read and previewed (the import rolled back), kept here; then that very form applied.
    void listFormFiles(const QString &formsDirectory);
    void previewForm(const QString &path, const QString &formsDirectory, const QString &supervisorId);
    void applyForm(const QString &sha256, const QString &supervisorId);
    // The Reports page: a period's counts per station (ReportCounts), and the period's summary and receipts
    // as xlsx and PDF into report.directory; the case detail's certificate of receipt into the same folder.
    void loadReportCounts(QDate from, QDate to, const QString &supervisorId);
    void loadReportPreset(const QString &preset, const QString &supervisorId); // ReportCounts::preset, today
    void exportReports(QDate from, QDate to, const QString &supervisorId);
    void issueCertificate(const QString &caseNumber, const QString &supervisorId);

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void exceptionsReady(const QJsonArray &exceptions);
    void exceptionDetailReady(const QJsonObject &detail);
    void exceptionResolved(qint64 id, const QString &resolution);
    void casesFound(const QString &text, const QJsonArray &cases);
    void caseOverviewReady(const QJsonArray &dueSoon, const QJsonArray &openBoxes);
    void caseDetailReady(const QJsonObject &detail);
    void partialClosureApproved(const QString &caseNumber);
    void outboxReady(const QJsonObject &counts, const QJsonArray &deadLetters);
    void deadLetterRetried(qint64 id);
    void settingsReady(const QJsonObject &values, const QStringList &keys);
    void settingSaved(const QString &key, const QString &value);
    void nowExpectedAssigned(const QJsonObject &result); // SupervisorService::assignNowExpected's answer
    // `roots`: {"path", "label", "removable"} of every folder looked in.
    void formFilesReady(const QJsonArray &files, const QJsonArray &roots);
    void formPreviewReady(const QJsonObject &preview); // SupervisorService::importForm's dry run
    void formImported(const QJsonObject &result);
    // {from, to, stations: [{station, received, late, damaged, exceptions_opened, exceptions_resolved}],
    // total}
    void reportCountsReady(const QJsonObject &counts);
    void reportsExported(const QString &directory, const QStringList &files);
    void certificateIssued(const QString &caseNumber, const QString &path);
    // `action` names the request that failed ("resolve", "settings", ...); `kind` is denied | not_found |
    // invalid | conflict | database.
    void failed(const QString &action, const QString &kind, const QString &message);

private:
    template <typename F> void run(const char *action, F &&work);
    QString m_path;
    QString m_station;
    QTimeZone m_timeZone;
    const Clock &m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SupervisorService> m_service;
    std::unique_ptr<TradeInFormImport> m_form; // the form last previewed, until applied or another is read
    QString m_reportDirectory;
    QString m_reportPaper = QStringLiteral("A4");
};
