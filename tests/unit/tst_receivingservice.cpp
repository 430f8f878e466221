// SPDX-License-Identifier: GPL-3.0-or-later
#include "CaseStore.h"
#include "Clock.h"
#include "Database.h"
#include "Operators.h"
#include "ReceivingService.h"

#include "TestStore.h"
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

const QString Station = QStringLiteral("S1");
const QDateTime DefaultNow(QDate(2026, 1, 15), QTime(12, 0), Qt::UTC); // before every due date

// The case fixtures, by the letter the sequences use for them.
const QHash<QString, QString> &caseNumbers()
{
    static const QHash<QString, QString> numbers{
        {QStringLiteral("A"), QStringLiteral("2026-0001-0001")},
        {QStringLiteral("B"), QStringLiteral("2026-0001-0002")},
        {QStringLiteral("C"), QStringLiteral("2026-0001-0003")},
        {QStringLiteral("D"), QStringLiteral("2026-0001-0004")},
        {QStringLiteral("K"), QStringLiteral("2026-0001-0005")},
        {QStringLiteral("X"), QStringLiteral("2026-0001-0006")},
        {QStringLiteral("S"), QStringLiteral("2026-0001-0007")},
        {QStringLiteral("P"), QStringLiteral("2026-0001-0008")},
    };
    return numbers;
}

QString caseNumberOf(const QString &aliasOrNumber)
{
    return caseNumbers().value(aliasOrNumber, aliasOrNumber);
}

// Builds a valid CaseRecord with defaults, so a fixture only states what matters to it.
class CaseBuilder
{
public:
    explicit CaseBuilder(const QString &alias)
    {
        m_r.caseNumber = caseNumberOf(alias);
        m_r.disposition = QStringLiteral("trade_in");
        m_r.status = QStringLiteral("open");
        m_r.customerName = QStringLiteral("Customer ") + alias;
        m_r.orderDate = QDate(2025, 12, 1);
        m_r.dueDate = QDate(2026, 3, 1);
        m_r.updatedAt = QStringLiteral("2026-01-01T00:00:00.000Z");
    }
    CaseBuilder &status(const QString &s)
    {
        m_r.status = s;
        return *this;
    }
    CaseBuilder &destruction()
    {
        m_r.disposition = QStringLiteral("destruction");
        return *this;
    }
    CaseBuilder &due(QDate d)
    {
        m_r.dueDate = d;
        return *this;
    }
    CaseBuilder &tracking(const QString &t)
    {
        m_r.trackingNumbers.append(t);
        return *this;
    }
    CaseBuilder &item(const QString &sku, const QString &serial = QString(), int quantity = 1)
    {
        m_r.items.append(
            CaseRecord::Item{int(m_r.items.size()) + 1, sku, QStringLiteral("Unit"), serial, quantity});
        return *this;
    }
    CaseBuilder &updatedAt(const QString &t)
    {
        m_r.updatedAt = t;
        return *this;
    }
    CaseRecord build() const { return m_r; }

private:
    CaseRecord m_r;
};

const QString Phone = QStringLiteral("SKU-PHONE");
const QString Tab = QStringLiteral("SKU-TAB");

// A: serial lines and one serial-less line.   B: shares serials with A, C, D and K; due early.
// C: shares SN-BC with B; known by an SSCC.     D: destruction.  K: closed.  X: cancelled.
// S: one serial line, no serial-less line.     P: serial-less lines only (two SKU-TAB, one SKU-PHONE).
CaseBuilder fixtureBuilder(const QString &alias)
{
    CaseBuilder b(alias);
    if (alias == QLatin1String("A"))
        b.tracking(QStringLiteral("TRK-A-0001"))
            .item(Phone, QStringLiteral("SN-A1"))
            .item(Phone, QStringLiteral("SN-A2"))
            .item(Tab)
            .item(Phone, QStringLiteral("SN-AB"));
    else if (alias == QLatin1String("B"))
        b.due(QDate(2026, 2, 1))
            .tracking(QStringLiteral("TRK-B-0001"))
            .item(Phone, QStringLiteral("SN-B1"))
            .item(Phone, QStringLiteral("SN-AB"))
            .item(Phone, QStringLiteral("SN-BC"))
            .item(Phone, QStringLiteral("SN-TD"))
            .item(Phone, QStringLiteral("SN-TK"));
    else if (alias == QLatin1String("C"))
        b.due(QDate(2026, 6, 30))
            .tracking(QStringLiteral("106141411234567897"))
            .item(Phone, QStringLiteral("SN-BC"))
            .item(Phone, QStringLiteral("SN-C1"));
    else if (alias == QLatin1String("D"))
        b.destruction()
            .due(QDate(2026, 6, 30))
            .item(Phone, QStringLiteral("SN-D1"))
            .item(Phone, QStringLiteral("SN-TD"))
            .item(Phone, QStringLiteral("SN-DK"));
    else if (alias == QLatin1String("K"))
        b.status(QStringLiteral("closed"))
            .item(Phone, QStringLiteral("SN-K1"))
            .item(Phone, QStringLiteral("SN-TK"))
            .item(Phone, QStringLiteral("SN-DK"));
    else if (alias == QLatin1String("X"))
        b.status(QStringLiteral("cancelled")).item(Phone, QStringLiteral("SN-X1"));
    else if (alias == QLatin1String("S"))
        b.item(Phone, QStringLiteral("SN-S1"));
    else if (alias == QLatin1String("P"))
        b.tracking(QStringLiteral("TRK-P-0001")).item(Tab, QString(), 2).item(Phone);
    else
        qFatal("unknown fixture %s", qPrintable(alias));
    return b;
}

// Scan lines write bytes a keyboard cannot type as {GS}, {CR}, {LF}, {TAB} and {xHH}.
QByteArray rawScan(const QString &line)
{
    QByteArray out = line.toUtf8();
    out.replace("{GS}", "\x1D").replace("{CR}", "\r").replace("{LF}", "\n").replace("{TAB}", "\t");
    static const QRegularExpression hex(QStringLiteral("\\{x([0-9A-Fa-f]{2})\\}"));
    for (;;) {
        const QRegularExpressionMatch m = hex.match(QString::fromLatin1(out));
        if (!m.hasMatch())
            break;
        out.replace(m.captured(0).toLatin1(), QByteArray(1, char(m.captured(1).toInt(nullptr, 16))));
    }
    return out;
}

qint64 count(Database &db, const char *sql)
{
    Statement s = db.prepare(sql);
    return s.next() ? s.int64(0) : -1;
}

// A trigger that makes every INSERT into exceptions fail, in each engine's dialect.
void refuseExceptions(Database &db, bool refuse)
{
    if (db.isPostgres()) {
        db.exec(refuse ? "CREATE OR REPLACE FUNCTION refuse_exceptions() RETURNS trigger LANGUAGE plpgsql AS "
                         "$$ BEGIN RAISE EXCEPTION 'refused by test'; END $$; "
                         "CREATE TRIGGER refuse_exceptions BEFORE INSERT ON exceptions "
                         "FOR EACH ROW EXECUTE FUNCTION refuse_exceptions()"
                       : "DROP TRIGGER refuse_exceptions ON exceptions");
        return;
    }
    db.exec(refuse ? "CREATE TEMP TRIGGER refuse_exceptions BEFORE INSERT ON exceptions "
                     "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
                   : "DROP TRIGGER temp.refuse_exceptions");
}

QString dumpTable(Database &db, const QByteArray &table)
{
    QString out;
    const QByteArray sql = "SELECT * FROM " + table + " ORDER BY 1";
    try {
        Statement s = db.prepare(sql.constData());
        while (s.next()) {
            for (int i = 0; i < s.columnCount(); ++i) {
                out += s.isNull(i) ? QStringLiteral("NULL") : s.text(i);
                out += QLatin1Char('|');
            }
            out += QLatin1Char('\n');
        }
    } catch (const DbException &) {
        return QStringLiteral("<cannot read %1>").arg(QString::fromLatin1(table));
    }
    return out;
}

// What a scan may have written: counts for the expected deltas, and every row for "nothing recorded".
struct Snapshot
{
    qint64 receipts = 0;
    qint64 liveReceipts = 0;
    qint64 exceptions = 0;
    qint64 openExceptions = 0;
    qint64 outbox = 0;
    qint64 boxes = 0;
    qint64 openBoxes = 0;
    qint64 audit = 0;
    QString rows;

