// SPDX-License-Identifier: GPL-3.0-or-later
#include "SupervisorController.h"
#include "StationController.h"
#include "StationSettings.h"
#include "SupervisorService.h"
#include "SupervisorWorker.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcUi)

SupervisorController::SupervisorController(SupervisorWorker *worker, QObject *parent)
    : QObject(parent), m_worker(worker),
      m_openBoxes({QStringLiteral("station_id"), QStringLiteral("label"), QStringLiteral("case_number"),
                   QStringLiteral("customer"), QStringLiteral("operator_id"), QStringLiteral("opened_at"),
                   QStringLiteral("last_scan_at"), QStringLiteral("units"), QStringLiteral("held_events")}),
      m_deadLetters({QStringLiteral("event_id"), QStringLiteral("kind"), QStringLiteral("case_number"),
                     QStringLiteral("attempts"), QStringLiteral("last_error")}),
      m_formFiles({QStringLiteral("path"), QStringLiteral("file_name"), QStringLiteral("folder"),
                   QStringLiteral("source"), QStringLiteral("removable"), QStringLiteral("size"),
                   QStringLiteral("modified")})
{
    m_thread.setObjectName(QStringLiteral("rs-supervisor"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    connect(m_worker, &SupervisorWorker::opened, this, [this](bool ok, const QString &error) {
        m_ready = ok;
        if (!ok) {
            say(error, true);
            done(); // no settings will follow
        }
        Q_EMIT readyChanged();
    });
    connect(m_worker, &SupervisorWorker::exceptionsReady, this, [this](const QJsonArray &rows) {
        m_exceptions.setRows(rows);
        done();
    });
    connect(m_worker, &SupervisorWorker::exceptionDetailReady, this, [this](const QJsonObject &detail) {
        m_exceptionDetail = detail.toVariantMap();
        Q_EMIT exceptionDetailChanged();
        done();
    });
    connect(m_worker, &SupervisorWorker::exceptionResolved, this, [this](qint64 id, const QString &) {
        say(tr("Exception %1 resolved.").arg(id), false);
        Q_EMIT exceptionResolved(id);
        done();
        refreshExceptions();
    });
    connect(m_worker, &SupervisorWorker::casesFound, this,
            [this](const QString &text, const QJsonArray &rows) {
                m_searchedText = text;
                m_cases.setRows(rows);
                Q_EMIT casesSearched();
                done();
            });
    connect(m_worker, &SupervisorWorker::caseOverviewReady, this,
            [this](const QJsonArray &due, const QJsonArray &boxes) {
                QSet<QString> numbers;
                for (const QJsonValue &v : due)
                    numbers.insert(v.toObject().value(QLatin1String("case_number")).toString());
                m_dueSoon.setDueSoon(numbers);
                m_dueSoon.setRows(due);
                m_cases.setDueSoon(numbers);
                m_openBoxes.setRows(boxes);
                done();
            });
    connect(m_worker, &SupervisorWorker::caseDetailReady, this, [this](const QJsonObject &detail) {
        m_caseDetail = detail.toVariantMap();
        Q_EMIT caseDetailChanged();
        done();
    });
    connect(m_worker, &SupervisorWorker::partialClosureApproved, this, [this](const QString &caseNumber) {
        say(tr("Case %1 closed as partial.").arg(caseNumber), false);
        Q_EMIT partialClosureApproved(caseNumber);
        done();
        openCase(caseNumber);
        refreshCaseOverview();
    });
    connect(m_worker, &SupervisorWorker::outboxReady, this,
            [this](const QJsonObject &counts, const QJsonArray &dead) {
                m_outboxCounts = counts.toVariantMap();
                m_deadLetters.setRows(dead);
                Q_EMIT outboxChanged();
                done();
            });
    connect(m_worker, &SupervisorWorker::deadLetterRetried, this, [this](qint64 id) {
        say(tr("Event %1 will be sent again.").arg(id), false);
        Q_EMIT syncRequested();
        done();
    });
    connect(m_worker, &SupervisorWorker::settingsReady, this, &SupervisorController::onSettings);
    connect(m_worker, &SupervisorWorker::settingSaved, this, [this](const QString &key, const QString &) {
        say(tr("Setting %1 saved.").arg(key), false);
        done();
    });
    connect(m_worker, &SupervisorWorker::nowExpectedAssigned, this, [this](const QJsonObject &r) {
        const qint64 id = r.value(QLatin1String("exception_id")).toInteger();
        const QString caseNumber = r.value(QLatin1String("case_number")).toString();
        const qint64 line = r.value(QLatin1String("line")).toInteger();
        say(r.value(QLatin1String("case_complete")).toBool()
                ? tr("Exception %1 resolved: the unit is received on case %2, line %3. Case %2 is complete.")
                      .arg(id)
                      .arg(caseNumber)
                      .arg(line)
                : tr("Exception %1 resolved: the unit is received on case %2, line %3.")
                      .arg(id)
                      .arg(caseNumber)
                      .arg(line),
            false);
        Q_EMIT exceptionResolved(id);
        done();
        refreshExceptions();
    });
    connect(m_worker, &SupervisorWorker::formFilesReady, this,
            [this](const QJsonArray &files, const QJsonArray &roots) {
                m_formFiles.setRows(files);
                m_formFolders = roots.toVariantList();
                m_formFilesListed = true;
                Q_EMIT formFilesChanged();
                done();
            });
    connect(m_worker, &SupervisorWorker::formPreviewReady, this, [this](const QJsonObject &preview) {
        m_formPreview = preview.toVariantMap();
        m_formProblem.clear();
        m_formResult.clear();
        Q_EMIT formChanged();
        done();
    });
    connect(m_worker, &SupervisorWorker::formImported, this, [this](const QJsonObject &result) {
        const QString caseNumber = result.value(QLatin1String("case_number")).toString();
        m_formResult = result.toVariantMap();
        m_formPreview.clear();
        m_formProblem.clear();
        Q_EMIT formChanged();
        say(tr("Trade-In Form %1 imported: case %2 now has %3 lines.")
                .arg(result.value(QLatin1String("file_name")).toString(), caseNumber)
                .arg(result.value(QLatin1String("lines_after")).toInteger()),
            false);
        Q_EMIT formApplied(caseNumber);
        done();
    });
    connect(m_worker, &SupervisorWorker::reportCountsReady, this, [this](const QJsonObject &counts) {
        m_reportCounts = counts.toVariantMap();
        Q_EMIT reportCountsChanged();
        done();
    });
    connect(m_worker, &SupervisorWorker::reportsExported, this,
            [this](const QString &directory, const QStringList &files) {
                say(tr("%n report file(s) written to %1.", nullptr, int(files.size())).arg(directory), false);
                Q_EMIT reportsExported(files);
                done();
            });
    connect(m_worker, &SupervisorWorker::certificateIssued, this,
            [this](const QString &caseNumber, const QString &path) {
                say(tr("Certificate of receipt of case %1 written to %2.").arg(caseNumber, path), false);
                Q_EMIT certificateIssued(caseNumber, path);
                done();
            });
    connect(m_worker, &SupervisorWorker::failed, this,
            [this](const QString &action, const QString &kind, const QString &message) {
                qCInfo(lcUi) << "supervisor" << action << "refused:" << kind << message;
                if (action.startsWith(QLatin1String("form_"))) {
                    // The form's one sentence (sheet, row, column) stays beside the file it is about.
                    m_formProblem = message;
                    m_formPreview.clear();
                    m_formResult.clear();
                    Q_EMIT formChanged();
                } else {
                    say(message, true);
                }
                Q_EMIT requestFailed(action, kind, message);
                done();
            });
}

SupervisorController::~SupervisorController()
{
    m_thread.quit();
    m_thread.wait();
}

void SupervisorController::start()
{
    m_thread.start();
    ++m_pending; // open() answers with the settings, so the saved volume and idle time apply at once
    Q_EMIT busyChanged();
    QMetaObject::invokeMethod(m_worker, &SupervisorWorker::open, Qt::QueuedConnection);
}

void SupervisorController::setStation(StationController *station)
{
    m_station = station;
    connect(station, &StationController::sessionChanged, this, &SupervisorController::onSessionChanged);
    m_lastOperator = station->operatorId();
}

void SupervisorController::setSyncStatus(const SyncStatus &st)
{
    m_sync = {{QStringLiteral("configured"), st.configured},
              {QStringLiteral("online"), st.online},
              {QStringLiteral("credentialProblem"), st.credentialProblem},
              {QStringLiteral("lastError"), st.lastError},
              {QStringLiteral("lastSuccess"),
               st.lastSuccess.isValid()
                   ? st.lastSuccess.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                   : QString()},
              {QStringLiteral("lastPull"),
               st.lastPull.isValid() ? st.lastPull.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                     : QString()},
              {QStringLiteral("held"), st.held},
              {QStringLiteral("pending"), st.pending},
              {QStringLiteral("dead"), st.dead},
              {QStringLiteral("delivered"), st.delivered},
              {QStringLiteral("reportsConfigured"), st.reportsConfigured},
              {QStringLiteral("reportError"), st.reportError},
              {QStringLiteral("lastDailyExportDay"), st.lastDailyExportDay.toString(Qt::ISODate)},
              {QStringLiteral("certificatesPending"), st.certificatesPending}};
    Q_EMIT syncChanged();
}

QString SupervisorController::actor() const
{
    return m_station && m_station->isSupervisor() ? m_station->operatorId() : QString();
}

template <typename Method, typename... Args> bool SupervisorController::call(Method method, Args &&...args)
{
    // Supervisor work needs the signed-in supervisor's fresh PIN, whatever the page shows; each request
    // keeps the PIN fresh.
    if (!m_station || m_station->supervisorActor().isEmpty()) {
        const QString why = tr("Enter your supervisor PIN first.");
        say(why, true);
        Q_EMIT requestFailed(QStringLiteral("supervisor"), QStringLiteral("denied"), why);
        return false;
    }
    ++m_pending;
    if (m_pending == 1)
        Q_EMIT busyChanged();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, method, args...] { (w->*method)(args...); }, Qt::QueuedConnection);
    return true;
}

