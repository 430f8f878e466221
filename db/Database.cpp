// SPDX-License-Identifier: GPL-3.0-or-later
#include "Database.h"
#include "Migrations.h"
#include "ThreadGuard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <QDateTime>
#include <QRegularExpression>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcDb, "rs.db", QtInfoMsg)

bool DbError::isTransient() const
{
    return kind == Kind::Busy || kind == Kind::Full || kind == Kind::ReadOnly || kind == Kind::Io ||
           kind == Kind::Unreachable || kind == Kind::Conflict;
}

DbError DbError::fromPostgres(const QByteArray &state, const QString &detail)
{
    DbError e;
    e.sqlState = state;
    const QByteArray cls = state.left(2);
    if (state == "40001" || state == "40P01") {
        e.kind = Kind::Conflict;
        e.message = QStringLiteral("Another station changed the same data at the same moment. Try again.");
    } else if (state.isEmpty() || cls == "08" || state == "57P01" || state == "57P02" || state == "57P03") {
        e.kind = Kind::Unreachable;
        e.message = QStringLiteral("The depot database is not reachable. Check the network and the database "
                                   "server; the station reconnects by itself.");
    } else if (state == "55P03" || state == "57014") {
        e.kind = Kind::Busy;
        e.message = QStringLiteral("The depot database is busy (another station holds it). Try again.");
    } else if (state == "53300") {
        e.kind = Kind::Busy;
        e.message = QStringLiteral("The depot database has too many connections. Try again.");
    } else if (state == "53100") {
        e.kind = Kind::Full;
        e.message =
            QStringLiteral("The depot database server's disk is full, so nothing can be saved. Ask IT "
                           "to free space.");
    } else if (cls == "23") {
        e.kind = Kind::Constraint;
        e.message = QStringLiteral("The data breaks a rule of the database.");
    } else if (state == "25006" || state == "42501") {
        e.kind = Kind::ReadOnly;
        e.message = QStringLiteral("The depot database cannot be written (read-only or no permission).");
    } else if (cls == "28" || state == "3D000") {
        e.kind = Kind::CannotOpen;
        e.message = QStringLiteral("The depot database refused the connection (wrong user, password or "
                                   "database name).");
    } else if (cls == "58" || cls == "53") {
        e.kind = Kind::Io;
        e.message = QStringLiteral("The depot database server reported a system error while saving.");
    } else if (cls == "XX") {
        e.kind = Kind::Corrupt;
        e.message = QStringLiteral("The depot database reported damaged data. Ask IT to check the server.");
    } else {
        e.kind = Kind::Other;
        e.message = QStringLiteral("The database reported an error.");
    }
    if (!detail.isEmpty())
        e.message += QStringLiteral(" (") + detail + QLatin1Char(')');
    return e;
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

// A PostgreSQL prepared statement of one connection: its SQL in PostgreSQL's dialect, the values bound to
// it (as text: the server infers each parameter's type from where it is used) and the rows of its last run.
struct PgStatement
{
    std::string name;
    std::string sql;
    int params = 0;
    bool returnsId = false; // " RETURNING id" was added so lastInsertId() needs no second round trip
    bool prepared = false;  // on the current connection (a reconnect clears it)
    std::vector<QByteArray> values;
    std::vector<char> nulls;
    PGresult *result = nullptr;
    int row = -1;
    int rows = 0;

    void clearResult()
    {
        if (result)
            PQclear(result);
        result = nullptr;
        row = -1;
        rows = 0;
    }
};

namespace {
// The tables whose INSERTs report their new `id` (SQLite's last_insert_rowid()).
bool hasIdColumn(const std::string &table)
{
    static const char *const tables[] = {"cases",      "expected_items", "operators", "boxes",     "receipts",
                                         "exceptions", "outbox",         "audit_log", "case_forms"};
    for (const char *t : tables) {
        if (table == t)
            return true;
    }
    return false;
}

// The shared SQL in PostgreSQL's dialect: `?N` and `?` placeholders become `$N`, and an INSERT into a table
// with an id column returns it. Everything else is written once in SQL both engines accept.
std::string toPostgres(const char *sql, int *params, bool *returnsId)
{
    std::string out;
    const std::string in(sql);
    out.reserve(in.size() + 16);
    int next = 0;
    int highest = 0;
    bool quoted = false;
    for (size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '\'')
            quoted = !quoted;
        if (c != '?' || quoted) {
            out += c;
            continue;
        }
        size_t j = i + 1;
        while (j < in.size() && in[j] >= '0' && in[j] <= '9')
            ++j;
        const int n = j > i + 1 ? std::stoi(in.substr(i + 1, j - i - 1)) : ++next;
        highest = std::max(highest, n);
        out += '$';
        out += std::to_string(n);
        i = j - 1;
    }
    *params = highest;
    *returnsId = false;
    // "INSERT INTO name ..." without its own RETURNING
    size_t start = out.find_first_not_of(" \t\n");
    if (start != std::string::npos && out.compare(start, 12, "INSERT INTO ") == 0 &&
        out.find("RETURNING") == std::string::npos) {
        const size_t nameStart = start + 12;
        const size_t nameEnd = out.find_first_of(" (", nameStart);
        if (hasIdColumn(out.substr(nameStart, nameEnd - nameStart))) {
            while (!out.empty() && (out.back() == ';' || out.back() == ' ' || out.back() == '\n'))
                out.pop_back();
            out += " RETURNING id";
            *returnsId = true;
        }
    }
    return out;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

Statement::Statement(sqlite3 *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}

Statement::Statement(Database *owner, PgStatement *pg) : m_owner(owner), m_pg(pg) {}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)), m_owner(other.m_owner),
      m_pg(std::exchange(other.m_pg, nullptr))
{
}

