// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReceivingService.h"
#include "CaseChanges.h"
#include "CaseLines.h"
#include "Clock.h"
#include "Database.h"
#include "IdleBoxes.h"
#include "LabelReadPicker.h"
#include "Operators.h"
#include "ScanLookup.h"
#include "SerialMatch.h"
#include "StationState.h"
#include "UpstreamEvents.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

Q_LOGGING_CATEGORY(lcReceiving, "rs.receiving", QtInfoMsg)

namespace {
QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString dueDateOf(Database &db, const QString &caseNumber)
{
    Statement s = db.prepare("SELECT due_date FROM cases WHERE case_number = ?1");
    return s.bind(1, caseNumber).next() ? s.text(0) : QString();
}

// What a unit is until someone says otherwise (the column's default, written out so the receipt event built
// from the values in hand says the same).
constexpr const char *NewReceiptCondition = "working";

QString linesText(const QList<int> &lines)
{
    QStringList parts;
    for (int l : lines)
        parts << QString::number(l);
    return parts.join(QLatin1String(", "));
}
} // namespace

ReceivingService::ReceivingService(Database &db, const Clock &clock, Options options)
    : m_db(db), m_clock(clock), m_options(std::move(options))
{
}

Verdict ReceivingService::scan(const ScanEvent &event, const QString &stationId)
{
    return scanRead({event}, stationId);
}

Verdict ReceivingService::scanRead(const QList<ScanEvent> &read, const QString &stationId)
{
    QList<ScanNormaliser::Result> codes;
    for (const ScanEvent &e : read) {
        ScanNormaliser::Result n = ScanNormaliser::normalise(e.raw, e.truncated);
        if (n.isValid())
            codes.append(std::move(n));
    }
    if (codes.isEmpty()) {
        const ScanNormaliser::Result norm =
            read.isEmpty() ? ScanNormaliser::normalise(QByteArray())
                           : ScanNormaliser::normalise(read.front().raw, read.front().truncated);
        Verdict v;
        v.input = norm.display;
        v.kind = ScanKind::Invalid;
        v.outcome = Outcome::Invalid;
        v.message = ScanNormaliser::problemMessage(norm.problem);
        qCInfo(lcReceiving) << "refused scan from" << (read.isEmpty() ? QString() : read.front().sourceId)
                            << ":" << v.message;
        return v;
    }
    // On the depot's PostgreSQL a scan runs beside other stations' scans: a conflict with one of them
    // (serialization failure, deadlock, the live serial it just took) or a dropped connection is retried
    // here a few times. Each attempt carries the same scan id, stored with the verdict in the scan's own
    // transaction, so an attempt whose COMMIT went through but whose answer was lost is found, not repeated.
    const bool shared = m_db.isPostgres();
    const QString scanId = shared ? QUuid::createUuid().toString(QUuid::WithoutBraces) : QString();
    constexpr int attempts = 4;
    for (int attempt = 1;; ++attempt) {
        try {
            m_now = isoUtc(m_clock.nowUtc());
            if (shared && attempt > 1) {
                if (std::optional<Verdict> done = storedVerdict(scanId))
                    return *done;
            }
            Transaction tx(m_db, shared ? Transaction::Mode::Shared : Transaction::Mode::Exclusive);
            Verdict v = process(codes, read.front().manualEntry, stationId);
            if (shared)
                storeVerdict(scanId, stationId, v);
            tx.commit();
            return v;
        } catch (const DbException &e) {
            if (shared && attempt < attempts && e.error().isRetryable()) {
                qCInfo(lcReceiving) << "scan attempt" << attempt << "of" << attempts
                                    << "not recorded, trying again:" << e.error().message;
                continue;
            }
            Verdict v;
            v.input = codes.front().display;
            v.kind = ScanKind::Invalid;
            v.outcome = Outcome::NotRecorded;
            v.message = e.error().kind == DbError::Kind::Unreachable
                            ? QCoreApplication::translate(
                                  "Verdict", "NOT SAVED - the depot database is not reachable. Scan again.")
                            : QCoreApplication::translate("Verdict", "NOT SAVED - scan this unit again. %1")
                                  .arg(e.error().message);
            qCCritical(lcReceiving) << "scan not recorded:" << e.error().message;
            return v;
        }
    }
}