void SupervisorController::done()
{
    if (m_pending == 0)
        return;
    --m_pending;
    if (m_pending == 0)
        Q_EMIT busyChanged();
}

void SupervisorController::say(const QString &message, bool error)
{
    m_message = message;
    m_messageIsError = error;
    Q_EMIT messageChanged();
}

void SupervisorController::clearMessage()
{
    say(QString(), false);
}

void SupervisorController::onSessionChanged()
{
    const QString op = actor();
    if (op == m_lastOperator)
        return;
    m_lastOperator = op;
    // Nothing a supervisor looked at stays on screen for the next person.
    m_exceptions.setRows({});
    m_cases.setRows({});
    m_searchedText.clear();
    m_exceptionDetail.clear();
    m_caseDetail.clear();
    m_formFiles.setRows({});
    m_formFolders.clear();
    m_formFilesListed = false;
    m_formFile.clear();
    m_formPreview.clear();
    m_formProblem.clear();
    m_formResult.clear();
    m_reportCounts.clear();
    Q_EMIT reportCountsChanged();
    Q_EMIT formFilesChanged();
    Q_EMIT formChanged();
    Q_EMIT casesSearched();
    Q_EMIT exceptionDetailChanged();
    Q_EMIT caseDetailChanged();
    clearMessage();
}

