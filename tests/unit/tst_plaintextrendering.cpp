// SPDX-License-Identifier: GPL-3.0-or-later
// Scanned text is text: the verdict banner drawing a serial that holds <img src="http://..."> fetches nothing
// (a local server sees no connection, while the same markup in a RichText item does reach it), and the
// kiosk's self-test rule reports any visible text item left to render markup.
#include "KioskChecks.h"

#include <QNetworkProxy>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextStream>
#include <QtTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(ReceivingStation_StationPlugin)
Q_IMPORT_QML_PLUGIN(ReceivingStation_UiPlugin)

namespace {

// Inside the UI module's folder, so Theme is the module's own singleton.
const QString ProbeUrl = QStringLiteral("qrc:/ReceivingStation/Ui/PlainTextProbe.qml");

} // namespace

class TestPlainTextRendering : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The image request must go to 127.0.0.1 itself, whatever proxy the environment names.
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    }

    void init()
    {
        m_server = std::make_unique<QTcpServer>();
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_connections = 0;
        connect(m_server.get(), &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                ++m_connections;
                socket->deleteLater();
            }
        });
        m_engine = std::make_unique<QQmlEngine>();
    }

    void cleanup()
    {
        m_window.reset();
        m_engine.reset();
        m_server.reset();
    }

    void bannerFetchesNothing()
    {
        const QString serial = imageMarkup();
        QQuickItem *banner =
            show(QStringLiteral("import QtQuick\nVerdictBanner { width: 1920; severity: 'error';"
                                " outcome: 'invalid'; serial: %1; message: %1 }")
                     .arg(quoted(serial)));
        QVERIFY(banner);
        QQuickItem *shown = banner->findChild<QQuickItem *>(QStringLiteral("verdictSerial"));
        QVERIFY(shown);
        QCOMPARE(shown->property("text").toString(), serial);
        renderFrames();
        QCOMPARE(m_connections, 0);
    }

    // The probe can see a fetch: the same markup in a RichText item reaches the server. Without this, a
    // Qt that never loaded remote images would make bannerFetchesNothing pass for the wrong reason.
    void richTextWouldFetch()
    {
        QQuickItem *item = show(QStringLiteral("import QtQuick\nText { textFormat: Text.RichText; text: %1 }")
                                    .arg(quoted(imageMarkup())));
        QVERIFY(item);
        renderFrames();
        QTRY_VERIFY_WITH_TIMEOUT(m_connections > 0, 5000);
    }

    void selfTestReportsMarkupFormats_data()
    {
        QTest::addColumn<QString>("item");
        QTest::addColumn<QString>("format");
        QTest::newRow("Text, default")
            << QStringLiteral("Text { text: root.serial; color: 'white' }") << QStringLiteral("AutoText");
        QTest::newRow("Text, RichText")
            << QStringLiteral("Text { text: root.serial; color: 'white'; textFormat: Text.RichText }")
            << QStringLiteral("RichText");
        QTest::newRow("Text, StyledText")
            << QStringLiteral("Text { text: root.serial; color: 'white'; textFormat: Text.StyledText }")
            << QStringLiteral("StyledText");
        QTest::newRow("Label, default")
            << QStringLiteral("Label { text: root.serial; color: 'white' }") << QStringLiteral("AutoText");
        QTest::newRow("TextEdit, AutoText")
            << QStringLiteral("TextEdit { text: root.serial; color: 'white'; readOnly: true; textFormat: "
                              "TextEdit.AutoText }")
            << QStringLiteral("AutoText");
        QTest::newRow("translated literal too")
            << QStringLiteral("Text { text: qsTr('Scan a box'); color: 'white' }")
            << QStringLiteral("AutoText");
    }

    void selfTestReportsMarkupFormats()
    {
        QFETCH(QString, item);
        QFETCH(QString, format);
        QString report;
        QTextStream out(&report);
        QVERIFY(showScene(item));
        QCOMPARE(KioskChecks::checkScene(m_window.get(), QStringLiteral("probe"), out), 1);
        out.flush();
        QVERIFY2(report.startsWith(QLatin1String("FAIL [probe] text ")), qPrintable(report));
        QVERIFY2(report.contains(format + QLatin1String(", not PlainText")), qPrintable(report));
    }

    void selfTestAcceptsPlainText_data()
    {
        QTest::addColumn<QString>("item");
        QTest::newRow("Text") << QStringLiteral(
            "Text { text: root.serial; color: 'white'; textFormat: Text.PlainText }");
        QTest::newRow("Label") << QStringLiteral(
            "Label { text: root.serial; color: 'white'; textFormat: Text.PlainText }");
        QTest::newRow("TextEdit") << QStringLiteral(
            "TextEdit { text: root.serial; color: 'white'; readOnly: true; textFormat: TextEdit.PlainText }");
        QTest::newRow("hidden AutoText") << QStringLiteral("Text { text: root.serial; visible: false }");
        QTest::newRow("empty AutoText") << QStringLiteral("Text { text: '' }");
    }

    void selfTestAcceptsPlainText()
    {
        QFETCH(QString, item);
        QString report;
        QTextStream out(&report);
        QVERIFY(showScene(item));
        QCOMPARE(KioskChecks::checkScene(m_window.get(), QStringLiteral("probe"), out), 0);
        out.flush();
        QCOMPARE(report, QString());
    }

private:
    QString imageMarkup() const
    {
        return QStringLiteral("<img src=\"http://127.0.0.1:%1/x.png\"><h1>big</h1>")
            .arg(m_server->serverPort());
    }

    static QString quoted(const QString &text)
    {
        QString escaped = text;
        escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('\''), QLatin1String("\\'"));
        return QLatin1Char('\'') + escaped + QLatin1Char('\'');
    }

    // A scene as the self-test sees one: light text on a dark page, one item holding scanned markup.
    bool showScene(const QString &item)
    {
        return show(QStringLiteral(
                        "import QtQuick\nimport QtQuick.Controls\nRectangle { id: root; width: 800; "
                        "height: 200; color: 'black'; property string serial: '<h1>X</h1>'\n%1\n}")
                        .arg(item)) != nullptr;
    }

    QQuickItem *show(const QString &qml)
    {
        QQmlComponent component(m_engine.get());
        component.setData(qml.toUtf8(), QUrl(ProbeUrl));
        auto *item = qobject_cast<QQuickItem *>(component.create());
        if (!item) {
            qWarning().noquote() << component.errorString();
            return nullptr;
        }
        m_window = std::make_unique<QQuickWindow>();
        m_window->setColor(Qt::black);
        m_window->resize(1920, 1080);
        item->setParent(m_window.get());
        item->setParentItem(m_window->contentItem());
        m_window->show();
        if (!QTest::qWaitForWindowExposed(m_window.get()))
            return nullptr;
        return item;
    }

    // Several frames and a while for any image load to start and connect.
    void renderFrames()
    {
        for (int i = 0; i < 5; ++i) {
            QVERIFY(!m_window->grabWindow().isNull());
            QTest::qWait(100);
        }
    }

    std::unique_ptr<QTcpServer> m_server;
    std::unique_ptr<QQmlEngine> m_engine;
    std::unique_ptr<QQuickWindow> m_window;
    int m_connections = 0;
};

QTEST_MAIN(TestPlainTextRendering)
#include "tst_plaintextrendering.moc"
