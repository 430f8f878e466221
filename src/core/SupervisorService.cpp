// SPDX-License-Identifier: GPL-3.0-or-later
#include "SupervisorService.h"
#include "AuditLog.h"
#include "CaseChanges.h"
#include "CaseLines.h"
#include "CaseStore.h"
#include "Clock.h"
#include "Database.h"
#include "ExceptionQueue.h"
#include "Operators.h"
#include "StationSettings.h"
#include "UpstreamEvents.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSysInfo>

#include <cmath>

SupervisorError::SupervisorError(Kind k, const QString &message)
    : std::runtime_error(message.toStdString()), kind(k)
{
}

// The unit an exception is about: its exception row and (when there is one) its receipt.
struct SupervisorService::Unit
{
    qint64 exceptionId = 0;
    QString kind;
    QString status;
    QString serial;
    std::optional<qint64> receiptId;
    std::optional<qint64> exceptionCaseId;
    // the receipt's state
    bool voided = false;
    bool pendingSku = false;
    std::optional<qint64> receiptCaseId;
    std::optional<int> line;
    QString sku;
    QString receivedAt;
    QString stationId;
    QString operatorId;
    std::optional<qint64> boxId;
    QString boxLabel;
    QString boxCaseNumber;
    bool boxOpen = false;
    QString lineCaseNumber; // the case whose line the receipt fills
};

namespace {
const QString AssignToCase = QStringLiteral("assign_to_case");
const QString ConfirmCrossCase = QStringLiteral("confirm_cross_case");
const QString NotTmip = QStringLiteral("not_tmip");
const QString ReturnToSender = QStringLiteral("return_to_sender");

QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonValue textOrNull(const Statement &s, int col)
{
    return s.isNull(col) ? QJsonValue(QJsonValue::Null) : QJsonValue(s.text(col));
}

QJsonValue intOrNull(const Statement &s, int col)
{
    return s.isNull(col) ? QJsonValue(QJsonValue::Null) : QJsonValue(s.int64(col));
}

QString requireNote(const QString &note, const QString &what)
{
    const QString n = note.trimmed();
    if (n.isEmpty())
        throw SupervisorError(
            SupervisorError::Invalid,
            QCoreApplication::translate("SupervisorService", "Write a note saying why %1.").arg(what));
    if (n.size() > 2000)
        throw SupervisorError(
            SupervisorError::Invalid,
            QCoreApplication::translate("SupervisorService",
                                        "The note is longer than 2000 characters. Shorten it."));
    return n;
}

// One row per scan recorded for a unit or a box, for the exception detail.
QJsonArray scanHistory(Database &db, const char *where, qint64 value, const QString &serial)
{
    const QByteArray sql =
        QByteArray("SELECT r.id, r.serial, r.sku, c.case_number, r.line, b.label, r.station_id, "
                   "r.operator_id, r.received_at, r.outcome, r.condition, r.voided, r.manual_entry "
                   "FROM receipts r LEFT JOIN cases c ON c.id = r.case_id "
                   "LEFT JOIN boxes b ON b.id = r.box_id WHERE ") +
        where + " ORDER BY r.id";
    Statement s = db.prepare(sql.constData());
    if (serial.isNull())
        s.bind(1, value);
    else
        s.bind(1, serial);
    QJsonArray out;
    while (s.next()) {
        out.append(QJsonObject{
            {QStringLiteral("receipt_id"), s.int64(0)},
            {QStringLiteral("serial"), s.text(1)},
            {QStringLiteral("sku"), textOrNull(s, 2)},
            {QStringLiteral("case_number"), textOrNull(s, 3)},
            {QStringLiteral("line"), intOrNull(s, 4)},
            {QStringLiteral("box"), textOrNull(s, 5)},
            {QStringLiteral("station_id"), s.text(6)},
            {QStringLiteral("operator_id"), textOrNull(s, 7)},
            {QStringLiteral("received_at"), s.text(8)},
            {QStringLiteral("outcome"), s.text(9)},
            {QStringLiteral("condition"), s.text(10)},
            {QStringLiteral("voided"), s.int64(11) != 0},
            {QStringLiteral("manual_entry"), s.int64(12) != 0},
        });
    }
    return out;
}
} // namespace

SupervisorService::SupervisorService(Database &db, const Clock &clock)
    : m_db(db), m_clock(clock), m_stationId(QSysInfo::machineHostName()),
      m_timeZone(QByteArrayLiteral("America/Chicago"))
{
}

void SupervisorService::setStationId(const QString &stationId)
{
    m_stationId = stationId;
}

void SupervisorService::setTimeZone(const QTimeZone &timeZone)
{
    m_timeZone = timeZone;
}

QStringList SupervisorService::resolutions()
{
    return {AssignToCase, ConfirmCrossCase, NotTmip, ReturnToSender};
}

QStringList SupervisorService::knownSettings()
{
    return StationSettings::depotKeys();
}

QString SupervisorService::now() const
{
    return isoUtc(m_clock.nowUtc());
}

bool SupervisorService::isSupervisor(const QString &operatorId)
{
    return !operatorId.trimmed().isEmpty() && Operators(m_db).isSupervisor(operatorId);
}

void SupervisorService::requireSupervisor(const QString &operatorId)
{
    if (operatorId.trimmed().isEmpty())
        throw SupervisorError(
            SupervisorError::Denied,
            QCoreApplication::translate("SupervisorService",
                                        "Only a supervisor can do this: sign in with a supervisor's badge."));
    const std::optional<Operators::Operator> op = Operators(m_db).byBadge(operatorId);
    if (!op)
        throw SupervisorError(
            SupervisorError::Denied,
            QCoreApplication::translate("SupervisorService",
                                        "Only a supervisor can do this, and %1 is not a registered operator.")
                .arg(operatorId.trimmed().toUpper()));
    if (op->role != Operators::Role::Supervisor)
        throw SupervisorError(
            SupervisorError::Denied,
            QCoreApplication::translate("SupervisorService",
                                        "Only a supervisor can do this; %1 (%2) is a dock worker. Ask a "
                                        "supervisor.")
                .arg(op->name, op->badge));
}

