// SPDX-License-Identifier: GPL-3.0-or-later
#include "SupervisorWorker.h"
#include "CertificateOfReceipt.h"
#include "Clock.h"
#include "Database.h"
#include "FormFiles.h"
#include "OutboxStore.h"
#include "ReportCounts.h"
#include "ReportJobs.h"
#include "ReportQueries.h"
#include "ReportWriters.h"
#include "SupervisorService.h"

#include <QDir>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcUi)

namespace {
QString kindName(SupervisorError::Kind k)
{
    switch (k) {
    case SupervisorError::Denied:
        return QStringLiteral("denied");
    case SupervisorError::NotFound:
        return QStringLiteral("not_found");
    case SupervisorError::Invalid:
        return QStringLiteral("invalid");
    case SupervisorError::Conflict:
        return QStringLiteral("conflict");
    }
    return QStringLiteral("invalid");
}
} // namespace

SupervisorWorker::SupervisorWorker(QString databasePath, QString stationId, QTimeZone timeZone,
                                   const Clock &clock)
    : m_path(std::move(databasePath)), m_station(std::move(stationId)), m_timeZone(std::move(timeZone)),
      m_clock(clock)
{
}

SupervisorWorker::~SupervisorWorker() = default;

template <typename F> void SupervisorWorker::run(const char *action, F &&work)
{
    const QString name = QString::fromLatin1(action);
    if (!m_service) {
        Q_EMIT failed(name, QStringLiteral("database"), tr("The station's database is not open."));
        return;
    }
    try {
        work();
    } catch (const SupervisorError &e) {
        Q_EMIT failed(name, kindName(e.kind), e.message());
    } catch (const DbException &e) {
        qCWarning(lcUi) << "supervisor" << action << "failed:" << e.error().message;
        Q_EMIT failed(name, QStringLiteral("database"), e.error().message);
    }
}

void SupervisorWorker::open()
{
    try {
        m_db = std::make_unique<Database>();
        m_db->open(m_path);
        m_service = std::make_unique<SupervisorService>(*m_db, m_clock);
        m_service->setStationId(m_station);
        m_service->setTimeZone(m_timeZone);
        Q_EMIT opened(true, QString());
    } catch (const DbException &e) {
        m_service.reset();
        m_db.reset();
        qCCritical(lcUi) << "supervisor pages cannot open the database:" << e.error().message;
        Q_EMIT opened(false, e.error().message);
        return;
    }
    loadSettings(); // so the saved volume and idle time apply from the start
}

void SupervisorWorker::loadExceptions(const QString &kind, int minAgeHours, bool includeClosed,
                                      bool nowExpected)
{
    run("exceptions", [&] {
        SupervisorService::ExceptionFilter f;
        f.kind = kind;
        f.minAgeHours = minAgeHours;
        f.includeClosed = includeClosed;
        f.nowExpected = nowExpected;
        Q_EMIT exceptionsReady(m_service->exceptions(f));
    });
}

void SupervisorWorker::loadExceptionDetail(qint64 id)
{
    run("exception", [&] { Q_EMIT exceptionDetailReady(m_service->exceptionDetail(id)); });
}

void SupervisorWorker::resolveException(qint64 id, const QString &resolution, const QString &note,
                                        const QString &supervisorId, const QString &caseNumber)
{
    run("resolve", [&] {
        m_service->resolveException(id, resolution, note, supervisorId, caseNumber);
        Q_EMIT exceptionResolved(id, resolution);
    });
}

void SupervisorWorker::searchCases(const QString &text)
{
    run("search", [&] { Q_EMIT casesFound(text, m_service->searchCases(text)); });
}

void SupervisorWorker::loadCaseOverview()
{
    run("overview", [&] {
        const QJsonArray due = m_service->casesDueSoon(14);
        Q_EMIT caseOverviewReady(due, m_service->openBoxes());
    });
}

void SupervisorWorker::loadCaseDetail(const QString &caseNumber)
{
    run("case", [&] { Q_EMIT caseDetailReady(m_service->caseDetail(caseNumber)); });
}

void SupervisorWorker::approvePartialClosure(const QString &caseNumber, const QString &note,
                                             const QString &supervisorId)
{
    run("partial", [&] {
        m_service->approvePartialClosure(caseNumber, note, supervisorId);
        Q_EMIT partialClosureApproved(caseNumber);
    });
}

