// SPDX-License-Identifier: GPL-3.0-or-later
#include "Database.h"
#include "Migrations.h"
#include "ThreadGuard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcDb, "rs.db", QtInfoMsg)

bool DbError::isTransient() const
{
    return kind == Kind::Busy || kind == Kind::Full || kind == Kind::ReadOnly || kind == Kind::Io;
}

DbError DbError::fromSqlite(int code, const QString &detail)
{
    DbError e;
    e.sqliteCode = code;
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        e.kind = Kind::Busy;
        e.message = QStringLiteral("The database is busy (another program holds it). Try again.");
        break;
    case SQLITE_FULL:
        e.kind = Kind::Full;
        e.message = QStringLiteral("The disk is full, so nothing can be saved. Ask IT to free space.");
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        e.kind = Kind::ReadOnly;
        e.message = QStringLiteral("The database cannot be written (read-only or no permission).");
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        e.kind = Kind::Corrupt;
        e.message = QStringLiteral("The database file is damaged or is not a Receiving Station database. "
                                   "Restore the latest backup.");
        break;
    case SQLITE_CANTOPEN:
        e.kind = Kind::CannotOpen;
        e.message = QStringLiteral("The database file cannot be opened (missing folder or no permission).");
        break;
    case SQLITE_CONSTRAINT:
        e.kind = Kind::Constraint;
        e.message = QStringLiteral("The data breaks a rule of the database.");
        break;
    case SQLITE_IOERR:
        e.kind = Kind::Io;
        e.message = QStringLiteral("The disk reported an error while saving. Check the disk.");
        break;
    default:
        e.kind = Kind::Other;
        e.message = QStringLiteral("The database reported an error.");
        break;
    }
    if (!detail.isEmpty())
        e.message += QStringLiteral(" (") + detail + QLatin1Char(')');
    return e;
}

DbException::DbException(DbError e) : std::runtime_error(e.message.toStdString()), m_error(std::move(e)) {}

static DbError errorOf(sqlite3 *db, int rc)
{
    return DbError::fromSqlite(db ? sqlite3_extended_errcode(db) : rc,
                               QString::fromUtf8(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

Statement::Statement(sqlite3 *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr))
{
}

Statement::~Statement()
{
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

void Statement::check(int rc) const
{
    if (rc != SQLITE_OK)
        throw DbException(errorOf(m_db, rc));
}

Statement &Statement::bind(int index, qint64 value)
{
    check(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Statement &Statement::bind(int index, const QString &value)
{
    if (value.isNull())
        return bindNull(index);
    return bind(index, value.toUtf8());
}

Statement &Statement::bind(int index, const QByteArray &utf8)
{
    if (utf8.isNull())
        return bindNull(index);
    check(sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT));
    return *this;
}

Statement &Statement::bindNull(int index)
{
    check(sqlite3_bind_null(m_stmt, index));
    return *this;
}

bool Statement::next()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    throw DbException(errorOf(m_db, rc));
}

void Statement::exec()
{
    while (next()) {
    }
    sqlite3_reset(m_stmt);
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QString Statement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!p)
        return QString();
    return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, column));
}

QByteArray Statement::utf8(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!p)
        return QByteArray();
    return QByteArray(p, sqlite3_column_bytes(m_stmt, column));
}

// The database holds PIN hashes, the audit trail and what every dock received: owner-only (0600) whatever the
// umask. SQLite gives -wal and -shm the main file's mode when it creates them, so creating the main file 0600
// covers all three; a file left looser (older versions, a copy) is tightened and logged. An existing file is
// never opened here: closing a descriptor would drop the POSIX locks other connections of this process hold.
static void createPrivateFile(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::fchmod(fd, 0600); // exactly 0600, even under an unusual umask
        ::close(fd);
    }
}

static QString octalMode(mode_t mode)
{
    return QString::number(mode & 07777, 8).rightJustified(4, QLatin1Char('0'));
}