void SupervisorService::audit(const QString &actor, const QString &action, const QString &subject,
                              const QJsonObject &details)
{
    AuditLog::append(m_db, AuditLog::Entry{m_now, m_stationId, actor.trimmed().toUpper(), action, subject,
                                           details.isEmpty() ? QString() : json(details)});
}

QJsonArray SupervisorService::exceptions(const ExceptionFilter &f)
{
    const QDateTime nowUtc = m_clock.nowUtc();
    ExceptionQueue::Filter qf;
    qf.includeClosed = f.includeClosed;
    qf.kind = f.kind.trimmed();
    qf.nowExpected = f.nowExpected;
    if (f.minAgeHours > 0)
        qf.createdBefore = isoUtc(nowUtc.addSecs(-qint64(f.minAgeHours) * 3600));
    QJsonArray out;
    for (const QJsonValue v : ExceptionQueue(m_db).list(qf)) {
        QJsonObject x = v.toObject();
        const QDateTime created =
            QDateTime::fromString(x.value(QLatin1String("created_at")).toString(), Qt::ISODateWithMs);
        x.insert(QStringLiteral("age_hours"),
                 created.isValid() ? std::floor(created.secsTo(nowUtc) / 360.0) / 10.0 : 0.0);
        out.append(x);
    }
    return out;
}

QJsonObject SupervisorService::exceptionDetail(qint64 id)
{
    std::optional<QJsonObject> x = ExceptionQueue(m_db).byId(id);
    if (!x)
        throw SupervisorError(
            SupervisorError::NotFound,
            QCoreApplication::translate("SupervisorService", "There is no exception #%1.").arg(id));
    const QDateTime created =
        QDateTime::fromString(x->value(QLatin1String("created_at")).toString(), Qt::ISODateWithMs);
    x->insert(QStringLiteral("age_hours"),
              created.isValid() ? std::floor(created.secsTo(m_clock.nowUtc()) / 360.0) / 10.0 : 0.0);
    QJsonObject out{{QStringLiteral("exception"), *x}};
    const QString serial = x->value(QLatin1String("serial")).toString();
    out.insert(QStringLiteral("serial_history"),
               serial.isEmpty() ? QJsonArray() : scanHistory(m_db, "r.serial = ?1", 0, serial));
    Statement b = m_db.prepare("SELECT x.box_id, b.label, c.case_number, b.station_id, b.operator_id, "
                               "b.opened_at, b.closed_at FROM exceptions x JOIN boxes b ON b.id = x.box_id "
                               "LEFT JOIN cases c ON c.id = b.case_id WHERE x.id = ?1");
    if (b.bind(1, id).next()) {
        const qint64 boxId = b.int64(0);
        out.insert(QStringLiteral("box"), QJsonObject{{QStringLiteral("box_id"), boxId},
                                                      {QStringLiteral("label"), b.text(1)},
                                                      {QStringLiteral("case_number"), textOrNull(b, 2)},
                                                      {QStringLiteral("station_id"), b.text(3)},
                                                      {QStringLiteral("operator_id"), textOrNull(b, 4)},
                                                      {QStringLiteral("opened_at"), b.text(5)},
                                                      {QStringLiteral("closed_at"), textOrNull(b, 6)}});
        b.reset();
        out.insert(QStringLiteral("box_history"), scanHistory(m_db, "r.box_id = ?1", boxId, QString()));
    } else {
        out.insert(QStringLiteral("box"), QJsonValue(QJsonValue::Null));
        out.insert(QStringLiteral("box_history"), QJsonArray());
    }
    return out;
}

