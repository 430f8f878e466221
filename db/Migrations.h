// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class Database;

// The schema as an append-only chain of migrations keyed by PRAGMA user_version, each applied in its own
// transaction. Never edit a released step: add a new one.
namespace Migrations {
int latestVersion();
// Brings the schema up to date; throws DbException(TooNew) for a database written by newer code.
void apply(Database &db);
// Like apply() but changes nothing: only refuses a database that is newer than this code.
void checkVersion(Database &db);
// Applies steps up to and including `version` only (tests build old fixtures with it).
void applyUpTo(Database &db, int version);
} // namespace Migrations