void SupervisorWorker::loadOutbox()
{
    run("outbox", [&] {
        OutboxStore outbox(*m_db);
        QJsonObject counts;
        const QHash<QString, qint64> byState = outbox.countsByState();
        for (auto it = byState.cbegin(); it != byState.cend(); ++it)
            counts.insert(it.key(), it.value());
        QList<QString> errors;
        const QList<OutboxStore::Event> dead = outbox.deadLetters(&errors);
        QJsonArray deadLetters;
        for (qsizetype i = 0; i < dead.size(); ++i)
            deadLetters.append(QJsonObject{{QStringLiteral("event_id"), dead[i].id},
                                           {QStringLiteral("kind"), dead[i].kind},
                                           {QStringLiteral("case_number"), dead[i].caseNumber},
                                           {QStringLiteral("attempts"), dead[i].attempts},
                                           {QStringLiteral("last_error"), errors.value(i)}});
        Q_EMIT outboxReady(counts, deadLetters);
    });
}

void SupervisorWorker::retryDeadLetter(qint64 id, const QString &supervisorId)
{
    // The same rule as `receiving-cli outbox retry`: supervisors only, dead letters only.
    run("retry", [&] {
        if (supervisorId.isEmpty() || !m_service->isSupervisor(supervisorId))
            throw SupervisorError(SupervisorError::Denied,
                                  tr("Only a supervisor can send a dead letter again."));
        if (!OutboxStore(*m_db).retryDead(id, supervisorId.trimmed().toUpper(), m_clock.nowUtc()))
            throw SupervisorError(SupervisorError::Conflict,
                                  tr("Outbox event %1 is no longer a dead letter.").arg(id));
        Q_EMIT deadLetterRetried(id);
    });
    loadOutbox();
}

void SupervisorWorker::loadSettings()
{
    run("settings", [&] { Q_EMIT settingsReady(m_service->settings(), SupervisorService::knownSettings()); });
}

void SupervisorWorker::setSetting(const QString &key, const QString &value, const QString &supervisorId)
{
    run("setting", [&] {
        m_service->setSetting(key, value, supervisorId);
        Q_EMIT settingSaved(key, value);
    });
    loadSettings();
}

void SupervisorWorker::assignNowExpected(qint64 id, const QString &supervisorId)
{
    run("now_expected", [&] { Q_EMIT nowExpectedAssigned(m_service->assignNowExpected(id, supervisorId)); });
}

void SupervisorWorker::listFormFiles(const QString &formsDirectory)
{
    const QList<FormFiles::Root> roots = FormFiles::roots(formsDirectory, FormFiles::removableMedia());
    QJsonArray folders;
    for (const FormFiles::Root &r : roots)
        folders.append(QJsonObject{{QStringLiteral("path"), r.path},
                                   {QStringLiteral("label"), r.label},
                                   {QStringLiteral("removable"), r.removable}});
    Q_EMIT formFilesReady(FormFiles::list(roots), folders);
}

void SupervisorWorker::previewForm(const QString &path, const QString &formsDirectory,
                                   const QString &supervisorId)
{
    m_form.reset();
    run("form_preview", [&] {
        // The page only offers listed files; the folder is checked again here, where the file is opened.
        if (!FormFiles::isAllowed(path, FormFiles::roots(formsDirectory, FormFiles::removableMedia())))
            throw SupervisorError(SupervisorError::Denied,
                                  tr("%1 is no longer on removable media or in the forms folder.")
                                      .arg(path.section(QLatin1Char('/'), -1)));
        QString why;
        std::optional<TradeInFormImport> form = FormFiles::read(path, &why);
        if (!form)
            throw SupervisorError(SupervisorError::Invalid, why);
        const QJsonObject preview = m_service->importForm(*form, true, supervisorId);
        m_form = std::make_unique<TradeInFormImport>(std::move(*form));
        Q_EMIT formPreviewReady(preview);
    });
}

void SupervisorWorker::applyForm(const QString &sha256, const QString &supervisorId)
{
    run("form_apply", [&] {
        // What is applied is the form the supervisor saw previewed, read once, whatever the file is now.
        if (!m_form || m_form->sha256 != sha256)
            throw SupervisorError(SupervisorError::Conflict,
                                  tr("Choose the form again: the one previewed is no longer at hand."));
        const QJsonObject done = m_service->importForm(*m_form, false, supervisorId);
        m_form.reset();
        Q_EMIT formImported(done);
    });
}

void SupervisorWorker::setReportSettings(const QString &directory, const QString &paper)
{
    m_reportDirectory = directory;
    m_reportPaper = paper;
}

namespace {
QJsonObject countsJson(const ReportCounts::Row &r)
{
    return {{QStringLiteral("station"), r.station},
            {QStringLiteral("received"), r.received},
            {QStringLiteral("late"), r.late},
            {QStringLiteral("damaged"), r.damaged},
            {QStringLiteral("exceptions_opened"), r.exceptionsOpened},
            {QStringLiteral("exceptions_resolved"), r.exceptionsResolved}};
}
} // namespace

