// SPDX-License-Identifier: GPL-3.0-or-later
#include "CertificateOfReceipt.h"
#include "CaseLines.h"
#include "Database.h"
#include "PdfCanvas.h"
#include "ReportFiles.h"
#include "ReportQueries.h"
#include "ReportWriters.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

namespace {
const QByteArray TrailerTag = "%RS-CERTIFICATE ";
const QByteArray SignatureTag = "%RS-SHA256 ";

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}
} // namespace

QByteArray CertificateOfReceipt::Content::canonicalJson() const
{
    QJsonArray u;
    for (const Unit &x : units)
        u.append(QJsonObject{{QStringLiteral("serial"), x.serial},
                             {QStringLiteral("sku"), orNull(x.sku)},
                             {QStringLiteral("line"), x.line ? QJsonValue(*x.line) : QJsonValue()},
                             {QStringLiteral("condition"), x.condition},
                             {QStringLiteral("received_at"), x.receivedAtUtc},
                             {QStringLiteral("station"), x.station},
                             {QStringLiteral("operator"), orNull(x.operatorName)},
                             {QStringLiteral("late"), x.late}});
    QJsonArray m;
    for (const MissingLine &x : missing)
        m.append(QJsonObject{{QStringLiteral("line"), x.line},
                             {QStringLiteral("sku"), x.sku},
                             {QStringLiteral("serial"), orNull(x.serial)},
                             {QStringLiteral("expected"), x.expected},
                             {QStringLiteral("received"), x.received}});
    // QJsonObject keeps its keys sorted, so the same facts always give the same bytes.
    const QJsonObject o{
        {QStringLiteral("format"), QStringLiteral("certificate-of-receipt/1")},
        {QStringLiteral("case_number"), caseNumber},
        {QStringLiteral("customer"), customer},
        {QStringLiteral("partner"), orNull(partner)},
        {QStringLiteral("disposition"), disposition},
        {QStringLiteral("status"), status},
        {QStringLiteral("order_date"), orderDate.toString(Qt::ISODate)},
        {QStringLiteral("due_date"), dueDate.toString(Qt::ISODate)},
        {QStringLiteral("units"), u},
        {QStringLiteral("missing_lines"), m},
        {QStringLiteral("closure"),
         closureKind.isEmpty()
             ? QJsonValue()
             : QJsonValue(QJsonObject{{QStringLiteral("kind"), closureKind},
                                      {QStringLiteral("approved_by"), orNull(closureApprovedBy)},
                                      {QStringLiteral("at"), closureAtUtc}})}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString CertificateOfReceipt::Content::contentSha256() const
{
    return sha256(canonicalJson());
}

CertificateOfReceipt::CertificateOfReceipt(Database &db, QTimeZone timeZone)
    : m_db(db), m_zone(std::move(timeZone))
{
}

std::optional<CertificateOfReceipt::Content> CertificateOfReceipt::content(const QString &caseNumberIn)
{
    Statement c =
        m_db.prepare("SELECT id, case_number, customer_name, partner, disposition, status, order_date, "
                     "due_date FROM cases WHERE case_number = ?1");
    if (!c.bind(1, caseNumberIn.trimmed().toUpper()).next())
        return std::nullopt;
    Content out;
    const qint64 caseId = c.int64(0);
    out.caseNumber = c.text(1);
    out.customer = c.text(2);
    out.partner = c.text(3);
    out.disposition = c.text(4);
    out.status = c.text(5);
    out.orderDate = QDate::fromString(c.text(6), Qt::ISODate);
    out.dueDate = QDate::fromString(c.text(7), Qt::ISODate);
    c.reset();
    QHash<QString, QString> names;
    {
        Statement o = m_db.prepare("SELECT badge, name FROM operators");
        while (o.next())
            names.insert(o.text(0), o.text(1));
    }
    Statement r =
        m_db.prepare("SELECT serial, sku, line, condition, received_at, station_id, operator_id, late "
                     "FROM receipts WHERE case_id = ?1 AND voided = 0 ORDER BY received_at, id");
    r.bind(1, caseId);
    while (r.next()) {
        Unit u;
        u.serial = r.text(0);
        u.sku = r.text(1);
        if (!r.isNull(2))
            u.line = int(r.int64(2));
        u.condition = r.text(3);
        u.receivedAtUtc = r.text(4);
        u.station = r.text(5);
        u.operatorName = names.value(r.text(6));
        u.late = r.int64(7) != 0;
        out.units.append(u);
    }
    for (const CaseLines::Line &l : CaseLines(m_db).lines(caseId)) {
        if (!l.complete())
            out.missing.append(MissingLine{l.line, l.sku, l.description, l.serial, l.quantity, l.received});
    }
    Statement cl = m_db.prepare("SELECT payload, state, created_at FROM outbox WHERE kind = 'closure' AND "
                                "case_number = ?1 AND state <> 'cancelled' ORDER BY id DESC LIMIT 1");
    if (cl.bind(1, out.caseNumber).next()) {
        const QJsonObject p = QJsonDocument::fromJson(cl.utf8(0)).object();
        out.closureKind = p.value(QLatin1String("kind")).toString();
        const QString approver = p.value(QLatin1String("approved_by")).toString();
        out.closureApprovedBy =
            approver.isEmpty() ? QString() : names.value(approver, QStringLiteral("(unknown)"));
        out.closureAtUtc = p.value(QLatin1String("closed_at")).toString(cl.text(2));
        out.closureUpstream = ReportQueries::upstreamState(cl.text(1));
    }
    return out;
}

QImage CertificateOfReceipt::code128(const QString &text)
{
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::Code128);
        writer.setMargin(0);
        const ZXing::BitMatrix m = writer.encode(text.toStdWString(), 0, 0);
        constexpr int Quiet = 10, Module = 2, Height = 60;
        QImage image((m.width() + 2 * Quiet) * Module, Height, QImage::Format_RGB32);
        image.fill(Qt::white);
        for (int x = 0; x < m.width(); ++x) {
            if (!m.get(x, 0))
                continue;
            for (int y = 0; y < Height; ++y) {
                QRgb *row = reinterpret_cast<QRgb *>(image.scanLine(y));
                std::fill(row + (x + Quiet) * Module, row + (x + Quiet + 1) * Module, qRgb(0, 0, 0));
            }
        }
        return image;
    } catch (const std::exception &) {
        return QImage();
    }
}

