// SPDX-License-Identifier: GPL-3.0-or-later
#include "PrivatePostgres.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QUrl>
#include <QVersionNumber>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {
std::atomic<int> instances{0};

// The environment of every PostgreSQL program: no PG* variables of the developer's (PGHOST, PGPORT, PGDATA,
// PGSERVICE... would point psql elsewhere), untranslated messages.
QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &k : keys) {
        if (k.startsWith(QLatin1String("PG")))
            env.remove(k);
    }
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C"));
    return env;
}

// The account that runs the server when we are root.
QString serverAccountForRoot()
{
    const QString wanted = qEnvironmentVariable("RS_PG_USER");
    if (!wanted.isEmpty())
        return wanted;
    for (const char *name : {"postgres", "nobody"}) {
        if (getpwnam(name))
            return QString::fromLatin1(name);
    }
    return QString();
}

// An exclusive flock on a file, released when destroyed.
class FileLock
{
public:
    explicit FileLock(const QString &path)
    {
        m_fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0)
            return;
        int rc;
        do {
            rc = ::flock(m_fd, LOCK_EX);
        } while (rc != 0 && errno == EINTR);
        if (rc != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~FileLock()
    {
        if (m_fd >= 0)
            ::close(m_fd); // releases the lock
    }
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;
    bool locked() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

QString quoteIdentifier(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString quoteLiteral(const QString &text)
{
    QString q = text;
    q.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

// Where the cached template lives: $RS_PG_TEMPLATE_DIR, else the build's pg-template/; empty: no template.
QString templateBase()
{
    if (qEnvironmentVariableIsSet("RS_PG_TEMPLATE_DIR"))
        return qEnvironmentVariable("RS_PG_TEMPLATE_DIR");
#ifdef RS_BINARY_DIR
    return QStringLiteral(RS_BINARY_DIR "/pg-template");
#else
    return QString();
#endif
}
} // namespace

PrivatePostgres::PrivatePostgres()
{
    // Unique per process and instance within 20000-59999; only the socket's file name (.s.PGSQL.PORT) and
    // the start of the server's System V key search depend on it.
    const int n = instances.fetch_add(1);
    m_port = 20000 + int((quint64(::getpid()) * 16 + quint64(n)) % 40000);
}

PrivatePostgres::~PrivatePostgres()
{
    if (m_root.isEmpty())
        return;
    if (isRunning() && !stopImmediate())
        killLeftover();
    QDir(m_root).removeRecursively();
    if (m_watchdogFd >= 0)
        ::close(m_watchdogFd); // the watchdog wakes up, finds nothing left to do and exits
}

// sh -c SCRIPT rs-pg-watchdog ROOT PG_CTL ACCOUNT, started through `setsid -f`: in a session of its own and
// no longer our child, so neither a terminal's Ctrl-C nor CTest killing the test's process tree ends it.
// Its standard input is the read end of a pipe whose only write end is m_watchdogFd (close-on-exec: no
// child of ours holds it), so `cat` returns exactly when this process has closed it or ended.
void PrivatePostgres::startWatchdog()
{
    static const char script[] =
        "cat >/dev/null\n"
        "cd / || exit 1\n"
        "PATH=\"/usr/sbin:/sbin:/usr/bin:/bin:$PATH\"\n"
        "d=\"$1/data\"\n"
        "if [ -f \"$d/postmaster.pid\" ]; then\n"
        "    if [ -n \"$3\" ]; then runuser -u \"$3\" -- \"$2\" -D \"$d\" -m immediate -w stop\n"
        "    else \"$2\" -D \"$d\" -m immediate -w stop; fi\n"
        "    [ -f \"$d/postmaster.pid\" ] && kill -9 \"$(head -n 1 \"$d/postmaster.pid\")\"\n"
        "fi\n"
        "rm -rf \"$1\"\n";
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return;
    const QByteArray root = QFile::encodeName(m_root);
    const QByteArray pgCtl = QFile::encodeName(binDir() + QStringLiteral("/pg_ctl"));
    const QByteArray account = m_account.toLocal8Bit();
    const char *argv[] = {"setsid",
                          "-f",
                          "/bin/sh",
                          "-c",
                          script,
                          "rs-pg-watchdog",
                          root.constData(),
                          pgCtl.constData(),
                          account.constData(),
                          nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc =
        ::posix_spawnp(&pid, "setsid", &actions, nullptr, const_cast<char *const *>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[0]);
    if (rc != 0) {
        ::close(fds[1]);
        qWarning("PrivatePostgres: cannot start the watchdog (setsid): %s", std::strerror(rc));
        return;
    }
    ::waitpid(pid, nullptr, 0); // setsid -f returns once the watchdog runs on its own
    m_watchdogFd = fds[1];
}

QString PrivatePostgres::binDir()
{
    const QString override = qEnvironmentVariable("RS_PG_BINDIR");
    if (!override.isEmpty())
        return override;
    QString best;
    QVersionNumber bestVersion;
    const QStringList versions =
        QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &v : versions) {
        const QString dir = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(v);
        const QVersionNumber number = QVersionNumber::fromString(v);
        if (QFileInfo(dir + QStringLiteral("/pg_ctl")).isExecutable() &&
            (best.isEmpty() || number > bestVersion)) {
            best = dir;
            bestVersion = number;
        }
    }
    return best;
}

QString PrivatePostgres::socketDir() const
{
    return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/s");
}

QString PrivatePostgres::dataDir() const
{
    return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/data");
}

QString PrivatePostgres::logFile() const
{
    return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/server.log");
}

QString PrivatePostgres::url(const QString &dbName) const
{
    const QByteArray keep = "/";
    return QStringLiteral("postgresql:///%1?host=%2&port=%3&user=rs")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(dbName)),
             QString::fromLatin1(QUrl::toPercentEncoding(socketDir(), keep)))
        .arg(m_port);
}

PrivatePostgres::Result PrivatePostgres::run(const QString &program, const QStringList &args,
                                             bool asServerAccount, int timeoutMs, const QByteArray &input,
                                             QString *stderrText) const
{
    QProcess p;
    p.setProcessEnvironment(cleanEnvironment());
    // As the server's account, root's working directory may be out of reach (initdb warns about it).
    p.setWorkingDirectory(m_root.isEmpty() ? QDir::tempPath() : m_root);
    if (asServerAccount && !m_account.isEmpty()) {
        const QString runuser = QStandardPaths::findExecutable(
            QStringLiteral("runuser"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                                        QStringLiteral("/usr/bin"), QStringLiteral("/bin")});
        if (!runuser.isEmpty()) {
            p.setProgram(runuser);
            p.setArguments(QStringList{QStringLiteral("-u"), m_account, QStringLiteral("--"), program} +
                           args);
        } else {
            p.setProgram(QStringLiteral("setpriv"));
            p.setArguments(QStringList{QStringLiteral("--reuid=") + m_account,
                                       QStringLiteral("--regid=") + m_account,
                                       QStringLiteral("--init-groups"), QStringLiteral("--"), program} +
                           args);
        }
    } else {
        p.setProgram(program);
        p.setArguments(args);
    }
    p.setProcessChannelMode(stderrText ? QProcess::SeparateChannels : QProcess::MergedChannels);
    p.start();
    Result r;
    if (!p.waitForStarted(30'000)) {
        r.output = QStringLiteral("cannot run %1: %2").arg(p.program(), p.errorString());
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.output = QString::fromLocal8Bit(p.readAllStandardOutput()) +
                   QStringLiteral("\n(%1 did not finish within %2 s)").arg(program).arg(timeoutMs / 1000);
        if (stderrText)
            *stderrText = QString::fromLocal8Bit(p.readAllStandardError());
        return r;
    }
    r.output = QString::fromLocal8Bit(p.readAllStandardOutput());
    if (stderrText)
        *stderrText = QString::fromLocal8Bit(p.readAllStandardError());
    r.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    return r;
}

bool PrivatePostgres::start()
{
    m_error.clear();
    if (!m_root.isEmpty()) {
        m_error = QStringLiteral("this PrivatePostgres was started already (use startAgain())");
        return false;
    }
    const QString bin = binDir();
    if (bin.isEmpty()) {
        m_error = QStringLiteral("PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/pg_ctl (Debian "
                                 "package postgresql)");
        return false;
    }
    if (::geteuid() == 0) {
        m_account = serverAccountForRoot();
        if (m_account.isEmpty()) {
            m_error = QStringLiteral("running as root, but there is no unprivileged account for the "
                                     "PostgreSQL server (no postgres or nobody user; set RS_PG_USER)");
            return false;
        }
    }
    QByteArray pattern = "/tmp/rs-pg-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
        m_error = QStringLiteral("cannot create a folder for PostgreSQL in /tmp: %1")
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    m_root = QString::fromLocal8Bit(pattern);
    startWatchdog();
    if (!QDir().mkdir(socketDir())) {
        m_error = QStringLiteral("cannot create %1").arg(socketDir());
        return false;
    }
    if (!m_account.isEmpty()) {
        const struct passwd *pw = ::getpwnam(m_account.toLocal8Bit().constData());
        if (!pw || ::chown(pattern.constData(), pw->pw_uid, pw->pw_gid) != 0 ||
            ::chown(QFile::encodeName(socketDir()).constData(), pw->pw_uid, pw->pw_gid) != 0) {
            m_error = QStringLiteral("cannot give %1 to the account %2: %3")
                          .arg(m_root, m_account, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
    }
    ::chmod(QFile::encodeName(socketDir()).constData(), 0700);
    if (!copyTemplateOrInitdb() || !writeConfig())
        return false;
    return pgCtl(QStringLiteral("start"), {QStringLiteral("start")});
}

bool PrivatePostgres::initdb()
{
    const Result r =
        run(binDir() + QStringLiteral("/initdb"),
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QStringLiteral("rs"),
             QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
             QStringLiteral("--locale=C"), QStringLiteral("--no-sync"), QStringLiteral("--no-instructions")},
            true, 180'000);
    if (!r.ok) {
        m_error =
            QStringLiteral("initdb failed for %1%2: %3")
                .arg(dataDir(), m_account.isEmpty() ? QString() : QStringLiteral(" (as %1)").arg(m_account),
                     r.output.trimmed());
        return false;
    }
    return true;
}

bool PrivatePostgres::copyTemplateOrInitdb()
{
    m_fromTemplate = false;
    const QString base = templateBase();
    if (base.isEmpty() || !QDir().mkpath(base))
        return initdb();
    const QString major = QFileInfo(binDir()).dir().dirName(); // /usr/lib/postgresql/15/bin: 15
    const QString user = m_account.isEmpty() ? QStringLiteral("uid%1").arg(::geteuid()) : m_account;
    const QString key = QStringLiteral("pg%1-%2-v1").arg(major, user);
    const QString templ = base + QLatin1Char('/') + key;
    FileLock lock(templ + QStringLiteral(".lock"));
    if (!lock.locked())
        return initdb();
    const QString cp = QStringLiteral("/bin/cp");
    if (QFileInfo(templ + QStringLiteral("/PG_VERSION")).exists()) {
        // Copied as ourselves: as root, cp -a keeps the server account as the owner.
        const Result r = run(cp, {QStringLiteral("-a"), templ, dataDir()}, false, 120'000);
        if (r.ok) {
            m_fromTemplate = true;
            return true;
        }
        QDir(dataDir()).removeRecursively(); // a partial copy; initdb instead
        return initdb();
    }
    if (!initdb())
        return false;
    // Published whole, by a rename, so a template that exists is complete.
    const QString partial = templ + QStringLiteral(".partial-%1").arg(::getpid());
    QDir(partial).removeRecursively();
    const Result r = run(cp, {QStringLiteral("-a"), dataDir(), partial}, false, 120'000);
    if (!r.ok || ::rename(QFile::encodeName(partial).constData(), QFile::encodeName(templ).constData()) != 0)
        QDir(partial).removeRecursively(); // no template this time; the cluster itself is fine
    return true;
}

bool PrivatePostgres::writeConfig()
{
    // Appended last, so these win over initdb's postgresql.conf. Root appending keeps the file's owner.
    QFile conf(dataDir() + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::WriteOnly | QIODevice::Append)) {
        m_error = QStringLiteral("cannot write %1: %2").arg(conf.fileName(), conf.errorString());
        return false;
    }
    const QString text = QStringLiteral("\n# PrivatePostgres (tests/common)\n"
                                        "listen_addresses = ''\n"
                                        "port = %1\n"
                                        "unix_socket_directories = %2\n"
                                        "unix_socket_permissions = 0700\n"
                                        "fsync = on\n"
                                        "synchronous_commit = on\n"
                                        // After a crash, one syncfs() of the file system instead of an
                                        // fsync() per file of the cluster: seconds less per restart.
                                        "recovery_init_sync_method = syncfs\n"
                                        "full_page_writes = on\n"
                                        "shared_buffers = 32MB\n"
                                        "max_connections = 100\n"
                                        "log_min_messages = warning\n"
                                        "log_line_prefix = '%m [%p] '\n")
                             .arg(m_port)
                             .arg(quoteLiteral(socketDir()));
    if (conf.write(text.toUtf8()) < 0) {
        m_error = QStringLiteral("cannot write %1: %2").arg(conf.fileName(), conf.errorString());
        return false;
    }
    return true;
}

QString PrivatePostgres::logTail(int lines) const
{
    QFile f(logFile());
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("(no server log at %1)").arg(logFile());
    const QList<QByteArray> all = f.readAll().split('\n');
    QStringList tail;
    for (qsizetype i = std::max<qsizetype>(0, all.size() - lines - 1); i < all.size(); ++i)
        tail << QString::fromLocal8Bit(all[i]);
    return tail.join(QLatin1Char('\n')).trimmed();
}

bool PrivatePostgres::pgCtl(const QString &what, const QStringList &args)
{
    const QStringList common{QStringLiteral("-D"), dataDir(),
                             QStringLiteral("-l"), logFile(),
                             QStringLiteral("-w"), QStringLiteral("-t"),
                             QStringLiteral("120")};
    const Result r = run(binDir() + QStringLiteral("/pg_ctl"), common + args, true, 180'000);
    if (!r.ok) {
        m_error = QStringLiteral("pg_ctl %1 failed for %2: %3\n--- server log %4 (tail) ---\n%5")
                      .arg(what, dataDir(), r.output.trimmed(), logFile(), logTail());
        qWarning("PrivatePostgres: %s", qPrintable(m_error));
        return false;
    }
    return true;
}

bool PrivatePostgres::restartImmediate()
{
    m_error.clear();
    return pgCtl(QStringLiteral("restart -m immediate"),
                 {QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("restart")});
}

bool PrivatePostgres::stopImmediate()
{
    m_error.clear();
    return pgCtl(QStringLiteral("stop -m immediate"),
                 {QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("stop")});
}

bool PrivatePostgres::startAgain()
{
    m_error.clear();
    if (m_root.isEmpty()) {
        m_error = QStringLiteral("startAgain() before start()");
        return false;
    }
    return pgCtl(QStringLiteral("start"), {QStringLiteral("start")});
}

bool PrivatePostgres::isRunning() const
{
    return !m_root.isEmpty() && QFileInfo::exists(dataDir() + QStringLiteral("/postmaster.pid"));
}

// When pg_ctl could not stop it: SIGKILL to the postmaster named in postmaster.pid (its children notice
// their postmaster died and exit).
void PrivatePostgres::killLeftover()
{
    QFile f(dataDir() + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return;
    const qint64 pid = f.readLine().trimmed().toLongLong();
    if (pid > 1)
        ::kill(pid_t(pid), SIGKILL);
}

bool PrivatePostgres::psql(const QString &dbName, const QString &sql, QString *output)
{
    m_error.clear();
    if (m_root.isEmpty()) {
        m_error = QStringLiteral("psql before start()");
        return false;
    }
    QString errors;
    const Result r =
        run(binDir() + QStringLiteral("/psql"),
            {QStringLiteral("-X"), QStringLiteral("-A"), QStringLiteral("-t"), QStringLiteral("-q"),
             QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), socketDir(),
             QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"), QStringLiteral("rs"),
             QStringLiteral("-d"), dbName, QStringLiteral("-f"), QStringLiteral("-")},
            false, 120'000, sql.toUtf8(), &errors);
    if (output) {
        *output = r.output;
        if (output->endsWith(QLatin1Char('\n')))
            output->chop(1);
    }
    if (!r.ok) {
        m_error = QStringLiteral("psql on database %1 failed: %2").arg(dbName, (errors + r.output).trimmed());
        return false;
    }
    return true;
}

QString PrivatePostgres::createDatabase(const QString &name)
{
    if (!psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(quoteIdentifier(name)))) {
        m_error = QStringLiteral("cannot create database %1: %2").arg(name, m_error);
        return QString();
    }
    return url(name);
}