void SupervisorService::resolveException(qint64 id, const QString &resolution, const QString &note,
                                         const QString &supervisorId, const QString &caseNumber,
                                         const QString &sku)
{
    m_now = now();
    Transaction tx(m_db);
    requireSupervisor(supervisorId);
    if (!resolutions().contains(resolution))
        throw SupervisorError(
            SupervisorError::Invalid,
            QCoreApplication::translate("SupervisorService", "\"%1\" is not a resolution; use one of %2.")
                .arg(resolution, resolutions().join(QLatin1String(", "))));
    const QString text =
        requireNote(note, QCoreApplication::translate("SupervisorService", "you resolve it this way"));

    Unit u;
    {
        Statement s = m_db.prepare(
            "SELECT x.kind, x.status, x.serial, x.receipt_id, x.case_id, r.voided, r.pending_sku, r.case_id, "
            "       r.line, r.sku, r.received_at, r.station_id, r.operator_id, r.box_id, b.label, "
            "bc.case_number, "
            "       CASE WHEN b.closed_at IS NULL THEN 1 ELSE 0 END, lc.case_number, x.resolver, "
            "x.resolved_at "
            "FROM exceptions x LEFT JOIN receipts r ON r.id = x.receipt_id "
            "LEFT JOIN boxes b ON b.id = r.box_id LEFT JOIN cases bc ON bc.id = b.case_id "
            "LEFT JOIN cases lc ON lc.id = r.case_id AND r.line IS NOT NULL WHERE x.id = ?1");
        if (!s.bind(1, id).next())
            throw SupervisorError(
                SupervisorError::NotFound,
                QCoreApplication::translate("SupervisorService", "There is no exception #%1.").arg(id));
        u.exceptionId = id;
        u.kind = s.text(0);
        u.status = s.text(1);
        u.serial = s.text(2);
        if (u.status != QLatin1String("open"))
            throw SupervisorError(
                SupervisorError::Conflict,
                u.status == QLatin1String("resolved")
                    ? QCoreApplication::translate("SupervisorService",
                                                  "Exception #%1 was already resolved by %2 at %3.")
                          .arg(id)
                          .arg(s.text(18), s.text(19))
                    : QCoreApplication::translate(
                          "SupervisorService",
                          "Exception #%1 was cancelled (its scan was undone); nothing to resolve.")
                          .arg(id));
        if (!s.isNull(3)) {
            u.receiptId = s.int64(3);
            u.voided = s.int64(5) != 0;
            u.pendingSku = s.int64(6) != 0;
            if (!s.isNull(7))
                u.receiptCaseId = s.int64(7);
            if (!s.isNull(8))
                u.line = int(s.int64(8));
            u.sku = s.text(9);
            u.receivedAt = s.text(10);
            u.stationId = s.text(11);
            u.operatorId = s.text(12);
            if (!s.isNull(13))
                u.boxId = s.int64(13);
            u.boxLabel = s.text(14);
            u.boxCaseNumber = s.text(15);
            u.boxOpen = u.boxId && s.int64(16) != 0;
            u.lineCaseNumber = s.text(17);
        }
        if (!s.isNull(4))
            u.exceptionCaseId = s.int64(4);
    }

    QJsonObject details{{QStringLiteral("exception_id"), id},
                        {QStringLiteral("kind"), u.kind},
                        {QStringLiteral("resolution"), resolution},
                        {QStringLiteral("note"), text}};
    // The unit this exception holds on a case line (a cross-case unit): that receipt stands, it may already
    // be upstream, so only confirming it fits. already_received points at the earlier, rightful receipt.
    const bool onCaseLine = u.kind != QLatin1String("already_received") && u.line && !u.voided;
    std::optional<qint64> resolvedCase = u.exceptionCaseId;
    if (resolution == ConfirmCrossCase) {
        if (u.kind != QLatin1String("cross_case"))
            throw SupervisorError(
                SupervisorError::Invalid,
                QCoreApplication::translate("SupervisorService",
                                            "Exception #%1 is %2, not a cross-case unit; choose another "
                                            "resolution.")
                    .arg(id)
                    .arg(u.kind));
        details.insert(QStringLiteral("case_number"), orNull(u.lineCaseNumber));
    } else if (resolution == AssignToCase) {
        if (caseNumber.trimmed().isEmpty())
            throw SupervisorError(
                SupervisorError::Invalid,
                QCoreApplication::translate("SupervisorService", "Name the case to assign the unit to."));
        if (!u.receiptId || u.kind == QLatin1String("already_received"))
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService",
                                            "Serial %1 is already received elsewhere; this second unit "
                                            "cannot be received again. Choose not_tmip or "
                                            "return_to_sender.")
                    .arg(u.serial));
        if (u.voided)
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService",
                                            "The scan of %1 was undone; there is no unit to assign.")
                    .arg(u.serial));
        if (onCaseLine)
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService",
                                            "Unit %1 is already received on case %2, line %3; confirm it "
                                            "(confirm_cross_case) instead.")
                    .arg(u.serial, u.lineCaseNumber)
                    .arg(*u.line));
        if (u.pendingSku)
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService",
                                            "Unit %1 is still waiting for its SKU at the dock.")
                    .arg(u.serial));
        assignToCase(u, caseNumber, sku, details);
        Statement c = m_db.prepare("SELECT id FROM cases WHERE case_number = ?1");
        c.bind(1, caseNumber.trimmed().toUpper()).next();
        resolvedCase = c.int64(0);
    } else if (onCaseLine) {
        throw SupervisorError(
            SupervisorError::Conflict,
            QCoreApplication::translate("SupervisorService",
                                        "Unit %1 is received on case %2, line %3, and that receipt may "
                                        "already be upstream; confirm it (confirm_cross_case).")
                .arg(u.serial, u.lineCaseNumber)
                .arg(*u.line));
    }

    Statement up =
        m_db.prepare("UPDATE exceptions SET status = 'resolved', resolution = ?2, resolver = ?3, "
                     "notes = ?4, resolved_at = ?5, case_id = ?6 WHERE id = ?1 AND status = 'open'");
    up.bind(1, id).bind(2, resolution).bind(3, supervisorId.trimmed().toUpper()).bind(4, text).bind(5, m_now);
    resolvedCase ? up.bind(6, *resolvedCase) : up.bindNull(6);
    up.exec();
    audit(supervisorId, QStringLiteral("exception_resolved"), u.serial, details);
    tx.commit();
}

// Puts the unit on an open line of the case (its own serial's line, else a serial-less line of its SKU) and
// queues its receipt, then the case's closure when that fills the case: the same events, held the same way,
// as a scan that matched there.
void SupervisorService::assignToCase(const Unit &u, const QString &caseNumberIn, const QString &skuIn,
                                     QJsonObject &details)
{
    const QString caseNumber = caseNumberIn.trimmed().toUpper();
    Statement c = m_db.prepare("SELECT id, status, disposition, due_date FROM cases WHERE case_number = ?1");
    if (!c.bind(1, caseNumber).next())
        throw SupervisorError(
            SupervisorError::NotFound,
            QCoreApplication::translate("SupervisorService", "No case %1 is known to this station.")
                .arg(caseNumber));
    const qint64 caseId = c.int64(0);
    const QString status = c.text(1), disposition = c.text(2), dueDate = c.text(3);
    c.reset();
    if (status != QLatin1String("open"))
        throw SupervisorError(
            SupervisorError::Conflict,
            QCoreApplication::translate("SupervisorService", "Case %1 is %2 and accepts no units.")
                .arg(caseNumber, status));
    if (disposition != QLatin1String("trade_in"))
        throw SupervisorError(
            SupervisorError::Conflict,
            QCoreApplication::translate("SupervisorService",
                                        "Case %1 is a destruction case; units are not received on it.")
                .arg(caseNumber));

    CaseLines caseLines(m_db);
    std::optional<int> line;
    QString lineSku;
    if (const std::optional<CaseLines::OpenLine> own = caseLines.openLineForSerial(caseId, u.serial)) {
        line = own->line;
        lineSku = own->sku;
    }
    const QString wantedSku = !u.sku.isEmpty() ? u.sku : skuIn.trimmed().toUpper();
    if (!line) {
        const QList<CaseLines::OpenLine> open = caseLines.openSerialLessLines(caseId, wantedSku);
        QSet<QString> skus;
        for (const CaseLines::OpenLine &l : open)
            skus.insert(l.sku);
        if (open.isEmpty())
            throw SupervisorError(
                SupervisorError::Conflict,
                wantedSku.isEmpty()
                    ? QCoreApplication::translate(
                          "SupervisorService",
                          "Case %1 has no open line for serial %2 and no open serial-less line.")
                          .arg(caseNumber, u.serial)
                    : QCoreApplication::translate("SupervisorService",
                                                  "Case %1 has no open line for serial %2 or SKU %3.")
                          .arg(caseNumber, u.serial, wantedSku));
        if (wantedSku.isEmpty() && skus.size() > 1)
            throw SupervisorError(
                SupervisorError::Invalid,
                QCoreApplication::translate("SupervisorService",
                                            "Unit %1 has no SKU and case %2 has open lines of several SKUs; "
                                            "give the unit's SKU.")
                    .arg(u.serial, caseNumber));
        line = open.front().line;
        lineSku = open.front().sku;
    }
    const QDate received =
        QDateTime::fromString(u.receivedAt, Qt::ISODateWithMs).toTimeZone(m_timeZone).date();
    const QDate due = QDate::fromString(dueDate, Qt::ISODate);
    const bool late = due.isValid() && received.isValid() && received > due;

    Statement r =
        m_db.prepare("UPDATE receipts SET case_id = ?2, line = ?3, sku = ?4, late = ?5 WHERE id = ?1");
    r.bind(1, *u.receiptId).bind(2, caseId).bind(3, *line).bind(4, lineSku).bind(5, late).exec();

    // The receipt event, as ReceivingService queues one for a matched scan; held while the unit's box is open
    // (undo and condition changes still act on it), else pending.
    const std::optional<qint64> heldInBox = u.boxOpen ? u.boxId : std::nullopt;
    UpstreamEvents events(m_db);
    events.queueReceipt(*u.receiptId, caseNumber, UpstreamEvents::trackingNumber(u.boxLabel, u.boxCaseNumber),
                        heldInBox, m_now);
    // A held unmatched report of this unit has not left the station: the receipt replaces it. One already on
    // its way stays (nothing sent is taken back).
    Statement report = m_db.prepare("UPDATE outbox SET state = 'cancelled' WHERE receipt_id = ?1 AND kind = "
                                    "'unmatched' AND state = 'held'");
    report.bind(1, *u.receiptId).exec();
    if (m_db.changes() > 0)
        details.insert(QStringLiteral("unmatched_report_cancelled"), true);
    details.insert(QStringLiteral("case_number"), caseNumber);
    details.insert(QStringLiteral("line"), *line);
    details.insert(QStringLiteral("receipt_id"), *u.receiptId);

    // Completes the case? Then its closure follows its receipts, exactly as after a scan.
    const bool complete = caseLines.totals(caseId).complete();
    details.insert(QStringLiteral("case_complete"), complete);
    if (!complete)
        return;
    events.queueClosure(
        UpstreamEvents::Closure{
            caseNumber, QStringLiteral("complete"), caseLines.receivedSerials(caseId), {}, m_stationId, {}},
        heldInBox, m_now);
}

