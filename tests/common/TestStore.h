// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class PrivatePostgres;

// Where a store test keeps its data, so one test runs on both engines (CTest registers each store test twice:
// `tst_x` on SQLite and `tst_x_pg` with RS_TEST_ENGINE=postgresql).
// On SQLite a location is the file path the test chose; on PostgreSQL the same path names a fresh database
// on this process's private cluster (PrivatePostgres, started on first use), so asking twice for one path
// gives one database and each new temporary folder a new, empty one.
namespace TestStore {
bool postgres();
// "SQLite" or "PostgreSQL", for messages.
QString engineName();
// The database for `sqlitePath`: the path itself, or the URL of its own PostgreSQL database. A cluster that
// cannot start is a fatal test failure (qFatal with the server's log), never a silent fall-back to SQLite.
QString location(const QString &sqlitePath);
// The running cluster (PostgreSQL runs only; nullptr otherwise), for outage tests.
PrivatePostgres *cluster();
} // namespace TestStore