std::optional<Verdict> ReceivingService::storedVerdict(const QString &scanId)
{
    Statement s = m_db.prepare("SELECT verdict FROM scan_results WHERE scan_id = ?1");
    if (!s.bind(1, scanId).next())
        return std::nullopt;
    return Verdict::fromJson(QJsonDocument::fromJson(s.utf8(0)).object());
}

void ReceivingService::storeVerdict(const QString &scanId, const QString &stationId, const Verdict &v)
{
    Statement s =
        m_db.prepare("INSERT INTO scan_results (scan_id, station_id, at, verdict) VALUES (?1, ?2, ?3, ?4)");
    s.bind(1, scanId).bind(2, stationId).bind(3, m_now);
    s.bind(4, QJsonDocument(v.toJson()).toJson(QJsonDocument::Compact)).send();
    // A stored answer only matters while its scan may still be retried: keep an hour of them.
    if (++m_storedVerdicts % 256 == 1) {
        Statement prune = m_db.prepare("DELETE FROM scan_results WHERE station_id = ?1 AND at < ?2");
        prune.bind(1, stationId).bind(2, isoUtc(m_clock.nowUtc().addSecs(-3600))).send();
    }
}

void ReceivingService::signIn(const QString &stationId, const QString &operatorId)
{
    m_now = isoUtc(m_clock.nowUtc());
    Transaction tx(m_db);
    Statement s =
        m_db.prepare("INSERT INTO station_state (station_id, operator_id, updated_at) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT(station_id) DO UPDATE SET operator_id = excluded.operator_id, "
                     "updated_at = excluded.updated_at");
    s.bind(1, stationId).bind(2, operatorId).bind(3, m_now).exec();
    Station st;
    st.id = stationId;
    st.operatorId = operatorId;
    audit(st, QStringLiteral("signed_in"), operatorId);
    tx.commit();
}

void ReceivingService::signOut(const QString &stationId)
{
    m_now = isoUtc(m_clock.nowUtc());
    Transaction tx(m_db);
    Station st = StationState::load(m_db, stationId);
    if (st.boxId)
        st.closeBox(m_db, m_now);
    audit(st, QStringLiteral("signed_out"), st.operatorId);
    st.operatorId.clear();
    saveStation(st);
    tx.commit();
}

int ReceivingService::closeIdleBoxes(int idleMinutes)
{
    return IdleBoxes(m_db, m_clock).close(idleMinutes);
}