    static Snapshot take(Database &db)
    {
        Snapshot s;
        s.receipts = count(db, "SELECT count(*) FROM receipts");
        s.liveReceipts = count(db, "SELECT count(*) FROM receipts WHERE voided = 0");
        s.exceptions = count(db, "SELECT count(*) FROM exceptions");
        s.openExceptions = count(db, "SELECT count(*) FROM exceptions WHERE status = 'open'");
        s.outbox = count(db, "SELECT count(*) FROM outbox");
        s.boxes = count(db, "SELECT count(*) FROM boxes");
        s.openBoxes = count(db, "SELECT count(*) FROM boxes WHERE closed_at IS NULL");
        s.audit = count(db, "SELECT count(*) FROM audit_log");
        for (const char *t : {"receipts", "exceptions", "outbox", "boxes", "station_state", "audit_log"})
            s.rows += QString::fromLatin1(t) + QLatin1Char('\n') + dumpTable(db, t);
        return s;
    }
};

QStringList sortedStrings(Database &db, const char *sql)
{
    QStringList out;
    Statement s = db.prepare(sql);
    while (s.next())
        out.append(s.text(0));
    out.sort();
    return out;
}

bool recordsNothing(Outcome o)
{
    switch (o) {
    case Outcome::SkuExpected:
    case Outcome::Duplicate:
    case Outcome::NoBox:
    case Outcome::NothingToUndo:
    case Outcome::WrongBarcode:
    case Outcome::Invalid:
    case Outcome::NotRecorded:
    case Outcome::BadgeDisabled:
        return true;
    default:
        return false;
    }
}

// One scripted sequence of scans. A scan starting with '!' is a directive, not a scan (outcome "-"):
// "!restart" is a new scan process on the same database, "!close A" closes case A upstream.
struct Sequence
{
    Sequence(const char *name, QStringList fixtures, QStringList scans, QStringList outcomes,
             QStringList details = {}, int liveReceipts = 0, int boxes = 0, QStringList openExceptions = {},
             QStringList outbox = {}, QString now = {})
        : name(name), fixtures(std::move(fixtures)), scans(std::move(scans)), outcomes(std::move(outcomes)),
          details(std::move(details)), liveReceipts(liveReceipts), boxes(boxes),
          openExceptions(std::move(openExceptions)), outbox(std::move(outbox)), now(std::move(now))
    {
    }
    const char *name;
    QStringList fixtures; // case letters, and "badge:ID" for a registered operator
    QStringList scans;
    QStringList outcomes; // one per scan
    QStringList details;  // per scan (may be shorter): "key=value ..." with keys case, line, late, complete,
                          // missing, closed, unbound, kind, serial, sku; late and complete default to 0
    int liveReceipts;     // after the whole sequence
    int boxes;
    QStringList openExceptions; // kinds
    QStringList outbox;         // "kind:state"
    QString now;                // ISO UTC time of every scan; empty: DefaultNow
};

QString chars(int n)
{
    return QString(n, QLatin1Char('A'));
}