QJsonArray SupervisorService::searchCases(const QString &textIn, int limit)
{
    const QString text = textIn.trimmed();
    QJsonArray out;
    if (text.isEmpty())
        return out;
    const QString up = text.toUpper();
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('%'), QLatin1String("\\%"))
        .replace(QLatin1Char('_'), QLatin1String("\\_"));
    const QString like = QLatin1Char('%') + escaped + QLatin1Char('%');
    // One row per case, with the first key that found it; LIKE made case-blind on both engines (SQLite's
    // already is for ASCII, PostgreSQL's is not).
    Statement s = m_db.prepare(
        "WITH hits(case_id, matched_by, rank) AS ("
        "  SELECT id, 'case_number', 0 FROM cases WHERE case_number = ?1 "
        "  UNION ALL SELECT case_id, 'serial', 1 FROM expected_items WHERE serial = ?1 "
        "  UNION ALL SELECT case_id, 'serial', 1 FROM receipts WHERE serial = ?1 AND voided = 0 "
        "    AND case_id IS NOT NULL "
        "  UNION ALL SELECT case_id, 'tracking_number', 2 FROM case_tracking WHERE tracking_number = ?1 "
        "  UNION ALL SELECT id, 'case_number', 3 FROM cases WHERE upper(case_number) LIKE upper(?2) ESCAPE "
        "'\\' "
        "  UNION ALL SELECT id, 'customer', 4 FROM cases WHERE upper(customer_name) LIKE upper(?2) ESCAPE "
        "'\\' "
        "    OR upper(customer_account) LIKE upper(?2) ESCAPE '\\' OR upper(partner) LIKE upper(?2) ESCAPE "
        "'\\'), "
        "best AS (SELECT case_id, matched_by, rank, "
        "                row_number() OVER (PARTITION BY case_id ORDER BY rank) AS n FROM hits) "
        "SELECT c.case_number, c.status, c.disposition, c.customer_name, c.customer_account, c.phase, "
        "       c.due_date, best.matched_by, c.id "
        "FROM best JOIN cases c ON c.id = best.case_id AND best.n = 1 "
        "ORDER BY best.rank, c.status <> 'open', c.due_date, c.case_number LIMIT ?3");
    s.bind(1, up).bind(2, like).bind(3, qBound(1, limit, 500));
    CaseLines caseLines(m_db);
    while (s.next()) {
        const CaseLines::Totals totals = caseLines.totals(s.int64(8));
        out.append(QJsonObject{
            {QStringLiteral("case_number"), s.text(0)},
            {QStringLiteral("status"), s.text(1)},
            {QStringLiteral("disposition"), s.text(2)},
            {QStringLiteral("customer"), s.text(3)},
            {QStringLiteral("account_id"), textOrNull(s, 4)},
            {QStringLiteral("phase"), s.int64(5)},
            {QStringLiteral("due_date"), s.text(6)},
            {QStringLiteral("matched_by"), s.text(7)},
            {QStringLiteral("expected_units"), totals.expectedUnits},
            {QStringLiteral("received_units"), totals.receivedOnLines},
        });
    }
    return out;
}