Verdict ReceivingService::process(const QList<ScanNormaliser::Result> &codes, bool manualEntry,
                                  const QString &stationId)
{
    // Stations working on one case take turns from here to COMMIT (PostgreSQL): the box's case row is locked
    // before anything about the case is read.
    Station st = StationState::load(m_db, stationId, StationState::CaseLock::BoxCase);

    ScanLookup lookup(m_db, st.caseId);
    QList<Classification> classified;
    for (const ScanNormaliser::Result &code : codes)
        classified.append(ScanClassifier::classify(code, lookup, m_options.labelFields));
    const LabelReadPicker::Pick pick = LabelReadPicker::pick(classified);
    Classification c = classified.at(pick.index);
    const ScanNormaliser::Result &norm = codes.at(pick.index);
    if (c.sku.isEmpty())
        c.sku = pick.skuHint;

    Verdict v;
    if (c.kind == ScanKind::Invalid) {
        v.kind = ScanKind::Invalid;
        v.outcome = Outcome::Invalid;
        v.message = c.problem;
    } else if (c.command == Command::Done) {
        v = onDone(st);
    } else if (c.command == Command::Undo) {
        v = onUndo(st);
    } else if (c.boxLabel) {
        v = onBoxLabel(st, c);
    } else if (st.pendingReceiptId && !(c.kind == ScanKind::Sku)) {
        v.outcome = Outcome::SkuExpected;
        v.serial = st.pendingSerial;
        v.caseNumber = st.caseNumber;
        v.message = QCoreApplication::translate(
                        "Verdict", "Unit %1 is waiting for its SKU. Scan the SKU barcode on that unit.")
                        .arg(st.pendingSerial);
    } else if (c.kind == ScanKind::Badge) {
        v = onBadge(st, c);
    } else if (c.kind == ScanKind::Sku) {
        v = onSku(st, c);
    } else if (!c.problem.isEmpty()) {
        v.outcome = Outcome::WrongBarcode;
        v.message = c.problem;
    } else {
        v = onSerial(st, c, lookup.find(c.value), manualEntry);
    }
    // The flag is about the case the verdict names, whatever the outcome (the contract: on every verdict).
    if (!v.caseNumber.isEmpty()) {
        // The open box's case is already loaded; only another case (cross-case, a closed box) is looked up.
        const bool boxCase = v.caseNumber == st.caseNumber && !st.dueDate.isEmpty();
        v.late = isLate(boxCase ? st.dueDate : dueDateOf(m_db, v.caseNumber));
    }
    v.kind = c.kind;
    // A badge is an identifier printed on a card: the verdict (banner, recent scans, CLI line) names the
    // operator and shows only a masked form of it.
    v.input = c.kind == ScanKind::Badge ? Operators::maskBadge(norm.display) : norm.display;
    if (!v.boxId)
        v.boxId = st.boxId;
    return v;
}

Verdict ReceivingService::onBadge(Station &st, const Classification &c)
{
    Verdict v;
    Statement s = m_db.prepare("SELECT name, role, disabled_at FROM operators WHERE badge = ?1");
    s.bind(1, c.value).next();
    const QString name = s.text(0);
    if (!s.text(2).isEmpty()) {
        // A disabled badge signs nobody in and records nothing: whoever was signed in stays.
        v.outcome = Outcome::BadgeDisabled;
        v.message = QCoreApplication::translate("Verdict", "Badge disabled — see a supervisor.");
        return v;
    }
    st.operatorId = c.value;
    saveStation(st);
    audit(st, QStringLiteral("signed_in"), c.value);
    v.outcome = Outcome::SignedIn;
    v.message = QCoreApplication::translate("Verdict", "Signed in: %1.").arg(name);
    return v;
}

