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

Q_DECLARE_LOGGING_CATEGORY(lcDb)

// A storage failure as a value: what kind it is (so callers can decide "rescan" vs "restore a backup")
// and a sentence a person understands.
struct DbError
{
    enum class Kind { None, Busy, Full, ReadOnly, Corrupt, TooNew, CannotOpen, Constraint, Io, Other };
    Kind kind = Kind::None;
    int sqliteCode = 0;
    QString message;

    bool isError() const { return kind != Kind::None; }
    // A write the worker can simply try again once the cause is gone (disk full, locked, read-only).
    bool isTransient() const;
    static DbError fromSqlite(int code, const QString &detail);
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

// One prepared statement borrowed from the connection's cache; resets itself when it goes out of scope.
class Statement
{
public:
    Statement(sqlite3 *db, sqlite3_stmt *stmt);
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

    bool next();  // true while a row is available
    void exec();  // runs to completion, then rewinds so the statement can be bound and run again
    void reset(); // rewinds after next() so it can be run again

    bool isNull(int column) const;
    qint64 int64(int column) const;
    QString text(int column) const;
    QByteArray utf8(int column) const;

private:
    void check(int rc) const;
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// One SQLite connection, owned by exactly one thread. Opens with WAL, synchronous=FULL, foreign keys and a
// busy timeout, so a commit that returns is on disk.
class Database
{
public:
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
    bool isOpen() const { return m_db != nullptr; }
    QString path() const { return m_path; }

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
    void runAfterCommit();

    sqlite3 *m_db = nullptr;
    QString m_path;
    std::unordered_map<std::string, sqlite3_stmt *> m_cache; // prepared once per connection
    std::vector<std::pair<const void *, std::function<void()>>> m_afterCommit;
    bool m_inTransaction = false; // a Transaction is open
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless committed. IMMEDIATE takes the write lock up front, so two
// processes on one database never deadlock upgrading a read to a write.
class Transaction
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    Database &m_db;
    bool m_done = false;
};