QJsonObject SupervisorService::caseDetail(const QString &caseNumber)
{
    std::optional<QJsonObject> detail = CaseStore(m_db).detail(caseNumber.trimmed());
    if (!detail)
        throw SupervisorError(
            SupervisorError::NotFound,
            QCoreApplication::translate("SupervisorService", "No case %1 is known to this station.")
                .arg(caseNumber.trimmed()));
    QJsonObject o = *detail;
    QJsonArray lines;
    for (const QJsonValue v : o.value(QLatin1String("items")).toArray()) {
        QJsonObject line = v.toObject();
        const qint64 qty = line.value(QLatin1String("quantity")).toInteger();
        const qint64 got = line.value(QLatin1String("received")).toInteger();
        line.insert(QStringLiteral("status"), got >= qty ? QStringLiteral("received")
                                              : got > 0  ? QStringLiteral("partial")
                                                         : QStringLiteral("missing"));
        lines.append(line);
    }
    o.insert(QStringLiteral("lines"), lines);
    const QDate today = m_clock.nowUtc().toTimeZone(m_timeZone).date();
    const QDate due = QDate::fromString(o.value(QLatin1String("due_date")).toString(), Qt::ISODate);
    o.insert(QStringLiteral("days_left"), due.isValid() ? QJsonValue(today.daysTo(due)) : QJsonValue());
    o.insert(QStringLiteral("late"), due.isValid() && today > due);
    QJsonArray receipts;
    Statement r =
        m_db.prepare("SELECT r.id, r.serial, r.sku, r.line, b.label, r.station_id, r.operator_id, "
                     "r.received_at, r.outcome, "
                     "       r.condition, r.late, (SELECT o.state FROM outbox o WHERE o.receipt_id = r.id "
                     "AND o.kind = 'receipt' "
                     "       AND o.state <> 'cancelled' ORDER BY o.id DESC LIMIT 1) "
                     "FROM receipts r JOIN cases c ON c.id = r.case_id LEFT JOIN boxes b ON b.id = r.box_id "
                     "WHERE c.case_number = ?1 AND r.voided = 0 ORDER BY r.id");
    r.bind(1, o.value(QLatin1String("case_number")).toString());
    while (r.next()) {
        receipts.append(QJsonObject{{QStringLiteral("receipt_id"), r.int64(0)},
                                    {QStringLiteral("serial"), r.text(1)},
                                    {QStringLiteral("sku"), textOrNull(r, 2)},
                                    {QStringLiteral("line"), intOrNull(r, 3)},
                                    {QStringLiteral("box"), textOrNull(r, 4)},
                                    {QStringLiteral("station_id"), r.text(5)},
                                    {QStringLiteral("operator_id"), textOrNull(r, 6)},
                                    {QStringLiteral("received_at"), r.text(7)},
                                    {QStringLiteral("outcome"), r.text(8)},
                                    {QStringLiteral("condition"), r.text(9)},
                                    {QStringLiteral("late"), r.int64(10) != 0},
                                    {QStringLiteral("upstream"), textOrNull(r, 11)}});
    }
    o.insert(QStringLiteral("receipts"), receipts);
    return o;
}

void SupervisorService::approvePartialClosure(const QString &caseNumberIn, const QString &note,
                                              const QString &supervisorId)
{
    m_now = now();
    Transaction tx(m_db);
    requireSupervisor(supervisorId);
    const QString text = requireNote(
        note, QCoreApplication::translate("SupervisorService", "the case closes with units missing"));
    const QString caseNumber = caseNumberIn.trimmed().toUpper();
    Statement c = m_db.prepare("SELECT id, status FROM cases WHERE case_number = ?1");
    if (!c.bind(1, caseNumber).next())
        throw SupervisorError(
            SupervisorError::NotFound,
            QCoreApplication::translate("SupervisorService", "No case %1 is known to this station.")
                .arg(caseNumber));
    const qint64 caseId = c.int64(0);
    const QString status = c.text(1);
    c.reset();
    if (status != QLatin1String("open"))
        throw SupervisorError(SupervisorError::Conflict,
                              QCoreApplication::translate("SupervisorService",
                                                          "Case %1 is %2; only an open case can be closed.")
                                  .arg(caseNumber, status));
    {
        // A unit of the case still in an open box could be undone at the dock, and undoing a unit cancels its
        // case's unsent closure: the box closes first, then the supervisor approves.
        Statement open =
            m_db.prepare("SELECT b.label, b.station_id FROM boxes b WHERE b.closed_at IS NULL AND "
                         "(b.case_id = ?1 OR EXISTS (SELECT 1 FROM receipts r WHERE r.box_id = b.id "
                         "AND r.case_id = ?1 AND r.voided = 0)) ORDER BY b.id LIMIT 1");
        if (open.bind(1, caseId).next())
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService",
                                            "Box %1 of case %2 is still open at station %3. Close it (:done) "
                                            "first, then approve the partial closure.")
                    .arg(open.text(0), caseNumber, open.text(1)));
    }
    CaseLines caseLines(m_db);
    const QList<int> missingLines = caseLines.missingLines(caseId);
    if (missingLines.isEmpty())
        throw SupervisorError(
            SupervisorError::Conflict,
            QCoreApplication::translate("SupervisorService",
                                        "Case %1 has received everything it expects; its closure goes "
                                        "upstream by itself.")
                .arg(caseNumber));
    const QStringList receivedSerials = caseLines.receivedSerials(caseId);
    const QString approvedBy = supervisorId.trimmed().toUpper();
    // Pending, not held: the outbox sends a closure only after every receipt of its case was accepted, so
    // receipts still held in an open box go first. Nothing already queued is cancelled.
    const QString key = UpstreamEvents(m_db).queueClosure(
        UpstreamEvents::Closure{caseNumber, QStringLiteral("partial"), receivedSerials, missingLines,
                                m_stationId, approvedBy},
        std::nullopt, m_now);
    QJsonArray missing;
    for (int l : missingLines)
        missing.append(l);
    const QJsonArray received = QJsonArray::fromStringList(receivedSerials);
    // Closed here at once, so later scans of its units are case_closed rather than receipts upstream refuses.
    Statement close = m_db.prepare("UPDATE cases SET status = 'closed' WHERE id = ?1");
    close.bind(1, caseId).exec();
    audit(supervisorId, QStringLiteral("case_partial_closure"), caseNumber,
          QJsonObject{{QStringLiteral("note"), text},
                      {QStringLiteral("received"), received},
                      {QStringLiteral("missing_lines"), missing},
                      {QStringLiteral("closure_id"), key}});
    tx.commit();
}