const QList<Sequence> &allSequences()
{
    // clang-format off
    static const QList<Sequence> all{
        // signed_in
        {"badge signs in", {"badge:OP-7"}, {"op-7"}, {"signed_in"}, {"kind=badge case="}},
        {"badge that looks like a case number signs in", {"A", "badge:2026-7777-0001"},
         {"2026-7777-0001"}, {"signed_in"}, {"kind=badge"}},
        // badge_disabled
        {"disabled badge signs nobody in", {"disabled:OP-8"}, {"op-8"}, {"badge_disabled"},
         {"kind=badge case="}},

        // box_opened, box_unknown, and the open box's own label
        {"case number opens a box", {"A"}, {"2026-0001-0001"}, {"box_opened"},
         {"kind=case_number case=A missing=-"}, 0, 1},
        {"known tracking number opens a box, lower case", {"A"}, {"trk-a-0001"}, {"box_opened"},
         {"kind=tracking_number case=A"}, 0, 1},
        {"GS1 SSCC known to a case opens a box", {"C"}, {"]C100106141411234567897"}, {"box_opened"},
         {"kind=gs1 case=C"}, 0, 1},
        {"carrier tracking number no case knows, twice", {"A"}, {"1Z999AA10123456784", "1z999aa10123456784"},
         {"box_unknown", "duplicate"}, {"kind=tracking_number case="}, 0, 1},
        {"unknown case number opens a box with no case", {"A"}, {"2026-9999-0001"}, {"box_unknown"},
         {"kind=case_number case="}, 0, 1},
        {"unknown GS1 SSCC opens a box with no case", {}, {"]C100106141411234567897"}, {"box_unknown"},
         {"kind=gs1 case="}, 0, 1},
        {"the open box's case number again is duplicate", {"A"}, {"2026-0001-0001", "2026-0001-0001"},
         {"box_opened", "duplicate"}, {"case=A", "case=A"}, 0, 1},
        {"the open box's tracking number again is duplicate", {"A"}, {"TRK-A-0001", "trk-a-0001"},
         {"box_opened", "duplicate"}, {"case=A", "case=A"}, 0, 1},
        {"a box label closes the open box first", {"A", "B"}, {"2026-0001-0001", "SN-A1", "TRK-B-0001"},
         {"box_opened", "matched", "box_opened"},
         {"case=A", "case=A line=1", "case=B closed=2026-0001-0001 missing=2,3,4"},
         1, 2, {}, {"receipt:pending"}},

        // matched
        {"serials of the box's case", {"A"}, {"2026-0001-0001", "SN-A1", "sn-a2"},
         {"box_opened", "matched", "matched"},
         {"case=A", "kind=serial case=A line=1 serial=SN-A1 sku=SKU-PHONE", "case=A line=2 serial=SN-A2"},
         2, 1, {}, {"receipt:held", "receipt:held"}},
        {"matched with no box open is pending at once", {"A"}, {"SN-A1"}, {"matched"},
         {"case=A line=1"}, 1, 0, {}, {"receipt:pending"}},
        {"one other case in a box_unknown box is matched, not cross_case", {"A"},
         {"1Z999AA10123456784", "SN-A1"}, {"box_unknown", "matched"}, {"", "case=A line=1"},
         1, 1, {}, {"receipt:held"}},
        {"GS1 serial (AI 21) compares upper-cased", {"A"},
         {"2026-0001-0001", "]d201095011015300031726123110LOT42{GS}21sn-a1"}, {"box_opened", "matched"},
         {"case=A", "kind=gs1 case=A line=1 serial=SN-A1"}, 1, 1, {}, {"receipt:held"}},
        {"the last expected line completes the case", {"S"}, {"2026-0001-0007", "SN-S1", ":done"},
         {"box_opened", "matched", "box_closed"},
         {"case=S", "case=S line=1 complete=1", "case=S missing= closed=2026-0001-0007"},
         1, 1, {}, {"closure:pending", "receipt:pending"}},
        {"completion with no box queues the closure at once", {"S"}, {"SN-S1"}, {"matched"},
         {"case=S line=1 complete=1"}, 1, 0, {}, {"closure:pending", "receipt:pending"}},

        // serial precedence among cases
        {"the box's own case wins over another open case", {"A", "B"}, {"2026-0001-0001", "SN-AB"},
         {"box_opened", "matched"}, {"case=A", "case=A line=4"}, 1, 1, {}, {"receipt:held"}},
        {"exactly one other open case is cross_case", {"A", "B"}, {"2026-0001-0001", "SN-B1"},
         {"box_opened", "cross_case"}, {"case=A", "case=B line=1 serial=SN-B1"},
         1, 1, {"cross_case"}, {"receipt:held"}},
        {"cross_case completes its own case", {"A", "S"}, {"2026-0001-0001", "SN-S1"},
         {"box_opened", "cross_case"}, {"case=A", "case=S line=1 complete=1"},
         1, 1, {"cross_case"}, {"closure:held", "receipt:held"}},
        {"several other open cases are ambiguous", {"A", "B", "C"}, {"2026-0001-0001", "SN-BC"},
         {"box_opened", "ambiguous"}, {"case=A", "case= line=-"}, 1, 1, {"ambiguous"}, {}},
        {"several open cases with no box are ambiguous", {"B", "C"}, {"SN-BC"}, {"ambiguous"},
         {"case= line=-"}, 1, 0, {"ambiguous"}, {}},
        {"an open trade-in case beats a destruction case", {"B", "D"}, {"SN-TD"}, {"matched"},
         {"case=B line=4"}, 1, 0, {}, {"receipt:pending"}},
        {"an open trade-in case beats a destruction case, other box", {"A", "B", "D"},
         {"2026-0001-0001", "SN-TD"}, {"box_opened", "cross_case"}, {"case=A", "case=B line=4"},
         1, 1, {"cross_case"}, {"receipt:held"}},
        {"destruction case", {"D"}, {"SN-D1"}, {"destruction_case"}, {"case=D line=-"},
         1, 0, {"destruction_case"}, {}},
        {"destruction beats closed", {"D", "K"}, {"SN-DK"}, {"destruction_case"}, {"case=D"},
         1, 0, {"destruction_case"}, {}},
        {"closed case", {"K"}, {"SN-K1"}, {"case_closed"}, {"case=K line=-"}, 1, 0, {"case_closed"}, {}},
        {"closed case inside a box", {"A", "K"}, {"2026-0001-0001", "SN-K1"}, {"box_opened", "case_closed"},
         {"case=A", "case=K"}, 1, 1, {"case_closed"}, {}},
        {"cancelled case", {"X"}, {"SN-X1"}, {"case_closed"}, {"case=X"}, 1, 0, {"case_closed"}, {}},
        {"an open trade-in case beats a closed case", {"B", "K"}, {"SN-TK"}, {"matched"}, {"case=B line=5"},
         1, 0, {}, {"receipt:pending"}},

        // duplicate and already_received
        {"a serial twice in the same box", {"A"}, {"2026-0001-0001", "SN-A1", "SN-A1", "sn-a1"},
         {"box_opened", "matched", "duplicate", "duplicate"}, {"", "", "case=A serial=SN-A1"},
         1, 1, {}, {"receipt:held"}},
        {"an unexpected unit twice in the same box", {"S"}, {"2026-0001-0007", "NEW-1", "NEW-1"},
         {"box_opened", "unexpected", "duplicate"}, {}, 1, 1, {"unexpected"}, {"unmatched:held"}},
        {"a live receipt in another box beats the case that expects it", {"A", "B"},
         {"2026-0001-0001", "SN-AB", "TRK-B-0001", "SN-AB"},
         {"box_opened", "matched", "box_opened", "already_received"},
         {"case=A", "case=A line=4", "case=B closed=2026-0001-0001 missing=1,2,3", "serial=SN-AB"},
         1, 2, {"already_received"}, {"receipt:pending"}},
        {"a receipt made with no box is elsewhere", {"A"}, {"SN-A1", "2026-0001-0001", "SN-A1"},
         {"matched", "box_opened", "already_received"}, {}, 1, 1, {"already_received"}, {"receipt:pending"}},
        {"a destruction receipt scanned again in its box", {"A", "D"}, {"2026-0001-0001", "SN-D1", "SN-D1"},
         {"box_opened", "destruction_case", "duplicate"}, {}, 1, 1, {"destruction_case"}, {}},

        // awaiting_sku, matched_by_sku, sku_expected
        {"unknown serial waits for its SKU", {"P"}, {"2026-0001-0008", "NEW-1", "sku-tab"},
         {"box_opened", "awaiting_sku", "matched_by_sku"},
         {"case=P", "case=P serial=NEW-1 line=-", "case=P serial=NEW-1 sku=SKU-TAB line=1 kind=sku"},
         1, 1, {}, {"receipt:held"}},
        {"serial-less lines filled one by one", {"P"},
         {"2026-0001-0008", "NEW-1", "SKU-PHONE", "NEW-2", "SKU-PHONE", "SKU-TAB", "NEW-3", "SKU-TAB",
          "NEW-4", "SKU-TAB"},
         {"box_opened", "awaiting_sku", "matched_by_sku", "awaiting_sku", "sku_expected", "matched_by_sku",
          "awaiting_sku", "matched_by_sku", "unexpected", "sku_expected"},
         {"", "", "line=2 serial=NEW-1", "", "serial=NEW-2", "line=1 serial=NEW-2", "",
          "line=1 serial=NEW-3 complete=1", "case=P serial=NEW-4", "case=P"},
         4, 1, {"unexpected"},
         {"closure:held", "receipt:held", "receipt:held", "receipt:held", "unmatched:held"}},
        {"a SKU with nothing pending", {"P"}, {"2026-0001-0008", "SKU-TAB"}, {"box_opened", "sku_expected"},
         {"", "case=P sku=SKU-TAB"}, 0, 1},
        {"while a unit is pending, every other scan is sku_expected", {"A", "P", "badge:OP-7"},
         {"2026-0001-0008", "NEW-1", "NEW-2", "SN-A1", "op-7", "]C1010950110153000310LOT1", "SKU-ZZZ", "{x01}",
          "SKU-TAB"},
         {"box_opened", "awaiting_sku", "sku_expected", "sku_expected", "sku_expected", "sku_expected",
          "sku_expected", "invalid", "matched_by_sku"},
         {"", "", "case=P serial=NEW-1", "serial=NEW-1", "serial=NEW-1", "serial=NEW-1", "serial=NEW-1",
          "kind=invalid", "serial=NEW-1 line=1"},
         1, 1, {}, {"receipt:held"}},
        {"a SKU of a line with a serial does not bind", {"A"},
         {"2026-0001-0001", "NEW-1", "SKU-PHONE", "SKU-TAB"},
         {"box_opened", "awaiting_sku", "sku_expected", "matched_by_sku"},
         {"", "", "serial=NEW-1", "case=A line=3 sku=SKU-TAB"}, 1, 1, {}, {"receipt:held"}},
        {"a pending unit left unbound by :done is unexpected", {"P"}, {"2026-0001-0008", "NEW-1", ":done"},
         {"box_opened", "awaiting_sku", "box_closed"},
         {"", "", "case=P closed=2026-0001-0008 unbound=NEW-1 missing=1,2"},
         1, 1, {"unexpected"}, {"unmatched:pending"}},
        {"a pending unit left unbound by the next box label is unexpected", {"A", "P"},
         {"2026-0001-0008", "NEW-1", "TRK-A-0001", "SKU-TAB"},
         {"box_opened", "awaiting_sku", "box_opened", "sku_expected"},
         {"", "", "case=A closed=2026-0001-0008 unbound=NEW-1 missing=1,2", "case=A"},
         1, 2, {"unexpected"}, {"unmatched:pending"}},
        {"the open box's label while a unit is pending", {"P"},
         {"2026-0001-0008", "NEW-1", "2026-0001-0008", "SKU-TAB"},
         {"box_opened", "awaiting_sku", "duplicate", "matched_by_sku"}, {}, 1, 1, {}, {"receipt:held"}},

        // unexpected, unmatched
        {"unknown serial in a box whose case has no serial-less line", {"S"},
         {"2026-0001-0007", "NEW-1", ":done"}, {"box_opened", "unexpected", "box_closed"},
         {"", "case=S serial=NEW-1 line=-", "case=S missing=1"}, 1, 1, {"unexpected"}, {"unmatched:pending"}},
        {"unknown serial with no box", {"A"}, {"new-1"}, {"unmatched"}, {"case= serial=NEW-1 kind=serial"},
         1, 0, {"unmatched"}, {"unmatched:pending"}},
        {"unknown serial in a box_unknown box is held until it closes", {"A"},
         {"1Z999AA10123456784", "NEW-1"}, {"box_unknown", "unmatched"}, {"", "case= serial=NEW-1"},
         1, 1, {"unmatched"}, {"unmatched:held"}},
        {"a box_unknown box closes with no case", {"A"}, {"1Z999AA10123456784", "NEW-1", ":done"},
         {"box_unknown", "unmatched", "box_closed"}, {"", "", "case= missing=- closed=1Z999AA10123456784"},
         1, 1, {"unmatched"}, {"unmatched:pending"}},

        // box_closed, no_box
        {":done with no box", {}, {":done", ":DONE"}, {"no_box", "no_box"}, {"kind=command"}},
        {":done lists the missing lines", {"A"}, {"2026-0001-0001", "SN-A2", ":done", ":done"},
         {"box_opened", "matched", "box_closed", "no_box"},
         {"", "", "case=A missing=1,3,4 closed=2026-0001-0001"}, 1, 1, {}, {"receipt:pending"}},

        // undone, nothing_to_undo
        {":undo with no box", {"A"}, {":undo"}, {"nothing_to_undo"}, {"kind=command"}},
        {":undo in an empty box", {"A"}, {"2026-0001-0001", ":undo"}, {"box_opened", "nothing_to_undo"}, {},
         0, 1},
        {":undo voids the newest receipt and reopens its line", {"A"},
         {"2026-0001-0001", "SN-A1", "SN-A2", ":undo", "SN-A2", ":undo", ":undo", ":undo"},
         {"box_opened", "matched", "matched", "undone", "matched", "undone", "undone", "nothing_to_undo"},
         {"", "", "", "case=A serial=SN-A2 line=2", "line=2", "serial=SN-A2", "serial=SN-A1 line=1"},
         0, 1, {}, {"receipt:cancelled", "receipt:cancelled", "receipt:cancelled"}},
        {":undo does not reach into a closed box", {"A", "B"}, {"2026-0001-0001", "SN-A1", "TRK-B-0001", ":undo"},
         {"box_opened", "matched", "box_opened", "nothing_to_undo"}, {}, 1, 2, {}, {"receipt:pending"}},
        {":undo voids a SKU-bound unit", {"P"},
         {"2026-0001-0008", "NEW-1", "SKU-PHONE", ":undo", "NEW-1", "SKU-PHONE"},
         {"box_opened", "awaiting_sku", "matched_by_sku", "undone", "awaiting_sku", "matched_by_sku"},
         {"", "", "line=2", "case=P serial=NEW-1 sku=SKU-PHONE line=2", "", "line=2"},
         1, 1, {}, {"receipt:cancelled", "receipt:held"}},
        {":undo of cross_case cancels its exception and held closure", {"A", "S"},
         {"2026-0001-0001", "SN-S1", ":undo", ":done"}, {"box_opened", "cross_case", "undone", "box_closed"},
         {"", "case=S complete=1", "case=S serial=SN-S1 line=1", "case=A missing=1,2,3,4"},
         0, 1, {}, {"closure:cancelled", "receipt:cancelled"}},
        {":undo of a pending unit", {"P"}, {"2026-0001-0008", "NEW-1", ":undo", "SKU-TAB", ":done"},
         {"box_opened", "awaiting_sku", "undone", "sku_expected", "box_closed"},
         {"", "", "serial=NEW-1 line=-", "", "case=P missing=1,2 unbound="}, 0, 1, {}, {}},
        {":undo of an unexpected unit keeps its complete case's unsent closure", {"S"},
         {"SN-S1", "2026-0001-0007", "NEW-1", ":undo", ":done"},
         {"matched", "box_opened", "unexpected", "undone", "box_closed"},
         {"case=S complete=1", "case=S", "case=S", "case=S serial=NEW-1 line=-", "case=S missing="},
         1, 1, {}, {"closure:pending", "receipt:pending", "unmatched:cancelled"}},
        {":undo of an unexpected unit cancels its exception and event", {"S"},
         {"2026-0001-0007", "NEW-1", ":undo"}, {"box_opened", "unexpected", "undone"}, {"", "", "serial=NEW-1"},
         0, 1, {}, {"unmatched:cancelled"}},

        // wrong_barcode, invalid
        {"GS1 without AI 21 or 00 is the wrong barcode", {"A"},
         {"2026-0001-0001", "]C1010950110153000310LOT1"}, {"box_opened", "wrong_barcode"}, {"", "kind=gs1"},
         0, 1},
        {"MAC, CLEI and part number where a serial belongs record nothing", {"A"},
         {"2026-0001-0001", "3C:8A:B0:12:34:56", "3c8ab0123456", "IPMJ610DRA", "740-012345 REV 05"},
         {"box_opened", "wrong_barcode", "wrong_barcode", "wrong_barcode", "wrong_barcode"},
         {"", "kind=mac", "kind=mac", "kind=clei", "kind=part_number"},
         0, 1},
        {"invalid scans record nothing", {"A"},
         {"2026-0001-0001", "", "   ", "AB{TAB}C", "{LF}SN-A1", "SN-A1{x7F}", "sn{xFF}", chars(129),
          "]C1010950110153000421SN-A1"},
         {"box_opened", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid"},
         {"", "kind=invalid", "kind=invalid", "kind=invalid", "kind=invalid", "kind=invalid", "kind=invalid",
          "kind=invalid", "kind=invalid"},
         0, 1},
        {"128 characters, trailing CR LF and spaces are fine", {"A"},
         {"  " + chars(128) + "  {CR}{LF}", "sn-a1{CR}{LF}"}, {"unmatched", "matched"},
         {"serial=" + chars(128), "serial=SN-A1"}, 2, 0, {"unmatched"}, {"receipt:pending", "unmatched:pending"}},

        // the station's state belongs to the station, not the process
        {"a new scan process continues the open box", {"A"}, {"2026-0001-0001", "SN-A1", "!restart", "SN-A1", ":done"},
         {"box_opened", "matched", "-", "duplicate", "box_closed"}, {"", "", "", "", "case=A missing=2,3,4"},
         1, 1, {}, {"receipt:pending"}},
        {"a new scan process continues the pending unit", {"P"},
         {"2026-0001-0008", "NEW-1", "!restart", "NEW-2", "SKU-TAB"},
         {"box_opened", "awaiting_sku", "-", "sku_expected", "matched_by_sku"},
         {"", "", "", "serial=NEW-1", "serial=NEW-1 line=1"}, 1, 1, {}, {"receipt:held"}},

        // a case closed upstream while its box is open
        {"a case closed upstream while its box is open", {"A"},
         {"2026-0001-0001", "SN-A1", "!close A", "SN-A2", ":done"},
         {"box_opened", "matched", "-", "case_closed", "box_closed"},
         {"", "", "", "case=A serial=SN-A2", "case=A missing=2,3,4"}, 2, 1, {"case_closed"},
         {"receipt:pending"}},

        // late: the scan's date in America/Chicago against the due date (A, P: 2026-03-01; B: 2026-02-01)
        {"05:30Z on the day after is still the due date in Chicago", {"A"}, {"2026-0001-0001", "SN-A1"},
         {"box_opened", "matched"}, {"late=0", "late=0"}, 1, 1, {}, {"receipt:held"},
         "2026-03-02T05:30:00Z"},
        {"07:00Z on the day after is late in Chicago", {"A"}, {"2026-0001-0001", "SN-A1"},
         {"box_opened", "matched"}, {"late=1", "late=1"}, 1, 1, {}, {"receipt:held"}, "2026-03-02T07:00:00Z"},
        {"late follows the verdict's case", {"A", "B"}, {"2026-0001-0001", "SN-B1", "SN-A1"},
         {"box_opened", "cross_case", "matched"}, {"case=A late=0", "case=B late=1", "case=A late=0"},
         2, 1, {"cross_case"}, {"receipt:held", "receipt:held"}, "2026-03-01T12:00:00Z"},
        {"every verdict about a late case says late", {"P"},
         {"2026-0001-0008", "NEW-1", "NEW-2", "SKU-TAB", "SKU-TAB", ":undo", ":done"},
         {"box_opened", "awaiting_sku", "sku_expected", "matched_by_sku", "sku_expected", "undone", "box_closed"},
         {"late=1", "late=1", "late=1", "late=1", "late=1", "late=1", "late=1"}, 0, 1, {},
         {"receipt:cancelled"}, "2026-03-02T07:00:00Z"},
        {"a verdict with no case is never late", {}, {"NEW-1", "1Z999AA10123456784", ":done"},
         {"unmatched", "box_unknown", "box_closed"}, {"late=0", "late=0", "late=0"}, 1, 1, {"unmatched"},
         {"unmatched:pending"}, "2026-03-02T07:00:00Z"},
    };
    // clang-format on
    return all;
}

} // namespace