QByteArray CertificateOfReceipt::render(const Content &c, const ReportHeading &heading,
                                        const AuditLog::Head &head)
{
    const QString contentHash = c.contentSha256();
    PdfCanvas::Document d;
    d.heading = heading;
    d.title = QStringLiteral("Certificate of receipt");
    d.subtitle = QStringLiteral("Case %1").arg(c.caseNumber);
    d.orientation = QPageLayout::Portrait;
    d.metadataTitle = QStringLiteral("Certificate of receipt %1").arg(c.caseNumber);
    const qsizetype late =
        std::count_if(c.units.cbegin(), c.units.cend(), [](const Unit &u) { return u.late; });
    QByteArray pdf = PdfCanvas::render(d, [&](PdfCanvas &page) {
        page.image(code128(c.caseNumber), 34);
        page.facts({{QStringLiteral("Case"), c.caseNumber},
                    {QStringLiteral("Customer"), c.customer},
                    {QStringLiteral("Partner"), c.partner.isEmpty() ? QStringLiteral("-") : c.partner},
                    {QStringLiteral("Disposition"),
                     c.disposition == u"trade_in" ? QStringLiteral("trade-in") : c.disposition},
                    {QStringLiteral("Order date"), c.orderDate.toString(Qt::ISODate)},
                    {QStringLiteral("Due date"), c.dueDate.toString(Qt::ISODate)},
                    {QStringLiteral("Case status"), c.status}});
        page.space(6);
        page.sectionTitle(QStringLiteral("Units received (%1, %2 late)").arg(c.units.size()).arg(late));
        const QList<ReportColumn> unitColumns{
            {QStringLiteral("serial"), QStringLiteral("Serial"), ReportColumn::Type::Text, 16},
            {QStringLiteral("sku"), QStringLiteral("SKU"), ReportColumn::Type::Text, 14},
            {QStringLiteral("line"), QStringLiteral("Line"), ReportColumn::Type::Integer, 4},
            {QStringLiteral("condition"), QStringLiteral("Condition"), ReportColumn::Type::Text, 9},
            {QStringLiteral("received_at"), QStringLiteral("Received"), ReportColumn::Type::DateTime, 13},
            {QStringLiteral("station"), QStringLiteral("Station"), ReportColumn::Type::Text, 8},
            {QStringLiteral("operator"), QStringLiteral("Operator"), ReportColumn::Type::Text, 13},
            {QStringLiteral("late"), QStringLiteral("Late"), ReportColumn::Type::Flag, 4}};
        QList<QVariantList> rows;
        rows.reserve(c.units.size());
        for (const Unit &u : c.units)
            rows.append(QVariantList{
                u.serial, u.sku, u.line ? QVariant(*u.line) : QVariant(),
                u.condition == u"not_working" ? QStringLiteral("not working") : u.condition,
                ReportQueries::localTime(u.receivedAtUtc, m_zone), u.station, u.operatorName, u.late});
        page.table(unitColumns, rows, [&c](int r) { return c.units[r].late; });
        if (late)
            page.paragraph(QStringLiteral("Late units (received after the due date) are printed in bold."));
        page.space(6);
        page.sectionTitle(QStringLiteral("Missing lines (%1)").arg(c.missing.size()));
        if (c.missing.isEmpty()) {
            page.paragraph(QStringLiteral("None: every expected line was received."));
        } else {
            const QList<ReportColumn> missingColumns{
                {QStringLiteral("line"), QStringLiteral("Line"), ReportColumn::Type::Integer, 4},
                {QStringLiteral("sku"), QStringLiteral("SKU"), ReportColumn::Type::Text, 14},
                {QStringLiteral("description"), QStringLiteral("Description"), ReportColumn::Type::Text, 22},
                {QStringLiteral("serial"), QStringLiteral("Serial"), ReportColumn::Type::Text, 16},
                {QStringLiteral("expected"), QStringLiteral("Expected"), ReportColumn::Type::Integer, 6},
                {QStringLiteral("received"), QStringLiteral("Received"), ReportColumn::Type::Integer, 6}};
            QList<QVariantList> mrows;
            for (const MissingLine &m : c.missing)
                mrows.append(QVariantList{m.line, m.sku, m.description, m.serial, m.expected, m.received});
            page.table(missingColumns, mrows);
        }
        page.space(6);
        page.sectionTitle(QStringLiteral("Closure"));
        if (c.closureKind.isEmpty()) {
            page.paragraph(QStringLiteral("Not closed by this depot: the case is %1.").arg(c.status));
        } else {
            QList<QPair<QString, QString>> closure{
                {QStringLiteral("Closed"), c.closureKind == u"partial"
                                               ? QStringLiteral("partial (lines missing)")
                                               : QStringLiteral("complete")},
                {QStringLiteral("At"), ReportQueries::localTime(c.closureAtUtc, m_zone)
                                           .toString(QStringLiteral("yyyy-MM-dd HH:mm"))},
                {QStringLiteral("Upstream"),
                 c.closureUpstream.isEmpty() ? QStringLiteral("-") : c.closureUpstream}};
            if (!c.closureApprovedBy.isEmpty())
                closure.insert(1, {QStringLiteral("Approved by"), c.closureApprovedBy});
            page.facts(closure);
        }
        page.space(6);
        page.sectionTitle(QStringLiteral("Totals and verification"));
        page.facts({{QStringLiteral("Units received"), QString::number(c.units.size())},
                    {QStringLiteral("Late units"), QString::number(late)},
                    {QStringLiteral("Missing lines"), QString::number(c.missing.size())},
                    {QStringLiteral("Content SHA-256"), contentHash},
                    {QStringLiteral("Audit head"), head.text()}});
        page.paragraph(
            QStringLiteral("Check this certificate with: receiving-cli certificate %1 --verify FILE.pdf")
                .arg(c.caseNumber));
    });
    const QJsonObject trailer{
        {QStringLiteral("case_number"), c.caseNumber},
        {QStringLiteral("content_sha256"), contentHash},
        {QStringLiteral("audit_head"), head.text()},
        {QStringLiteral("issued_at"), heading.runAt.toUTC().toString(Qt::ISODateWithMs)}};
    if (!pdf.endsWith('\n'))
        pdf += '\n';
    pdf += TrailerTag + QJsonDocument(trailer).toJson(QJsonDocument::Compact) + '\n';
    pdf += SignatureTag + sha256(pdf).toLatin1() + '\n';
    return pdf;
}

