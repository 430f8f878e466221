// SPDX-License-Identifier: GPL-3.0-or-later
#include "Migrations.h"
#include "Backup.h"
#include "Database.h"

#include <QStringList>

#include <algorithm>
#include <array>

namespace {
struct Migration
{
    int version;
    const char *sqlite;
    const char *postgres; // the same step in PostgreSQL's dialect: ids are identity columns, no WITHOUT ROWID
};

// Times are UTC ISO-8601 text with milliseconds ("2026-11-26T14:05:09.123Z"); dates are "YYYY-MM-DD".
// Serials, SKUs, case and tracking numbers are stored upper-case so lookups are exact.
// Both engines keep the same tables, columns and version numbers; flags are integers 0/1 on both.
constexpr std::array migrations{
    Migration{1, R"sql(
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    program TEXT NOT NULL DEFAULT 'TMIP',
    phase INTEGER NOT NULL CHECK (phase IN (1, 2)),
    disposition TEXT NOT NULL CHECK (disposition IN ('trade_in', 'destruction')),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    customer_name TEXT NOT NULL,
    customer_account TEXT,
    partner TEXT,
    order_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE case_tracking (
    tracking_number TEXT PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX case_tracking_case ON case_tracking(case_id);
CREATE TABLE expected_items (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    line INTEGER NOT NULL CHECK (line > 0),
    sku TEXT NOT NULL,
    description TEXT,
    serial TEXT,
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1 AND (serial IS NULL OR quantity = 1)),
    UNIQUE (case_id, line)
);
CREATE INDEX expected_items_serial ON expected_items(serial) WHERE serial IS NOT NULL;
CREATE TABLE operators (
    id INTEGER PRIMARY KEY,
    badge TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('dock', 'supervisor')),
    pin_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE boxes (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    station_id TEXT NOT NULL,
    operator_id TEXT,
    opened_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX boxes_open ON boxes(station_id) WHERE closed_at IS NULL;
CREATE TABLE receipts (
    id INTEGER PRIMARY KEY,
    serial TEXT NOT NULL,
    sku TEXT,
    case_id INTEGER REFERENCES cases(id),
    line INTEGER,
    box_id INTEGER REFERENCES boxes(id),
    station_id TEXT NOT NULL,
    operator_id TEXT,
    received_at TEXT NOT NULL,
    condition TEXT NOT NULL DEFAULT 'working' CHECK (condition IN ('working', 'damaged', 'not_working')),
    outcome TEXT NOT NULL,
    pending_sku INTEGER NOT NULL DEFAULT 0,
    late INTEGER NOT NULL DEFAULT 0,
    voided INTEGER NOT NULL DEFAULT 0,
    voided_at TEXT
);
CREATE INDEX receipts_serial_live ON receipts(serial) WHERE voided = 0;
CREATE INDEX receipts_box ON receipts(box_id);
CREATE INDEX receipts_case_line ON receipts(case_id, line) WHERE voided = 0 AND line IS NOT NULL;
CREATE TABLE exceptions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    receipt_id INTEGER REFERENCES receipts(id),
    box_id INTEGER REFERENCES boxes(id),
    case_id INTEGER REFERENCES cases(id),
    serial TEXT,
    station_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'cancelled')),
    resolution TEXT,
    resolver TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX exceptions_open ON exceptions(status, created_at);
CREATE INDEX exceptions_receipt ON exceptions(receipt_id);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'closure', 'unmatched')),
    case_number TEXT,
    receipt_id INTEGER REFERENCES receipts(id),
    box_id INTEGER REFERENCES boxes(id),
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('held', 'pending', 'delivered', 'dead', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX outbox_state ON outbox(state, next_attempt_at);
CREATE INDEX outbox_box ON outbox(box_id) WHERE state = 'held';
CREATE TABLE station_state (
    station_id TEXT PRIMARY KEY,
    active_box_id INTEGER REFERENCES boxes(id),
    pending_receipt_id INTEGER REFERENCES receipts(id),
    operator_id TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    station_id TEXT,
    actor TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    details TEXT,
    prev_hash TEXT NOT NULL
);
)sql",
              R"sql(