// The scan contract end to end: every outcome, every precedence rule, and what each one writes.
class TestReceivingService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void sequences_data();
    void sequences();
    void tableCoversEveryOutcome();

    void signedInOperatorIsOnLaterReceipts();
    void badgeIsShownMaskedAndNamesTheOperator();
    void disabledBadgeRecordsNothing();
    void stationStatePersistsAcrossInstances();
    void stationsAreIndependent();
    void multiCodeReadGivesOneVerdict();
    void idleBoxClosesAndReleasesItsEvents();
    void notRecordedWhenLocked();
    void notRecordedWhenReadOnly();
    void scanWritesAreAtomic();
    void undoVoidsSkuBoundUnitAndItsClosure();
    void boxOpenedOverOpenBoxClosesIt();
    void unboundPendingUnitBecomesUnexpected();
    void heldEventsBecomePendingWhenBoxCloses();

private:
    QString dbPath() const { return TestStore::location(m_dir->filePath(QStringLiteral("station.sqlite"))); }
    void openDatabase(Database::Options options = {});
    void restart();
    void loadFixtures(const QStringList &fixtures);
    void upsert(const CaseRecord &record);
    Verdict scan(const QString &line, const QString &station = Station);
    void checkEffects(const Verdict &v, const Snapshot &before, const Snapshot &after);
    void checkDetails(const Verdict &v, const QString &spec);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ReceivingService> m_service;
    FixedClock m_clock{DefaultNow};
};