std::optional<QJsonObject> CertificateOfReceipt::trailer(const QByteArray &pdf, QString *why)
{
    const qsizetype sig = pdf.lastIndexOf('\n' + SignatureTag);
    if (sig < 0 || !pdf.endsWith('\n')) {
        *why =
            QStringLiteral("it is not a certificate of receipt from Receiving Station (no signature line).");
        return std::nullopt;
    }
    const QByteArray body = pdf.left(sig + 1);
    const QByteArray stated = pdf.mid(sig + 1 + SignatureTag.size()).trimmed();
    if (stated != sha256(body).toLatin1()) {
        *why =
            QStringLiteral("the file was changed after it was issued (its bytes do not match its SHA-256).");
        return std::nullopt;
    }
    const qsizetype t = body.lastIndexOf('\n' + TrailerTag);
    if (t < 0) {
        *why = QStringLiteral(
            "it is not a certificate of receipt from Receiving Station (no certificate line).");
        return std::nullopt;
    }
    const QByteArray json = body.mid(t + 1 + TrailerTag.size()).trimmed();
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.isEmpty()) {
        *why = QStringLiteral("its certificate line cannot be read.");
        return std::nullopt;
    }
    return o;
}

AuditLog::Head CertificateOfReceipt::head()
{
    AuditLog::Head h;
    Statement s = m_db.prepare("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
    if (s.next()) {
        h.id = s.int64(0);
        h.hash = s.text(1);
    } else {
        h.hash = AuditLog::genesisHash();
    }
    return h;
}

std::optional<CertificateOfReceipt::Issued>
CertificateOfReceipt::issue(const QString &caseNumber, const QString &path, const QString &paper,
                            const QString &actor, const QString &stationId, const QDateTime &nowUtc,
                            QString *error)
{
    const AuditLog::Head at = head();
    std::optional<Content> c = content(caseNumber);
    if (!c) {
        *error = QStringLiteral("No case %1 is known to this station.").arg(caseNumber.trimmed().toUpper());
        return std::nullopt;
    }
    ReportQueries q(m_db, m_zone, nowUtc);
    const QByteArray pdf = render(*c, q.heading(paper), at);
    Issued out;
    out.path = path;
    out.contentSha256 = c->contentSha256();
    out.fileSha256 = sha256(pdf);
    out.auditHead = at;
    out.units = int(c->units.size());
    out.missingLines = int(c->missing.size());
    out.bytes = pdf.size();
    bool written = false;
    // The file is published only with its audit row: written under a temporary name, renamed after COMMIT.
    const bool ok = ReportFiles::writeWith(
        path,
        [&](const QString &temporary, QString *why) {
            QString e;
            if (!ReportFiles::write(temporary, pdf, &e)) {
                *why = e;
                return false;
            }
            Transaction tx(m_db);
            const QJsonObject details{{QStringLiteral("content_sha256"), out.contentSha256},
                                      {QStringLiteral("file_sha256"), out.fileSha256},
                                      {QStringLiteral("audit_head"), at.text()},
                                      {QStringLiteral("units"), out.units},
                                      {QStringLiteral("missing_lines"), out.missingLines}};
            AuditLog::append(
                m_db,
                AuditLog::Entry{nowUtc.toUTC().toString(Qt::ISODateWithMs), stationId, actor,
                                QStringLiteral("certificate_issued"), c->caseNumber,
                                QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact))});
            tx.commit();
            written = true;
            return true;
        },
        error);
    if (!ok)
        return std::nullopt;
    Q_UNUSED(written);
    return out;
}