void SupervisorWorker::loadReportCounts(QDate from, QDate to, const QString &supervisorId)
{
    run("report_counts", [&] {
        if (supervisorId.isEmpty() || !m_service->isSupervisor(supervisorId))
            throw SupervisorError(SupervisorError::Denied, tr("Only a supervisor can see the reports."));
        const ReportCounts::Period p = ReportCounts(*m_db, m_timeZone).count(from, to);
        QJsonArray stations;
        for (const ReportCounts::Row &r : p.stations)
            stations.append(countsJson(r));
        Q_EMIT reportCountsReady({{QStringLiteral("from"), from.toString(Qt::ISODate)},
                                  {QStringLiteral("to"), to.toString(Qt::ISODate)},
                                  {QStringLiteral("stations"), stations},
                                  {QStringLiteral("total"), countsJson(p.total)}});
    });
}

void SupervisorWorker::loadReportPreset(const QString &preset, const QString &supervisorId)
{
    const auto period = ReportCounts::preset(preset, m_clock.nowUtc().toTimeZone(m_timeZone).date());
    if (!period) {
        Q_EMIT failed(QStringLiteral("report_counts"), QStringLiteral("invalid"),
                      tr("%1 is no period.").arg(preset.left(40)));
        return;
    }
    loadReportCounts(period->first, period->second, supervisorId);
}

void SupervisorWorker::exportReports(QDate from, QDate to, const QString &supervisorId)
{
    run("report_export", [&] {
        if (supervisorId.isEmpty() || !m_service->isSupervisor(supervisorId))
            throw SupervisorError(SupervisorError::Denied, tr("Only a supervisor can export reports."));
        if (m_reportDirectory.isEmpty())
            throw SupervisorError(SupervisorError::Invalid,
                                  tr("No report folder is set (report.directory): ask IT to set one."));
        if (!QDir().mkpath(m_reportDirectory))
            throw SupervisorError(SupervisorError::Invalid,
                                  tr("The report folder %1 cannot be created.").arg(m_reportDirectory));
        const QDateTime now = m_clock.nowUtc();
        ReportQueries queries(*m_db, m_timeZone, now);
        const ReportHeading heading = queries.heading(m_reportPaper);
        const Report summary =
            ReportCounts::toReport(ReportCounts(*m_db, m_timeZone).count(from, to), m_timeZone);
        const Report receipts = queries.receipts(from, to);
        const QString period = from.toString(Qt::ISODate) + QStringLiteral("_") + to.toString(Qt::ISODate);
        const QDir dir(m_reportDirectory);
        QStringList files;
        QString error;
        for (const Report *r : {&summary, &receipts}) {
            const QString base = r->name + QStringLiteral("-") + period;
            if (!XlsxReportWriter::write(heading, *r, dir.filePath(base + QStringLiteral(".xlsx")), &error) ||
                !PdfReportWriter::write(heading, *r, dir.filePath(base + QStringLiteral(".pdf")), &error))
                throw SupervisorError(SupervisorError::Invalid, tr("The export failed: %1").arg(error));
            files << base + QStringLiteral(".xlsx") << base + QStringLiteral(".pdf");
        }
        Q_EMIT reportsExported(m_reportDirectory, files);
    });
}

void SupervisorWorker::issueCertificate(const QString &caseNumber, const QString &supervisorId)
{
    run("certificate", [&] {
        if (supervisorId.isEmpty() || !m_service->isSupervisor(supervisorId))
            throw SupervisorError(SupervisorError::Denied,
                                  tr("Only a supervisor can issue a certificate of receipt."));
        if (m_reportDirectory.isEmpty())
            throw SupervisorError(SupervisorError::Invalid,
                                  tr("No report folder is set (report.directory): ask IT to set one."));
        if (!QDir().mkpath(m_reportDirectory))
            throw SupervisorError(SupervisorError::Invalid,
                                  tr("The report folder %1 cannot be created.").arg(m_reportDirectory));
        const QString path = QDir(m_reportDirectory).filePath(ReportJobs::certificateFileName(caseNumber));
        QString error;
        const std::optional<CertificateOfReceipt::Issued> issued =
            CertificateOfReceipt(*m_db, m_timeZone)
                .issue(caseNumber, path, m_reportPaper, supervisorId.trimmed().toUpper(), m_station,
                       m_clock.nowUtc(), &error);
        if (!issued)
            throw SupervisorError(SupervisorError::Invalid, error);
        Q_EMIT certificateIssued(caseNumber.trimmed().toUpper(), path);
    });
}
