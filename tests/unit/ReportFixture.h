// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"
#include "Database.h"
#include "DemoData.h"
#include "ReceivingService.h"
#include "TestStore.h"
#include "UnitCondition.h"

#include <QTemporaryDir>
#include <QTest>

// A store the report and certificate tests share (on either engine): the demo cases as of 2026-11-20, and one
// dock session at DOOR-1 by Dana Ortiz (BADGE-1001) at noon Chicago time:
//   box 1Z999AA10123456784 (case 2026-1103-0001): JN11F3A2BAFA (line 1), CAHZ4512 (line 2, then damaged with
//   a note), PE3716460123 (case 2026-1020-0002's unit: over in this box), ZZ0000000001 (expected nowhere:
//   unexpected in this box); box 9400100000000000000017 (case 2026-0610-0003, due 58 days ago): WS3718090001,
//   late.
struct ReportFixture
{
    QTemporaryDir dir;
    Database db;
    FixedClock clock{QDateTime(QDate(2026, 11, 20), QTime(18, 0), Qt::UTC)};
    QTimeZone zone{QByteArrayLiteral("America/Chicago")};

    static QString station() { return QStringLiteral("DOOR-1"); }

    Verdict scan(ReceivingService &service, const char *code)
    {
        return service.scan(ScanEvent{QByteArray(code), false, QString(), QStringLiteral("test"), 1, false},
                            station());
    }

    qint64 receiptOf(const QString &serial)
    {
        Statement s = db.prepare("SELECT id FROM receipts WHERE serial = ?1 AND voided = 0");
        return s.bind(1, serial).next() ? s.int64(0) : 0;
    }

    // Fills the store; false (with a QTest failure) when a step does not do what the fixture says.
    bool build()
    {
        if (!dir.isValid())
            return false;
        db.open(TestStore::location(dir.filePath(QStringLiteral("reports.db"))));
        DemoData::write(db, DemoData::Options{QDate(2026, 11, 20), 0, true});
        ReceivingService service(db, clock, ReceivingService::Options{zone, {}});
        service.signIn(station(), QStringLiteral("BADGE-1001"));
        for (const char *code :
             {"1Z999AA10123456784", "JN11F3A2BAFA", "CAHZ4512", "PE3716460123", "ZZ0000000001"})
            scan(service, code);
        setUnitCondition(db, clock, station(), receiptOf(QStringLiteral("CAHZ4512")),
                         QStringLiteral("damaged"), QStringLiteral("Cracked faceplate"),
                         QStringLiteral("BADGE-1001"));
        scan(service, "9400100000000000000017");
        scan(service, "WS3718090001");
        for (const char *serial :
             {"JN11F3A2BAFA", "CAHZ4512", "PE3716460123", "ZZ0000000001", "WS3718090001"}) {
            if (receiptOf(QString::fromLatin1(serial)) == 0) {
                qWarning("fixture: no live receipt of %s", serial);
                return false;
            }
        }
        return true;
    }
};