QJsonArray SupervisorService::casesDueSoon(int days)
{
    const QDate today = m_clock.nowUtc().toTimeZone(m_timeZone).date();
    const QString until = today.addDays(qMax(0, days)).toString(Qt::ISODate);
    Statement s = m_db.prepare(
        "SELECT c.case_number, c.customer_name, c.phase, c.due_date, "
        "       (SELECT coalesce(sum(quantity), 0) FROM expected_items e WHERE e.case_id = c.id) "
        "FROM cases c WHERE c.status = 'open' AND c.disposition = 'trade_in' AND c.due_date <= ?1 "
        "AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.case_id = c.id AND r.voided = 0 AND r.line IS NOT "
        "NULL) "
        "ORDER BY c.due_date, c.case_number");
    s.bind(1, until);
    QJsonArray out;
    while (s.next()) {
        const QDate due = QDate::fromString(s.text(3), Qt::ISODate);
        out.append(QJsonObject{{QStringLiteral("case_number"), s.text(0)},
                               {QStringLiteral("customer"), s.text(1)},
                               {QStringLiteral("phase"), s.int64(2)},
                               {QStringLiteral("due_date"), s.text(3)},
                               {QStringLiteral("days_left"), today.daysTo(due)},
                               {QStringLiteral("late"), today > due},
                               {QStringLiteral("expected_units"), s.int64(4)}});
    }
    return out;
}

QJsonArray SupervisorService::openBoxes()
{
    Statement s =
        m_db.prepare("SELECT b.station_id, b.id, b.label, c.case_number, c.customer_name, "
                     "nullif(coalesce(nullif(st.operator_id, ''), b.operator_id), ''), "
                     "       b.opened_at, (SELECT max(r.received_at) FROM receipts r WHERE r.box_id = b.id), "
                     "       (SELECT count(*) FROM receipts r WHERE r.box_id = b.id AND r.voided = 0), "
                     "       (SELECT count(*) FROM outbox o WHERE o.box_id = b.id AND o.state = 'held'), "
                     "       st.active_box_id = b.id "
                     "FROM boxes b LEFT JOIN cases c ON c.id = b.case_id LEFT JOIN station_state st ON "
                     "st.station_id = b.station_id "
                     "WHERE b.closed_at IS NULL ORDER BY b.station_id, b.id");
    QJsonArray out;
    while (s.next()) {
        out.append(QJsonObject{{QStringLiteral("station_id"), s.text(0)},
                               {QStringLiteral("box_id"), s.int64(1)},
                               {QStringLiteral("label"), s.text(2)},
                               {QStringLiteral("case_number"), textOrNull(s, 3)},
                               {QStringLiteral("customer"), textOrNull(s, 4)},
                               {QStringLiteral("operator_id"), textOrNull(s, 5)},
                               {QStringLiteral("opened_at"), s.text(6)},
                               {QStringLiteral("last_scan_at"), textOrNull(s, 7)},
                               {QStringLiteral("units"), s.int64(8)},
                               {QStringLiteral("held_events"), s.int64(9)}});
    }
    return out;
}

QJsonObject SupervisorService::settings()
{
    // Only what a supervisor may set: a row of a key no longer offered (station_id, scanner.*) is not shown,
    // as no station reads it.
    const QStringList keys = knownSettings();
    QJsonObject o;
    for (const QString &k : keys)
        o.insert(k, QJsonValue(QJsonValue::Null));
    Statement s = m_db.prepare("SELECT key, value FROM settings ORDER BY key");
    while (s.next()) {
        if (keys.contains(s.text(0)))
            o.insert(s.text(0), textOrNull(s, 1));
    }
    return o;
}

