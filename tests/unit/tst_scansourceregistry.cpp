// SPDX-License-Identifier: GPL-3.0-or-later
#include "AutomationSocketSource.h"
#include "EvdevScanner.h"
#include "ScanSourceRegistry.h"
#include "SerialScanner.h"
#include "WedgeScannerFilter.h"

#include <QFileInfo>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

// A source with no device behind it: the test decides when it reads.
class FakeSource : public ScanSource
{
public:
    using ScanSource::ScanSource;
    void start() override { setState(SourceHealth::State::Connected); }
    void stop() override { setState(SourceHealth::State::Stopped); }
    void read(const QByteArray &raw)
    {
        ScanEvent e;
        e.raw = raw;
        deliver({e});
    }
    void breakDown() { setState(SourceHealth::State::Reconnecting, QStringLiteral("Unplugged.")); }
};

SourceConfig config(const QString &id, const QString &type, QHash<QString, QString> values = {})
{
    SourceConfig c;
    c.id = id;
    c.type = type;
    c.values = std::move(values);
    return c;
}

} // namespace

// Sources come from configuration, can come and go while the station runs, and are heard in one place.
class TestScanSourceRegistry : public QObject
{
    Q_OBJECT

private slots:
    void fromIni();
    void createBuiltInTypes();
    void createReportsMistakes_data();
    void createReportsMistakes();
    void registeredTypes();
    void addListensAndStarts();
    void duplicateIdsAreRefused();
    void removeStopsAndDeletes();
    void removeFromInsideItsOwnSignal();
    void addFromConfig();
};

void TestScanSourceRegistry::fromIni()
{
    const QHash<QString, QString> values{
        {QStringLiteral("station.id"), QStringLiteral("dock-1")},
        {QStringLiteral("scanner.dock.type"), QStringLiteral("evdev")},
        {QStringLiteral("scanner.dock.device"), QStringLiteral("/dev/input/by-id/usb-Zebra-event-kbd")},
        {QStringLiteral("scanner.dock.keymap"), QStringLiteral("de")},
        {QStringLiteral("scanner.automation/type"), QStringLiteral("Socket")},
        {QStringLiteral("scanner.automation/path"), QStringLiteral("/run/rs/scan.sock")},
        {QStringLiteral("scanner.bench.type"), QStringLiteral("serial")},
        {QStringLiteral("scanner.bench.enabled"), QStringLiteral("false")},
        {QStringLiteral("scanner.typo.device"), QStringLiteral("/dev/null")},
        {QStringLiteral("scannerx.other.type"), QStringLiteral("wedge")},
    };
    const QList<SourceConfig> configs = ScanSourceRegistry::fromIni(values);
    QCOMPARE(configs.size(), 3);
    QCOMPARE(configs.at(0).id, QStringLiteral("automation"));
    QCOMPARE(configs.at(0).type, QStringLiteral("socket"));
    QCOMPARE(configs.at(0).value(QStringLiteral("path")), QStringLiteral("/run/rs/scan.sock"));
    QCOMPARE(configs.at(1).id, QStringLiteral("dock"));
    QCOMPARE(configs.at(1).type, QStringLiteral("evdev"));
    QCOMPARE(configs.at(1).value(QStringLiteral("device")),
             QStringLiteral("/dev/input/by-id/usb-Zebra-event-kbd"));
    QCOMPARE(configs.at(1).value(QStringLiteral("keymap")), QStringLiteral("de"));
    QCOMPARE(configs.at(2).id, QStringLiteral("typo")); // no type: kept, so creating it says what is wrong
    QVERIFY(configs.at(2).type.isEmpty());
}