Statement::~Statement()
{
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    if (m_pg) {
        m_pg->clearResult();
        std::fill(m_pg->nulls.begin(), m_pg->nulls.end(), 1);
    }
}

void Statement::pgBind(int index, QByteArray value, bool null)
{
    if (index < 1 || index > m_pg->params)
        throw DbException(DbError::fromPostgres("42P02", QStringLiteral("no parameter %1").arg(index)));
    m_pg->values[size_t(index - 1)] = std::move(value);
    m_pg->nulls[size_t(index - 1)] = null ? 1 : 0;
}

const char *Statement::pgValue(int column) const
{
    if (!m_pg->result || m_pg->row < 0 || m_pg->row >= m_pg->rows ||
        PQgetisnull(m_pg->result, m_pg->row, column))
        return nullptr;
    return PQgetvalue(m_pg->result, m_pg->row, column);
}

void Statement::check(int rc) const
{
    if (rc != SQLITE_OK)
        throw DbException(errorOf(m_db, rc));
}

Statement &Statement::bind(int index, qint64 value)
{
    if (m_pg) {
        pgBind(index, QByteArray::number(value), false);
        return *this;
    }
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
    if (m_pg) {
        pgBind(index, utf8, false);
        return *this;
    }
    check(sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT));
    return *this;
}

Statement &Statement::bindNull(int index)
{
    if (m_pg) {
        pgBind(index, QByteArray(), true);
        return *this;
    }
    check(sqlite3_bind_null(m_stmt, index));
    return *this;
}

bool Statement::next()
{
    if (m_pg) {
        if (!m_pg->result) {
            m_owner->ensureConnected();
            PGconn *conn = m_owner->m_pg;
            PGresult *r = nullptr;
            if (m_owner->m_pgPipeline) {
                // Behind whatever the pipeline holds: one round trip answers them all.
                m_owner->pgSend(m_pg);
                r = m_owner->pgCollect(true, false);
            } else {
                if (!m_pg->prepared) {
                    PGresult *p =
                        PQprepare(conn, m_pg->name.c_str(), m_pg->sql.c_str(), m_pg->params, nullptr);
                    if (PQresultStatus(p) != PGRES_COMMAND_OK)
                        m_owner->throwPg(p, m_pg->sql.c_str());
                    PQclear(p);
                    m_pg->prepared = true;
                }
                std::vector<const char *> values(size_t(m_pg->params));
                for (size_t i = 0; i < values.size(); ++i)
                    values[i] = m_pg->nulls[i] ? nullptr : m_pg->values[i].constData();
                r = PQexecPrepared(conn, m_pg->name.c_str(), m_pg->params, values.data(), nullptr, nullptr,
                                   0);
                const ExecStatusType st = PQresultStatus(r);
                if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
                    m_owner->throwPg(r, m_pg->sql.c_str());
            }
            m_owner->m_pgChanges = std::atoi(PQcmdTuples(r));
            m_pg->result = r;
            m_pg->row = -1;
            m_pg->rows = PQntuples(r);
            if (m_pg->returnsId) {
                if (m_pg->rows > 0)
                    m_owner->m_pgLastId = std::atoll(PQgetvalue(r, 0, 0));
                m_pg->rows = 0; // the caller asked for no rows
            }
        }
        return ++m_pg->row < m_pg->rows;
    }
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
    reset();
}