Verdict ReceivingService::onBoxLabel(Station &st, const Classification &c)
{
    Verdict v;
    if (st.boxId && st.boxLabel == c.value) {
        v.outcome = Outcome::Duplicate;
        v.caseNumber = st.caseNumber;
        v.message =
            QCoreApplication::translate("Verdict", "This box is already open. Scan the units inside it.");
        return v;
    }
    std::optional<qint64> caseId;
    QString caseNumber, customer, dueDate;
    {
        Statement s =
            c.kind == ScanKind::CaseNumber
                ? m_db.prepare("SELECT id, case_number, customer_name, due_date FROM cases "
                               "WHERE case_number = ?1")
                : m_db.prepare("SELECT c.id, c.case_number, c.customer_name, c.due_date FROM cases c "
                               "JOIN case_tracking t ON t.case_id = c.id WHERE t.tracking_number = ?1");
        if (s.bind(1, c.value).next()) {
            caseId = s.int64(0);
            caseNumber = s.text(1);
            customer = s.text(2);
            dueDate = s.text(3);
        }
    }
    if (st.boxId) {
        const StationState::ClosedBox closed = st.closeBox(m_db, m_now);
        v.closedBox = closed.label;
        v.missingLines = closed.missingLines;
        v.unboundSerial = closed.unboundSerial;
    }
    Statement ins = m_db.prepare("INSERT INTO boxes (label, case_id, station_id, operator_id, opened_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)");
    ins.bind(1, c.value);
    caseId ? ins.bind(2, *caseId) : ins.bindNull(2);
    ins.bind(3, st.id).bind(4, st.operatorId).bind(5, m_now).exec();
    st.boxId = m_db.lastInsertId();
    st.boxLabel = c.value;
    st.caseId = caseId;
    st.caseNumber = caseNumber;
    st.dueDate = dueDate;
    st.pendingReceiptId.reset();
    saveStation(st);
    v.boxId = st.boxId;
    if (caseId) {
        v.outcome = Outcome::BoxOpened;
        v.caseNumber = caseNumber;
        v.late = isLate(dueDate);
        v.message = QCoreApplication::translate(
                        "Verdict", "Box opened for case %1 (%2). Scan each unit's serial number.")
                        .arg(caseNumber, customer);
        audit(st, QStringLiteral("box_opened"), c.value, json({{QStringLiteral("case_number"), caseNumber}}));
    } else {
        v.outcome = Outcome::BoxUnknown;
        v.message = QCoreApplication::translate(
            "Verdict", "No case knows this label. Scan the units; they go to the exception shelf.");
        audit(st, QStringLiteral("box_unknown"), c.value);
    }
    if (!v.closedBox.isEmpty()) {
        v.message += QCoreApplication::translate("Verdict", " Previous box %1 closed").arg(v.closedBox);
        v.message += v.missingLines && !v.missingLines->isEmpty()
                         ? QCoreApplication::translate("Verdict", ", lines still missing: %1.")
                               .arg(linesText(*v.missingLines))
                         : QCoreApplication::translate("Verdict", ".");
    }
    return v;
}

Verdict ReceivingService::onDone(Station &st)
{
    Verdict v;
    if (!st.boxId) {
        v.outcome = Outcome::NoBox;
        v.message = QCoreApplication::translate("Verdict", "No box is open. Scan a box label first.");
        return v;
    }
    v.boxId = st.boxId;
    const StationState::ClosedBox closed = st.closeBox(m_db, m_now);
    v.outcome = Outcome::BoxClosed;
    v.caseNumber = closed.caseNumber;
    v.closedBox = closed.label;
    v.unboundSerial = closed.unboundSerial;
    v.exceptionId = closed.unboundException;
    if (!closed.caseNumber.isEmpty()) {
        v.missingLines = closed.missingLines;
        v.message =
            closed.missingLines.isEmpty()
                ? QCoreApplication::translate("Verdict", "Box closed. Case %1 has everything it expects.")
                      .arg(closed.caseNumber)
                : QCoreApplication::translate("Verdict", "Box closed. Case %1 still misses lines %2.")
                      .arg(closed.caseNumber, linesText(closed.missingLines));
    } else {
        v.message = QCoreApplication::translate("Verdict", "Box closed.");
    }
    if (!closed.unboundSerial.isEmpty())
        v.message +=
            QCoreApplication::translate("Verdict", " Unit %1 got no SKU: put it on the exception shelf.")
                .arg(closed.unboundSerial);
    return v;
}

