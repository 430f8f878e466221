// SPDX-License-Identifier: GPL-3.0-or-later
#include "StationController.h"
#include "Operators.h"
#include "ScanSourceRegistry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEvent>
#include <QLocale>
#include <QLoggingCategory>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcUi)

StationController::StationController(QString stationId, ScanWorker *worker,
                                     std::unique_ptr<VerdictSound> sound, QObject *parent)
    : QObject(parent), m_stationId(std::move(stationId)), m_worker(worker), m_sound(std::move(sound))
{
    m_thread.setObjectName(QStringLiteral("rs-receiving"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ScanWorker::opened, this, [this](bool ok, const QString &error) {
        m_ready = ok;
        m_databaseError = error;
        Q_EMIT readyChanged();
    });
    connect(m_worker, &ScanWorker::verdictReady, this, &StationController::onVerdict);
    connect(m_worker, &ScanWorker::snapshotReady, this, &StationController::onSnapshot);
    connect(m_worker, &ScanWorker::signInRefused, this, [this](const QString &message) {
        m_signInMessage = message;
        Q_EMIT signInMessageChanged();
    });
    connect(m_worker, &ScanWorker::signedOutIdle, this, [this](int minutes) {
        m_signInMessage = tr("Signed out after %n idle minute(s).", nullptr, minutes);
        Q_EMIT signInMessageChanged();
    });
    connect(m_worker, &ScanWorker::conditionDone, this,
            [this](qint64 receiptId, const QString &condition, bool ok, const QString &message) {
                if (ok)
                    m_recent.setCondition(receiptId, condition);
                m_conditionMessage = ok ? QString() : message;
                Q_EMIT conditionChanged(ok);
            });
    // Each session starts in the station's language (settings `language`); a worker may switch it.
    connect(m_worker, &ScanWorker::defaultLanguage, this, [this](const QString &language) {
        if (!isSignedIn())
            setLanguage(language);
    });
    // PINs are checked on their own thread, so a PIN never delays a scan.
    m_pinWorker = new PinWorker(m_worker->databasePath(), m_stationId, m_worker->clock());
    m_pinThread.setObjectName(QStringLiteral("rs-signin"));
    m_pinWorker->moveToThread(&m_pinThread);
    connect(&m_pinThread, &QThread::finished, m_pinWorker, &QObject::deleteLater);
    connect(m_pinWorker, &PinWorker::answered, this, &StationController::onPinAnswer);
    connect(m_pinWorker, &PinWorker::lockState, this, &StationController::setPinLock);
    connect(m_pinWorker, &PinWorker::quitRecorded, this, [this](const QString &badge, bool ok) {
        // The quit is in the audit chain; a database that refuses the row does not keep the kiosk locked.
        if (!ok)
            qCWarning(lcUi) << "leaving the kiosk without its audit row";
        Q_EMIT quitApproved(badge);
    });
    m_pinLockTick.setInterval(1000);
    connect(&m_pinLockTick, &QTimer::timeout, this, [this] {
        const int left = int((m_pinLockDeadline.remainingTime() + 999) / 1000);
        if (left <= 0) {
            m_pinLockTick.stop();
            m_pinLockedSeconds = 0;
            m_pinMessage.clear();
        } else {
            m_pinLockedSeconds = left;
        }
        Q_EMIT pinStateChanged();
    });
    m_supervisorLapse.setSingleShot(true);
    connect(&m_supervisorLapse, &QTimer::timeout, this, [this] {
        if (!m_supervisorBadge.isEmpty() && m_supervisorDeadline.hasExpired()) {
            qCInfo(lcUi) << "supervisor PIN lapsed after" << m_supervisorMinutes
                         << "minutes without an action";
            dropSupervisor();
        } else if (!m_supervisorBadge.isEmpty()) {
            m_supervisorLapse.start(int(std::max<qint64>(1, m_supervisorDeadline.remainingTime())));
        }
    });
    // Touches keep the session alive (scans do so on the worker).
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
}

bool StationController::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type t = event->type();
    if (t == QEvent::MouseButtonPress || t == QEvent::TouchBegin) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - m_lastActivityNote > 5000) {
            m_lastActivityNote = now;
            QMetaObject::invokeMethod(m_worker, &ScanWorker::noteActivity, Qt::QueuedConnection);
        }
    }
    return QObject::eventFilter(watched, event);
}

void StationController::setIdleMinutes(int minutes)
{
    // Before start(): the worker is not running yet, so setting it directly is safe.
    m_worker->setIdleMinutes(minutes);
}

