// SPDX-License-Identifier: GPL-3.0-or-later
#include "KioskChecks.h"
#include "Database.h"
#include "DemoData.h"
#include "StationController.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QMetaProperty>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTextStream>
#include <QThread>
#include <QVariantMap>

#include <cmath>
#include <functional>
#include <memory>

namespace KioskChecks {

const QList<QSize> &panelSizes()
{
    static const QList<QSize> sizes{QSize(1280, 800), QSize(1920, 1080)};
    return sizes;
}

double relativeLuminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    const QColor rgb = c.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QStringList pageUrls()
{
    QStringList urls;
    const QDir module(QStringLiteral(":/ReceivingStation/Ui"));
    const QStringList files = module.entryList({QStringLiteral("*Page.qml"), QStringLiteral("*Pages.qml")},
                                               QDir::Files, QDir::Name);
    for (const QString &f : files)
        urls.append(QStringLiteral("qrc:/ReceivingStation/Ui/") + f);
    return urls;
}

QString prepareDemoDatabase(const QString &dir)
{
    const QString path = QDir(dir).filePath(QStringLiteral("receiving.db"));
    QFile::remove(path);
    // Disk work stays off the GUI thread, even here.
    std::unique_ptr<QThread> writer(QThread::create([path] {
        Database db;
        db.open(path);
        DemoData::Options options;
        options.today = QDate::currentDate();
        DemoData::write(db, options);
    }));
    writer->start();
    writer->wait();
    return path;
}

namespace {

const QString ModuleUrl = QStringLiteral("qrc:/ReceivingStation/Ui/");

// Lets the GUI thread run (worker answers, layouts, bindings) until `done` or `ms` pass.
bool waitFor(const std::function<bool()> &done, int ms = 5000)
{
    QDeadlineTimer deadline(ms);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return true;
}

// Polishes and renders once, so every layout has its final geometry.
QImage settle(QQuickWindow *window)
{
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QImage image = window->grabWindow();
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return window->grabWindow();
}

QObject *themeOf(QQmlEngine &engine)
{
    static QObject *holder = nullptr;
    if (!holder) {
        QQmlComponent c(&engine);
        // Inside the module's folder, so Theme is the very singleton the pages use.
        c.setData("import QtQml\nQtObject { property QtObject theme: Theme }",
                  QUrl(ModuleUrl + QStringLiteral("ThemeProbe.qml")));
        holder = c.create();
        if (!holder) {
            qWarning().noquote() << c.errorString();
            return nullptr;
        }
        holder->setParent(&engine);
    }
    return holder->property("theme").value<QObject *>();
}

QString describe(QQuickItem *item)
{
    QString what = QString::fromLatin1(item->metaObject()->className()).section(QLatin1Char('_'), 0, 0);
    const QString text = item->property("text").toString();
    if (!text.isEmpty())
        what += QStringLiteral(" \"%1\"").arg(text.left(40));
    else if (!item->objectName().isEmpty())
        what += QStringLiteral(" '%1'").arg(item->objectName());
    // The nearest ancestors with a name tell where it is.
    QStringList path;
    for (QQuickItem *p = item->parentItem(); p && path.size() < 3; p = p->parentItem()) {
        if (!p->objectName().isEmpty())
            path.prepend(p->objectName());
    }
    const QPointF pos = item->mapToScene(QPointF(0, 0));
    what += QStringLiteral(" at %1,%2").arg(qRound(pos.x())).arg(qRound(pos.y()));
    if (!path.isEmpty())
        what += QStringLiteral(" in ") + path.join(QLatin1Char('/'));
    return what;
}

bool isTouchTarget(QQuickItem *item)
{
    if (!item->isEnabled())
        return false;
    if (item->inherits("QQuickAbstractButton") || item->inherits("QQuickMouseArea"))
        return true;
    for (QObject *child : item->children()) {
        if (child->inherits("QQuickTapHandler") && child->property("enabled").toBool())
            return true;
    }
    return false;
}

std::optional<QColor> fillOf(QQuickItem *item)
{
    if (!item || !item->isVisible() || !item->inherits("QQuickRectangle"))
        return std::nullopt;
    const QColor c = item->property("color").value<QColor>();
    if (c.alphaF() < 0.5)
        return std::nullopt;
    return c;
}

// What a text is drawn on: its nearest ancestor's fill, or a control's background, or the window.
QColor backgroundOf(QQuickItem *item, QQuickWindow *window)
{
    for (QQuickItem *p = item->parentItem(); p; p = p->parentItem()) {
        if (auto c = fillOf(p))
            return *c;
        if (auto c = fillOf(p->property("background").value<QQuickItem *>()))
            return *c;
    }
    return window->color();
}

bool clippedAway(QQuickItem *item)
{
    for (QQuickItem *p = item->parentItem(); p; p = p->parentItem()) {
        if (p->clip())
            return true;
    }
    return false;
}

bool isTextItem(QQuickItem *item)
{
    return item->inherits("QQuickText") || item->inherits("QQuickTextEdit");
}

// The format a text item renders markup in ("AutoText", "RichText"...), or empty when it is PlainText.
// QQuickText and QQuickTextEdit name their own enums but agree that PlainText is 0.
QString markupFormatOf(QQuickItem *item)
{
    const QMetaObject *meta = item->metaObject();
    const QMetaProperty property = meta->property(meta->indexOfProperty("textFormat"));
    const int format = property.read(item).toInt();
    if (format == Qt::PlainText)
        return {};
    const char *name = property.enumerator().valueToKey(format);
    return name ? QString::fromLatin1(name) : QString::number(format);
}

struct Walker
{
    QQuickWindow *window;
    double pixelsPerMm;
    QString where;
    QTextStream &out;
    int failures = 0;
    int targets = 0;
    int texts = 0;
    int formats = 0;