Verdict ReceivingService::onUndo(Station &st)
{
    Verdict v;
    if (!st.boxId) {
        v.outcome = Outcome::NothingToUndo;
        v.message = QCoreApplication::translate("Verdict", "No box is open, so there is nothing to undo.");
        return v;
    }
    Statement last =
        m_db.prepare("SELECT r.id, r.serial, r.sku, r.line, c.case_number, r.case_id FROM receipts r "
                     "LEFT JOIN cases c ON c.id = r.case_id "
                     "WHERE r.box_id = ?1 AND r.voided = 0 ORDER BY r.id DESC LIMIT 1");
    if (!last.bind(1, *st.boxId).next()) {
        v.outcome = Outcome::NothingToUndo;
        v.message = QCoreApplication::translate(
            "Verdict", "Nothing scanned in this box yet, so there is nothing to undo.");
        return v;
    }
    const qint64 receiptId = last.int64(0);
    v.serial = last.text(1);
    v.sku = last.text(2);
    if (!last.isNull(3))
        v.line = int(last.int64(3));
    v.caseNumber = last.text(4);
    // Only a unit that filled a line counted towards its case's completion; voiding an unexpected,
    // closed-case or destruction unit leaves a complete case complete, and its closure must still go out.
    const bool filledLine = !last.isNull(5) && v.line.has_value();

    Statement voidIt = m_db.prepare("UPDATE receipts SET voided = 1, voided_at = ?2 WHERE id = ?1");
    voidIt.bind(1, receiptId).bind(2, m_now).exec();
    Statement exc = m_db.prepare("UPDATE exceptions SET status = 'cancelled', resolved_at = ?3 "
                                 "WHERE receipt_id = ?1 AND box_id = ?2 AND status = 'open'");
    exc.bind(1, receiptId).bind(2, *st.boxId).bind(3, m_now).exec();
    Statement events =
        m_db.prepare("UPDATE outbox SET state = 'cancelled' WHERE receipt_id = ?1 AND state = 'held'");
    events.bind(1, receiptId).exec();
    if (filledLine) {
        Statement closure = m_db.prepare("UPDATE outbox SET state = 'cancelled' WHERE kind = 'closure' "
                                         "AND case_number = ?1 AND state IN ('held', 'pending')");
        closure.bind(1, v.caseNumber).exec();
    }
    if (st.pendingReceiptId == receiptId)
        st.pendingReceiptId.reset();
    saveStation(st);
    audit(st, QStringLiteral("undone"), v.serial, json({{QStringLiteral("receipt_id"), receiptId}}));
    v.outcome = Outcome::Undone;
    v.receiptId = receiptId;
    v.message =
        QCoreApplication::translate("Verdict", "Undone: %1 is no longer received. Take it out of the box.")
            .arg(v.serial);
    return v;
}

Verdict ReceivingService::onSku(Station &st, const Classification &c)
{
    Verdict v;
    v.sku = c.value;
    v.caseNumber = st.caseNumber;
    if (!st.pendingReceiptId) {
        v.outcome = Outcome::SkuExpected;
        v.message =
            QCoreApplication::translate("Verdict", "That is a SKU. Scan the unit's serial number first.");
        return v;
    }
    v.serial = st.pendingSerial;
    const std::optional<int> line =
        st.caseId ? CaseLines(m_db).openSerialLessLine(*st.caseId, c.value) : std::nullopt;
    if (!line) {
        v.outcome = Outcome::SkuExpected;
        v.message = QCoreApplication::translate(
                        "Verdict", "Case %1 expects no more units of SKU %2. Scan the SKU of unit %3.")
                        .arg(st.caseNumber, c.value, st.pendingSerial);
        return v;
    }
    return bindPending(st, *st.pendingReceiptId, st.pendingSerial, c.value, *line, v);
}

Verdict ReceivingService::bindPending(Station &st, qint64 receiptId, const QString &serial,
                                      const QString &sku, int line, Verdict v)
{
    const bool late = isLate(st.dueDate);
    Statement bind = m_db.prepare("UPDATE receipts SET sku = ?2, line = ?3, outcome = 'matched_by_sku', "
                                  "pending_sku = 0, late = ?4 WHERE id = ?1");
    bind.bind(1, receiptId).bind(2, sku).bind(3, line).bind(4, late).exec();
    st.pendingReceiptId.reset();
    saveStation(st);
    queueReceiptEvent(st, receiptId, st.caseNumber);
    v.outcome = Outcome::MatchedBySku;
    v.serial = serial;
    v.sku = sku;
    v.line = line;
    v.caseNumber = st.caseNumber;
    v.receiptId = receiptId;
    v.late = late;
    v.caseComplete = completeAfterReceipt(st, *st.caseId, st.caseNumber);
    v.message =
        QCoreApplication::translate("Verdict", "Received %1 as SKU %2, line %3.").arg(serial, sku).arg(line);
    if (v.caseComplete)
        v.message += QCoreApplication::translate("Verdict", " Case %1 is complete.").arg(st.caseNumber);
    return v;
}