void TestScanSourceRegistry::createBuiltInTypes()
{
    QString error;
    auto wedge = ScanSourceRegistry::create(config(QStringLiteral("kbd"), QStringLiteral("wedge")), &error);
    QVERIFY(qobject_cast<WedgeScannerFilter *>(wedge.get()));
    QCOMPARE(wedge->id(), QStringLiteral("kbd"));
    auto evdev = ScanSourceRegistry::create(config(QStringLiteral("dock"), QStringLiteral("evdev"),
                                                   {{QStringLiteral("device"), QStringLiteral("/dev/x")}}),
                                            &error);
    QVERIFY(qobject_cast<EvdevScanner *>(evdev.get()));
    auto serial = ScanSourceRegistry::create(config(QStringLiteral("bench"), QStringLiteral("serial"),
                                                    {{QStringLiteral("port"), QStringLiteral("ttyACM0")}}),
                                             &error);
    QVERIFY(qobject_cast<SerialScanner *>(serial.get()));
    auto socket = ScanSourceRegistry::create(config(QStringLiteral("auto"), QStringLiteral("socket"),
                                                    {{QStringLiteral("path"), QStringLiteral("/tmp/s")}}),
                                             &error);
    QVERIFY(qobject_cast<AutomationSocketSource *>(socket.get()));
    // Created, not started: nothing is opened yet.
    QCOMPARE(socket->health().state, SourceHealth::State::Stopped);
}

void TestScanSourceRegistry::createReportsMistakes_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("camera") << "camera"
                            << ""
                            << ""
                            << "camera sources are created by the kiosk";
    QTest::newRow("unknown") << "laser"
                             << ""
                             << ""
                             << "unknown type \"laser\"";
    QTest::newRow("no type") << ""
                             << ""
                             << ""
                             << "has no type";
    QTest::newRow("evdev without device") << "evdev"
                                          << ""
                                          << ""
                                          << "device is not set";
    QTest::newRow("serial without port") << "serial"
                                         << ""
                                         << ""
                                         << "port is not set";
    QTest::newRow("socket without path") << "socket"
                                         << ""
                                         << ""
                                         << "path must be";
    QTest::newRow("wedge bad value") << "wedge"
                                     << "min_length"
                                     << "many"
                                     << "min_length";
}

void TestScanSourceRegistry::createReportsMistakes()
{
    QFETCH(QString, type);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, message);
    QHash<QString, QString> values;
    if (!key.isEmpty())
        values.insert(key, value);
    QString error;
    QVERIFY(!ScanSourceRegistry::create(config(QStringLiteral("dock"), type, values), &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("dock")), qPrintable(error)); // says which scanner
}

void TestScanSourceRegistry::registeredTypes()
{
    ScanSourceRegistry registry;
    QString error;
    QVERIFY(!registry.make(config(QStringLiteral("cam"), QStringLiteral("camera")), &error));
    registry.registerType(QStringLiteral("camera"), [](const SourceConfig &c, QString *) {
        return std::make_unique<FakeSource>(c.id);
    });
    auto cam = registry.make(config(QStringLiteral("cam"), QStringLiteral("camera")), &error);
    QVERIFY(cam);
    QCOMPARE(cam->id(), QStringLiteral("cam"));
    // Built-ins still work through make().
    QVERIFY(qobject_cast<WedgeScannerFilter *>(
        registry.make(config(QStringLiteral("kbd"), QStringLiteral("wedge")), &error).get()));
}

void TestScanSourceRegistry::addListensAndStarts()
{
    ScanSourceRegistry registry;
    QSignalSpy added(&registry, &ScanSourceRegistry::sourceAdded);
    QSignalSpy reads(&registry, &ScanSourceRegistry::scanned);
    QSignalSpy health(&registry, &ScanSourceRegistry::healthChanged);

    auto owned = std::make_unique<FakeSource>(QStringLiteral("a"));
    FakeSource *a = owned.get();
    QVERIFY(registry.add(std::move(owned)));
    QCOMPARE(a->health().state, SourceHealth::State::Connected);
    QCOMPARE(added.size(), 1);
    QCOMPARE(added.at(0).at(0).toString(), QStringLiteral("a"));
    QVERIFY(!health.isEmpty());
    QCOMPARE(health.last().at(0).toString(), QStringLiteral("a"));

    auto b = std::make_unique<FakeSource>(QStringLiteral("b"));
    FakeSource *bp = b.get();
    QVERIFY(registry.add(std::move(b)));
    QCOMPARE(registry.sources(), (QList<ScanSource *>{a, bp}));
    QCOMPARE(registry.source(QStringLiteral("b")), bp);
    QCOMPARE(registry.source(QStringLiteral("c")), nullptr);

    a->read("ABCD");
    bp->read("EFGH");
    QCOMPARE(reads.size(), 2);
    QCOMPARE(reads.at(0).at(0).value<QList<ScanEvent>>().first().sourceId, QStringLiteral("a"));
    QCOMPARE(reads.at(1).at(0).value<QList<ScanEvent>>().first().raw, QByteArray("EFGH"));

    health.clear();
    bp->breakDown();
    QCOMPARE(health.size(), 1);
    QCOMPARE(health.at(0).at(0).toString(), QStringLiteral("b"));
    QCOMPARE(registry.source(QStringLiteral("b"))->health().lastError, QStringLiteral("Unplugged."));
}

