// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CasesModel.h"
#include "ExceptionsModel.h"
#include "JsonListModel.h"
#include "SyncEngine.h"

#include <QObject>
#include <QPointer>
#include <QThread>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class StationController;
class SupervisorWorker;

// The supervisor pages' face towards QML (singleton "Supervisor"): exception queue, cases, sync and settings.
// Every request goes to the SupervisorWorker thread and comes back as a model or property; the acting
// operator is always the one signed in at the station (taken from StationController, never from QML), and the
// supervisor role is checked in C++ by SupervisorService on every action.
class SupervisorController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use the Supervisor singleton")
    Q_PROPERTY(bool ready READ isReady NOTIFY readyChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(bool messageIsError READ messageIsError NOTIFY messageChanged)

    Q_PROPERTY(ExceptionsModel *exceptions READ exceptions CONSTANT)
    Q_PROPERTY(QStringList exceptionKinds READ exceptionKinds CONSTANT)
    Q_PROPERTY(QString exceptionKind READ exceptionKind WRITE setExceptionKind NOTIFY exceptionFilterChanged)
    Q_PROPERTY(int minAgeHours READ minAgeHours WRITE setMinAgeHours NOTIFY exceptionFilterChanged)
    // Only the exceptions a case now expects ("now_expected" set: case and line).
    Q_PROPERTY(
        bool nowExpectedOnly READ nowExpectedOnly WRITE setNowExpectedOnly NOTIFY exceptionFilterChanged)
    Q_PROPERTY(QVariantMap exceptionDetail READ exceptionDetail NOTIFY exceptionDetailChanged)
    Q_PROPERTY(QStringList resolutions READ resolutions CONSTANT)

    Q_PROPERTY(CasesModel *cases READ cases CONSTANT)
    Q_PROPERTY(QString searchedText READ searchedText NOTIFY casesSearched)
    Q_PROPERTY(CasesModel *dueSoon READ dueSoon CONSTANT)
    Q_PROPERTY(JsonListModel *openBoxes READ openBoxes CONSTANT)
    Q_PROPERTY(QVariantMap caseDetail READ caseDetail NOTIFY caseDetailChanged)

    Q_PROPERTY(QVariantMap outboxCounts READ outboxCounts NOTIFY outboxChanged)
    Q_PROPERTY(JsonListModel *deadLetters READ deadLetters CONSTANT)
    Q_PROPERTY(QVariantMap sync READ sync NOTIFY syncChanged)

    // One map per setting a supervisor may change (StationSettings::depotKeys()): key, value (stored text),
    // set, numeric, minimum, maximum, unit, choices, defaultValue, fallback (the configuration key used while
    // unset) and applies ("now" | "sign_in" | "start").
    Q_PROPERTY(QVariantList settings READ settings NOTIFY settingsChanged)
    Q_PROPERTY(int soundVolume READ soundVolume NOTIFY soundVolumeChanged)
    Q_PROPERTY(int idleMinutes READ idleMinutes NOTIFY idleMinutesChanged)

    // The Import a Trade-In Form page: the form files a supervisor may pick (FormFiles: removable media and
    // forms.directory; roles path, fileName, folder, source, removable, size, modified), the folders looked
    // in ({label, path, removable}), and the chosen file's preview (SupervisorService::importForm's dry
    // run), its refusal sentence, or what applying it did.
    Q_PROPERTY(JsonListModel *formFiles READ formFiles CONSTANT)
    Q_PROPERTY(QVariantList formFolders READ formFolders NOTIFY formFilesChanged)
    Q_PROPERTY(bool formFilesListed READ formFilesListed NOTIFY formFilesChanged)
    Q_PROPERTY(QString formsDirectory READ formsDirectory CONSTANT)
    Q_PROPERTY(QString formFile READ formFile NOTIFY formChanged)
    Q_PROPERTY(QVariantMap formPreview READ formPreview NOTIFY formChanged)
    Q_PROPERTY(QString formProblem READ formProblem NOTIFY formChanged)
    Q_PROPERTY(QVariantMap formResult READ formResult NOTIFY formChanged)

    // The Reports page: the period counted last ({from, to, stations: [{station, received, late, damaged,
    // exceptions_opened, exceptions_resolved}], total: {...}}; empty before the first count) and the folder
    // exports and certificates go to (report.directory; empty: none set).
    Q_PROPERTY(QVariantMap reportCounts READ reportCounts NOTIFY reportCountsChanged)
    Q_PROPERTY(QString reportDirectory READ reportDirectory CONSTANT)
public:
    SupervisorController(SupervisorWorker *worker, QObject *parent = nullptr);
    ~SupervisorController() override;

    // The station whose signed-in operator acts; the pages are cleared when that operator signs out.
    void setStation(StationController *station);
    void setSyncStatus(const SyncStatus &status);
    // forms.directory (StationConfig): the folder the Import a Trade-In Form page lists beside removable
    // media.
    void setFormsDirectory(const QString &directory) { m_formsDirectory = directory; }
    // report.directory (StationConfig), before start().
    void setReportDirectory(const QString &directory) { m_reportDirectory = directory; }
    void start();

    bool isReady() const { return m_ready; }
    bool isBusy() const { return m_pending > 0; }
    QString message() const { return m_message; }
    bool messageIsError() const { return m_messageIsError; }
    ExceptionsModel *exceptions() { return &m_exceptions; }
    static QStringList exceptionKinds() { return ExceptionsModel::kinds(); }
    QString exceptionKind() const { return m_kind; }
    void setExceptionKind(const QString &kind);
    int minAgeHours() const { return m_minAgeHours; }
    void setMinAgeHours(int hours);
    bool nowExpectedOnly() const { return m_nowExpectedOnly; }
    void setNowExpectedOnly(bool only);
    QVariantMap exceptionDetail() const { return m_exceptionDetail; }
    static QStringList resolutions();
    CasesModel *cases() { return &m_cases; }
    QString searchedText() const { return m_searchedText; }
    CasesModel *dueSoon() { return &m_dueSoon; }
    JsonListModel *openBoxes() { return &m_openBoxes; }
    QVariantMap caseDetail() const { return m_caseDetail; }
    QVariantMap outboxCounts() const { return m_outboxCounts; }
    JsonListModel *deadLetters() { return &m_deadLetters; }
    QVariantMap sync() const { return m_sync; }
    QVariantList settings() const { return m_settings; }
    int soundVolume() const { return m_soundVolume; }
    int idleMinutes() const { return m_idleMinutes; }
    JsonListModel *formFiles() { return &m_formFiles; }
    QVariantList formFolders() const { return m_formFolders; }
    bool formFilesListed() const { return m_formFilesListed; }
    QString formsDirectory() const { return m_formsDirectory; }
    QString formFile() const { return m_formFile; }
    QVariantMap formPreview() const { return m_formPreview; }
    QString formProblem() const { return m_formProblem; }
    QVariantMap formResult() const { return m_formResult; }
    QVariantMap reportCounts() const { return m_reportCounts; }
    QString reportDirectory() const { return m_reportDirectory; }

    Q_INVOKABLE void refreshExceptions();
    Q_INVOKABLE void openException(qint64 id);
    Q_INVOKABLE void resolveException(qint64 id, const QString &resolution, const QString &note,
                                      const QString &caseNumber = {});
    Q_INVOKABLE void searchCases(const QString &text);
    Q_INVOKABLE void refreshCaseOverview();
    Q_INVOKABLE void openCase(const QString &caseNumber);
    Q_INVOKABLE void approvePartialClosure(const QString &caseNumber, const QString &note);
    Q_INVOKABLE void refreshSync();
    Q_INVOKABLE void retryDeadLetter(qint64 id);
    Q_INVOKABLE void refreshSettings();
    Q_INVOKABLE void setSetting(const QString &key, const QString &value);
    Q_INVOKABLE void clearMessage();
    // Receives the unit of an exception marked "now expected: case C, line N" on that line, in one tap.
    Q_INVOKABLE void assignNowExpected(qint64 id);
    Q_INVOKABLE void refreshFormFiles();
    // Reads and previews the form file in row `row` of formFiles (never a path from QML).
    Q_INVOKABLE void previewForm(int row);
    // Applies the form previewed last, all or nothing.
    Q_INVOKABLE void applyForm();
    Q_INVOKABLE void clearForm();
    // The Reports page. Dates as YYYY-MM-DD, `from` not after `to`; a bad period is refused with a sentence.
    Q_INVOKABLE void countReports(const QString &from, const QString &to);
    Q_INVOKABLE void exportReports(const QString &from, const QString &to);
    // today | yesterday | last_7_days | this_month | last_month, in the station's time zone.
    Q_INVOKABLE void countReportPeriod(const QString &preset);
    // The case detail's Certificate: a certificate of receipt into report.directory.
    Q_INVOKABLE void issueCertificate(const QString &caseNumber);

Q_SIGNALS:
    void readyChanged();
    void busyChanged();
    void messageChanged();
    void exceptionFilterChanged();
    void exceptionDetailChanged();
    void exceptionResolved(qint64 id);
    void casesSearched();
    void caseDetailChanged();
    void partialClosureApproved(const QString &caseNumber);
    void outboxChanged();
    void syncChanged();
    void settingsChanged();
    void soundVolumeChanged(int volume);  // 0-100, applied to the verdict sounds at once
    void idleMinutesChanged(int minutes); // applied to the auto sign-out at once
    void formFilesChanged();
    void formChanged();
    void formApplied(const QString &caseNumber);
    void reportCountsChanged();
    void reportsExported(const QStringList &files);
    void certificateIssued(const QString &caseNumber, const QString &path);
    void syncRequested(); // a dead letter goes again: the sync worker should not wait
    // A request failed: `action` as SupervisorWorker::failed, `kind` denied | not_found | invalid | conflict
    // | database.
    void requestFailed(const QString &action, const QString &kind, const QString &message);

private:
    // False (and refused with a message) unless the signed-in supervisor's PIN is fresh.
    template <typename Method, typename... Args> bool call(Method method, Args &&...args);
    QString actor() const;
    void done();
    void say(const QString &message, bool error);
    void onSessionChanged();
    void onSettings(const QJsonObject &values, const QStringList &keys);
    bool period(const QString &from, const QString &to, QDate *start, QDate *end);

    QThread m_thread;
    SupervisorWorker *m_worker;
    QPointer<StationController> m_station;
    bool m_ready = false;
    int m_pending = 0;
    QString m_message;
    bool m_messageIsError = false;
    ExceptionsModel m_exceptions;
    QString m_kind;
    int m_minAgeHours = 0;
    QVariantMap m_exceptionDetail;
    CasesModel m_cases;
    QString m_searchedText;
    CasesModel m_dueSoon;
    JsonListModel m_openBoxes;
    QVariantMap m_caseDetail;
    QVariantMap m_outboxCounts;
    JsonListModel m_deadLetters;
    QVariantMap m_sync;
    QVariantList m_settings;
    int m_soundVolume = -1; // unknown until the settings are read
    int m_idleMinutes = -1;
    QString m_lastOperator;
    bool m_nowExpectedOnly = false;
    QString m_formsDirectory;
    JsonListModel m_formFiles;
    QVariantList m_formFolders;
    bool m_formFilesListed = false;
    QString m_formFile;
    QVariantMap m_formPreview;
    QVariantMap m_reportCounts;
    QString m_reportDirectory;
    QString m_formProblem;
    QVariantMap m_formResult;
};