CREATE TABLE cases (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    program TEXT NOT NULL DEFAULT 'TMIP',
    phase INTEGER NOT NULL CHECK (phase IN (1, 2)),
    disposition TEXT NOT NULL CHECK (disposition IN ('trade_in', 'destruction')),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    customer_name TEXT NOT NULL,
    customer_account TEXT,
    partner TEXT,
    order_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE case_tracking (
    tracking_number TEXT PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE
);
CREATE INDEX case_tracking_case ON case_tracking(case_id);
CREATE TABLE expected_items (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    line INTEGER NOT NULL CHECK (line > 0),
    sku TEXT NOT NULL,
    description TEXT,
    serial TEXT,
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1 AND (serial IS NULL OR quantity = 1)),
    UNIQUE (case_id, line)
);
CREATE INDEX expected_items_serial ON expected_items(serial) WHERE serial IS NOT NULL;
CREATE TABLE operators (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    badge TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('dock', 'supervisor')),
    pin_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE boxes (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    label TEXT NOT NULL,
    case_id BIGINT REFERENCES cases(id),
    station_id TEXT NOT NULL,
    operator_id TEXT,
    opened_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX boxes_open ON boxes(station_id) WHERE closed_at IS NULL;
CREATE TABLE receipts (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    serial TEXT NOT NULL,
    sku TEXT,
    case_id BIGINT REFERENCES cases(id),
    line INTEGER,
    box_id BIGINT REFERENCES boxes(id),
    station_id TEXT NOT NULL,
    operator_id TEXT,
    received_at TEXT NOT NULL,
    condition TEXT NOT NULL DEFAULT 'working' CHECK (condition IN ('working', 'damaged', 'not_working')),
    outcome TEXT NOT NULL,
    pending_sku INTEGER NOT NULL DEFAULT 0,
    late INTEGER NOT NULL DEFAULT 0,
    voided INTEGER NOT NULL DEFAULT 0,
    voided_at TEXT
);
CREATE INDEX receipts_serial_live ON receipts(serial) WHERE voided = 0;
CREATE INDEX receipts_box ON receipts(box_id);
CREATE INDEX receipts_case_line ON receipts(case_id, line) WHERE voided = 0 AND line IS NOT NULL;
CREATE TABLE exceptions (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    receipt_id BIGINT REFERENCES receipts(id),
    box_id BIGINT REFERENCES boxes(id),
    case_id BIGINT REFERENCES cases(id),
    serial TEXT,
    station_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'cancelled')),
    resolution TEXT,
    resolver TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX exceptions_open ON exceptions(status, created_at);
CREATE INDEX exceptions_receipt ON exceptions(receipt_id);
CREATE TABLE outbox (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'closure', 'unmatched')),
    case_number TEXT,
    receipt_id BIGINT REFERENCES receipts(id),
    box_id BIGINT REFERENCES boxes(id),
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('held', 'pending', 'delivered', 'dead', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX outbox_state ON outbox(state, next_attempt_at);
CREATE INDEX outbox_box ON outbox(box_id) WHERE state = 'held';
CREATE TABLE station_state (
    station_id TEXT PRIMARY KEY,
    active_box_id BIGINT REFERENCES boxes(id),
    pending_receipt_id BIGINT REFERENCES receipts(id),
    operator_id TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);
CREATE TABLE audit_log (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    station_id TEXT,
    actor TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    details TEXT,
    prev_hash TEXT NOT NULL
);
)sql"},
    // v2: receipts remember whether the serial was typed by hand, and the audit chain gets an anchor so a
    // deleted newest row is found too, not only edits inside the chain.
    Migration{2, R"sql(
ALTER TABLE receipts ADD COLUMN manual_entry INTEGER NOT NULL DEFAULT 0;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
)sql",
              R"sql(
ALTER TABLE receipts ADD COLUMN manual_entry INTEGER NOT NULL DEFAULT 0;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_id BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
)sql"},
    // v3: operators can be disabled and are found by a keyed PIN-hash prefix (one PBKDF2 per PIN check);
    // audit rows record the Unix user of the process that wrote them; `secrets` keeps the PIN index's key out
    // of the settings table (which the Settings page shows).
    Migration{3, R"sql(
ALTER TABLE operators ADD COLUMN disabled_at TEXT;
ALTER TABLE operators ADD COLUMN pin_index TEXT;
CREATE INDEX operators_pin_index ON operators(pin_index) WHERE pin_index IS NOT NULL;
ALTER TABLE audit_log ADD COLUMN unix_user TEXT;
CREATE INDEX audit_log_station_action ON audit_log(station_id, action, at);
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
)sql",
              R"sql(
ALTER TABLE operators ADD COLUMN disabled_at TEXT;
ALTER TABLE operators ADD COLUMN pin_index TEXT;
CREATE INDEX operators_pin_index ON operators(pin_index) WHERE pin_index IS NOT NULL;
ALTER TABLE audit_log ADD COLUMN unix_user TEXT;
CREATE INDEX audit_log_station_action ON audit_log(station_id, action, at);
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql"},
    // v4 (depot store): a live receipt of a serial is unique depot-wide, enforced by the database so two
    // stations racing on one unit get one `matched`; scans carry an id so a retried scan records once.
    Migration{4, R"sql(
DROP INDEX receipts_serial_live;
CREATE UNIQUE INDEX receipts_serial_live ON receipts(serial) WHERE voided = 0;
CREATE TABLE scan_results (
    scan_id TEXT PRIMARY KEY,
    station_id TEXT NOT NULL,
    at TEXT NOT NULL,
    verdict TEXT NOT NULL
);
CREATE INDEX scan_results_at ON scan_results(at);
)sql",
              R"sql(