void TestReceivingService::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(QTimeZone(QByteArrayLiteral("America/Chicago")).isValid());
}

void TestReceivingService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock.set(DefaultNow);
    openDatabase();
}

void TestReceivingService::cleanup()
{
    m_service.reset();
    m_db.reset();
    m_dir.reset();
}

void TestReceivingService::openDatabase(Database::Options options)
{
    m_service.reset();
    m_db = std::make_unique<Database>();
    m_db->open(dbPath(), options);
    m_service = std::make_unique<ReceivingService>(*m_db, m_clock, ReceivingService::Options{});
}

void TestReceivingService::restart()
{
    m_service.reset();
    m_db.reset();
    openDatabase();
}

void TestReceivingService::upsert(const CaseRecord &record)
{
    CaseStore store(*m_db);
    Transaction tx(*m_db);
    QVERIFY(store.upsert(record) != CaseStore::Upsert::Unchanged);
    tx.commit();
}

void TestReceivingService::loadFixtures(const QStringList &fixtures)
{
    for (const QString &f : fixtures) {
        if (f.startsWith(QLatin1String("badge:"))) {
            QString error;
            Operators ops(*m_db);
            QVERIFY2(ops.add(f.mid(6), QStringLiteral("Pat Doe"), Operators::Role::Dock, QString(),
                             QStringLiteral("test"), &error),
                     qPrintable(error));
        } else if (f.startsWith(QLatin1String("disabled:"))) {
            QString error;
            Operators ops(*m_db);
            QVERIFY2(ops.add(f.mid(9), QStringLiteral("Ex Worker"), Operators::Role::Dock, QString(),
                             QStringLiteral("test"), &error),
                     qPrintable(error));
            QVERIFY2(ops.disable(f.mid(9), QStringLiteral("test"), &error), qPrintable(error));
        } else {
            upsert(fixtureBuilder(f).build());
        }
        if (QTest::currentTestFailed())
            return;
    }
}

Verdict TestReceivingService::scan(const QString &line, const QString &station)
{
    ScanEvent e;
    e.raw = rawScan(line);
    e.sourceId = QStringLiteral("test");
    return m_service->scan(e, station);
}

// What each outcome writes, as counts; outcomes that record nothing must leave every row as it was.
void TestReceivingService::checkEffects(const Verdict &v, const Snapshot &b, const Snapshot &a)
{
    const int complete = v.caseComplete ? 1 : 0;
    const int unbound = v.unboundSerial.isEmpty() ? 0 : 1;
    struct Delta
    {
        qint64 receipts, live, exceptions, outbox, boxes, openBoxes;
    };
    const Delta d{a.receipts - b.receipts,     a.liveReceipts - b.liveReceipts,
                  a.exceptions - b.exceptions, a.outbox - b.outbox,
                  a.boxes - b.boxes,           a.openBoxes - b.openBoxes};
    const auto expect = [&](Delta e) {
        QCOMPARE(d.receipts, e.receipts);
        QCOMPARE(d.live, e.live);
        QCOMPARE(d.exceptions, e.exceptions);
        QCOMPARE(d.outbox, e.outbox);
        QCOMPARE(d.boxes, e.boxes);
        QCOMPARE(d.openBoxes, e.openBoxes);
    };
    if (recordsNothing(v.outcome)) {
        QCOMPARE(a.rows, b.rows);
        QVERIFY(!v.receiptId || v.outcome == Outcome::Duplicate);
        QVERIFY(!v.exceptionId);
        return;
    }
    switch (v.outcome) {
    case Outcome::SignedIn:
        expect({0, 0, 0, 0, 0, 0});
        QCOMPARE(a.audit - b.audit, qint64(1));
        break;
    case Outcome::BoxOpened:
    case Outcome::BoxUnknown:
        expect({0, 0, unbound, unbound, 1, v.closedBox.isEmpty() ? 1 : 0});
        QVERIFY(v.boxId);
        break;
    case Outcome::Matched:
        expect({1, 1, 0, 1 + complete, 0, 0});
        QVERIFY(v.receiptId && !v.exceptionId);
        break;
    case Outcome::CrossCase:
        expect({1, 1, 1, 1 + complete, 0, 0});
        QVERIFY(v.receiptId && v.exceptionId);
        break;
    case Outcome::Ambiguous:
    case Outcome::DestructionCase:
    case Outcome::CaseClosed:
        expect({1, 1, 1, 0, 0, 0});
        QVERIFY(v.receiptId && v.exceptionId);
        break;
    case Outcome::AwaitingSku:
        expect({1, 1, 0, 0, 0, 0});
        QVERIFY(v.receiptId && !v.exceptionId);
        break;
    case Outcome::MatchedBySku:
        expect({0, 0, 0, 1 + complete, 0, 0});
        QVERIFY(v.receiptId && !v.exceptionId);
        break;
    case Outcome::AlreadyReceived:
        expect({0, 0, 1, 0, 0, 0});
        QVERIFY(v.exceptionId);
        break;
    case Outcome::Unexpected:
    case Outcome::Unmatched:
        expect({1, 1, 1, 1, 0, 0});
        QVERIFY(v.receiptId && v.exceptionId);
        break;
    case Outcome::BoxClosed:
        expect({0, 0, unbound, unbound, 0, -1});
        break;
    case Outcome::Undone:
        expect({0, -1, 0, 0, 0, 0});
        QVERIFY(a.openExceptions <= b.openExceptions);
        QVERIFY(v.receiptId);
        break;
    default:
        QFAIL(qPrintable(QStringLiteral("no effect rule for %1").arg(outcomeName(v.outcome))));
    }
}

void TestReceivingService::checkDetails(const Verdict &v, const QString &spec)
{
    bool late = false;
    bool complete = false;
    const QStringList tokens = spec.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &token : tokens) {
        const qsizetype eq = token.indexOf(QLatin1Char('='));
        QVERIFY2(eq > 0, qPrintable(token));
        const QString key = token.left(eq);
        const QString value = token.mid(eq + 1);
        if (key == QLatin1String("case")) {
            QCOMPARE(v.caseNumber, caseNumberOf(value));
        } else if (key == QLatin1String("line")) {
            QCOMPARE(v.line ? QString::number(*v.line) : QStringLiteral("-"), value);
        } else if (key == QLatin1String("late")) {
            late = value == QLatin1String("1");
        } else if (key == QLatin1String("complete")) {
            complete = value == QLatin1String("1");
        } else if (key == QLatin1String("missing")) {
            QString got = QStringLiteral("-");
            if (v.missingLines) {
                QStringList l;
                for (int x : *v.missingLines)
                    l << QString::number(x);
                got = l.join(QLatin1Char(','));
            }
            QCOMPARE(got, value);
        } else if (key == QLatin1String("closed")) {
            QCOMPARE(v.closedBox, value);
        } else if (key == QLatin1String("unbound")) {
            QCOMPARE(v.unboundSerial, value);
        } else if (key == QLatin1String("kind")) {
            QCOMPARE(kindName(v.kind), value);
        } else if (key == QLatin1String("serial")) {
            QCOMPARE(v.serial, value);
        } else if (key == QLatin1String("sku")) {
            QCOMPARE(v.sku, value);
        } else {
            QFAIL(qPrintable(QStringLiteral("unknown detail key %1").arg(key)));
        }
    }
    QCOMPARE(v.late, late);
    QCOMPARE(v.caseComplete, complete);
}