void Statement::send()
{
    if (m_pg && m_owner->m_pgPipeline) {
        m_owner->ensureConnected();
        m_owner->pgSend(m_pg);
        return;
    }
    exec();
}

void Statement::reset()
{
    if (m_pg) {
        m_pg->clearResult();
        return;
    }
    sqlite3_reset(m_stmt);
}

int Statement::columnCount() const
{
    if (m_pg)
        return m_pg->result ? PQnfields(m_pg->result) : 0;
    return sqlite3_column_count(m_stmt);
}

bool Statement::isNull(int column) const
{
    if (m_pg)
        return pgValue(column) == nullptr;
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 Statement::int64(int column) const
{
    if (m_pg) {
        const char *v = pgValue(column);
        if (!v)
            return 0;
        if (v[0] == 't' && v[1] == 0) // a boolean expression: SQLite gives 1/0
            return 1;
        if (v[0] == 'f' && v[1] == 0)
            return 0;
        bool ok = false;
        const qint64 n = QByteArray::fromRawData(v, qsizetype(std::strlen(v))).toLongLong(&ok);
        return ok ? n : qint64(std::atof(v)); // numeric (SUM, AVG): like SQLite, truncated
    }
    return sqlite3_column_int64(m_stmt, column);
}

QString Statement::text(int column) const
{
    if (m_pg) {
        const char *v = pgValue(column);
        return v ? QString::fromUtf8(v, PQgetlength(m_pg->result, m_pg->row, column)) : QString();
    }
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!p)
        return QString();
    return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, column));
}