void SupervisorController::setExceptionKind(const QString &kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    Q_EMIT exceptionFilterChanged();
    refreshExceptions();
}

void SupervisorController::setMinAgeHours(int hours)
{
    hours = std::max(0, hours);
    if (hours == m_minAgeHours)
        return;
    m_minAgeHours = hours;
    Q_EMIT exceptionFilterChanged();
    refreshExceptions();
}

QStringList SupervisorController::resolutions()
{
    return SupervisorService::resolutions();
}

void SupervisorController::refreshExceptions()
{
    call(&SupervisorWorker::loadExceptions, m_kind, m_minAgeHours, false, m_nowExpectedOnly);
}

void SupervisorController::setNowExpectedOnly(bool only)
{
    if (only == m_nowExpectedOnly)
        return;
    m_nowExpectedOnly = only;
    Q_EMIT exceptionFilterChanged();
    refreshExceptions();
}

void SupervisorController::assignNowExpected(qint64 id)
{
    call(&SupervisorWorker::assignNowExpected, id, actor());
}

void SupervisorController::refreshFormFiles()
{
    call(&SupervisorWorker::listFormFiles, m_formsDirectory);
}

void SupervisorController::previewForm(int row)
{
    const QJsonObject file = m_formFiles.row(row);
    if (file.isEmpty())
        return;
    m_formFile = file.value(QLatin1String("file_name")).toString();
    m_formPreview.clear();
    m_formProblem.clear();
    m_formResult.clear();
    Q_EMIT formChanged();
    call(&SupervisorWorker::previewForm, file.value(QLatin1String("path")).toString(), m_formsDirectory,
         actor());
}

void SupervisorController::applyForm()
{
    const QString sha256 = m_formPreview.value(QStringLiteral("sha256")).toString();
    if (sha256.isEmpty())
        return;
    call(&SupervisorWorker::applyForm, sha256, actor());
}

void SupervisorController::clearForm()
{
    m_formFile.clear();
    m_formPreview.clear();
    m_formProblem.clear();
    m_formResult.clear();
    Q_EMIT formChanged();
}

void SupervisorController::openException(qint64 id)
{
    m_exceptionDetail.clear();
    Q_EMIT exceptionDetailChanged();
    call(&SupervisorWorker::loadExceptionDetail, id);
}

void SupervisorController::resolveException(qint64 id, const QString &resolution, const QString &note,
                                            const QString &caseNumber)
{
    call(&SupervisorWorker::resolveException, id, resolution, note, actor(), caseNumber);
}

void SupervisorController::searchCases(const QString &text)
{
    call(&SupervisorWorker::searchCases, text.trimmed());
}

void SupervisorController::refreshCaseOverview()
{
    call(&SupervisorWorker::loadCaseOverview);
}

