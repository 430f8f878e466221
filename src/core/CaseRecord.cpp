// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseRecord.h"
#include "ScanClassifier.h"
#include "ScanNormaliser.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>

namespace {
constexpr int MaxItems = 100000;

bool cleanText(const QString &s, int maxLen)
{
    if (s.size() > maxLen)
        return false;
    for (const QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            return false;
    }
    return true;
}

// An identifier as the matcher compares it: scannable, so the same rules as a scan.
std::optional<QString> identifier(const QJsonValue &v)
{
    if (!v.isString())
        return std::nullopt;
    const ScanNormaliser::Result n = ScanNormaliser::normalise(v.toString().toUtf8());
    if (!n.isValid() || n.upper.contains(QChar(0x1D)))
        return std::nullopt;
    return n.upper;
}
} // namespace

std::optional<CaseRecord> CaseRecord::fromJson(const QJsonObject &o, QString *error)
{
    CaseRecord r;
    const auto fail = [&](const QString &msg) {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    const std::optional<QString> number = identifier(o.value(QLatin1String("case_number")));
    if (!number || !ScanClassifier::isCaseNumber(*number))
        return fail(
            QStringLiteral("case_number must look like 2024-0101-0001 (NNNN-NNNN-NNNN to NNNN-NNNN-NNNNNN)"));
    r.caseNumber = *number;
    const auto where = [&](const QString &msg) {
        return QStringLiteral("case %1: %2").arg(r.caseNumber, msg);
    };

    const QJsonValue program = o.value(QLatin1String("program"));
    if (!program.isUndefined() && program.toString() != QLatin1String("TMIP"))
        return fail(where(QStringLiteral("program must be \"TMIP\"")));
    const QJsonValue phase = o.value(QLatin1String("phase"));
    if (!phase.isDouble() || (phase.toDouble() != 1 && phase.toDouble() != 2))
        return fail(where(QStringLiteral("phase must be 1 or 2")));
    r.phase = phase.toInt();
    r.disposition = o.value(QLatin1String("disposition")).toString();
    if (r.disposition != QLatin1String("trade_in") && r.disposition != QLatin1String("destruction"))
        return fail(where(QStringLiteral("disposition must be \"trade_in\" or \"destruction\"")));
    r.status = o.value(QLatin1String("status")).toString();
    if (r.status != QLatin1String("open") && r.status != QLatin1String("closed") &&
        r.status != QLatin1String("cancelled"))
        return fail(where(QStringLiteral("status must be \"open\", \"closed\" or \"cancelled\"")));

    const QJsonValue customer = o.value(QLatin1String("customer"));
    r.customerName = customer.toObject().value(QLatin1String("name")).toString().trimmed();
    if (!customer.isObject() || r.customerName.isEmpty() || !cleanText(r.customerName, 200))
        return fail(where(QStringLiteral("customer.name is required (plain text, at most 200 characters)")));
    const QJsonValue account = customer.toObject().value(QLatin1String("account_id"));
    if (!account.isUndefined() && !account.isNull() &&
        !(account.isString() && cleanText(account.toString(), 64)))
        return fail(where(QStringLiteral("customer.account_id must be text")));
    r.customerAccount = account.toString();
    const QJsonValue partner = o.value(QLatin1String("partner"));
    if (!partner.isUndefined() && !partner.isNull() &&
        !(partner.isString() && cleanText(partner.toString(), 200)))
        return fail(where(QStringLiteral("partner must be text or null")));
    r.partner = partner.toString();

    r.orderDate = QDate::fromString(o.value(QLatin1String("order_date")).toString(), Qt::ISODate);
    if (!r.orderDate.isValid())
        return fail(where(QStringLiteral("order_date must be a date like 2026-08-15")));
    const QJsonValue due = o.value(QLatin1String("due_date"));
    if (due.isUndefined() || due.isNull()) {
        r.dueDate = defaultDueDate(r.orderDate);
    } else {
        r.dueDate = QDate::fromString(due.toString(), Qt::ISODate);
        if (!r.dueDate.isValid())
            return fail(where(QStringLiteral("due_date must be a date like 2026-11-15")));
    }

    const QJsonValue tracking = o.value(QLatin1String("tracking_numbers"));
    if (!tracking.isUndefined() && !tracking.isNull() && !tracking.isArray())
        return fail(where(QStringLiteral("tracking_numbers must be a list")));
    for (const QJsonValue t : tracking.toArray()) {
        const std::optional<QString> tn = identifier(t);
        if (!tn)
            return fail(where(
                QStringLiteral("every tracking number must be non-empty text of at most 128 characters")));
        r.trackingNumbers.append(QString(*tn).remove(QLatin1Char(' ')));
    }

    const QJsonValue items = o.value(QLatin1String("items"));
    if (!items.isArray())
        return fail(where(QStringLiteral("items must be a list")));
    const QJsonArray itemArray = items.toArray();
    if (itemArray.size() > MaxItems)
        return fail(where(QStringLiteral("more than %1 items").arg(MaxItems)));
    QSet<int> lines;
    QSet<QString> serials;
    for (const QJsonValue iv : itemArray) {
        const QJsonObject io = iv.toObject();
        Item it;
        const QJsonValue line = io.value(QLatin1String("line"));
        if (!line.isDouble() || line.toDouble() < 1 || line.toDouble() != double(line.toInt()))
            return fail(where(QStringLiteral("each item needs a whole line number of 1 or more")));
        it.line = line.toInt();
        if (lines.contains(it.line))
            return fail(where(QStringLiteral("line %1 appears twice").arg(it.line)));
        lines.insert(it.line);
        const std::optional<QString> sku = identifier(io.value(QLatin1String("sku")));
        if (!sku)
            return fail(where(QStringLiteral("line %1 needs a SKU").arg(it.line)));
        it.sku = *sku;
        it.description = io.value(QLatin1String("description")).toString();
        if (!cleanText(it.description, 500))
            return fail(where(QStringLiteral("line %1: description must be plain text").arg(it.line)));
        const QJsonValue serial = io.value(QLatin1String("serial"));
        if (!serial.isNull() && !serial.isUndefined()) {
            const std::optional<QString> s = identifier(serial);
            if (!s)
                return fail(
                    where(QStringLiteral("line %1: serial must be text of at most 128 characters, or null")
                              .arg(it.line)));
            if (serials.contains(*s))
                return fail(where(QStringLiteral("serial %1 appears on two lines").arg(*s)));
            serials.insert(*s);
            it.serial = *s;
        }
        const QJsonValue qty = io.value(QLatin1String("quantity"));
        it.quantity = qty.isUndefined() || qty.isNull() ? 1 : qty.toInt(-1);
        if (it.quantity < 1 || it.quantity > 10000 ||
            (qty.isDouble() && qty.toDouble() != double(it.quantity)))
            return fail(
                where(QStringLiteral("line %1: quantity must be a whole number from 1").arg(it.line)));
        if (!it.serial.isEmpty() && it.quantity != 1)
            return fail(
                where(QStringLiteral("line %1 has a serial, so its quantity must be 1").arg(it.line)));
        r.items.append(it);
    }

    const QDateTime updated =
        QDateTime::fromString(o.value(QLatin1String("updated_at")).toString(), Qt::ISODateWithMs);
    if (!updated.isValid())
        return fail(where(QStringLiteral("updated_at must be an RFC 3339 time like 2026-11-20T14:00:00Z")));
    r.updatedAt = updated.toUTC().toString(Qt::ISODateWithMs);
    return r;
}

QJsonObject CaseRecord::toJson() const
{
    QJsonArray itemArray;
    for (const Item &it : items) {
        itemArray.append(QJsonObject{
            {QStringLiteral("line"), it.line},
            {QStringLiteral("sku"), it.sku},
            {QStringLiteral("description"), it.description},
            {QStringLiteral("serial"),
             it.serial.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(it.serial)},
            {QStringLiteral("quantity"), it.quantity},
        });
    }
    return QJsonObject{
        {QStringLiteral("case_number"), caseNumber},
        {QStringLiteral("program"), program},
        {QStringLiteral("phase"), phase},
        {QStringLiteral("disposition"), disposition},
        {QStringLiteral("status"), status},
        {QStringLiteral("customer"), QJsonObject{{QStringLiteral("name"), customerName},
                                                 {QStringLiteral("account_id"),
                                                  customerAccount.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                            : QJsonValue(customerAccount)}}},
        {QStringLiteral("partner"), partner.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(partner)},
        {QStringLiteral("order_date"), orderDate.toString(Qt::ISODate)},
        {QStringLiteral("due_date"), dueDate.toString(Qt::ISODate)},
        {QStringLiteral("tracking_numbers"), QJsonArray::fromStringList(trackingNumbers)},
        {QStringLiteral("items"), itemArray},
        {QStringLiteral("updated_at"), updatedAt},
    };
}
