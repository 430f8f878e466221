// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestStore.h"
#include "PrivatePostgres.h"

#include <QHash>
#include <QMutex>

#include <memory>

namespace {
QMutex mutex;
std::unique_ptr<PrivatePostgres> server; // guarded by mutex
QHash<QString, QString> databases;       // SQLite path -> PostgreSQL URL; guarded by mutex

PrivatePostgres *startedServer()
{
    if (!server) {
        server = std::make_unique<PrivatePostgres>();
        if (!server->start())
            qFatal("TestStore: the private PostgreSQL cluster did not start: %s",
                   qPrintable(server->error()));
    }
    return server.get();
}
} // namespace

bool TestStore::postgres()
{
    return qEnvironmentVariable("RS_TEST_ENGINE").compare(QLatin1String("postgresql"), Qt::CaseInsensitive) ==
           0;
}

QString TestStore::engineName()
{
    return postgres() ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite");
}

QString TestStore::location(const QString &sqlitePath)
{
    if (!postgres())
        return sqlitePath;
    QMutexLocker lock(&mutex);
    if (const auto it = databases.constFind(sqlitePath); it != databases.cend())
        return *it;
    PrivatePostgres *pg = startedServer();
    const QString name = QStringLiteral("t%1").arg(databases.size() + 1);
    const QString url = pg->createDatabase(name);
    if (url.isEmpty())
        qFatal("TestStore: cannot create database %s: %s", qPrintable(name), qPrintable(pg->error()));
    databases.insert(sqlitePath, url);
    return url;
}

PrivatePostgres *TestStore::cluster()
{
    if (!postgres())
        return nullptr;
    QMutexLocker lock(&mutex);
    return startedServer();
}