static void tightenToOwnerOnly(const QString &path)
{
    struct stat st
    {
    };
    const QByteArray name = QFile::encodeName(path);
    if (::stat(name.constData(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 0177) == 0)
        return;
    if (::chmod(name.constData(), st.st_mode & 0600) == 0)
        qCWarning(lcDb).noquote() << path << "was mode" << octalMode(st.st_mode)
                                  << "(open to more than its owner); made it" << octalMode(st.st_mode & 0600);
    else
        qCWarning(lcDb).noquote() << path << "is mode" << octalMode(st.st_mode)
                                  << "(open to more than its owner) and cannot be made private:"
                                  << std::strerror(errno);
}

Database::Database() = default;

Database::~Database()
{
    close();
}

void Database::open(const QString &path, Options options)
{
    ThreadGuard::assertWorkerThread("Database::open");
    close();
    const bool memory = path == QLatin1String(":memory:");
    if (!memory && !options.readOnly) {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath()))
            throw DbException(DbError::fromSqlite(SQLITE_CANTOPEN, QStringLiteral("cannot create folder ") +
                                                                       info.absolutePath()));
        if (!path.isEmpty()) {
            createPrivateFile(path);
            tightenToOwnerOnly(path);
        }
    }
    const int flags = (options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX;
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        DbError e = errorOf(db, rc);
        e.message += QStringLiteral(" [") + path + QLatin1Char(']');
        sqlite3_close_v2(db);
        throw DbException(e);
    }
    m_db = db;
    m_path = path;
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, options.busyTimeoutMs);
    try {
        // Reading the header first turns "not a database" into a clear error before any pragma writes, and a
        // database from newer code is refused before the switch to WAL rewrites its header.
        exec("PRAGMA schema_version");
        Migrations::checkVersion(*this);
        if (!memory && !options.readOnly) {
            Statement mode = prepare("PRAGMA journal_mode=WAL");
            if (!mode.next() || mode.text(0).compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
                throw DbException(DbError::fromSqlite(SQLITE_IOERR, QStringLiteral("cannot switch to WAL")));
        }
        // A 32 MiB page cache keeps the serial index of a million expected units in memory (lookups ~6 us).
        exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA "
             "cache_size=-32768");
        if (!options.readOnly)
            Migrations::apply(*this);
        if (!memory && !options.readOnly && !path.isEmpty()) {
            // Left by an older version or a crash with a looser mode (SQLite keeps an existing file's mode).
            tightenToOwnerOnly(path + QStringLiteral("-wal"));
            tightenToOwnerOnly(path + QStringLiteral("-shm"));
        }
    } catch (...) {
        close();
        throw;
    }
}

void Database::close()
{
    for (auto &[sql, stmt] : m_cache)
        sqlite3_finalize(stmt);
    m_cache.clear();
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

Statement Database::prepare(const char *sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        sqlite3_stmt *stmt = nullptr;
        const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK)
            throw DbException(errorOf(m_db, rc));
        it = m_cache.emplace(sql, stmt).first;
    }
    return Statement(m_db, it->second);
}

void Database::exec(const char *sql)
{
    char *err = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        sqlite3_free(err);
        throw DbException(errorOf(m_db, rc));
    }
}

qint64 Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

int Database::userVersion()
{
    Statement s = prepare("PRAGMA user_version");
    return s.next() ? int(s.int64(0)) : 0;
}

void Database::afterCommit(const void *key, std::function<void()> f)
{
    if (!m_inTransaction) {
        f();
        return;
    }
    for (auto &[k, pending] : m_afterCommit) {
        if (k == key) {
            pending = std::move(f);
            return;
        }
    }
    m_afterCommit.emplace_back(key, std::move(f));
}

void Database::runAfterCommit()
{
    const auto pending = std::exchange(m_afterCommit, {});
    for (const auto &[key, f] : pending)
        f();
}

Transaction::Transaction(Database &db) : m_db(db)
{
    ThreadGuard::assertWorkerThread("Transaction");
    m_db.exec("BEGIN IMMEDIATE");
    m_db.m_inTransaction = true;
}

Transaction::~Transaction()
{
    if (m_done)
        return;
    m_db.m_inTransaction = false;
    m_db.m_afterCommit.clear(); // rolled back: what it would have announced never happened
    if (m_db.isOpen())
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
    m_db.m_inTransaction = false;
    m_db.runAfterCommit();
}
