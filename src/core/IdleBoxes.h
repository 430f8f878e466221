// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class Clock;
class Database;

// Closes every station's box that saw no scan for a while, so its held events go upstream even when nobody
// scans :done. Run by the kiosk's sync worker and `receiving-cli sync` each round; small on purpose, so the
// sync side needs StationState rather than the whole ReceivingService.
class IdleBoxes
{
public:
    IdleBoxes(Database &db, const Clock &clock);
    // Closes (in one transaction) the boxes whose opening and newest receipt are both older than
    // `idleMinutes`, audited as box_idle_closed. Returns how many it closed.
    int close(int idleMinutes);

private:
    Database &m_db;
    const Clock &m_clock;
};