QByteArray Statement::utf8(int column) const
{
    if (m_pg) {
        const char *v = pgValue(column);
        return v ? QByteArray(v, PQgetlength(m_pg->result, m_pg->row, column)) : QByteArray();
    }
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

bool Database::isPostgresUrl(const QString &location)
{
    const QString l = location.trimmed();
    return l.startsWith(QLatin1String("postgresql://")) || l.startsWith(QLatin1String("postgres://")) ||
           (l.contains(QLatin1Char('=')) &&
            (l.startsWith(QLatin1String("host=")) || l.startsWith(QLatin1String("dbname=")) ||
             l.startsWith(QLatin1String("service=")) || l.startsWith(QLatin1String("user="))));
}

QString Database::displayLocation(const QString &location)
{
    if (!isPostgresUrl(location))
        return location;
    QString l = location;
    static const QRegularExpression uriPassword(QStringLiteral("^(postgres(?:ql)?://[^:/@]*):[^@/]*@"));
    static const QRegularExpression keyPassword(QStringLiteral("(^|[\\s&?])password=[^\\s&]*"));
    l.replace(uriPassword, QStringLiteral("\\1:***@"));
    l.replace(keyPassword, QStringLiteral("\\1password=***"));
    return l;
}

void Database::open(const QString &path, Options options)
{
    ThreadGuard::assertWorkerThread("Database::open");
    close();
    if (isPostgresUrl(path)) {
        m_path = path;
        openPostgres(path.trimmed(), options.busyTimeoutMs, options.readOnly);
        try {
            Migrations::checkVersion(*this);
            if (!options.readOnly)
                Migrations::apply(*this);
        } catch (...) {
            close();
            throw;
        }
        return;
    }
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
    for (auto &[sql, stmt] : m_pgCache)
        stmt->clearResult();
    m_pgCache.clear();
    if (m_pg) {
        PQfinish(m_pg);
        m_pg = nullptr;
    }
    m_pgBroken = false;
    m_pgPipeline = false;
    m_pgPending.clear();
    m_inTransaction = false;
}

namespace {
bool isLoopbackOrSocket(const QString &host)
{
    if (host.isEmpty() || host.startsWith(QLatin1Char('/')) || host.startsWith(QLatin1Char('@')))
        return true;
    return host == QLatin1String("localhost") || host == QLatin1String("::1") ||
           host.startsWith(QLatin1String("127."));
}

DbError openError(DbError::Kind kind, const QString &message)
{
    DbError e;
    e.kind = kind;
    e.message = message;
    return e;
}
} // namespace

// Connects to the depot's server: refuses an unverified network connection, takes the password from a
// systemd credential when the URL has none, and refuses a server whose commits would not be durable.
void Database::openPostgres(const QString &url, int busyTimeoutMs, bool readOnly)
{
    const QByteArray conninfo = url.toUtf8();
    char *parseError = nullptr;
    PQconninfoOption *opts = PQconninfoParse(conninfo.constData(), &parseError);
    if (!opts) {
        const QString why = parseError ? QString::fromUtf8(parseError).trimmed() : QString();
        PQfreemem(parseError);
        throw DbException(openError(DbError::Kind::CannotOpen,
                                    QStringLiteral("The database URL is not valid: %1").arg(why)));
    }
    QString hosts;
    QString sslmode;
    bool hasPassword = false;
    for (PQconninfoOption *o = opts; o->keyword; ++o) {
        if (!o->val)
            continue;
        if (qstrcmp(o->keyword, "host") == 0 || qstrcmp(o->keyword, "hostaddr") == 0)
            hosts = QString::fromUtf8(o->val);
        else if (qstrcmp(o->keyword, "sslmode") == 0)
            sslmode = QString::fromUtf8(o->val);
        else if (qstrcmp(o->keyword, "password") == 0 && *o->val)
            hasPassword = true;
    }
    PQconninfoFree(opts);
    if (hosts.isEmpty())
        hosts = qEnvironmentVariable("PGHOST");
    const QStringList hostList = hosts.split(QLatin1Char(','));
    const bool allLocal = std::all_of(hostList.begin(), hostList.end(),
                                      [](const QString &h) { return isLoopbackOrSocket(h.trimmed()); });
    if (!allLocal && sslmode != QLatin1String("verify-full"))
        throw DbException(
            openError(DbError::Kind::Refused,
                      QStringLiteral(
                          "The depot database at %1 would be reached over the network without a verified TLS "
                          "connection. Add sslmode=verify-full (and sslrootcert=the server's CA) to "
                          "database.url.")
                          .arg(hosts)));

    QByteArray password;
    const QString credentials = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
    if (!hasPassword && !credentials.isEmpty()) {
        QFile f(credentials + QStringLiteral("/database-password"));
        if (f.open(QIODevice::ReadOnly))
            password = f.readAll().trimmed();
    }
    std::vector<const char *> keys{"application_name", "connect_timeout", "dbname"};
    std::vector<const char *> values{"receiving-station", "5", conninfo.constData()};
    if (!password.isEmpty()) {
        keys.push_back("password");
        values.push_back(password.constData());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    PGconn *conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        const QString why =
            conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : QStringLiteral("no memory");
        const bool refused =
            conn && (PQconnectionNeedsPassword(conn) || why.contains(QLatin1String("authentication")) ||
                     why.contains(QLatin1String("does not exist")));
        PQfinish(conn);
        throw DbException(
            openError(refused ? DbError::Kind::CannotOpen : DbError::Kind::Unreachable,
                      (refused ? QStringLiteral("The depot database refused the connection: %1 [%2]")
                               : QStringLiteral("The depot database is not reachable: %1 [%2]"))
                          .arg(why, displayLocation(url))));
    }
    PQsetClientEncoding(conn, "UTF8");
    m_pg = conn;
    m_pgBusyTimeoutMs = busyTimeoutMs;
    m_pgReadOnly = readOnly;
    setSessionOptions();
}

// Per session, so a reconnect sets them again: waiting for another station's lock ends like SQLite's busy
// timeout, and a server whose commits are not durable is refused.
void Database::setSessionOptions()
{
    PQclear(pgExec(QByteArray("SET lock_timeout = " + QByteArray::number(std::max(1, m_pgBusyTimeoutMs)) +
                              (m_pgReadOnly ? "; SET default_transaction_read_only = on" : ""))
                       .constData()));
    checkPostgresDurability();
}

void Database::checkPostgresDurability()
{
    PGresult *r = pgExec("SELECT current_setting('synchronous_commit'), current_setting('fsync')");
    const QByteArray commit = PQgetvalue(r, 0, 0);
    const QByteArray fsync = PQgetvalue(r, 0, 1);
    PQclear(r);
    if (commit == "off" || fsync != "on") {
        const QString which =
            commit == "off" ? QStringLiteral("synchronous_commit is off") : QStringLiteral("fsync is off");
        close();
        throw DbException(openError(
            DbError::Kind::Refused,
            QStringLiteral("The depot database is set up so a saved scan could be lost in a power cut (%1). "
                           "Ask IT to turn it on (ALTER SYSTEM SET %2 = on; then reload the server).")
                .arg(which,
                     commit == "off" ? QStringLiteral("synchronous_commit") : QStringLiteral("fsync"))));
    }
}

void Database::throwPg(PGresult *res, const char *what)
{
    QByteArray state;
    QString detail;
    if (res) {
        if (const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE))
            state = s;
        detail = QString::fromUtf8(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
        PQclear(res);
    }
    // An error without a SQLSTATE comes from libpq itself, not the server: the connection broke (the server
    // shut down or crashed), even when libpq has not marked the connection bad yet.
    if (state.isEmpty() || !m_pg || PQstatus(m_pg) != CONNECTION_OK) {
        state = "08006";
        if (detail.isEmpty() && m_pg)
            detail = QString::fromUtf8(PQerrorMessage(m_pg)).trimmed();
        m_pgBroken = true;
    }
    DbError e = DbError::fromPostgres(state, detail);
    if (e.kind == DbError::Kind::Other)
        qCWarning(lcDb) << "PostgreSQL refused" << what << ":" << e.message;
    throw DbException(e);
}

PGresult *Database::pgExec(const char *sql)
{
    ensureConnected();
    if (m_pgPipeline) // a simple query waits for what the pipeline holds, then goes alone
        PQclear(pgCollect(false, true));
    PGresult *r = PQexec(m_pg, sql);
    const ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        throwPg(r, sql);
    return r;
}

// A dropped connection is re-opened by the next statement or transaction, at most every few seconds, so a
// scan during an outage is refused at once instead of hanging the worker.
void Database::ensureConnected()
{
    if (!m_pg)
        throw DbException(openError(DbError::Kind::CannotOpen, QStringLiteral("The database is not open.")));
    if (!m_pgBroken && PQstatus(m_pg) == CONNECTION_OK)
        return;
    if (m_inTransaction) // its work is gone with the connection
        throw DbException(DbError::fromPostgres("08006", QString()));
    if (nowMs() < m_pgRetryAtMs)
        throw DbException(DbError::fromPostgres("08006", QStringLiteral("reconnecting")));
    m_pgPipeline = false; // the new session starts without one
    m_pgPending.clear();
    PQreset(m_pg);
    if (PQstatus(m_pg) != CONNECTION_OK) {
        m_pgBroken = true;
        m_pgBackoffMs = std::clamp(m_pgBackoffMs * 2, 250, 5000);
        m_pgRetryAtMs = nowMs() + m_pgBackoffMs;
        throw DbException(DbError::fromPostgres("08006", QString::fromUtf8(PQerrorMessage(m_pg)).trimmed()));
    }
    PQsetClientEncoding(m_pg, "UTF8");
    m_pgBroken = false;
    m_pgBackoffMs = 0;
    m_pgRetryAtMs = 0;
    for (auto &[sql, stmt] : m_pgCache) {
        stmt->clearResult();
        stmt->prepared = false; // the server forgot them with the old session
    }
    qCInfo(lcDb) << "reconnected to the depot database";
    setSessionOptions();
}

bool Database::pgEnterPipeline()
{
    ensureConnected();
    if (m_pgPipeline)
        return true;
    if (PQenterPipelineMode(m_pg) != 1)
        return false;
    m_pgPipeline = true;
    m_pgPending.clear();
    return true;
}

void Database::pgSend(PgStatement *st)
{
    if (!st->prepared) {
        if (PQsendPrepare(m_pg, st->name.c_str(), st->sql.c_str(), st->params, nullptr) != 1) {
            pgAbandonPipeline();
            throwPg(nullptr, st->sql.c_str());
        }
        st->prepared = true; // taken back if the answer says otherwise (pgCollect)
        m_pgPending.push_back({st->sql.c_str(), st});
    }
    std::vector<const char *> values(size_t(st->params));
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = st->nulls[i] ? nullptr : st->values[i].constData();
    if (PQsendQueryPrepared(m_pg, st->name.c_str(), st->params, values.data(), nullptr, nullptr, 0) != 1) {
        pgAbandonPipeline();
        throwPg(nullptr, st->sql.c_str());
    }
    m_pgPending.push_back({st->sql.c_str(), nullptr});
}

void Database::pgSendSimple(const char *sql)
{
    if (PQsendQueryParams(m_pg, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
        pgAbandonPipeline();
        throwPg(nullptr, sql);
    }
    m_pgPending.push_back({sql, nullptr});
}

PGresult *Database::pgCollect(bool keepLast, bool sync)
{
    const int sent = sync ? PQpipelineSync(m_pg) : (PQsendFlushRequest(m_pg) == 1 && PQflush(m_pg) == 0);
    PGresult *kept = nullptr;
    PGresult *failure = nullptr;
    const char *failed = "pipeline";
    bool broken = sent != 1;
    const std::vector<PgPending> pending = std::exchange(m_pgPending, {});
    for (size_t i = 0; i < pending.size() && !broken; ++i) {
        PGresult *r = PQgetResult(m_pg);
        if (!r) {
            broken = true;
            break;
        }
        while (PGresult *extra = PQgetResult(m_pg)) // a query's answers end with a null
            PQclear(extra);
        const ExecStatusType st = PQresultStatus(r);
        const bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
        if (!ok && pending[i].preparing)
            pending[i].preparing->prepared = false;
        if (ok && keepLast && i + 1 == pending.size()) {
            kept = r;
        } else if (!ok && !failure && st != PGRES_PIPELINE_ABORTED) {
            failure = r;
            failed = pending[i].what;
        } else {
            PQclear(r);
        }
    }
    if (broken || failure) {
        PQclear(kept);
        if (broken)
            m_pgBroken = true;
        pgAbandonPipeline(sync);
        throwPg(failure, failed);
    }
    if (sync) {
        PGresult *r = PQgetResult(m_pg);
        const bool synced = r && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        m_pgPipeline = false;
        if (!synced || PQexitPipelineMode(m_pg) != 1) {
            PQclear(kept);
            m_pgBroken = true;
            throwPg(nullptr, "pipeline sync");
        }
    }
    return kept;
}

void Database::pgAbandonPipeline(bool syncSent)
{
    if (!m_pgPipeline)
        return;
    m_pgPipeline = false;
    const std::vector<PgPending> pending = std::exchange(m_pgPending, {});
    bool broken = m_pgBroken || PQstatus(m_pg) != CONNECTION_OK;
    if (!broken && !syncSent)
        broken = PQpipelineSync(m_pg) != 1;
    for (const PgPending &p : pending) {
        if (broken)
            break;
        PGresult *r = PQgetResult(m_pg);
        if (!r) {
            broken = true;
            break;
        }
        if (p.preparing && PQresultStatus(r) != PGRES_COMMAND_OK)
            p.preparing->prepared = false;
        PQclear(r);
        while (PGresult *extra = PQgetResult(m_pg))
            PQclear(extra);
    }
    if (!broken) {
        PGresult *r = PQgetResult(m_pg);
        broken = !r || PQresultStatus(r) != PGRES_PIPELINE_SYNC;
        PQclear(r);
    }
    if (broken || PQexitPipelineMode(m_pg) != 1)
        m_pgBroken = true; // the next transaction starts on a new connection
}

bool Database::tryLeadership(const char *key)
{
    if (!m_pg)
        return true;
    Statement s = prepare("SELECT pg_try_advisory_lock(hashtext(?1))");
    s.bind(1, QByteArray(key));
    return s.next() && s.int64(0) == 1;
}

void Database::releaseLeadership(const char *key)
{
    if (!m_pg || m_pgBroken)
        return;
    Statement s = prepare("SELECT pg_advisory_unlock(hashtext(?1))");
    s.bind(1, QByteArray(key));
    s.exec();
}

Statement Database::prepare(const char *sql)
{
    if (m_pg) {
        auto it = m_pgCache.find(sql);
        if (it == m_pgCache.end()) {
            auto st = std::make_unique<PgStatement>();
            st->name = "rs" + std::to_string(m_pgCache.size() + 1);
            st->sql = toPostgres(sql, &st->params, &st->returnsId);
            st->values.resize(size_t(st->params));
            st->nulls.assign(size_t(st->params), 1);
            it = m_pgCache.emplace(sql, std::move(st)).first;
        }
        return Statement(this, it->second.get());
    }
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        sqlite3_stmt *stmt = nullptr;
        // Row locks are PostgreSQL's; SQLite's writer already holds the whole database.
        std::string text(sql);
        if (const size_t at = text.rfind(" FOR UPDATE"); at != std::string::npos && at + 11 == text.size())
            text.resize(at);
        const int rc = sqlite3_prepare_v3(m_db, text.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK)
            throw DbException(errorOf(m_db, rc));
        it = m_cache.emplace(sql, stmt).first;
    }
    return Statement(m_db, it->second);
}

void Database::exec(const char *sql)
{
    if (m_pg) {
        PQclear(pgExec(sql));
        return;
    }
    char *err = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        sqlite3_free(err);
        throw DbException(errorOf(m_db, rc));
    }
}