CertificateOfReceipt::Verification CertificateOfReceipt::verify(const QString &caseNumberIn,
                                                                const QByteArray &pdf)
{
    Verification v;
    const QString caseNumber = caseNumberIn.trimmed().toUpper();
    v.caseNumber = caseNumber;
    QString why;
    const std::optional<QJsonObject> t = trailer(pdf, &why);
    if (!t) {
        v.message = QStringLiteral("Not valid: ") + why;
        return v;
    }
    v.contentSha256 = t->value(QLatin1String("content_sha256")).toString();
    v.auditHead = t->value(QLatin1String("audit_head")).toString();
    if (t->value(QLatin1String("case_number")).toString() != caseNumber) {
        v.message = QStringLiteral("Not valid: the file is the certificate of case %1, not of %2.")
                        .arg(t->value(QLatin1String("case_number")).toString(), caseNumber);
        return v;
    }
    const QString fileHash = sha256(pdf);
    bool recorded = false;
    Statement a =
        m_db.prepare("SELECT details FROM audit_log WHERE action = 'certificate_issued' AND subject = ?1");
    a.bind(1, caseNumber);
    while (a.next()) {
        const QJsonObject d = QJsonDocument::fromJson(a.utf8(0)).object();
        if (d.value(QLatin1String("file_sha256")).toString() == fileHash &&
            d.value(QLatin1String("content_sha256")).toString() == v.contentSha256)
            recorded = true;
    }
    if (!recorded) {
        v.message =
            QStringLiteral("Not valid: this depot's audit log records no certificate of case %1 with this "
                           "file's SHA-256.")
                .arg(caseNumber);
        return v;
    }
    const std::optional<AuditLog::ExpectedHead> expected = AuditLog::ExpectedHead::parse(v.auditHead);
    const AuditLog::Verification chain = AuditLog::verify(m_db, expected);
    if (!chain.ok) {
        v.message =
            QStringLiteral("Not valid: the audit log does not hold the head the certificate names: ") +
            chain.message;
        return v;
    }
    const std::optional<Content> now = content(caseNumber);
    if (!now) {
        v.message = QStringLiteral("Not valid: case %1 is no longer known to this station.").arg(caseNumber);
        return v;
    }
    if (now->contentSha256() != v.contentSha256) {
        v.message =
            QStringLiteral("Not valid any more: the case's receipts, lines or closure changed after the "
                           "certificate was issued (content SHA-256 now %1). Issue a new certificate.")
                .arg(now->contentSha256());
        return v;
    }
    v.ok = true;
    v.message = QStringLiteral(
                    "Valid: certificate of case %1, unchanged since issued, content SHA-256 %2, audit head "
                    "%3 held by the audit log.")
                    .arg(caseNumber, v.contentSha256, v.auditHead);
    return v;
}