// Serial scans: gather the facts, decide (SerialMatch), apply the decision, word the verdict.
Verdict ReceivingService::onSerial(Station &st, const Classification &c, const ScanLookup::Found &found,
                                   bool manual)
{
    const QString &serial = c.value;
    const SerialFacts facts = serialFacts(st, c, found);
    const SerialDecision d = SerialMatch::decide(facts);
    const SerialFacts::Expected *e = d.expectedIndex >= 0 ? &facts.expected.at(d.expectedIndex) : nullptr;

    Verdict v;
    v.serial = serial;
    v.outcome = d.outcome;
    switch (d.outcome) {
    case Outcome::Duplicate:
        v.caseNumber = st.caseNumber;
        v.receiptId = facts.live->receiptId;
        v.message =
            QCoreApplication::translate("Verdict", "Already scanned in this box. Scan the next unit.");
        return v;
    case Outcome::AlreadyReceived: {
        const QString where =
            facts.live->boxLabel.isEmpty()
                ? QCoreApplication::translate("Verdict", "without a box")
                : QCoreApplication::translate("Verdict", "in box %1").arg(facts.live->boxLabel);
        const QString when = facts.live->receivedAt.left(10);
        v.caseNumber = st.caseNumber;
        v.exceptionId =
            insertException(st, QStringLiteral("already_received"), facts.live->receiptId, st.caseId, serial);
        v.message = QCoreApplication::translate(
                        "Verdict", "Already received on %1 %2. Put this unit on the exception shelf.")
                        .arg(when, where);
        return v;
    }
    case Outcome::Matched:
    case Outcome::CrossCase: {
        // The look-up read the case's totals after the box's case was locked (StationState::load); another
        // case is locked only now, so its totals are read again after this receipt.
        std::optional<CaseLines::Totals> totals;
        if (e->caseId != st.caseId) {
            CaseLines(m_db).lockCase(e->caseId);
        } else {
            const ScanLookup::Expected &counted = found.expected.at(d.expectedIndex);
            totals = CaseLines::Totals{counted.caseExpectedUnits, counted.caseReceivedOnLines + 1};
        }
        v.caseNumber = e->caseNumber;
        v.line = e->line;
        v.sku = e->sku;
        v.late = isLate(e->dueDate);
        // A unit held as an exception that a case change made "now expected": its old receipt gives way.
        const QString supersedes =
            d.rematch ? CaseChanges(m_db).rematched(facts.live->receiptId, e->caseId, st.operatorId, m_now)
                      : QString();
        v.receiptId = insertReceipt(st, serial, e->sku, e->caseId, e->line, d.outcome, v.late, false, manual);
        UpstreamEvents(m_db).queueReceipt(
            UpstreamEvents::Receipt{*v.receiptId, serial, e->sku, e->line, m_now, st.id, st.operatorId,
                                    QString::fromLatin1(NewReceiptCondition), v.late, supersedes},
            e->caseNumber, UpstreamEvents::trackingNumber(st.boxLabel, st.caseNumber), st.boxId, m_now);
        if (d.outcome == Outcome::CrossCase) {
            v.exceptionId = insertException(st, QStringLiteral("cross_case"), v.receiptId, e->caseId, serial);
            v.message =
                QCoreApplication::translate(
                    "Verdict", "Belongs to case %1, not this box's case. Put it on the exception shelf.")
                    .arg(e->caseNumber);
        } else {
            v.message =
                QCoreApplication::translate("Verdict", "Received: line %1, %2.").arg(e->line).arg(e->sku);
        }
        v.caseComplete = completeAfterReceipt(st, e->caseId, e->caseNumber, totals);
        if (v.caseComplete)
            v.message += QCoreApplication::translate("Verdict", " Case %1 is complete.").arg(e->caseNumber);
        return v;
    }
    case Outcome::Ambiguous:
        v.receiptId =
            insertReceipt(st, serial, QString(), std::nullopt, std::nullopt, v.outcome, false, false, manual);
        v.exceptionId = insertException(st, QStringLiteral("ambiguous"), v.receiptId, std::nullopt, serial);
        v.message =
            QCoreApplication::translate(
                "Verdict", "Expected on %1 open cases. Put it on the exception shelf for a supervisor.")
                .arg(d.openCases);
        return v;
    case Outcome::DestructionCase:
    case Outcome::CaseClosed: {
        // The case statuses a message names, for the translations.
        static constexpr const char *statusWords[] = {QT_TRANSLATE_NOOP("Verdict", "closed"),
                                                      QT_TRANSLATE_NOOP("Verdict", "cancelled")};
        Q_UNUSED(statusWords);
        v.caseNumber = e->caseNumber;
        v.sku = e->sku;
        v.receiptId =
            insertReceipt(st, serial, e->sku, e->caseId, std::nullopt, v.outcome, false, false, manual);
        v.exceptionId = insertException(st, outcomeName(v.outcome), v.receiptId, e->caseId, serial);
        v.message =
            d.outcome == Outcome::DestructionCase
                ? QCoreApplication::translate(
                      "Verdict", "Case %1 is a destruction case: this unit should not be here. Put it on the "
                                 "exception shelf.")
                      .arg(e->caseNumber)
                : QCoreApplication::translate("Verdict",
                                              "Case %1 is %2. Put this unit on the exception shelf.")
                      .arg(e->caseNumber,
                           QCoreApplication::translate("Verdict", e->status.toUtf8().constData()));
        return v;
    }
    case Outcome::MatchedBySku: {
        const qint64 id = insertReceipt(st, serial, QString(), st.caseId, std::nullopt, Outcome::AwaitingSku,
                                        false, true, manual);
        return bindPending(st, id, serial, c.sku, *d.skuLine, v);
    }
    case Outcome::AwaitingSku:
        v.caseNumber = st.caseNumber;
        v.receiptId =
            insertReceipt(st, serial, QString(), st.caseId, std::nullopt, v.outcome, false, true, manual);
        st.pendingReceiptId = v.receiptId;
        st.pendingSerial = serial;
        saveStation(st);
        v.message = QCoreApplication::translate(
                        "Verdict", "New serial for case %1. Now scan this unit's SKU (part number) barcode.")
                        .arg(st.caseNumber);
        return v;
    default: // Unexpected, Unmatched
        v.caseNumber = st.caseNumber;
        v.receiptId =
            insertReceipt(st, serial, QString(), st.caseId, std::nullopt, v.outcome, false, false, manual);
        v.exceptionId = insertException(st, outcomeName(v.outcome), v.receiptId, st.caseId, serial);
        UpstreamEvents(m_db).queueUnmatched(
            UpstreamEvents::Unmatched{*v.receiptId, serial, QString(), st.caseNumber,
                                      UpstreamEvents::trackingNumber(st.boxLabel, st.caseNumber), st.id,
                                      QString()},
            st.boxId, m_now);
        v.message =
            st.caseId ? QCoreApplication::translate(
                            "Verdict", "Case %1 does not expect this serial. Put it on the exception shelf.")
                            .arg(st.caseNumber)
                      : QCoreApplication::translate(
                            "Verdict", "No open case expects this serial. Put it on the exception shelf.");
        return v;
    }
}