void TestReceivingService::sequences_data()
{
    QTest::addColumn<QStringList>("fixtures");
    QTest::addColumn<QStringList>("scans");
    QTest::addColumn<QStringList>("outcomes");
    QTest::addColumn<QStringList>("details");
    QTest::addColumn<int>("liveReceipts");
    QTest::addColumn<int>("boxes");
    QTest::addColumn<QStringList>("openExceptions");
    QTest::addColumn<QStringList>("outbox");
    QTest::addColumn<QString>("now");

    for (const Sequence &s : allSequences())
        QTest::newRow(s.name) << s.fixtures << s.scans << s.outcomes << s.details << s.liveReceipts << s.boxes
                              << s.openExceptions << s.outbox << s.now;
}

void TestReceivingService::sequences()
{
    QFETCH(QStringList, fixtures);
    QFETCH(QStringList, scans);
    QFETCH(QStringList, outcomes);
    QFETCH(QStringList, details);
    QFETCH(int, liveReceipts);
    QFETCH(int, boxes);
    QFETCH(QStringList, openExceptions);
    QFETCH(QStringList, outbox);
    QFETCH(QString, now);

    QCOMPARE(outcomes.size(), scans.size());
    QVERIFY(details.size() <= scans.size());
    if (!now.isEmpty()) {
        const QDateTime t = QDateTime::fromString(now, Qt::ISODate);
        QVERIFY(t.isValid());
        m_clock.set(t);
    }
    loadFixtures(fixtures);
    if (QTest::currentTestFailed())
        return;

    for (qsizetype i = 0; i < scans.size(); ++i) {
        const QString &line = scans.at(i);
        const QString step = QStringLiteral("step %1 [%2]").arg(i + 1).arg(line.left(40));
        if (line == QLatin1String("!restart")) {
            QCOMPARE(outcomes.at(i), QStringLiteral("-"));
            restart();
            continue;
        }
        if (line.startsWith(QLatin1String("!close "))) {
            QCOMPARE(outcomes.at(i), QStringLiteral("-"));
            upsert(fixtureBuilder(line.mid(7))
                       .status(QStringLiteral("closed"))
                       .updatedAt(QStringLiteral("2026-01-10T00:00:00.000Z"))
                       .build());
            continue;
        }
        const Snapshot before = Snapshot::take(*m_db);
        const Verdict v = scan(line);
        const Snapshot after = Snapshot::take(*m_db);
        QCOMPARE(step + QLatin1String(": ") + outcomeName(v.outcome),
                 step + QLatin1String(": ") + outcomes.at(i));
        checkEffects(v, before, after);
        if (QTest::currentTestFailed()) {
            qWarning("effects of %s", qPrintable(step));
            return;
        }
        checkDetails(v, details.value(i));
        if (QTest::currentTestFailed()) {
            qWarning("details of %s: %s", qPrintable(step),
                     QJsonDocument(v.toJson()).toJson(QJsonDocument::Compact).constData());
            return;
        }
    }

    QCOMPARE(count(*m_db, "SELECT count(*) FROM receipts WHERE voided = 0"), qint64(liveReceipts));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM boxes"), qint64(boxes));
    QCOMPARE(sortedStrings(*m_db, "SELECT kind FROM exceptions WHERE status = 'open'"), openExceptions);
    QCOMPARE(sortedStrings(*m_db, "SELECT kind || ':' || state FROM outbox"), outbox);
    // No receipt is left pending_sku unless the station still points at it.
    QCOMPARE(count(*m_db, "SELECT count(*) FROM receipts r WHERE r.pending_sku = 1 AND r.voided = 0 AND NOT "
                          "EXISTS (SELECT 1 FROM station_state s WHERE s.pending_receipt_id = r.id)"),
             qint64(0));
}

void TestReceivingService::tableCoversEveryOutcome()
{
    QSet<QString> covered;
    for (const Sequence &s : allSequences()) {
        for (const QString &o : s.outcomes)
            covered.insert(o);
    }
    covered.insert(outcomeName(Outcome::NotRecorded)); // notRecordedWhen*() and scanWritesAreAtomic()
    for (Outcome o : allOutcomes())
        QVERIFY2(covered.contains(outcomeName(o)), qPrintable(outcomeName(o)));
}

void TestReceivingService::badgeIsShownMaskedAndNamesTheOperator()
{
    loadFixtures({QStringLiteral("badge:BADGE-2001")});
    const Verdict v = scan(QStringLiteral("BADGE-2001"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("signed_in"));
    QCOMPARE(v.input, QStringLiteral("BADGE-\u2022\u202201"));
    QVERIFY(v.serial.isEmpty());
    QCOMPARE(v.message, QStringLiteral("Signed in: Pat Doe."));
    const QString json = QString::fromUtf8(QJsonDocument(v.toJson()).toJson());
    QVERIFY2(!json.contains(QLatin1String("2001")) || json.contains(QStringLiteral("\u2022\u202201")),
             qPrintable(json));
    QVERIFY2(!json.contains(QLatin1String("BADGE-2001")), qPrintable(json));
}

void TestReceivingService::disabledBadgeRecordsNothing()
{
    loadFixtures({QStringLiteral("A"), QStringLiteral("badge:OP-7"), QStringLiteral("disabled:OP-8")});
    QCOMPARE(outcomeName(scan(QStringLiteral("op-7")).outcome), QStringLiteral("signed_in"));
    const qint64 audits = count(*m_db, "SELECT count(*) FROM audit_log");
    const Verdict v = scan(QStringLiteral("op-8"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("badge_disabled"));
    QCOMPARE(severityName(v.severity()), QStringLiteral("error"));
    QVERIFY2(v.message.contains(QLatin1String("see a supervisor")), qPrintable(v.message));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log"), audits);
    // Whoever was signed in stays signed in: the disabled badge took nobody's place.
    QCOMPARE(sortedStrings(*m_db, "SELECT operator_id FROM station_state"), QStringList{"OP-7"});
}

void TestReceivingService::signedInOperatorIsOnLaterReceipts()
{
    loadFixtures({QStringLiteral("A"), QStringLiteral("badge:OP-7")});
    const qint64 audits = count(*m_db, "SELECT count(*) FROM audit_log");
    QCOMPARE(outcomeName(scan(QStringLiteral("op-7")).outcome), QStringLiteral("signed_in"));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log"), audits + 1);
    QCOMPARE(count(*m_db, "SELECT count(*) FROM audit_log WHERE action = 'signed_in' AND subject = 'OP-7' "
                          "AND station_id = 'S1'"),
             qint64(1));
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0001")).outcome), QStringLiteral("box_opened"));
    QCOMPARE(outcomeName(scan(QStringLiteral("SN-A1")).outcome), QStringLiteral("matched"));
    QCOMPARE(sortedStrings(*m_db, "SELECT operator_id FROM receipts"), QStringList{"OP-7"});
    QCOMPARE(sortedStrings(*m_db, "SELECT operator_id FROM boxes"), QStringList{"OP-7"});
    const QStringList payloads = sortedStrings(*m_db, "SELECT payload FROM outbox WHERE kind = 'receipt'");
    QCOMPARE(payloads.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(payloads.front().toUtf8()).object().value(QLatin1String("operator_id")),
             QJsonValue(QStringLiteral("OP-7")));
}

void TestReceivingService::stationStatePersistsAcrossInstances()
{
    loadFixtures({QStringLiteral("P")});
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0008")).outcome), QStringLiteral("box_opened"));
    QCOMPARE(outcomeName(scan(QStringLiteral("NEW-1")).outcome), QStringLiteral("awaiting_sku"));

    // A second process: its own connection, its own service, the same station.
    Database other;
    other.open(dbPath());
    ReceivingService second(other, m_clock, ReceivingService::Options{});
    const auto scanOther = [&](const char *line) {
        ScanEvent e;
        e.raw = line;
        return second.scan(e, Station);
    };
    Verdict v = scanOther("NEW-2");
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("sku_expected"));
    QCOMPARE(v.serial, QStringLiteral("NEW-1"));
    QCOMPARE(v.caseNumber, caseNumberOf(QStringLiteral("P")));
    v = scanOther("SKU-TAB");
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("matched_by_sku"));
    QCOMPARE(v.serial, QStringLiteral("NEW-1"));
    QCOMPARE(v.line, std::optional<int>(1));

    // The first process sees what the second did.
    QCOMPARE(outcomeName(scan(QStringLiteral("NEW-1")).outcome), QStringLiteral("duplicate"));
    QCOMPARE(outcomeName(scan(QStringLiteral("NEW-3")).outcome), QStringLiteral("awaiting_sku"));
    v = scanOther(":done");
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("box_closed"));
    QCOMPARE(v.unboundSerial, QStringLiteral("NEW-3"));
    QCOMPARE(outcomeName(scan(QStringLiteral(":done")).outcome), QStringLiteral("no_box"));
}