bool StationController::setLanguage(const QString &language)
{
    if (!languages().contains(language))
        return false;
    if (language == m_language && m_translator)
        return true;
    // English too has a translation: its plural forms ("1 minute", "2 minutes").
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(QStringLiteral(":/i18n/receiving_%1.qm").arg(language))) {
        qCWarning(lcUi) << "no translation for" << language;
        if (language != QLatin1String("en"))
            return false;
    }
    if (m_translator)
        QCoreApplication::removeTranslator(m_translator.get());
    m_translator = std::move(translator);
    QCoreApplication::installTranslator(m_translator.get());
    m_language = language;
    m_signInMessage.clear();
    Q_EMIT signInMessageChanged();
    Q_EMIT languageChanged();
    return true;
}

QVariantList StationController::commandBarcodes() const
{
    // Keep in step with ScanClassifier::classify (":DONE", ":UNDO"); it compares in capitals.
    return {
        QVariantMap{
            {QStringLiteral("code"), QStringLiteral(":DONE")},
            {QStringLiteral("title"), tr("Box done")},
            {QStringLiteral("description"), tr("Closes the open box and lists what its case still misses.")}},
        QVariantMap{{QStringLiteral("code"), QStringLiteral(":UNDO")},
                    {QStringLiteral("title"), tr("Undo last")},
                    {QStringLiteral("description"), tr("Takes back the last unit scanned into this box.")}}};
}

void StationController::setUnitCondition(qint64 receiptId, const QString &condition, const QString &note)
{
    m_conditionMessage.clear();
    QMetaObject::invokeMethod(m_worker, "setUnitCondition", Qt::QueuedConnection, Q_ARG(qint64, receiptId),
                              Q_ARG(QString, condition), Q_ARG(QString, note));
}

StationController::~StationController()
{
    m_pinThread.quit();
    m_pinThread.wait();
    m_thread.quit();
    m_thread.wait();
}

void StationController::start()
{
    setLanguage(m_language);
    m_thread.start();
    m_pinThread.start();
    QMetaObject::invokeMethod(m_worker, &ScanWorker::open, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_pinWorker, &PinWorker::open, Qt::QueuedConnection);
}

QString StationController::operatorName() const
{
    // Never the badge: an operator without a name shows as the badge's masked form.
    return m_box.operatorName.isEmpty() ? Operators::maskBadge(m_box.operatorId) : m_box.operatorName;
}

bool StationController::isSupervisor() const
{
    return hasSupervisorRole() && !m_supervisorBadge.isEmpty() && m_supervisorBadge == m_box.operatorId &&
           !m_supervisorDeadline.hasExpired();
}

QString StationController::supervisorActor()
{
    if (!isSupervisor())
        return QString();
    setSupervisorDeadline(m_supervisorMinutes);
    return m_box.operatorId;
}

void StationController::setSupervisorDeadline(int minutes)
{
    m_supervisorMinutes = std::clamp(minutes, 1, 60);
    m_supervisorDeadline.setRemainingTime(qint64(m_supervisorMinutes) * 60 * 1000);
    m_supervisorLapse.start(m_supervisorMinutes * 60 * 1000);
}

void StationController::dropSupervisor()
{
    const bool was = isSupervisor();
    m_supervisorBadge.clear();
    m_supervisorDeadline = QDeadlineTimer(QDeadlineTimer::Forever);
    m_supervisorLapse.stop();
    if (was)
        Q_EMIT sessionChanged();
}

void StationController::endSupervisorWork()
{
    dropSupervisor();
}

void StationController::setPinLock(int seconds)
{
    m_pinLockedSeconds = std::max(0, seconds);
    if (m_pinLockedSeconds > 0) {
        m_pinLockDeadline.setRemainingTime(qint64(m_pinLockedSeconds) * 1000);
        m_pinLockTick.start();
    } else {
        m_pinLockTick.stop();
    }
    Q_EMIT pinStateChanged();
}

void StationController::clearPinMessage()
{
    if (m_pinMessage.isEmpty())
        return;
    m_pinMessage.clear();
    Q_EMIT pinStateChanged();
}

void StationController::onPinAnswer(const PinAnswer &a)
{
    m_pinBusy = false;
    m_pinMessage = a.accepted ? QString() : a.message;
    setPinLock(a.lockedSeconds);
    if (!a.accepted)
        return;
    if (a.purpose == PinAnswer::Purpose::SignIn) {
        QMetaObject::invokeMethod(m_worker, "signInOperator", Qt::QueuedConnection, Q_ARG(QString, a.badge));
        return;
    }
    // Only for the operator still signed in: a badge scanned meanwhile ended that session.
    if (a.badge != m_box.operatorId || !hasSupervisorRole())
        return;
    m_supervisorBadge = a.badge;
    setSupervisorDeadline(a.supervisorMinutes);
    Q_EMIT sessionChanged();
    Q_EMIT supervisorConfirmed();
}