void SupervisorService::setSetting(const QString &keyIn, const QString &value, const QString &supervisorId)
{
    m_now = now();
    Transaction tx(m_db);
    requireSupervisor(supervisorId);
    const QString key = keyIn.trimmed();
    const StationSettings::Value parsed = StationSettings::parseDepot(key, value);
    if (!parsed.ok())
        throw SupervisorError(SupervisorError::Invalid, parsed.error);
    const QString stored = parsed.text();
    QString previous;
    bool had = false;
    {
        Statement old = m_db.prepare("SELECT value FROM settings WHERE key = ?1");
        if (old.bind(1, key).next()) {
            had = true;
            previous = old.text(0);
        }
    }
    Statement up =
        m_db.prepare("INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                     "updated_at = excluded.updated_at, updated_by = excluded.updated_by");
    up.bind(1, key).bind(2, stored).bind(3, m_now).bind(4, supervisorId.trimmed().toUpper()).exec();
    audit(supervisorId, QStringLiteral("setting_changed"), key,
          QJsonObject{{QStringLiteral("old"), had ? orNull(previous) : QJsonValue(QJsonValue::Null)},
                      {QStringLiteral("new"), stored}});
    tx.commit();
}

QJsonObject SupervisorService::assignNowExpected(qint64 id, const QString &supervisorId)
{
    m_now = now();
    Transaction tx(m_db);
    requireSupervisor(supervisorId);
    Unit u;
    QString caseNumber;
    int line = 0;
    {
        Statement s = m_db.prepare(
            "SELECT x.kind, x.status, x.serial, x.receipt_id, ne.case_number, x.now_expected_line, r.voided, "
            "       r.pending_sku, r.line, r.sku, r.received_at, r.station_id, r.operator_id, r.box_id, "
            "       b.label, bc.case_number, CASE WHEN b.closed_at IS NULL THEN 1 ELSE 0 END "
            "FROM exceptions x LEFT JOIN cases ne ON ne.id = x.now_expected_case_id "
            "LEFT JOIN receipts r ON r.id = x.receipt_id LEFT JOIN boxes b ON b.id = r.box_id "
            "LEFT JOIN cases bc ON bc.id = b.case_id WHERE x.id = ?1");
        if (!s.bind(1, id).next())
            throw SupervisorError(
                SupervisorError::NotFound,
                QCoreApplication::translate("SupervisorService", "There is no exception #%1.").arg(id));
        u.exceptionId = id;
        u.kind = s.text(0);
        u.status = s.text(1);
        u.serial = s.text(2);
        if (u.status != QLatin1String("open"))
            throw SupervisorError(
                SupervisorError::Conflict,
                QCoreApplication::translate("SupervisorService", "Exception #%1 is %2; nothing to assign.")
                    .arg(id)
                    .arg(u.status));
        if (s.isNull(4))
            throw SupervisorError(SupervisorError::Conflict,
                                  QCoreApplication::translate("SupervisorService",
                                                              "No case expects the unit of exception #%1 "
                                                              "now; resolve it another way.")
                                      .arg(id));
        caseNumber = s.text(4);
        line = int(s.int64(5));
        if (s.isNull(3) || s.int64(6) != 0 || s.int64(7) != 0 || !s.isNull(8))
            throw SupervisorError(SupervisorError::Conflict,
                                  QCoreApplication::translate("SupervisorService",
                                                              "The unit of exception #%1 has no receipt that "
                                                              "can move to case %2 (undone, waiting for its "
                                                              "SKU, or already on a line).")
                                      .arg(id)
                                      .arg(caseNumber));
        u.receiptId = s.int64(3);
        u.sku = s.text(9);
        u.receivedAt = s.text(10);
        u.stationId = s.text(11);
        u.operatorId = s.text(12);
        if (!s.isNull(13))
            u.boxId = s.int64(13);
        u.boxLabel = s.text(14);
        u.boxCaseNumber = s.text(15);
        u.boxOpen = u.boxId && s.int64(16) != 0;
    }
    // The mark was right when the case last changed; the line must still be open for this serial.
    Statement c = m_db.prepare("SELECT id FROM cases WHERE case_number = ?1");
    c.bind(1, caseNumber).next();
    const qint64 caseId = c.int64(0);
    c.reset();
    const std::optional<CaseLines::OpenLine> open = CaseLines(m_db).openLineForSerial(caseId, u.serial);
    if (!open || open->line != line)
        throw SupervisorError(
            SupervisorError::Conflict,
            QCoreApplication::translate("SupervisorService", "Case %1, line %2 no longer waits for %3.")
                .arg(caseNumber)
                .arg(line)
                .arg(u.serial));
    QJsonObject details{{QStringLiteral("exception_id"), id},
                        {QStringLiteral("kind"), u.kind},
                        {QStringLiteral("resolution"), AssignToCase},
                        {QStringLiteral("now_expected"), true}};
    assignToCase(u, caseNumber, QString(), details);
    const QString note = QStringLiteral("Now expected: case %1, line %2.").arg(caseNumber).arg(line);
    // Every open exception of this unit (its unexpected one and any already_received of a rescan) ends here.
    Statement up = m_db.prepare("UPDATE exceptions SET status = 'resolved', resolution = ?2, resolver = ?3, "
                                "notes = ?4, resolved_at = "
                                "?5, case_id = ?6, now_expected_case_id = NULL, now_expected_line = NULL "
                                "WHERE status = 'open' AND (id = ?1 OR receipt_id = ?7)");
    up.bind(1, id)
        .bind(2, AssignToCase)
        .bind(3, supervisorId.trimmed().toUpper())
        .bind(4, note)
        .bind(5, m_now);
    up.bind(6, caseId).bind(7, *u.receiptId).exec();
    details.insert(QStringLiteral("exceptions_resolved"), m_db.changes());
    audit(supervisorId, QStringLiteral("exception_resolved"), u.serial, details);
    tx.commit();
    return QJsonObject{{QStringLiteral("exception_id"), id},
                       {QStringLiteral("case_number"), caseNumber},
                       {QStringLiteral("line"), details.value(QLatin1String("line"))},
                       {QStringLiteral("receipt_id"), *u.receiptId},
                       {QStringLiteral("case_complete"), details.value(QLatin1String("case_complete"))}};
}

// The stored case with the form's lines; refuses (naming the sheet, row and column) what the case cannot
// take. Runs inside importForm's transaction.
CaseRecord SupervisorService::formRecord(const TradeInFormImport &form, qint64 *caseId)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("SupervisorService", text); };
    const QString sheet = form.sheetName.isEmpty() ? QStringLiteral("?") : form.sheetName;
    const QString caseNumber = form.caseNumber.trimmed().toUpper();
    const QString caseWhere = form.caseCell.isEmpty() ? tr("Sheet '%1'").arg(sheet)
                                                      : tr("Sheet '%1', %2").arg(sheet, form.caseCell);
    if (caseNumber.isEmpty())
        throw SupervisorError(SupervisorError::Invalid,
                              tr("%1: the form names no case number; give the case with --case CASE. Nothing "
                                 "was imported.")
                                  .arg(caseWhere));
    std::optional<CaseRecord> record = CaseChanges(m_db).load(caseNumber);
    if (!record)
        throw SupervisorError(SupervisorError::NotFound,
                              tr("%1: case %2 is not known to this station (pull it with sync, or import it "
                                 "first). Nothing was imported.")
                                  .arg(caseWhere, caseNumber));
    if (record->status != QLatin1String("open") || record->disposition != QLatin1String("trade_in"))
        throw SupervisorError(
            SupervisorError::Conflict,
            tr("%1: case %2 is a %3 %4 case; a Trade-In Form changes only open trade-in "
               "cases. Nothing was imported.")
                .arg(caseWhere, caseNumber, record->status,
                     record->disposition == QLatin1String("trade_in") ? tr("trade-in") : tr("destruction")));
    {
        Statement c = m_db.prepare("SELECT id FROM cases WHERE case_number = ?1");
        c.bind(1, caseNumber).next();
        *caseId = c.int64(0);
    }
    if (form.lines.isEmpty())
        throw SupervisorError(SupervisorError::Invalid,
                              tr("Sheet '%1' lists no equipment lines. Nothing was imported.").arg(sheet));
    const QRegularExpression identifier(QStringLiteral("^[\\x21-\\x7E]{1,128}$"));
    QHash<int, int> rowOfLine;
    QHash<QString, int> rowOfSerial;
    Statement elsewhere = m_db.prepare(
        "SELECT c.case_number, e.line FROM expected_items e JOIN cases c ON c.id = e.case_id "
        "WHERE e.serial = ?1 AND e.case_id <> ?2 AND c.status = 'open' ORDER BY c.case_number LIMIT 1");
    Statement received = m_db.prepare(
        "SELECT c.case_number, r.line FROM receipts r JOIN cases c ON c.id = r.case_id "
        "WHERE r.serial = ?1 AND r.voided = 0 AND r.line IS NOT NULL AND r.case_id <> ?2 LIMIT 1");
    QList<CaseRecord::Item> items;
    for (const TradeInFormImport::Line &l : form.lines) {
        const QString lineSheet = l.sheet.isEmpty() ? sheet : l.sheet;
        const QString at = tr("Sheet '%1', row %2").arg(lineSheet).arg(l.row);
        const QString serialAt = l.serialColumn.isEmpty() ? at : tr("%1, column %2").arg(at, l.serialColumn);
        const auto refuse = [](SupervisorError::Kind kind, const QString &text) {
            throw SupervisorError(
                kind, text + QLatin1Char(' ') +
                          QCoreApplication::translate("SupervisorService", "Nothing was imported."));
        };
        if (l.line < 1)
            refuse(SupervisorError::Invalid, tr("%1: the line number must be 1 or more.").arg(at));
        if (rowOfLine.contains(l.line))
            refuse(SupervisorError::Invalid,
                   tr("%1: line %2 is also on row %3.").arg(at).arg(l.line).arg(rowOfLine.value(l.line)));
        rowOfLine.insert(l.line, l.row);
        const QString sku = l.sku.trimmed().toUpper();
        if (!identifier.match(sku).hasMatch())
            refuse(SupervisorError::Invalid, tr("%1: line %2 needs a SKU.").arg(at).arg(l.line));
        if (l.quantity < 1 || l.quantity > 10000)
            refuse(SupervisorError::Invalid,
                   tr("%1: the quantity of line %2 must be a whole number from 1 to 10000.")
                       .arg(at)
                       .arg(l.line));
        const QString serial = l.serial.trimmed().toUpper();
        if (!serial.isEmpty()) {
            if (!identifier.match(serial).hasMatch())
                refuse(SupervisorError::Invalid,
                       tr("%1: serial \"%2\" is not a serial (printable, no spaces, at most 128 characters).")
                           .arg(serialAt, l.serial));
            if (l.quantity != 1)
                refuse(SupervisorError::Invalid,
                       tr("%1: line %2 has a serial, so its quantity must be 1.").arg(serialAt).arg(l.line));
            if (rowOfSerial.contains(serial))
                refuse(SupervisorError::Invalid, tr("%1: serial %2 is also on row %3.")
                                                     .arg(serialAt, serial)
                                                     .arg(rowOfSerial.value(serial)));
            rowOfSerial.insert(serial, l.row);
            if (elsewhere.bind(1, serial).bind(2, *caseId).next()) {
                const QString other = elsewhere.text(0);
                const qint64 otherLine = elsewhere.int64(1);
                elsewhere.reset();
                refuse(SupervisorError::Conflict,
                       tr("%1: serial %2 is already expected on open case %3, line %4.")
                           .arg(serialAt, serial, other)
                           .arg(otherLine));
            }
            elsewhere.reset();
            if (received.bind(1, serial).bind(2, *caseId).next()) {
                const QString other = received.text(0);
                const qint64 otherLine = received.int64(1);
                received.reset();
                refuse(SupervisorError::Conflict, tr("%1: serial %2 is already received on case %3, line %4.")
                                                      .arg(serialAt, serial, other)
                                                      .arg(otherLine));
            }
            received.reset();
        }
        items.append(CaseRecord::Item{l.line, sku, l.description.trimmed().left(500), serial, l.quantity});
    }
    std::sort(items.begin(), items.end(),
              [](const CaseRecord::Item &a, const CaseRecord::Item &b) { return a.line < b.line; });
    record->items = items;
    return *record;
}