void TestReceivingService::stationsAreIndependent()
{
    loadFixtures({QStringLiteral("A")});
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0001")).outcome), QStringLiteral("box_opened"));
    const Verdict v = scan(QStringLiteral("SN-A1"), QStringLiteral("S2"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("matched"));
    QVERIFY(!v.boxId);
    QCOMPARE(sortedStrings(*m_db, "SELECT kind || ':' || state FROM outbox"), QStringList{"receipt:pending"});
    QCOMPARE(outcomeName(scan(QStringLiteral("SN-A1")).outcome), QStringLiteral("already_received"));
    QCOMPARE(outcomeName(scan(QStringLiteral(":undo")).outcome), QStringLiteral("nothing_to_undo"));
    QCOMPARE(outcomeName(scan(QStringLiteral(":done"), QStringLiteral("S2")).outcome),
             QStringLiteral("no_box"));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM boxes WHERE closed_at IS NULL"), qint64(1));
}

void TestReceivingService::multiCodeReadGivesOneVerdict()
{
    loadFixtures({QStringLiteral("A")});
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0001")).outcome), QStringLiteral("box_opened"));
    const auto read = [this](std::initializer_list<const char *> codes) {
        QList<ScanEvent> events;
        for (const char *c : codes)
            events.append(ScanEvent{QByteArray(c), false, QString(), QStringLiteral("camera"), 1, false});
        return m_service->scanRead(events, Station);
    };
    // A unit label read whole: the serial is matched once, the MAC and part number beside it are ignored.
    Verdict v = read({"3C:8A:B0:12:34:56", "SN-A1", "740-012345"});
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("matched"));
    QCOMPARE(v.serial, QStringLiteral("SN-A1"));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM receipts"), qint64(1));
    // An unknown serial with its SKU on the same label binds to the serial-less line in one read.
    v = read({"NEW-7", "SKU-TAB"});
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("matched_by_sku"));
    QCOMPARE(v.sku, QStringLiteral("SKU-TAB"));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM receipts WHERE pending_sku = 0 AND line IS NOT NULL"),
             qint64(2));
    // Only the label's other codes: one wrong_barcode verdict, nothing recorded.
    const Snapshot before = Snapshot::take(*m_db);
    v = read({"3C:8A:B0:12:34:56", "IPMJ610DRA"});
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("wrong_barcode"));
    QCOMPARE(kindName(v.kind), QStringLiteral("mac"));
    checkEffects(v, before, Snapshot::take(*m_db));
    // Garbage beside a serial does not spoil the read.
    v = read({"\x01\x02", "SN-A2"});
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("matched"));
}

void TestReceivingService::idleBoxClosesAndReleasesItsEvents()
{
    loadFixtures({QStringLiteral("A")});
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0001")).outcome), QStringLiteral("box_opened"));
    m_clock.set(DefaultNow.addSecs(10 * 60));
    QCOMPARE(outcomeName(scan(QStringLiteral("SN-A1")).outcome), QStringLiteral("matched"));
    QCOMPARE(outcomeName(scan(QStringLiteral("NEW-9")).outcome), QStringLiteral("awaiting_sku"));
    QCOMPARE(sortedStrings(*m_db, "SELECT kind || ':' || state FROM outbox"), QStringList{"receipt:held"});
    // Idle is counted from the newest scan, not from the box's opening.
    m_clock.set(DefaultNow.addSecs(39 * 60));
    QCOMPARE(m_service->closeIdleBoxes(30), 0);
    m_clock.set(DefaultNow.addSecs(41 * 60));
    QCOMPARE(m_service->closeIdleBoxes(30), 1);
    QCOMPARE(sortedStrings(*m_db, "SELECT kind || ':' || state FROM outbox"),
             (QStringList{"receipt:pending", "unmatched:pending"}));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM boxes WHERE closed_at IS NULL"), qint64(0));
    QCOMPARE(sortedStrings(*m_db, "SELECT kind FROM exceptions WHERE status = 'open'"),
             QStringList{"unexpected"});
    QCOMPARE(m_service->closeIdleBoxes(30), 0);
    QCOMPARE(outcomeName(scan(QStringLiteral(":done")).outcome), QStringLiteral("no_box"));
}

