// SPDX-License-Identifier: GPL-3.0-or-later
#include "IdleBoxes.h"
#include "Clock.h"
#include "Database.h"
#include "StationState.h"

#include <QStringList>

IdleBoxes::IdleBoxes(Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

int IdleBoxes::close(int idleMinutes)
{
    const QDateTime nowUtc = m_clock.nowUtc();
    const QString now = isoUtc(nowUtc);
    const QString cutoff = isoUtc(nowUtc.addSecs(-qint64(idleMinutes) * 60));
    Transaction tx(m_db);
    QStringList stations;
    {
        // Last activity: the box's opening or its newest receipt, whichever is later; both before the cutoff.
        Statement s = m_db.prepare(
            "SELECT st.station_id FROM station_state st JOIN boxes b ON b.id = st.active_box_id "
            "WHERE b.closed_at IS NULL AND b.opened_at < ?1 "
            "AND COALESCE((SELECT max(r.received_at) FROM receipts r WHERE r.box_id = b.id), '') < ?1");
        s.bind(1, cutoff);
        while (s.next())
            stations.append(s.text(0));
    }
    int closed = 0;
    for (const QString &station : std::as_const(stations)) {
        StationState st = StationState::load(m_db, station);
        if (!st.boxId)
            continue;
        st.closeBox(m_db, now);
        st.audit(m_db, now, QStringLiteral("box_idle_closed"), st.boxLabel);
        ++closed;
    }
    tx.commit();
    return closed;
}