void StationController::attach(ScanSourceRegistry *registry)
{
    m_registry = registry;
    connect(registry, &ScanSourceRegistry::scanned, this, &StationController::submit);
    const auto refresh = [this] {
        QVariantList list;
        for (const ScanSource *source : m_registry->sources()) {
            const SourceHealth h = source->health();
            list.append(QVariantMap{{QStringLiteral("id"), source->id()},
                                    {QStringLiteral("state"), SourceHealth::stateName(h.state)},
                                    {QStringLiteral("connected"), h.isConnected()},
                                    {QStringLiteral("error"), h.lastError}});
        }
        if (list != m_scanners) {
            m_scanners = list;
            Q_EMIT scannersChanged();
        }
    };
    connect(registry, &ScanSourceRegistry::healthChanged, this, refresh);
    connect(registry, &ScanSourceRegistry::sourceAdded, this, refresh);
    connect(registry, &ScanSourceRegistry::sourceRemoved, this, refresh);
    refresh();
}

void StationController::setSyncStatus(const SyncStatus &st)
{
    m_sync = {{QStringLiteral("configured"), st.configured},
              {QStringLiteral("online"), st.online},
              {QStringLiteral("credentialProblem"), st.credentialProblem},
              {QStringLiteral("lastError"), st.lastError},
              {QStringLiteral("lastSuccess"),
               st.lastSuccess.isValid() ? st.lastSuccess.toLocalTime().toString(QStringLiteral("HH:mm"))
                                        : QString()},
              {QStringLiteral("pending"), st.pending + st.held},
              {QStringLiteral("dead"), st.dead},
              {QStringLiteral("reportError"), st.reportError}};
    Q_EMIT syncChanged();
}

void StationController::setDatabaseDamaged(const QString &problem, const QString &restoreCommand)
{
    m_damaged = true;
    m_maintenance.insert(QStringLiteral("damaged"), true);
    m_maintenance.insert(QStringLiteral("problem"), problem);
    m_maintenance.insert(QStringLiteral("restoreCommand"), restoreCommand);
    Q_EMIT maintenanceChanged();
}

void StationController::setDiskStatus(qint64 freeBytes, bool low)
{
    const QString free = freeBytes < 0 ? QString() : QLocale::system().formattedDataSize(freeBytes);
    if (m_maintenance.value(QStringLiteral("lowDisk")).toBool() == low &&
        m_maintenance.value(QStringLiteral("freeDisk")).toString() == free)
        return;
    m_maintenance.insert(QStringLiteral("lowDisk"), low);
    m_maintenance.insert(QStringLiteral("freeDisk"), free);
    Q_EMIT maintenanceChanged();
}

void StationController::submit(const QList<ScanEvent> &read)
{
    qCDebug(lcUi) << "read from" << (read.isEmpty() ? QString() : read.front().sourceId) << "ready"
                  << m_ready;
    if (m_damaged) {
        qCWarning(lcUi) << "scan refused: the database is damaged";
        return;
    }
    if (!m_ready || read.isEmpty())
        return;
    m_lastScanTimestamp = read.front().timestampMs;
    QMetaObject::invokeMethod(m_worker, "processRead", Qt::QueuedConnection, Q_ARG(QList<ScanEvent>, read));
}

void StationController::command(const QByteArray &text)
{
    ScanEvent e;
    e.raw = text;
    e.sourceId = QStringLiteral("touch");
    e.timestampMs = QDateTime::currentMSecsSinceEpoch();
    submit({e});
}

void StationController::signInWithPin(const QString &pin)
{
    if (m_damaged || m_pinBusy)
        return;
    m_signInMessage.clear();
    Q_EMIT signInMessageChanged();
    m_pinBusy = true;
    m_pinMessage.clear();
    Q_EMIT pinStateChanged();
    QMetaObject::invokeMethod(m_pinWorker, "signIn", Qt::QueuedConnection, Q_ARG(QString, pin));
}

void StationController::confirmSupervisorPin(const QString &pin)
{
    if (m_damaged || m_pinBusy)
        return;
    if (!hasSupervisorRole()) {
        m_pinMessage = tr("Only a supervisor can do this.");
        Q_EMIT pinStateChanged();
        return;
    }
    m_pinBusy = true;
    m_pinMessage.clear();
    Q_EMIT pinStateChanged();
    QMetaObject::invokeMethod(m_pinWorker, "confirmSupervisor", Qt::QueuedConnection,
                              Q_ARG(QString, m_box.operatorId), Q_ARG(QString, pin));
}