    void fail(const QString &what)
    {
        ++failures;
        out << "FAIL [" << where << "] " << what << '\n';
    }

    void walk(QQuickItem *item)
    {
        if (!item->isVisible() || item->opacity() <= 0.01)
            return;
        if (isTouchTarget(item)) {
            ++targets;
            const double wmm = item->width() / pixelsPerMm;
            const double hmm = item->height() / pixelsPerMm;
            if (wmm < MinTouchTargetMm - 0.05 || hmm < MinTouchTargetMm - 0.05)
                fail(QStringLiteral("touch target %1 is %2 x %3 mm, under %4 mm")
                         .arg(describe(item))
                         .arg(wmm, 0, 'f', 1)
                         .arg(hmm, 0, 'f', 1)
                         .arg(MinTouchTargetMm));
            const QRectF r = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
            if (!clippedAway(item) && (r.right() > window->width() + 1 || r.bottom() > window->height() + 1 ||
                                       r.left() < -1 || r.top() < -1))
                fail(QStringLiteral("touch target %1 is off the screen").arg(describe(item)));
        }
        if (item->inherits("QQuickText") && !item->property("text").toString().trimmed().isEmpty()) {
            ++texts;
            const QColor ink = item->property("color").value<QColor>();
            const QColor paper = backgroundOf(item, window);
            const double ratio = contrastRatio(ink, paper);
            if (ratio < MinContrast)
                fail(QStringLiteral("text %1: %2 on %3 is %4:1, under %5:1")
                         .arg(describe(item), ink.name(), paper.name())
                         .arg(ratio, 0, 'f', 2)
                         .arg(MinContrast));
        }
        if (isTextItem(item) && !item->property("text").toString().isEmpty()) {
            ++formats;
            const QString format = markupFormatOf(item);
            if (!format.isEmpty())
                fail(QStringLiteral("text %1 is %2, not PlainText: scanned markup would be drawn or fetched")
                         .arg(describe(item), format));
        }
        if (item->objectName() == QLatin1String("verdictSerial")) {
            const QFont font = item->property("font").value<QFont>();
            const double capMm = QFontMetricsF(font).capHeight() / pixelsPerMm;
            if (capMm < MinVerdictSerialMm)
                fail(QStringLiteral("verdict serial %1 is %2 mm tall (cap height), under %3 mm at 141 ppi")
                         .arg(describe(item))
                         .arg(capMm, 0, 'f', 1)
                         .arg(MinVerdictSerialMm));
            if (item->property("truncated").toBool())
                fail(QStringLiteral("verdict serial %1 is cut off").arg(describe(item)));
        }
        const QList<QQuickItem *> children = item->childItems();
        for (QQuickItem *child : children)
            walk(child);
    }
};

void openPopups(QObject *root)
{
    const QList<QObject *> all = root->findChildren<QObject *>();
    for (QObject *o : all) {
        if (o->inherits("QQuickPopup"))
            QMetaObject::invokeMethod(o, "open");
    }
}

struct PageWindow
{
    std::unique_ptr<QQuickWindow> window;
    QQuickItem *page = nullptr;
};

// What a page needs to be shown on its own: the detail pages show one demo case and the first exception.
QVariantMap requiredProperties(const QString &url)
{
    const QString name = QFileInfo(QUrl(url).path()).baseName();
    if (name == QLatin1String("CaseDetailPage"))
        return {{QStringLiteral("caseNumber"), QStringLiteral("2026-1103-0001")}};
    if (name == QLatin1String("ExceptionDetailPage"))
        return {{QStringLiteral("exceptionId"), 1}};
    return {};
}

PageWindow loadPage(QQmlEngine &engine, QObject *theme, const QString &url, QSize size, QString *error)
{
    PageWindow pw;
    QQmlComponent component(&engine, QUrl(url));
    QObject *object = component.createWithInitialProperties(requiredProperties(url));
    if (!object) {
        *error = component.errorString().trimmed();
        return pw;
    }
    pw.window = std::make_unique<QQuickWindow>();
    pw.window->setColor(theme->property("background").value<QColor>());
    pw.window->resize(size);
    pw.page = qobject_cast<QQuickItem *>(object);
    if (!pw.page) {
        delete object;
        *error = QStringLiteral("the page is not an Item");
        pw.window.reset();
        return pw;
    }
    pw.page->setParent(pw.window.get());
    pw.page->setParentItem(pw.window->contentItem());
    pw.page->setSize(size);
    pw.window->show();
    return pw;
}

QString pageName(const QString &url)
{
    return QFileInfo(QUrl(url).path()).baseName();
}

} // namespace

int checkScene(QQuickWindow *window, const QString &where, QTextStream &out)
{
    Walker w{window, ReferencePixelsPerMm, where, out};
    w.walk(window->contentItem());
    return w.failures;
}

int selfTest(QQmlEngine &engine, StationController &station, QTextStream &out)
{
    QObject *theme = themeOf(engine);
    if (!theme) {
        out << "FAIL the Theme singleton cannot be loaded\n";
        return 1;
    }
    theme->setProperty("pixelsPerMm", ReferencePixelsPerMm);
    int failures = 0;

    // The Theme's declared text/background pairs.
    const QVariantList pairs = theme->property("contrastPairs").toList();
    if (pairs.isEmpty()) {
        out << "FAIL Theme.contrastPairs is empty\n";
        ++failures;
    }
    for (const QVariant &pair : pairs) {
        const QStringList names = pair.toStringList();
        const QColor ink = theme->property(names.value(0).toLatin1()).value<QColor>();
        const QColor paper = theme->property(names.value(1).toLatin1()).value<QColor>();
        const double ratio = contrastRatio(ink, paper);
        if (!ink.isValid() || !paper.isValid() || ratio < MinContrast) {
            out << "FAIL [Theme] " << names.join(QLatin1String(" on ")) << " is "
                << QString::number(ratio, 'f', 2) << ":1, under 7:1\n";
            ++failures;
        }
    }

    const QStringList pages = pageUrls();
    if (pages.isEmpty()) {
        out << "FAIL no *Page.qml in the ReceivingStation.Ui module\n";
        return failures + 1;
    }
    int checked = 0;
    int targetCount = 0;
    int textCount = 0;
    int formatCount = 0;
    for (const QString &language : StationController::languages()) {
        station.setLanguage(language);
        engine.retranslate();
        for (const QSize size : panelSizes()) {
            const QString at = QStringLiteral("%1 %2x%3").arg(language).arg(size.width()).arg(size.height());
            QStringList targets = pages;
            targets.append(QStringLiteral("qrc:/ReceivingStation/Ui/Main.qml"));
            for (const QString &url : std::as_const(targets)) {
                QString error;
                QQuickWindow *window = nullptr;
                std::unique_ptr<QObject> owner;
                PageWindow pw;
                if (url.endsWith(QLatin1String("/Main.qml"))) {
                    QQmlComponent component(&engine, QUrl(url));
                    owner.reset(component.create());
                    window = qobject_cast<QQuickWindow *>(owner.get());
                    if (!window)
                        error = component.errorString().trimmed();
                    else
                        window->resize(size);
                } else {
                    pw = loadPage(engine, theme, url, size, &error);
                    window = pw.window.get();
                }
                if (!window) {
                    out << "FAIL [" << at << ' ' << pageName(url) << "] does not load: " << error << '\n';
                    ++failures;
                    continue;
                }
                settle(window);
                openPopups(pw.page ? static_cast<QObject *>(pw.page) : window);
                settle(window);
                Walker w{window, ReferencePixelsPerMm, at + QLatin1Char(' ') + pageName(url), out};
                w.walk(window->contentItem());
                failures += w.failures;
                targetCount += w.targets;
                textCount += w.texts;
                formatCount += w.formats;
                ++checked;
            }
            // The verdict banner in every severity, with a long serial.
            const QStringList verdicts{QStringLiteral("success matched"),
                                       QStringLiteral("attention cross_case"),
                                       QStringLiteral("error not_recorded")};
            for (const QString &v : verdicts) {
                QQmlComponent component(&engine);
                component.setData(
                    QStringLiteral("import QtQuick\nVerdictBanner { width: %1; "
                                   "severity: '%2'; outcome: '%3'; serial: 'JN11F3A2BAFA';"
                                   " message: 'Put this unit on the exception shelf.'; late: true }")
                        .arg(size.width())
                        .arg(v.section(QLatin1Char(' '), 0, 0), v.section(QLatin1Char(' '), 1))
                        .toUtf8(),
                    QUrl(ModuleUrl + QStringLiteral("BannerProbe.qml")));
                std::unique_ptr<QObject> banner(component.create());
                auto *item = qobject_cast<QQuickItem *>(banner.get());
                if (!item) {
                    out << "FAIL [" << at << " VerdictBanner] does not load: " << component.errorString()
                        << '\n';
                    ++failures;
                    continue;
                }
                QQuickWindow window;
                window.resize(size);
                window.setColor(theme->property("background").value<QColor>());
                item->setParentItem(window.contentItem());
                window.show();
                settle(&window);
                Walker w{&window, ReferencePixelsPerMm, at + QStringLiteral(" VerdictBanner ") + v, out};
                w.walk(window.contentItem());
                failures += w.failures;
                targetCount += w.targets;
                textCount += w.texts;
                formatCount += w.formats;
                item->setParentItem(nullptr);
            }
        }
    }
    station.setLanguage(QStringLiteral("en"));
    engine.retranslate();
    out << "self-test: " << checked << " page loads (" << pages.size() << " pages + the main window, "
        << StationController::languages().size() << " languages, " << panelSizes().size() << " panel sizes), "
        << targetCount << " touch targets and " << textCount << " texts measured, " << formatCount
        << " text formats checked, " << failures << " failures\n";
    return failures;
}

namespace {

QQuickItem *findItem(QQuickItem *root, const QString &name)
{
    if (!root)
        return nullptr;
    if (root->objectName() == name)
        return root;
    const QList<QQuickItem *> children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findItem(child, name))
            return found;
    }
    return nullptr;
}

} // namespace