DROP INDEX receipts_serial_live;
CREATE UNIQUE INDEX receipts_serial_live ON receipts(serial) WHERE voided = 0;
CREATE TABLE scan_results (
    scan_id TEXT PRIMARY KEY,
    station_id TEXT NOT NULL,
    at TEXT NOT NULL,
    verdict TEXT NOT NULL
);
CREATE INDEX scan_results_at ON scan_results(at);
)sql"},
    // v5 (case changes): an open exception whose serial a case now expects points at that case's line (set by
    // CaseChanges::rematch after every case change), and each Trade-In Form loaded into a case is kept with
    // the lines it gave (JSON), its file's SHA-256 and who loaded it when.
    Migration{5, R"sql(
ALTER TABLE exceptions ADD COLUMN now_expected_case_id INTEGER REFERENCES cases(id);
ALTER TABLE exceptions ADD COLUMN now_expected_line INTEGER;
CREATE INDEX exceptions_open_serial ON exceptions(serial) WHERE status = 'open';
CREATE INDEX exceptions_now_expected ON exceptions(now_expected_case_id) WHERE now_expected_case_id IS NOT NULL;
CREATE TABLE case_forms (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    sheet TEXT,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    lines TEXT NOT NULL
);
CREATE INDEX case_forms_case ON case_forms(case_id, imported_at);
)sql",
              R"sql(
ALTER TABLE exceptions ADD COLUMN now_expected_case_id BIGINT REFERENCES cases(id);
ALTER TABLE exceptions ADD COLUMN now_expected_line INTEGER;
CREATE INDEX exceptions_open_serial ON exceptions(serial) WHERE status = 'open';
CREATE INDEX exceptions_now_expected ON exceptions(now_expected_case_id) WHERE now_expected_case_id IS NOT NULL;
CREATE TABLE case_forms (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    sheet TEXT,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    lines TEXT NOT NULL
);
CREATE INDEX case_forms_case ON case_forms(case_id, imported_at);
)sql"},
};

void refuseNewer(int found)
{
    if (found > Migrations::latestVersion()) {
        DbError e;
        e.kind = DbError::Kind::TooNew;
        e.message =
            QStringLiteral("This database was written by a newer Receiving Station (schema version %1; "
                           "this program knows up to %2). Install the newer program, or restore a "
                           "backup made by this version.")
                .arg(found)
                .arg(Migrations::latestVersion());
        throw DbException(e);
    }
}
} // namespace

int Migrations::latestVersion()
{
    return migrations.back().version;
}

void Migrations::checkVersion(Database &db)
{
    refuseNewer(db.userVersion());
}

void Migrations::applyUpTo(Database &db, int version)
{
    const int found = db.userVersion();
    refuseNewer(found);
    // An existing database is copied before its schema changes, so a failed upgrade can be undone.
    // PostgreSQL is backed up by the server's own tools (pg_dump, base backups; see README).
    if (!db.isPostgres() && found > 0 && found < std::min(version, latestVersion()) && !db.path().isEmpty() &&
        db.path() != QLatin1String(":memory:")) {
        const Backup::Result b = Backup::create(db.handle(), Backup::preMigrationDirectory(db.path()),
                                                Backup::keep(), QStringLiteral("before-v%1").arg(found + 1));
        if (!b.ok) {
            DbError e;
            e.kind = DbError::Kind::Io;
            e.message = b.error + QStringLiteral(" The schema was not upgraded.");
            throw DbException(e);
        }
    }
    const bool postgres = db.isPostgres();
    if (postgres) {
        Transaction tx(db); // the depot's writer lock: stations starting together migrate once
        db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        tx.commit();
    }
    for (const Migration &m : migrations) {
        if (m.version > version)
            break;
        Transaction tx(db);
        // Re-read under the write lock: another process may have migrated meanwhile.
        if (db.userVersion() >= m.version)
            continue;
        if (postgres) {
            db.exec(m.postgres);
            db.exec(QByteArray("DELETE FROM schema_version; INSERT INTO schema_version VALUES (" +
                               QByteArray::number(m.version) + ")")
                        .constData());
        } else {
            db.exec(m.sqlite);
            db.exec(QByteArray("PRAGMA user_version=" + QByteArray::number(m.version)).constData());
        }
        tx.commit();
    }
}

void Migrations::apply(Database &db)
{
    if (db.userVersion() == latestVersion())
        return;
    applyUpTo(db, latestVersion());
}
