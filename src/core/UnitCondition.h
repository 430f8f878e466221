// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class Clock;
class Database;

// A dock worker's note on a unit in the station's OPEN box (its receipt event is still held, so nothing
// upstream has to be taken back): working | damaged | not_working. damaged and not_working mark it not
// eligible and require a note. Throws SupervisorError (Denied, NotFound, Invalid, Conflict); audited.
void setUnitCondition(Database &db, const Clock &clock, const QString &stationId, qint64 receiptId,
                      const QString &condition, const QString &note, const QString &operatorId);
