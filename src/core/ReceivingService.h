// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CaseLines.h"
#include "ScanClassifier.h"
#include "ScanEvent.h"
#include "ScanLookup.h"
#include "SerialMatch.h"
#include "StationState.h"
#include "Verdict.h"

#include <QLoggingCategory>
#include <QTimeZone>

class Clock;
class Database;

Q_DECLARE_LOGGING_CATEGORY(lcReceiving)

// Turns one scan into one verdict: classifies it, matches it against the open cases, and commits every
// receipt, exception, box change and outbox event it causes in one transaction before answering.
// Lives on one thread with its own connection; not a QObject so the CLI, the kiosk worker and tests share it.
class ReceivingService
{
public:
    struct Options
    {
        QTimeZone timeZone = QTimeZone(QByteArrayLiteral("America/Chicago"));
        LabelFields labelFields; // serial patterns per SKU family (serial.pattern.FAMILY in configuration)
    };

    ReceivingService(Database &db, const Clock &clock, Options options);

    Verdict scan(const ScanEvent &event, const QString &stationId);
    // All barcodes of one physical read (a camera frame, a multi-code burst): one verdict for the code that
    // matters (see LabelReadPicker), with a SKU read beside a serial used to bind it.
    Verdict scanRead(const QList<ScanEvent> &read, const QString &stationId);
    // Starts a station's session for an operator given on the command line (a badge scan does the same).
    void signIn(const QString &stationId, const QString &operatorId);
    // Ends the session: the open box closes (its held events go upstream) and the operator is cleared.
    void signOut(const QString &stationId);
    // Closes every station's box that saw no scan for `idleMinutes`, so its held events go upstream even when
    // nobody scans :done. Returns how many boxes were closed. The same as IdleBoxes::close, which the sync
    // side calls without a ReceivingService.
    int closeIdleBoxes(int idleMinutes);

private:
    using Station = StationState;
    std::optional<Verdict> storedVerdict(const QString &scanId);
    void storeVerdict(const QString &scanId, const QString &stationId, const Verdict &v);
    Verdict process(const QList<ScanNormaliser::Result> &codes, bool manualEntry, const QString &stationId);
    Verdict onBadge(Station &st, const Classification &c);
    Verdict onBoxLabel(Station &st, const Classification &c);
    Verdict onDone(Station &st);
    Verdict onUndo(Station &st);
    Verdict onSku(Station &st, const Classification &c);
    Verdict onSerial(Station &st, const Classification &c, const ScanLookup::Found &found, bool manual);
    SerialFacts serialFacts(const Station &st, const Classification &c, const ScanLookup::Found &found);

    qint64 insertReceipt(const Station &st, const QString &serial, const QString &sku,
                         std::optional<qint64> caseId, std::optional<int> line, Outcome outcome, bool late,
                         bool pending, bool manual);
    qint64 insertException(const Station &st, const QString &kind, std::optional<qint64> receiptId,
                           std::optional<qint64> caseId, const QString &serial);
    void queueReceiptEvent(const Station &st, qint64 receiptId, const QString &caseNumber);
    // `totals`: the case's totals with this receipt counted, when the caller has them (else read here).
    bool completeAfterReceipt(const Station &st, qint64 caseId, const QString &caseNumber,
                              std::optional<CaseLines::Totals> totals = std::nullopt);
    Verdict bindPending(Station &st, qint64 receiptId, const QString &serial, const QString &sku, int line,
                        Verdict v);
    bool isLate(const QString &dueDate) const;
    void audit(const Station &st, const QString &action, const QString &subject, const QString &details = {});
    void saveStation(const Station &st);

    Database &m_db;
    const Clock &m_clock;
    Options m_options;
    QString m_now; // timestamp of the scan being processed
    quint64 m_storedVerdicts = 0;
};
