// SPDX-License-Identifier: GPL-3.0-or-later
#include "Verdict.h"

#include <QJsonArray>

#include <array>
#include <utility>

namespace {
constexpr std::array<std::pair<Outcome, const char *>, 23> outcomeNames{{
    {Outcome::SignedIn, "signed_in"},
    {Outcome::BoxOpened, "box_opened"},
    {Outcome::BoxUnknown, "box_unknown"},
    {Outcome::Matched, "matched"},
    {Outcome::CrossCase, "cross_case"},
    {Outcome::Ambiguous, "ambiguous"},
    {Outcome::AwaitingSku, "awaiting_sku"},
    {Outcome::MatchedBySku, "matched_by_sku"},
    {Outcome::SkuExpected, "sku_expected"},
    {Outcome::Duplicate, "duplicate"},
    {Outcome::AlreadyReceived, "already_received"},
    {Outcome::Unexpected, "unexpected"},
    {Outcome::Unmatched, "unmatched"},
    {Outcome::DestructionCase, "destruction_case"},
    {Outcome::CaseClosed, "case_closed"},
    {Outcome::BoxClosed, "box_closed"},
    {Outcome::NoBox, "no_box"},
    {Outcome::Undone, "undone"},
    {Outcome::NothingToUndo, "nothing_to_undo"},
    {Outcome::WrongBarcode, "wrong_barcode"},
    {Outcome::Invalid, "invalid"},
    {Outcome::NotRecorded, "not_recorded"},
    {Outcome::BadgeDisabled, "badge_disabled"},
}};
} // namespace

QString outcomeName(Outcome o)
{
    for (const auto &[outcome, name] : outcomeNames) {
        if (outcome == o)
            return QLatin1String(name);
    }
    return QString();
}

std::optional<Outcome> outcomeFromName(QStringView name)
{
    for (const auto &[outcome, n] : outcomeNames) {
        if (name == QLatin1String(n))
            return outcome;
    }
    return std::nullopt;
}

const QList<Outcome> &allOutcomes()
{
    static const QList<Outcome> all = [] {
        QList<Outcome> l;
        for (const auto &entry : outcomeNames)
            l.append(entry.first);
        return l;
    }();
    return all;
}

QString kindName(ScanKind k)
{
    switch (k) {
    case ScanKind::Command:
        return QStringLiteral("command");
    case ScanKind::Badge:
        return QStringLiteral("badge");
    case ScanKind::CaseNumber:
        return QStringLiteral("case_number");
    case ScanKind::TrackingNumber:
        return QStringLiteral("tracking_number");
    case ScanKind::Serial:
        return QStringLiteral("serial");
    case ScanKind::Sku:
        return QStringLiteral("sku");
    case ScanKind::Gs1:
        return QStringLiteral("gs1");
    case ScanKind::Mac:
        return QStringLiteral("mac");
    case ScanKind::Clei:
        return QStringLiteral("clei");
    case ScanKind::PartNumber:
        return QStringLiteral("part_number");
    case ScanKind::Invalid:
        return QStringLiteral("invalid");
    }
    return QString();
}

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Success:
        return QStringLiteral("success");
    case Severity::Attention:
        return QStringLiteral("attention");
    case Severity::Error:
        return QStringLiteral("error");
    }
    return QString();
}

Severity severityOf(Outcome o)
{
    switch (o) {
    case Outcome::SignedIn:
    case Outcome::BoxOpened:
    case Outcome::Matched:
    case Outcome::MatchedBySku:
    case Outcome::BoxClosed:
    case Outcome::Undone:
        return Severity::Success;
    case Outcome::Invalid:
    case Outcome::NotRecorded:
    case Outcome::BadgeDisabled:
        return Severity::Error;
    default:
        return Severity::Attention;
    }
}

QJsonObject Verdict::toJson() const
{
    const auto str = [](const QString &s) {
        return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
    };
    QJsonObject o;
    o.insert(QLatin1String("input"), input);
    o.insert(QLatin1String("kind"), kindName(kind));
    o.insert(QLatin1String("outcome"), outcomeName(outcome));
    o.insert(QLatin1String("severity"), severityName(severity()));
    o.insert(QLatin1String("case_number"), str(caseNumber));
    o.insert(QLatin1String("line"), line ? QJsonValue(*line) : QJsonValue(QJsonValue::Null));
    o.insert(QLatin1String("serial"), str(serial));
    o.insert(QLatin1String("sku"), str(sku));
    o.insert(QLatin1String("late"), late);
    o.insert(QLatin1String("case_complete"), caseComplete);
    o.insert(QLatin1String("receipt_id"), receiptId ? QJsonValue(*receiptId) : QJsonValue(QJsonValue::Null));
    o.insert(QLatin1String("exception_id"),
             exceptionId ? QJsonValue(*exceptionId) : QJsonValue(QJsonValue::Null));
    if (missingLines) {
        QJsonArray a;
        for (int l : *missingLines)
            a.append(l);
        o.insert(QLatin1String("missing_lines"), a);
    } else {
        o.insert(QLatin1String("missing_lines"), QJsonValue(QJsonValue::Null));
    }
    o.insert(QLatin1String("message"), message);
    o.insert(QLatin1String("box_id"), boxId ? QJsonValue(*boxId) : QJsonValue(QJsonValue::Null));
    o.insert(QLatin1String("closed_box"), str(closedBox));
    o.insert(QLatin1String("unbound_serial"), str(unboundSerial));
    return o;
}

Verdict Verdict::fromJson(const QJsonObject &o)
{
    const auto text = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    const auto id = [&o](const char *key) -> std::optional<qint64> {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? std::optional<qint64>(qint64(v.toDouble())) : std::nullopt;
    };
    Verdict v;
    v.input = text("input");
    for (int k = int(ScanKind::Command); k <= int(ScanKind::Invalid); ++k) {
        if (kindName(ScanKind(k)) == text("kind"))
            v.kind = ScanKind(k);
    }
    v.outcome = outcomeFromName(text("outcome")).value_or(Outcome::Invalid);
    v.caseNumber = text("case_number");
    if (const auto l = id("line"))
        v.line = int(*l);
    v.serial = text("serial");
    v.sku = text("sku");
    v.late = o.value(QLatin1String("late")).toBool();
    v.caseComplete = o.value(QLatin1String("case_complete")).toBool();
    v.receiptId = id("receipt_id");
    v.exceptionId = id("exception_id");
    if (o.value(QLatin1String("missing_lines")).isArray()) {
        QList<int> lines;
        for (const QJsonValue &l : o.value(QLatin1String("missing_lines")).toArray())
            lines.append(l.toInt());
        v.missingLines = lines;
    }
    v.message = text("message");
    v.boxId = id("box_id");
    v.closedBox = text("closed_box");
    v.unboundSerial = text("unbound_serial");
    return v;
}