qint64 Database::lastInsertId() const
{
    if (m_pg)
        return m_pgLastId;
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    if (m_pg)
        return m_pgChanges;
    return sqlite3_changes(m_db);
}

int Database::userVersion()
{
    if (m_pg) {
        PGresult *r = pgExec("SELECT to_regclass('schema_version') IS NOT NULL");
        const bool exists = PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
        if (!exists)
            return 0;
        r = pgExec("SELECT max(version) FROM schema_version");
        const int v = std::atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
        return v;
    }
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

// Every writer of the depot takes one advisory lock: Exclusive ones one at a time (as SQLite's writer lock),
// Shared ones (scans) side by side.
constexpr const char *pgBeginExclusive = "BEGIN; SELECT pg_advisory_xact_lock(7262001)";
constexpr const char *pgBeginShared = "BEGIN; SELECT pg_advisory_xact_lock_shared(7262001)";

Transaction::Transaction(Database &db, Mode mode) : m_db(db)
{
    ThreadGuard::assertWorkerThread("Transaction");
    if (m_db.m_pg && mode == Mode::Shared && m_db.pgEnterPipeline()) {
        // A scan's BEGIN and lock go out with its first statement; a lock that times out fails that
        // statement, and the destructor rolls back.
        m_db.pgSendSimple("BEGIN");
        m_db.pgSendSimple("SELECT pg_advisory_xact_lock_shared(7262001)");
    } else if (m_db.m_pg) {
        try {
            PQclear(m_db.pgExec(mode == Mode::Shared ? pgBeginShared : pgBeginExclusive));
        } catch (const DbException &) {
            // BEGIN went through but the lock did not (lock_timeout): leave no aborted transaction behind.
            if (m_db.m_pg && PQstatus(m_db.m_pg) == CONNECTION_OK)
                PQclear(PQexec(m_db.m_pg, "ROLLBACK"));
            throw;
        }
    } else
        m_db.exec("BEGIN IMMEDIATE");
    m_db.m_inTransaction = true;
}

Transaction::~Transaction()
{
    if (m_done)
        return;
    m_db.m_inTransaction = false;
    m_db.m_afterCommit.clear(); // rolled back: what it would have announced never happened
    if (m_db.m_pg) {
        m_db.pgAbandonPipeline();
        if (!m_db.m_pgBroken && PQstatus(m_db.m_pg) == CONNECTION_OK)
            PQclear(PQexec(m_db.m_pg, "ROLLBACK"));
    } else if (m_db.isOpen()) {
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit()
{
    if (m_db.m_pg && m_db.m_pgPipeline) {
        // The pipeline's statements and the COMMIT in one round trip. A statement that failed aborts the
        // COMMIT: the transaction is rolled back before the failure is thrown.
        try {
            m_db.pgSendSimple("COMMIT");
            PQclear(m_db.pgCollect(false, true));
        } catch (const DbException &) {
            m_db.m_inTransaction = false;
            m_db.m_afterCommit.clear();
            m_done = true;
            if (!m_db.m_pgBroken && PQstatus(m_db.m_pg) == CONNECTION_OK &&
                PQtransactionStatus(m_db.m_pg) != PQTRANS_IDLE)
                PQclear(PQexec(m_db.m_pg, "ROLLBACK"));
            throw;
        }
    } else if (m_db.m_pg) {
        // A COMMIT whose answer is lost is not known to have happened: the caller is told "not saved" and
        // an idempotent scan id keeps its retry from recording twice.
        PGresult *r = PQexec(m_db.m_pg, "COMMIT");
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            m_db.m_inTransaction = false;
            m_db.m_afterCommit.clear();
            m_done = true;
            m_db.throwPg(r, "COMMIT");
        }
        PQclear(r);
    } else {
        m_db.exec("COMMIT");
    }
    m_done = true;
    m_db.m_inTransaction = false;
    m_db.runAfterCommit();
}