void StationController::signOut()
{
    QMetaObject::invokeMethod(m_worker, &ScanWorker::signOut, Qt::QueuedConnection);
}

void StationController::undoLast()
{
    command(QByteArrayLiteral(":undo"));
}

void StationController::boxDone()
{
    command(QByteArrayLiteral(":done"));
}

void StationController::typeSerial(const QString &serial)
{
    ScanEvent e;
    e.raw = serial.toUtf8();
    e.sourceId = QStringLiteral("keypad");
    e.manualEntry = true;
    e.timestampMs = QDateTime::currentMSecsSinceEpoch();
    submit({e});
}

bool StationController::requestQuit()
{
    const QString actor = supervisorActor();
    if (actor.isEmpty()) {
        qCWarning(lcUi) << "quit refused: no supervisor confirmed their PIN at this station";
        return false;
    }
    if (m_quitting)
        return true;
    m_quitting = true;
    qCInfo(lcUi) << "quit approved by a supervisor";
    QMetaObject::invokeMethod(m_pinWorker, "recordQuit", Qt::QueuedConnection, Q_ARG(QString, actor));
    return true;
}

QVariantMap StationController::box() const
{
    const BoxSnapshot &b = m_box;
    return {{QStringLiteral("open"), b.boxId.has_value()},
            {QStringLiteral("id"), b.boxId.value_or(0)},
            {QStringLiteral("label"), b.boxLabel},
            {QStringLiteral("caseNumber"), b.caseNumber},
            {QStringLiteral("customer"), b.customer},
            {QStringLiteral("phase"), b.phase},
            {QStringLiteral("caseStatus"), b.caseStatus},
            {QStringLiteral("disposition"), b.disposition},
            {QStringLiteral("dueDate"), b.dueDate.isValid() ? b.dueDate.toString(Qt::ISODate) : QString()},
            {QStringLiteral("daysLeft"), b.daysLeft},
            {QStringLiteral("late"), b.late},
            {QStringLiteral("receivedUnits"), b.receivedUnits},
            {QStringLiteral("expectedUnits"), b.expectedUnits},
            {QStringLiteral("pendingSerial"), b.pendingSerial}};
}

void StationController::setDesk(bool desk)
{
    m_desk = desk;
    m_worker->setDeskMode(desk);
}

void StationController::onSnapshot(const BoxSnapshot &box)
{
    // A dock worker's PIN signs in at a door, not at the desk.
    if (m_desk && !box.operatorId.isEmpty() && box.operatorRole != QLatin1String("supervisor")) {
        m_signInMessage = tr("The supervisor desk is for supervisors. Receive units at a dock door.");
        Q_EMIT signInMessageChanged();
        signOut();
    }
    const bool sessionDiffers = box.operatorId != m_box.operatorId || box.operatorRole != m_box.operatorRole;
    m_box = box;
    // Another operator (or nobody) now: supervisor work ends with the session that confirmed it.
    if (sessionDiffers && m_supervisorBadge != box.operatorId) {
        m_supervisorBadge.clear();
        m_supervisorLapse.stop();
    }
    m_checklist.setLines(box.caseNumber, box.lines);
    if (sessionDiffers)
        Q_EMIT sessionChanged();
    Q_EMIT boxChanged();
}

void StationController::onVerdict(const Verdict &v, const BoxSnapshot &box)
{
    onSnapshot(box);
    m_verdict = {{QStringLiteral("input"), v.input},
                 {QStringLiteral("kind"), kindName(v.kind)},
                 {QStringLiteral("outcome"), outcomeName(v.outcome)},
                 {QStringLiteral("severity"), severityName(v.severity())},
                 {QStringLiteral("serial"), v.serial.isEmpty() ? v.input : v.serial},
                 {QStringLiteral("caseNumber"), v.caseNumber},
                 {QStringLiteral("line"), v.line ? QVariant(*v.line) : QVariant()},
                 {QStringLiteral("sku"), v.sku},
                 {QStringLiteral("late"), v.late},
                 {QStringLiteral("caseComplete"), v.caseComplete},
                 {QStringLiteral("message"), v.message}};
    m_writesRefused = v.outcome == Outcome::NotRecorded;
    ++m_verdictCount;
    m_recent.add(v, QDateTime::currentDateTimeUtc());
    if (m_sound)
        m_sound->play(v.severity());
    Q_EMIT verdictChanged();
    Q_EMIT verdictShown(m_lastScanTimestamp);
}

void StationController::setSoundVolume(int percent)
{
    if (m_sound)
        m_sound->setVolume(std::clamp(percent, 0, 100) / 100.0);
}