int screenshots(QQmlEngine &engine, StationController &station, const QString &dir, QTextStream &out)
{
    QDir().mkpath(dir);
    QObject *theme = themeOf(engine);
    if (!theme) {
        out << "FAIL the Theme singleton cannot be loaded\n";
        return 1;
    }
    theme->setProperty("pixelsPerMm", ReferencePixelsPerMm);
    int failures = 0;
    int written = 0;
    if (!waitFor([&station] { return station.isReady(); })) {
        out << "FAIL the station did not open its database: " << station.databaseError() << '\n';
        return 1;
    }

    QQmlComponent mainComponent(&engine, QUrl(QStringLiteral("qrc:/ReceivingStation/Ui/Main.qml")));
    std::unique_ptr<QObject> mainObject(mainComponent.create());
    auto *window = qobject_cast<QQuickWindow *>(mainObject.get());
    if (!window) {
        out << "FAIL Main.qml does not load: " << mainComponent.errorString() << '\n';
        return 1;
    }
    window->show();

    const auto save = [&](const QString &language, const QString &screen) {
        for (const QSize size : panelSizes()) {
            window->resize(size);
            const QImage image = settle(window);
            const QString file = QDir(dir).filePath(
                QStringLiteral("%1-%2-%3x%4.png").arg(screen, language).arg(size.width()).arg(size.height()));
            if (image.isNull() || !image.save(file)) {
                out << "FAIL cannot write " << file << '\n';
                ++failures;
            } else {
                ++written;
            }
        }
    };
    const auto scan = [&](const QByteArray &text) {
        const int before = station.verdictSerialNumber();
        ScanEvent e;
        e.raw = text;
        e.sourceId = QStringLiteral("screenshots");
        e.timestampMs = QDateTime::currentMSecsSinceEpoch();
        station.submit({e});
        if (!waitFor([&] { return station.verdictSerialNumber() > before; })) {
            out << "FAIL no verdict for " << text << '\n';
            ++failures;
        }
    };
    const auto call = [&](const char *objectName, const char *method, const QVariant &arg = QVariant()) {
        QQuickItem *item = findItem(window->contentItem(), QString::fromLatin1(objectName));
        if (!item) {
            out << "FAIL no " << objectName << " on screen\n";
            ++failures;
            return;
        }
        const bool ok = arg.isValid() ? QMetaObject::invokeMethod(item, method, Q_ARG(QVariant, arg))
                                      : QMetaObject::invokeMethod(item, method);
        if (!ok) {
            out << "FAIL " << objectName << '.' << method << "() cannot be called\n";
            ++failures;
        }
    };

    for (const QString &language : StationController::languages()) {
        station.setLanguage(language);
        engine.retranslate();
        if (station.isSignedIn()) {
            station.signOut();
            waitFor([&station] { return !station.isSignedIn(); });
        }
        save(language, QStringLiteral("01-sign-in"));
        scan("BADGE-1001");
        waitFor([&station] { return station.isSignedIn(); });
        scan("2026-1103-0001");
        save(language, QStringLiteral("02-receive-box-opened"));
        scan("JN11F3A2BAFA");
        save(language, QStringLiteral("03-receive-success"));
        call("receivePage", "showCondition");
        save(language, QStringLiteral("04-condition-unit"));
        call("conditionPage", "choose", QStringLiteral("damaged"));
        save(language, QStringLiteral("05-condition-note"));
        call("conditionPage", "close");
        scan("00:1B:17:AA:BB:CC");
        save(language, QStringLiteral("06-receive-attention"));
        scan(QByteArray("AB\x01"
                        "CD",
                        5));
        save(language, QStringLiteral("07-receive-error"));
        call("receivePage", "showHelp");
        save(language, QStringLiteral("08-help"));
        call("helpPage", "close");
        scan(":UNDO");
        // A code holding markup shows its characters, never a heading or a fetched picture. After the undo,
        // so the next language's pass receives the same unit again.
        scan("<h1>X</h1>");
        save(language, QStringLiteral("09-receive-markup"));
        station.signOut();
        waitFor([&station] { return !station.isSignedIn(); });
    }

    // The supervisor's Reports page with today's counts (the units received above), in every language: badge,
    // PIN, the Reports tab, the Today period.
    for (const QString &language : StationController::languages()) {
        station.setLanguage(language);
        engine.retranslate();
        scan("BADGE-2001");
        waitFor([&station] { return station.isSignedIn(); });
        station.confirmSupervisorPin(QStringLiteral("9876"));
        if (!waitFor([&station] { return station.isSupervisor(); })) {
            out << "FAIL supervisor BADGE-2001 is not signed in with PIN 9876\n";
            ++failures;
            continue;
        }
        call("supervisorPages", "show", QStringLiteral("reports"));
        call("reportsPage", "choose", QStringLiteral("today"));
        if (!waitFor([&] {
                QQuickItem *total = findItem(window->contentItem(), QStringLiteral("reportTotal"));
                return total && total->isVisible();
            })) {
            out << "FAIL the Reports page shows no counts\n";
            ++failures;
        }
        save(language, QStringLiteral("10-supervisor-reports"));
        station.signOut();
        waitFor([&station] { return !station.isSignedIn(); });
    }

    // The other pages, each on its own at every size.
    for (const QString &language : StationController::languages()) {
        station.setLanguage(language);
        engine.retranslate();
        for (const QString &url : pageUrls()) {
            const QString name = pageName(url);
            for (const QSize size : panelSizes()) {
                QString error;
                PageWindow pw = loadPage(engine, theme, url, size, &error);
                if (!pw.window) {
                    out << "FAIL " << name << " does not load: " << error << '\n';
                    ++failures;
                    continue;
                }
                const QImage image = settle(pw.window.get());
                const QString file = QDir(dir).filePath(QStringLiteral("page-%1-%2-%3x%4.png")
                                                            .arg(name, language)
                                                            .arg(size.width())
                                                            .arg(size.height()));
                if (image.isNull() || !image.save(file)) {
                    out << "FAIL cannot write " << file << '\n';
                    ++failures;
                } else {
                    ++written;
                }
            }
        }
    }
    station.setLanguage(QStringLiteral("en"));
    engine.retranslate();
    out << "screenshots: " << written << " PNG files in " << dir << ", " << failures << " failures\n";
    return failures;
}

} // namespace KioskChecks
