// SPDX-License-Identifier: GPL-3.0-or-later
#include "LabelReadPicker.h"

#include <QTest>

namespace {
// A compact way to write a classified code: "kind:value" with flags "+known", "+box", "+wrong".
Classification code(const QString &spec)
{
    Classification c;
    QStringList parts = spec.split(QLatin1Char('+'));
    const QString head = parts.takeFirst();
    const QString kind = head.section(QLatin1Char(':'), 0, 0);
    c.value = head.section(QLatin1Char(':'), 1);
    static const QHash<QString, ScanKind> kinds{{QStringLiteral("command"), ScanKind::Command},
                                                {QStringLiteral("badge"), ScanKind::Badge},
                                                {QStringLiteral("case"), ScanKind::CaseNumber},
                                                {QStringLiteral("tracking"), ScanKind::TrackingNumber},
                                                {QStringLiteral("serial"), ScanKind::Serial},
                                                {QStringLiteral("sku"), ScanKind::Sku},
                                                {QStringLiteral("gs1"), ScanKind::Gs1},
                                                {QStringLiteral("mac"), ScanKind::Mac},
                                                {QStringLiteral("clei"), ScanKind::Clei},
                                                {QStringLiteral("part"), ScanKind::PartNumber},
                                                {QStringLiteral("invalid"), ScanKind::Invalid}};
    c.kind = kinds.value(kind, ScanKind::Invalid);
    c.known = parts.contains(QLatin1String("known"));
    c.boxLabel = parts.contains(QLatin1String("box")) || c.kind == ScanKind::CaseNumber ||
                 c.kind == ScanKind::TrackingNumber;
    if (parts.contains(QLatin1String("wrong")) || c.kind == ScanKind::Mac || c.kind == ScanKind::Clei ||
        c.kind == ScanKind::PartNumber || c.kind == ScanKind::Invalid)
        c.problem = QStringLiteral("refused");
    return c;
}
} // namespace

class TestLabelReadPicker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pick_data();
    void pick();
};

void TestLabelReadPicker::pick_data()
{
    QTest::addColumn<QStringList>("codes");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("skuHint");

    QTest::newRow("nothing") << QStringList{} << -1 << "";
    QTest::newRow("one code is taken as it is") << QStringList{"mac:3C8AB0123456"} << 0 << "";
    QTest::newRow("unit label: serial among part, mac and clei")
        << QStringList{"part:740-012345", "mac:3C8AB0123456", "serial:CAHZ4512+known", "clei:IPMJ610DRA"} << 2
        << "";
    QTest::newRow("known serial beats an unknown one")
        << QStringList{"serial:ABC123", "serial:CAHZ4512+known"} << 1 << "";
    QTest::newRow("unknown serial with the SKU beside it carries the SKU")
        << QStringList{"mac:3C8AB0123456", "sku:SRX345", "serial:NEWSRX9"} << 2 << "SRX345";
    QTest::newRow("known serial keeps the SKU hint")
        << QStringList{"sku:MPC7E-10G", "serial:CAHZ4512+known"} << 1 << "MPC7E-10G";
    QTest::newRow("shipping label: known tracking beats postal and unknown codes")
        << QStringList{"serial:0123", "tracking:1Z999AA10123456784+known"} << 1 << "";
    QTest::newRow("known serial wins over a known box label")
        << QStringList{"tracking:1Z999AA10123456784+known", "serial:CAHZ4512+known"} << 1 << "";
    QTest::newRow("an unknown serial beats an unknown carrier label")
        << QStringList{"tracking:1Z999AA10123456784", "serial:X1"} << 1 << "";
    QTest::newRow("only the wrong barcodes: the first of them")
        << QStringList{"part:740-012345", "mac:3C8AB0123456"} << 0 << "";
    QTest::newRow("invalid codes are never picked over a valid one")
        << QStringList{"invalid:", "mac:3C8AB0123456"} << 1 << "";
    QTest::newRow("command wins") << QStringList{"serial:CAHZ4512+known", "command:"} << 1 << "";
    QTest::newRow("badge wins over serials") << QStringList{"serial:X1", "badge:BADGE-1001"} << 1 << "";
    QTest::newRow("gs1 serial counts as a serial")
        << QStringList{"part:740-012345", "gs1:SER123", "sku:SRX345"} << 1 << "SRX345";
    QTest::newRow("a lone SKU") << QStringList{"mac:3C8AB0123456", "sku:SRX345"} << 1 << "";
}

void TestLabelReadPicker::pick()
{
    QFETCH(QStringList, codes);
    QFETCH(int, index);
    QFETCH(QString, skuHint);
    QList<Classification> classified;
    for (const QString &c : codes)
        classified.append(code(c));
    const LabelReadPicker::Pick p = LabelReadPicker::pick(classified);
    QCOMPARE(int(p.index), index);
    QCOMPARE(p.skuHint, skuHint);
}

QTEST_GUILESS_MAIN(TestLabelReadPicker)
#include "tst_labelreadpicker.moc"