void TestReceivingService::notRecordedWhenLocked()
{
    loadFixtures({QStringLiteral("A"), QStringLiteral("B")});
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0001")).outcome), QStringLiteral("box_opened"));
    Database::Options quick;
    quick.busyTimeoutMs = 100;
    openDatabase(quick);

    Database other;
    other.open(dbPath());
    auto holding = std::make_unique<Transaction>(other); // the writer lock, on either engine
    const Snapshot before = Snapshot::take(*m_db);
    for (const char *line : {"SN-A1", "NEW-1", "SN-B1", ":done", "TRK-B-0001", ":undo"}) {
        QElapsedTimer timer;
        timer.start();
        const Verdict v = scan(QString::fromLatin1(line));
        QVERIFY2(timer.elapsed() >= 90, line); // waited for the lock, up to the timeout
        QCOMPARE(outcomeName(v.outcome), QStringLiteral("not_recorded"));
        QVERIFY(!v.message.isEmpty());
        QVERIFY(!v.receiptId && !v.exceptionId);
    }
    holding.reset(); // rolled back
    QCOMPARE(Snapshot::take(*m_db).rows, before.rows);

    // Once the lock is gone the same scan goes through: the worker rescans.
    const Verdict v = scan(QStringLiteral("SN-A1"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("matched"));
    QCOMPARE(v.caseNumber, caseNumberOf(QStringLiteral("A")));
}

void TestReceivingService::notRecordedWhenReadOnly()
{
    loadFixtures({QStringLiteral("A"), QStringLiteral("B")});
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0001")).outcome), QStringLiteral("box_opened"));
    QCOMPARE(outcomeName(scan(QStringLiteral("NEW-1")).outcome), QStringLiteral("awaiting_sku"));
    const Snapshot before = Snapshot::take(*m_db);

    Database readOnly;
    Database::Options ro;
    ro.readOnly = true;
    readOnly.open(dbPath(), ro);
    ReceivingService service(readOnly, m_clock, ReceivingService::Options{});
    for (const char *line : {"SKU-TAB", ":undo", ":done", "TRK-B-0001"}) {
        ScanEvent e;
        e.raw = line;
        const Verdict v = service.scan(e, Station);
        QCOMPARE(outcomeName(v.outcome), QStringLiteral("not_recorded"));
        QVERIFY(!v.message.isEmpty());
    }
    QCOMPARE(Snapshot::take(*m_db).rows, before.rows);
    QCOMPARE(outcomeName(scan(QStringLiteral("SKU-TAB")).outcome), QStringLiteral("matched_by_sku"));
}

void TestReceivingService::scanWritesAreAtomic()
{
    loadFixtures({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("P")});
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0001")).outcome), QStringLiteral("box_opened"));
    // Refuse exception rows only: a cross_case scan writes its receipt and outbox event first.
    refuseExceptions(*m_db, true);
    Snapshot before = Snapshot::take(*m_db);
    QCOMPARE(outcomeName(scan(QStringLiteral("SN-B1")).outcome), QStringLiteral("not_recorded"));
    QCOMPARE(Snapshot::take(*m_db).rows, before.rows);

    // A pending unit made unexpected by the next box label: box change, receipt update, exception, event.
    refuseExceptions(*m_db, false);
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0008")).outcome), QStringLiteral("box_opened"));
    QCOMPARE(outcomeName(scan(QStringLiteral("NEW-1")).outcome), QStringLiteral("awaiting_sku"));
    refuseExceptions(*m_db, true);
    before = Snapshot::take(*m_db);
    QCOMPARE(outcomeName(scan(QStringLiteral("TRK-A-0001")).outcome), QStringLiteral("not_recorded"));
    QCOMPARE(Snapshot::take(*m_db).rows, before.rows);

    refuseExceptions(*m_db, false);
    QCOMPARE(outcomeName(scan(QStringLiteral("SKU-TAB")).outcome), QStringLiteral("matched_by_sku"));
}

void TestReceivingService::undoVoidsSkuBoundUnitAndItsClosure()
{
    loadFixtures({QStringLiteral("P")});
    for (const char *line : {"2026-0001-0008", "NEW-1", "SKU-PHONE", "NEW-2", "SKU-TAB", "NEW-3"})
        scan(QString::fromLatin1(line));
    Verdict v = scan(QStringLiteral("SKU-TAB"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("matched_by_sku"));
    QVERIFY(v.caseComplete);
    const qint64 receiptId = *v.receiptId;
    QCOMPARE(sortedStrings(*m_db, "SELECT kind || ':' || state FROM outbox"),
             (QStringList{"closure:held", "receipt:held", "receipt:held", "receipt:held"}));

    v = scan(QStringLiteral(":undo"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("undone"));
    QCOMPARE(v.receiptId, std::optional<qint64>(receiptId));
    QCOMPARE(v.serial, QStringLiteral("NEW-3"));
    QCOMPARE(v.sku, QStringLiteral("SKU-TAB"));
    QCOMPARE(v.line, std::optional<int>(1));
    Statement r = m_db->prepare("SELECT voided, pending_sku FROM receipts WHERE id = ?1");
    QVERIFY(r.bind(1, receiptId).next());
    QCOMPARE(r.int64(0), qint64(1));
    QCOMPARE(r.int64(1), qint64(0));
    r.reset();
    QCOMPARE(sortedStrings(*m_db, "SELECT kind || ':' || state FROM outbox"),
             (QStringList{"closure:cancelled", "receipt:cancelled", "receipt:held", "receipt:held"}));

    // The line is open again: one of two SKU-TAB units received.
    const QJsonObject detail = *CaseStore(*m_db).detail(caseNumberOf(QStringLiteral("P")));
    const QJsonObject line1 = detail.value(QLatin1String("items")).toArray().at(0).toObject();
    QCOMPARE(line1.value(QLatin1String("received")).toInt(), 1);
    QCOMPARE(line1.value(QLatin1String("complete")).toBool(), false);

    QCOMPARE(outcomeName(scan(QStringLiteral("NEW-3")).outcome), QStringLiteral("awaiting_sku"));
    v = scan(QStringLiteral("sku-tab"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("matched_by_sku"));
    QVERIFY(v.caseComplete);
    QCOMPARE(outcomeName(scan(QStringLiteral(":done")).outcome), QStringLiteral("box_closed"));
    QCOMPARE(sortedStrings(*m_db, "SELECT kind || ':' || state FROM outbox"),
             (QStringList{"closure:cancelled", "closure:pending", "receipt:cancelled", "receipt:pending",
                          "receipt:pending", "receipt:pending"}));
}

void TestReceivingService::boxOpenedOverOpenBoxClosesIt()
{
    loadFixtures({QStringLiteral("A"), QStringLiteral("B")});
    const Verdict first = scan(QStringLiteral("2026-0001-0001"));
    QVERIFY(first.boxId);
    QCOMPARE(outcomeName(scan(QStringLiteral("SN-A2")).outcome), QStringLiteral("matched"));
    const Verdict v = scan(QStringLiteral("trk-b-0001"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("box_opened"));
    QCOMPARE(v.caseNumber, caseNumberOf(QStringLiteral("B")));
    QCOMPARE(v.closedBox, QStringLiteral("2026-0001-0001"));
    QCOMPARE(v.missingLines, std::optional<QList<int>>(QList<int>{1, 3, 4}));
    QVERIFY(v.boxId && *v.boxId != *first.boxId);
    const QJsonObject json = v.toJson();
    QCOMPARE(json.value(QLatin1String("closed_box")).toString(), QStringLiteral("2026-0001-0001"));
    QCOMPARE(json.value(QLatin1String("missing_lines")).toArray(), (QJsonArray{1, 3, 4}));

    QCOMPARE(sortedStrings(*m_db,
                           "SELECT label || ':' || CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END FROM boxes"),
             (QStringList{"2026-0001-0001:0", "TRK-B-0001:1"}));
    QCOMPARE(count(*m_db, "SELECT active_box_id FROM station_state WHERE station_id = 'S1'"), *v.boxId);
}

void TestReceivingService::unboundPendingUnitBecomesUnexpected()
{
    loadFixtures({QStringLiteral("A"), QStringLiteral("P")});
    QCOMPARE(outcomeName(scan(QStringLiteral("2026-0001-0008")).outcome), QStringLiteral("box_opened"));
    const Verdict pending = scan(QStringLiteral("NEW-1"));
    QCOMPARE(outcomeName(pending.outcome), QStringLiteral("awaiting_sku"));
    const Verdict v = scan(QStringLiteral("TRK-A-0001"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("box_opened"));
    QCOMPARE(v.unboundSerial, QStringLiteral("NEW-1"));
    QCOMPARE(v.closedBox, QStringLiteral("2026-0001-0008"));

    Statement r = m_db->prepare("SELECT outcome, pending_sku, voided, line FROM receipts WHERE id = ?1");
    QVERIFY(r.bind(1, *pending.receiptId).next());
    QCOMPARE(r.text(0), QStringLiteral("unexpected"));
    QCOMPARE(r.int64(1), qint64(0));
    QCOMPARE(r.int64(2), qint64(0));
    QVERIFY(r.isNull(3));
    r.reset();
    QCOMPARE(count(*m_db, "SELECT count(*) FROM exceptions WHERE kind = 'unexpected' AND status = 'open'"),
             qint64(1));
    QCOMPARE(count(*m_db, "SELECT receipt_id FROM exceptions WHERE kind = 'unexpected'"), *pending.receiptId);
    const QStringList payloads = sortedStrings(*m_db, "SELECT payload FROM outbox WHERE kind = 'unmatched' "
                                                      "AND state = 'pending'");
    QCOMPARE(payloads.size(), 1);
    const QJsonObject p = QJsonDocument::fromJson(payloads.front().toUtf8()).object();
    QCOMPARE(p.value(QLatin1String("serial")).toString(), QStringLiteral("NEW-1"));
    QCOMPARE(p.value(QLatin1String("case_number")).toString(), caseNumberOf(QStringLiteral("P")));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM station_state WHERE pending_receipt_id IS NOT NULL"),
             qint64(0));
}

void TestReceivingService::heldEventsBecomePendingWhenBoxCloses()
{
    loadFixtures({QStringLiteral("A"), QStringLiteral("S")});
    const Verdict box = scan(QStringLiteral("2026-0001-0001"));
    scan(QStringLiteral("SN-A1"));
    scan(QStringLiteral("SN-S1")); // cross_case: its receipt and its case's closure
    scan(QStringLiteral("NEW-1")); // awaiting_sku: no event yet
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE state = 'held'"), qint64(3));
    Statement held = m_db->prepare("SELECT count(*) FROM outbox WHERE box_id = ?1 AND state = 'held'");
    QVERIFY(held.bind(1, *box.boxId).next());
    QCOMPARE(held.int64(0), qint64(3));
    held.reset();
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE state = 'pending'"), qint64(0));

    const Verdict v = scan(QStringLiteral(":done"));
    QCOMPARE(outcomeName(v.outcome), QStringLiteral("box_closed"));
    QCOMPARE(v.unboundSerial, QStringLiteral("NEW-1"));
    QCOMPARE(sortedStrings(*m_db, "SELECT kind || ':' || state FROM outbox"),
             (QStringList{"closure:pending", "receipt:pending", "receipt:pending", "unmatched:pending"}));
    QCOMPARE(count(*m_db, "SELECT count(*) FROM outbox WHERE next_attempt_at IS NULL"), qint64(0));
}

QTEST_GUILESS_MAIN(TestReceivingService)
#include "tst_receivingservice.moc"
