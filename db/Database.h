// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QLoggingCategory>
#include <QString>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;
struct pg_conn;
struct pg_result;

Q_DECLARE_LOGGING_CATEGORY(lcDb)

// A storage failure as a value: what kind it is (so callers can decide "rescan" vs "restore a backup")
// and a sentence a person understands.
struct DbError
{
    // Unreachable: the depot's PostgreSQL cannot be reached (connection lost or refused). Conflict: the
    // server aborted the transaction to keep concurrent stations consistent (serialization failure,
    // deadlock); running it again is the answer. Refused: the server is set up so a commit would not be
    // durable.
    enum class Kind {
        None,
        Busy,
        Full,
        ReadOnly,
        Corrupt,
        TooNew,
        CannotOpen,
        Constraint,
        Io,
        Unreachable,
        Conflict,
        Refused,
        Other
    };
    Kind kind = Kind::None;
    int sqliteCode = 0;
    QByteArray sqlState; // PostgreSQL's five-character SQLSTATE, empty for SQLite
    QString message;

    bool isError() const { return kind != Kind::None; }
    // A write the worker can simply try again once the cause is gone (disk full, locked, read-only,
    // server away, conflict with another station).
    bool isTransient() const;
    // A failure a scan retries at once inside the same scan: another station's transaction got in the way
    // (a serialization failure, a deadlock, or the unique live serial another station just took), or the
    // connection dropped. Not Busy: its wait was the busy timeout already.
    bool isRetryable() const
    {
        return kind == Kind::Conflict || kind == Kind::Unreachable || sqlState == "23505";
    }
    static DbError fromSqlite(int code, const QString &detail);
    static DbError fromPostgres(const QByteArray &sqlState, const QString &detail);
};

// Thrown inside the store layer only; services catch it at their boundary and turn it into a value.
class DbException : public std::runtime_error
{
public:
    explicit DbException(DbError e);
    const DbError &error() const { return m_error; }

private:
    DbError m_error;
};

class Database;
struct PgStatement;

// One prepared statement borrowed from the connection's cache; resets itself when it goes out of scope.
// Same calls on both engines; columns are read by index, integers and text alike.
class Statement
{
public:
    Statement(sqlite3 *db, sqlite3_stmt *stmt);
    Statement(Database *owner, PgStatement *pg);
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    Statement(Statement &&other) noexcept;
    ~Statement();

    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bind(int index, bool value) { return bind(index, qint64(value ? 1 : 0)); }
    Statement &bind(int index, const QString &value);   // a null QString binds SQL NULL
    Statement &bind(int index, const QByteArray &utf8); // a null QByteArray binds SQL NULL
    Statement &bindNull(int index);

    bool next(); // true while a row is available
    void exec(); // runs to completion, then rewinds so the statement can be bound and run again
    // exec() without waiting for the answer where the engine allows: on PostgreSQL inside a
    // Transaction::Mode:: Shared transaction the statement joins the transaction's pipeline and its success
    // is checked by the next statement that waits for an answer, or by COMMIT (a failure throws there and
    // rolls it all back). Elsewhere exactly exec(). Only for statements whose rows, changes() and
    // lastInsertId() nobody reads.
    void send();
    void reset(); // rewinds after next() so it can be run again

    int columnCount() const; // of the current row (after next() returned true)
    bool isNull(int column) const;
    qint64 int64(int column) const;
    QString text(int column) const;
    QByteArray utf8(int column) const;

private:
    void check(int rc) const;
    void pgBind(int index, QByteArray value, bool null);
    const char *pgValue(int column) const;
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    Database *m_owner = nullptr; // PostgreSQL only
    PgStatement *m_pg = nullptr;
};

// One connection, owned by exactly one thread: an embedded SQLite file (a path; WAL, synchronous=FULL,
// foreign keys, a busy timeout) or a depot's PostgreSQL server (a `postgresql://` / `postgres://` URI or a
// libpq `key=value` string, through libpq; synchronous_commit must be on). Either way a commit that returns
// is on disk. Statements are written once in the SQL both engines share, with `?1` placeholders; a
// PostgreSQL connection that drops is re-opened by the next transaction, with back-off.
class Database
{
public:
    enum class Engine { SQLite, PostgreSQL };
    // True for what open() treats as a PostgreSQL connection string rather than a file path.
    static bool isPostgresUrl(const QString &location);
    // The location with any password removed, for messages and logs.
    static QString displayLocation(const QString &location);

