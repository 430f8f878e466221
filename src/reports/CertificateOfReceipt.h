// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuditLog.h"
#include "Report.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <optional>

class Database;

// A certificate of receipt for one case: what the depot received (every live unit with its condition, time,
// station and operator; late units marked), what is missing, and the closure, as a PDF a customer can be
// given. It can be checked later: the PDF prints the SHA-256 of the certificate's canonical content and the
// audit head at issue; its last two lines are a trailer (PDF comments after %%EOF) holding the same in
// JSON and the SHA-256 of every byte before it; and the audit log records `certificate_issued` with both
// hashes. verify() refuses a file with any byte changed, a file this depot's log never issued, and a case
// whose content has changed since.
class CertificateOfReceipt
{
public:
    struct Unit
    {
        QString serial, sku;
        std::optional<int> line;
        QString condition;
        QString receivedAtUtc; // as stored
        QString station, operatorName;
        bool late = false;
    };
    struct MissingLine
    {
        int line = 0;
        QString sku, description, serial;
        int expected = 0, received = 0;
    };
    struct Content
    {
        QString caseNumber, customer, partner, disposition, status;
        QDate orderDate, dueDate;
        QList<Unit> units;
        QList<MissingLine> missing;
        QString closureKind;       // complete | partial, empty when not closed by this depot
        QString closureApprovedBy; // the approving supervisor's name (partial closures)
        QString closureAtUtc;
        QString closureUpstream; // held | pending | accepted | dead
        // The certificate's facts as compact JSON with sorted keys: what contentSha256() hashes. Times in
        // UTC, so the station's time zone does not change the hash; the depot's name and address are not in
        // it.
        QByteArray canonicalJson() const;
        QString contentSha256() const;
    };
    struct Issued
    {
        QString path;
        QString contentSha256;
        QString fileSha256;
        AuditLog::Head auditHead; // the head when the content was read, printed on the certificate
        int units = 0;
        int missingLines = 0;
        qint64 bytes = 0;
    };
    struct Verification
    {
        bool ok = false;
        QString message; // one sentence: why it is valid, or why not
        QString caseNumber;
        QString contentSha256;
        QString auditHead; // "ID:HASH"
    };

    CertificateOfReceipt(Database &db, QTimeZone timeZone);

    // The case's certificate content from the store; nullopt when no such case exists. Throws DbException.
    std::optional<Content> content(const QString &caseNumber);
    // The PDF bytes, trailer included.
    QByteArray render(const Content &content, const ReportHeading &heading, const AuditLog::Head &head);
    // Builds, records `certificate_issued` in the audit log (actor, station) and writes `path` (0600,
    // atomically). nullopt with a sentence in `error` when the case is unknown or a file cannot be written;
    // throws DbException when the store fails.
    std::optional<Issued> issue(const QString &caseNumber, const QString &path, const QString &paper,
                                const QString &actor, const QString &stationId, const QDateTime &nowUtc,
                                QString *error);
    // Checks `pdf` (a file's bytes) as above for `caseNumber`.
    Verification verify(const QString &caseNumber, const QByteArray &pdf);

    // The trailer's two lines, parsed: nullopt when missing or when the bytes before it do not hash to it.
    static std::optional<QJsonObject> trailer(const QByteArray &pdf, QString *why);
    static QImage code128(const QString &text);

private:
    AuditLog::Head head();
    Database &m_db;
    QTimeZone m_zone;
};
