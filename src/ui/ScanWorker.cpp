// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanWorker.h"
#include "Operators.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcUi, "rs.ui", QtInfoMsg)

ScanWorker::ScanWorker(QString databasePath, QString stationId, ReceivingService::Options options,
                       const Clock &clock)
    : m_path(std::move(databasePath)), m_station(std::move(stationId)), m_options(std::move(options)),
      m_clock(clock)
{
    qRegisterMetaType<Verdict>();
    qRegisterMetaType<BoxSnapshot>();
    qRegisterMetaType<QList<ScanEvent>>();
}

ScanWorker::~ScanWorker() = default;

void ScanWorker::open()
{
    try {
        m_db = std::make_unique<Database>();
        m_db->open(m_path);
        m_service = std::make_unique<ReceivingService>(*m_db, m_clock, m_options);
        Q_EMIT opened(true, QString());
        Q_EMIT snapshotReady(snapshot());
    } catch (const DbException &e) {
        m_db.reset();
        qCCritical(lcUi) << "cannot open the database:" << e.error().message;
        Q_EMIT opened(false, e.error().message);
    }
}

BoxSnapshot ScanWorker::snapshot()
{
    try {
        return StationView::snapshot(*m_db, m_station,
                                     m_clock.nowUtc().toTimeZone(m_options.timeZone).date());
    } catch (const DbException &e) {
        qCWarning(lcUi) << "cannot read the station's box:" << e.error().message;
        BoxSnapshot s;
        s.stationId = m_station;
        return s;
    }
}

void ScanWorker::processRead(const QList<ScanEvent> &read)
{
    if (!m_service || read.isEmpty())
        return;
    // One physical read gives one verdict, whatever number of codes it carried.
    const Verdict v = m_service->scanRead(read, m_station);
    Q_EMIT verdictReady(v, snapshot());
}

void ScanWorker::signInWithPin(const QString &pin)
{
    if (!m_service)
        return;
    try {
        const std::optional<Operators::Operator> op = Operators(*m_db).byPin(pin);
        if (!op) {
            Q_EMIT signInRefused(QStringLiteral("That PIN is not known. Try again or scan your badge."));
            return;
        }
        m_service->signIn(m_station, op->badge);
    } catch (const DbException &e) {
        Q_EMIT signInRefused(e.error().message);
        return;
    }
    Q_EMIT snapshotReady(snapshot());
}

void ScanWorker::signOut()
{
    if (!m_service)
        return;
    try {
        m_service->signOut(m_station);
    } catch (const DbException &e) {
        qCWarning(lcUi) << "sign-out not recorded:" << e.error().message;
    }
    Q_EMIT snapshotReady(snapshot());
}

void ScanWorker::refresh()
{
    if (m_service)
        Q_EMIT snapshotReady(snapshot());
}
