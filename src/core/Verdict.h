// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// The outcomes of a scan. Their wire names (outcomeName) are a contract with other programs: never rename.
enum class Outcome {
    SignedIn,
    BoxOpened,
    BoxUnknown,
    Matched,
    CrossCase,
    Ambiguous,
    AwaitingSku,
    MatchedBySku,
    SkuExpected,
    Duplicate,
    AlreadyReceived,
    Unexpected,
    Unmatched,
    DestructionCase,
    CaseClosed,
    BoxClosed,
    NoBox,
    Undone,
    NothingToUndo,
    WrongBarcode,
    Invalid,
    NotRecorded,
    BadgeDisabled,
};

enum class Severity { Success, Attention, Error };

// What kind of barcode a scan was. Wire names (kindName) are a contract too.
enum class ScanKind {
    Command,
    Badge,
    CaseNumber,
    TrackingNumber,
    Serial,
    Sku,
    Gs1,
    Mac,
    Clei,
    PartNumber,
    Invalid
};

QString outcomeName(Outcome o);
std::optional<Outcome> outcomeFromName(QStringView name);
QString kindName(ScanKind k);
QString severityName(Severity s);
Severity severityOf(Outcome o);
const QList<Outcome> &allOutcomes();

// The station's answer to one scan: everything the banner, the beep and the CLI line need.
struct Verdict
{
    QString input; // display form of what was scanned
    ScanKind kind = ScanKind::Invalid;
    Outcome outcome = Outcome::Invalid;
    QString caseNumber;
    std::optional<int> line;
    QString serial;
    QString sku;
    bool late = false;
    bool caseComplete = false;
    std::optional<qint64> receiptId;
    std::optional<qint64> exceptionId;
    std::optional<QList<int>> missingLines;
    QString message;
    // Extra context: the box closed by this scan (box_opened over an open box, :done, sign-out).
    std::optional<qint64> boxId;
    QString closedBox;
    QString unboundSerial; // a pending unit that became `unexpected` when its box closed

    Severity severity() const { return severityOf(outcome); }
    QJsonObject toJson() const;
    // The verdict toJson() wrote (a scan's stored answer, returned again when its retry finds it committed).
    static Verdict fromJson(const QJsonObject &o);
};