// What SerialMatch needs: the live receipt and the cases expecting the serial from the scan's look-up, the
// box's serial-less lines only for a serial nobody has. `expected` keeps the look-up's order (its index is
// the decision's expectedIndex in both).
SerialFacts ReceivingService::serialFacts(const Station &st, const Classification &c,
                                          const ScanLookup::Found &found)
{
    SerialFacts f;
    f.boxId = st.boxId;
    f.boxCaseId = st.caseId;
    f.boxHasOpenTradeIn = st.boxHasOpenTradeIn();
    if (found.live) {
        f.live = found.live;
        if (!found.live->nowExpected)
            return f;
    }
    if (c.known) {
        for (const ScanLookup::Expected &e : found.expected)
            f.expected.append(e.line);
    }
    if (f.expected.isEmpty() && f.boxHasOpenTradeIn) {
        CaseLines lines(m_db);
        f.boxHasOpenSerialLessLine = lines.openSerialLessLine(*st.caseId, QString()).has_value();
        if (f.boxHasOpenSerialLessLine && !c.sku.isEmpty())
            f.serialLessLineForSku = lines.openSerialLessLine(*st.caseId, c.sku);
    }
    return f;
}

qint64 ReceivingService::insertReceipt(const Station &st, const QString &serial, const QString &sku,
                                       std::optional<qint64> caseId, std::optional<int> line, Outcome outcome,
                                       bool late, bool pending, bool manual)
{
    Statement s =
        m_db.prepare("INSERT INTO receipts (serial, sku, case_id, line, box_id, station_id, operator_id, "
                     "received_at, outcome, pending_sku, late, manual_entry, condition) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    s.bind(1, serial).bind(2, sku);
    caseId ? s.bind(3, *caseId) : s.bindNull(3);
    line ? s.bind(4, *line) : s.bindNull(4);
    st.boxId ? s.bind(5, *st.boxId) : s.bindNull(5);
    s.bind(6, st.id).bind(7, st.operatorId).bind(8, m_now).bind(9, outcomeName(outcome));
    s.bind(10, pending)
        .bind(11, late)
        .bind(12, manual)
        .bind(13, QString::fromLatin1(NewReceiptCondition))
        .exec();
    return m_db.lastInsertId();
}

bool ReceivingService::completeAfterReceipt(const Station &st, qint64 caseId, const QString &caseNumber,
                                            std::optional<CaseLines::Totals> totals)
{
    CaseLines lines(m_db);
    if (!(totals ? *totals : lines.totals(caseId)).complete())
        return false;
    UpstreamEvents(m_db).queueClosure(
        UpstreamEvents::Closure{
            caseNumber, QStringLiteral("complete"), lines.receivedSerials(caseId), {}, st.id, {}},
        st.boxId, m_now);
    return true;
}

qint64 ReceivingService::insertException(const Station &st, const QString &kind,
                                         std::optional<qint64> receiptId, std::optional<qint64> caseId,
                                         const QString &serial)
{
    return st.recordException(m_db, m_now, kind, receiptId, caseId, serial);
}

void ReceivingService::queueReceiptEvent(const Station &st, qint64 receiptId, const QString &caseNumber)
{
    UpstreamEvents(m_db).queueReceipt(
        receiptId, caseNumber, UpstreamEvents::trackingNumber(st.boxLabel, st.caseNumber), st.boxId, m_now);
}

bool ReceivingService::isLate(const QString &dueDate) const
{
    if (dueDate.isEmpty())
        return false;
    const QDate due = QDate::fromString(dueDate, Qt::ISODate);
    const QDate today = m_clock.nowUtc().toTimeZone(m_options.timeZone).date();
    return due.isValid() && today > due;
}

void ReceivingService::audit(const Station &st, const QString &action, const QString &subject,
                             const QString &details)
{
    st.audit(m_db, m_now, action, subject, details);
}

void ReceivingService::saveStation(const Station &st)
{
    st.save(m_db, m_now);
}
