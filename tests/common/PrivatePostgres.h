// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

// Starts a throw-away PostgreSQL cluster on a unix socket in its own temporary folder, for one test process.
//
// The folder is /tmp/rs-pg-XXXXXX (short, for the ~107-byte limit of unix socket paths): `data/` is the
// cluster, `s/` its socket directory, `server.log` the server's log. The server listens on no TCP address
// (listen_addresses=''), on a port number of its own (only the socket's name: the socket directory is private
// anyway), with trust authentication, superuser `rs`, fsync and synchronous_commit on, max_connections=100.
//
// The binaries are the newest /usr/lib/postgresql/*/bin (or $RS_PG_BINDIR). PostgreSQL's server refuses to
// run as root: as root, the folder belongs to an unprivileged account ($RS_PG_USER, else `postgres`, else
// `nobody`) and initdb and pg_ctl run as it (runuser, else setpriv); psql, like the test itself, stays root
// and connects through the socket as `rs`.
//
// initdb takes seconds, so the first start() of a build keeps an initdb'd copy as a template
// ($RS_PG_TEMPLATE_DIR, else the build's pg-template/, one per PostgreSQL major version and account, created
// once under an flock), and later ones copy it (cp -a). RS_PG_TEMPLATE_DIR set but empty, or a template
// folder that cannot be written, means initdb every time.
//
// A test process that ends without the destructor (a crash, std::terminate, a CTest timeout's SIGKILL)
// leaves no server behind either: a watchdog in its own session waits for the process's end of a pipe to
// close, then stops the server (immediate) and removes the folder.
//
// Nothing here assumes a server is already running, and nothing depends on Qt Test.
class PrivatePostgres
{
public:
    PrivatePostgres();  // nothing started yet
    ~PrivatePostgres(); // stops the server (immediate) and removes its folder
    PrivatePostgres(const PrivatePostgres &) = delete;
    PrivatePostgres &operator=(const PrivatePostgres &) = delete;

    // initdb (or a copy of the cached template) + pg_ctl start -w; false with error() set on failure.
    bool start();
    // A sentence naming what failed last (with the server log's tail when the server was involved).
    QString error() const { return m_error; }

    // CREATE DATABASE; returns its URL (see url()), or an empty string with error() set.
    QString createDatabase(const QString &name);
    // "postgresql:///NAME?host=SOCKETDIR&port=PORT&user=rs": libpq's URI form for this server.
    QString url(const QString &dbName) const;

    QString socketDir() const;
    int port() const { return m_port; }
    QString dataDir() const;
    QString logFile() const;

    bool restartImmediate(); // pg_ctl -m immediate restart, waits until it accepts connections again
    bool stopImmediate();    // pg_ctl -m immediate stop (a crash, as far as the database knows)
    bool startAgain();       // pg_ctl start -w after stopImmediate()
    bool isRunning() const;

    // psql -XAt -v ON_ERROR_STOP=1 with `sql` on its standard input; `output` gets its standard output
    // without the final newline. False with error() set (psql's messages) when psql failed.
    bool psql(const QString &dbName, const QString &sql, QString *output = nullptr);

    // Whether the last start() copied the template instead of running initdb.
    bool startedFromTemplate() const { return m_fromTemplate; }
    // The account initdb and the server run as: empty when that is the current user.
    QString serverAccount() const { return m_account; }
    static QString binDir();

private:
    struct Result
    {
        bool ok = false;
        QString output;
    };
    Result run(const QString &program, const QStringList &args, bool asServerAccount, int timeoutMs,
               const QByteArray &input = {}, QString *stderrText = nullptr) const;
    bool initdb();
    bool copyTemplateOrInitdb();
    bool writeConfig();
    bool pgCtl(const QString &what, const QStringList &args);
    QString logTail(int lines = 30) const;
    void killLeftover();
    void startWatchdog();

    QString m_root;
    QString m_account;
    QString m_error;
    int m_port = 0;
    int m_watchdogFd = -1;
    bool m_fromTemplate = false;
};