void SupervisorController::openCase(const QString &caseNumber)
{
    if (m_caseDetail.value(QStringLiteral("case_number")).toString() != caseNumber) {
        m_caseDetail.clear();
        Q_EMIT caseDetailChanged();
    }
    call(&SupervisorWorker::loadCaseDetail, caseNumber);
}

void SupervisorController::approvePartialClosure(const QString &caseNumber, const QString &note)
{
    call(&SupervisorWorker::approvePartialClosure, caseNumber, note, actor());
}

void SupervisorController::refreshSync()
{
    call(&SupervisorWorker::loadOutbox);
}

void SupervisorController::retryDeadLetter(qint64 id)
{
    if (call(&SupervisorWorker::retryDeadLetter, id, actor()))
        ++m_pending; // answered twice: the retry, then the outbox as it is now
}

void SupervisorController::refreshSettings()
{
    call(&SupervisorWorker::loadSettings);
}

void SupervisorController::setSetting(const QString &key, const QString &value)
{
    if (call(&SupervisorWorker::setSetting, key, value, actor()))
        ++m_pending; // answered twice: saved or refused, then the settings as they are now
}

void SupervisorController::onSettings(const QJsonObject &values, const QStringList &keys)
{
    // Each row carries its key's range and when it applies, from StationSettings, so the page's editor and
    // the service that checks the value cannot disagree.
    const auto applies = [](StationSettings::Applies a) {
        switch (a) {
        case StationSettings::Applies::AtOnce:
            return QStringLiteral("now");
        case StationSettings::Applies::NextSignIn:
            return QStringLiteral("sign_in");
        case StationSettings::Applies::AtStart:
            break;
        }
        return QStringLiteral("start");
    };
    QVariantList list;
    QHash<QString, QString> rows;
    for (const QString &key : keys) {
        const StationSettings::Key *k = StationSettings::find(key);
        if (!k)
            continue;
        const QJsonValue v = values.value(key);
        if (v.isString())
            rows.insert(key, v.toString());
        list.append(QVariantMap{{QStringLiteral("key"), key},
                                {QStringLiteral("value"), v.isString() ? v.toString() : QString()},
                                {QStringLiteral("set"), v.isString()},
                                {QStringLiteral("numeric"), k->type == StationSettings::Type::Integer},
                                {QStringLiteral("minimum"), k->minimum},
                                {QStringLiteral("maximum"), k->maximum},
                                {QStringLiteral("unit"), k->unit},
                                {QStringLiteral("choices"), k->choices},
                                {QStringLiteral("defaultValue"), k->defaultValue},
                                {QStringLiteral("fallback"), k->fallback},
                                {QStringLiteral("applies"), applies(k->applies)}});
    }
    m_settings = list;
    Q_EMIT settingsChanged();

    const StationSettings typed(rows);
    for (const QString &problem : typed.problems())
        qCWarning(lcUi).noquote() << "settings table:" << problem;
    if (const std::optional<int> volume = typed.volume(); volume && *volume != m_soundVolume) {
        m_soundVolume = *volume;
        Q_EMIT soundVolumeChanged(*volume);
    }
    if (const std::optional<int> idle = typed.idleMinutes(); idle && *idle != m_idleMinutes) {
        m_idleMinutes = *idle;
        Q_EMIT idleMinutesChanged(*idle);
    }
    done();
}

bool SupervisorController::period(const QString &from, const QString &to, QDate *start, QDate *end)
{
    *start = QDate::fromString(from.trimmed(), Qt::ISODate);
    *end = QDate::fromString(to.trimmed(), Qt::ISODate);
    QString why;
    if (!start->isValid())
        why = tr("The first day %1 is no date: write it as YYYY-MM-DD.").arg(from.trimmed().left(40));
    else if (!end->isValid())
        why = tr("The last day %1 is no date: write it as YYYY-MM-DD.").arg(to.trimmed().left(40));
    else if (*start > *end)
        why = tr("The first day comes after the last day.");
    else if (start->daysTo(*end) > 366)
        why = tr("A period is at most one year.");
    if (why.isEmpty())
        return true;
    say(why, true);
    Q_EMIT requestFailed(QStringLiteral("report_period"), QStringLiteral("invalid"), why);
    return false;
}

void SupervisorController::countReports(const QString &from, const QString &to)
{
    QDate start, end;
    if (period(from, to, &start, &end))
        call(&SupervisorWorker::loadReportCounts, start, end, actor());
}

void SupervisorController::exportReports(const QString &from, const QString &to)
{
    QDate start, end;
    if (period(from, to, &start, &end))
        call(&SupervisorWorker::exportReports, start, end, actor());
}

void SupervisorController::countReportPeriod(const QString &preset)
{
    call(&SupervisorWorker::loadReportPreset, preset, actor());
}

void SupervisorController::issueCertificate(const QString &caseNumber)
{
    call(&SupervisorWorker::issueCertificate, caseNumber, actor());
}