QJsonObject SupervisorService::importForm(const TradeInFormImport &form, bool dryRun,
                                          const QString &supervisorId)
{
    m_now = now();
    Transaction tx(m_db);
    requireSupervisor(supervisorId);
    qint64 caseId = 0;
    const CaseRecord record = formRecord(form, &caseId);
    const QString fileName = form.fileName.section(QLatin1Char('/'), -1);
    const QString why =
        QCoreApplication::translate("SupervisorService", "the Trade-In Form %1").arg(fileName);
    CaseChanges changes(m_db);
    const CaseChanges::Result res = changes.apply(
        record,
        CaseChanges::Context{CaseChanges::Source::ImportForm, supervisorId.trimmed().toUpper(), m_now, why},
        true);
    changes.rematch();

    QJsonObject out = res.toJson();
    out.insert(QStringLiteral("case_number"), record.caseNumber);
    out.insert(QStringLiteral("file_name"), fileName);
    out.insert(QStringLiteral("sha256"), form.sha256);
    out.insert(QStringLiteral("dry_run"), dryRun);
    QJsonArray nowExpected;
    Statement x = m_db.prepare("SELECT id, serial, kind, now_expected_line FROM exceptions "
                               "WHERE status = 'open' AND now_expected_case_id = ?1 ORDER BY id");
    x.bind(1, caseId);
    while (x.next())
        nowExpected.append(QJsonObject{{QStringLiteral("exception_id"), x.int64(0)},
                                       {QStringLiteral("serial"), x.text(1)},
                                       {QStringLiteral("kind"), x.text(2)},
                                       {QStringLiteral("line"), x.int64(3)}});
    out.insert(QStringLiteral("now_expected"), nowExpected);

    QJsonArray lines;
    for (const TradeInFormImport::Line &l : form.lines)
        lines.append(QJsonObject{{QStringLiteral("line"), l.line},
                                 {QStringLiteral("sku"), l.sku.trimmed().toUpper()},
                                 {QStringLiteral("description"), l.description},
                                 {QStringLiteral("serial"), orNull(l.serial.trimmed().toUpper())},
                                 {QStringLiteral("quantity"), l.quantity},
                                 {QStringLiteral("sheet"), l.sheet.isEmpty() ? form.sheetName : l.sheet},
                                 {QStringLiteral("row"), l.row}});
    Statement keep = m_db.prepare("INSERT INTO case_forms (case_id, file_name, sha256, sheet, imported_at, "
                                  "imported_by, lines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    keep.bind(1, caseId).bind(2, fileName).bind(3, form.sha256).bind(4, form.sheetName).bind(5, m_now);
    keep.bind(6, supervisorId.trimmed().toUpper())
        .bind(7, QString::fromUtf8(QJsonDocument(lines).toJson(QJsonDocument::Compact)));
    keep.exec();
    audit(supervisorId, QStringLiteral("form_imported"), record.caseNumber,
          QJsonObject{{QStringLiteral("file_name"), fileName},
                      {QStringLiteral("sha256"), form.sha256},
                      {QStringLiteral("lines"), int(form.lines.size())},
                      {QStringLiteral("now_expected"), int(nowExpected.size())}});
    if (!dryRun)
        tx.commit();
    return out;
}