void TestScanSourceRegistry::duplicateIdsAreRefused()
{
    ScanSourceRegistry registry;
    QVERIFY(registry.add(std::make_unique<FakeSource>(QStringLiteral("a"))));
    QString error;
    QVERIFY(!registry.add(std::make_unique<FakeSource>(QStringLiteral("a")), &error));
    QVERIFY2(error.contains(QStringLiteral("already")), qPrintable(error));
    QVERIFY(!registry.add(nullptr, &error));
    QCOMPARE(registry.sources().size(), 1);
}

void TestScanSourceRegistry::removeStopsAndDeletes()
{
    ScanSourceRegistry registry;
    QSignalSpy removed(&registry, &ScanSourceRegistry::sourceRemoved);
    QSignalSpy reads(&registry, &ScanSourceRegistry::scanned);
    auto owned = std::make_unique<FakeSource>(QStringLiteral("a"));
    QPointer<FakeSource> a = owned.get();
    QVERIFY(registry.add(std::move(owned)));
    QVERIFY(registry.remove(QStringLiteral("a")));
    QVERIFY(!registry.remove(QStringLiteral("a")));
    QCOMPARE(removed.size(), 1);
    QVERIFY(registry.sources().isEmpty());
    QVERIFY(a);
    QCOMPARE(a->health().state, SourceHealth::State::Stopped);
    a->read("LATE"); // no longer heard
    QCOMPARE(reads.size(), 0);
    QTRY_VERIFY(!a);
}

void TestScanSourceRegistry::removeFromInsideItsOwnSignal()
{
    ScanSourceRegistry registry;
    auto owned = std::make_unique<FakeSource>(QStringLiteral("a"));
    QPointer<FakeSource> a = owned.get();
    QVERIFY(registry.add(std::move(owned)));
    connect(&registry, &ScanSourceRegistry::scanned, this, [&] { registry.remove(QStringLiteral("a")); });
    a->read("ABCD");
    QVERIFY(registry.sources().isEmpty());
    QTRY_VERIFY(!a);
}

void TestScanSourceRegistry::addFromConfig()
{
    QTemporaryDir dir(QStringLiteral("/tmp/rs-reg-XXXXXX"));
    QVERIFY(dir.isValid());
    ScanSourceRegistry registry;
    QString error;
    const QList<SourceConfig> configs = ScanSourceRegistry::fromIni({
        {QStringLiteral("scanner.automation.type"), QStringLiteral("socket")},
        {QStringLiteral("scanner.automation.path"), dir.filePath(QStringLiteral("scan.sock"))},
        {QStringLiteral("scanner.camera.type"), QStringLiteral("camera")},
    });
    QCOMPARE(configs.size(), 2);
    QVERIFY2(registry.addFromConfig(configs.at(0), &error), qPrintable(error));
    QCOMPARE(registry.source(QStringLiteral("automation"))->health().state, SourceHealth::State::Connected);
    QVERIFY(!registry.addFromConfig(configs.at(1), &error));
    QVERIFY2(error.contains(QStringLiteral("kiosk")), qPrintable(error));
    QCOMPARE(registry.sources().size(), 1);

    QVERIFY(registry.remove(QStringLiteral("automation")));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("scan.sock"))));
}

QTEST_GUILESS_MAIN(TestScanSourceRegistry)
#include "tst_scansourceregistry.moc"