    struct Options
    {
        int busyTimeoutMs = 5000;
        bool readOnly = false;
    };

    Database();
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens (creating parent folders) and brings the schema up to date. Throws DbException.
    void open(const QString &path, Options options);
    void open(const QString &path) { open(path, Options{}); }
    void close();
    bool isOpen() const { return m_db != nullptr || m_pg != nullptr; }
    Engine engine() const { return m_pg ? Engine::PostgreSQL : Engine::SQLite; }
    bool isPostgres() const { return m_pg != nullptr; }
    // The file path (SQLite) or the connection string (PostgreSQL) given to open().
    QString path() const { return m_path; }
    bool inTransaction() const { return m_inTransaction; }
    // PostgreSQL: holds the session-level lock `key` (e.g. "outbox") until release or disconnect, so one
    // station of the depot does a job at a time and another takes over when it goes away. SQLite: true.
    bool tryLeadership(const char *key);
    void releaseLeadership(const char *key);

    Statement prepare(const char *sql);
    void exec(const char *sql); // one or more statements, no parameters
    qint64 lastInsertId() const;
    int changes() const;
    int userVersion();
    sqlite3 *handle() const { return m_db; }

    // Runs `f` once the open Transaction commits, or at once outside a transaction; dropped on rollback. A
    // later call with the same `key` in the same transaction replaces the earlier one.
    void afterCommit(const void *key, std::function<void()> f);

private:
    friend class Transaction;
    friend class Statement;
    void runAfterCommit();
    void openPostgres(const QString &url, int busyTimeoutMs, bool readOnly);
    void setSessionOptions();
    void ensureConnected(); // PostgreSQL: re-opens a dropped connection (with back-off) or throws Unreachable
    [[noreturn]] void throwPg(pg_result *res, const char *what);
    pg_result *pgExec(const char *sql); // simple query; throws on failure; caller PQclear()s
    void checkPostgresDurability();
    // PostgreSQL pipeline (libpq pipeline mode) of a Shared transaction: statements go out without waiting,
    // and their answers are read, in order, when something needs one.
    bool pgEnterPipeline();
    void pgSend(PgStatement *st);
    void pgSendSimple(const char *sql); // one statement without parameters
    // Reads the answers of every statement sent; returns the last one's when `keepLast` (caller PQclear()s).
    // `sync`: ends the pipeline too (the connection leaves pipeline mode). Throws the first failure, after
    // ending the pipeline.
    pg_result *pgCollect(bool keepLast, bool sync);
    // Ends the pipeline, discarding every answer (the connection is marked broken when that fails); never
    // throws. `syncSent`: its sync was sent already.
    void pgAbandonPipeline(bool syncSent = false);

    struct PgPending
    {
        const char *what;       // the SQL, for messages
        PgStatement *preparing; // a PQsendPrepare of this statement; null: a query
    };

    sqlite3 *m_db = nullptr;
    pg_conn *m_pg = nullptr;
    std::unordered_map<std::string, std::unique_ptr<PgStatement>> m_pgCache;
    int m_pgChanges = 0;
    qint64 m_pgLastId = 0;
    bool m_pgBroken = false;
    qint64 m_pgRetryAtMs = 0;
    int m_pgBackoffMs = 0;
    int m_pgBusyTimeoutMs = 5000;
    bool m_pgReadOnly = false;
    bool m_pgPipeline = false;
    std::vector<PgPending> m_pgPending; // sent in the pipeline, answers not read yet
    QString m_path;
    std::unordered_map<std::string, sqlite3_stmt *> m_cache; // prepared once per connection
    std::vector<std::pair<const void *, std::function<void()>>> m_afterCommit;
    bool m_inTransaction = false; // a Transaction is open
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless committed. IMMEDIATE takes the write lock up front, so two
// processes on one database never deadlock upgrading a read to a write.
// On PostgreSQL a transaction is READ COMMITTED and takes the depot's writer lock (a transaction-level
// advisory lock): Exclusive like SQLite's, or Shared for scans, which run side by side and rely on the
// database's constraints and on locking the case row they change (CaseLines) instead.
class Transaction
{
public:
    enum class Mode { Exclusive, Shared };
    explicit Transaction(Database &db, Mode mode = Mode::Exclusive);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    Database &m_db;
    bool m_done = false;
};
