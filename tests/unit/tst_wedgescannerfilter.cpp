// SPDX-License-Identifier: GPL-3.0-or-later
#include "WedgeScannerFilter.h"

#include <QKeyEvent>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QWindow>

#include <thread>

namespace {

// A window standing in for the kiosk's: records every key event that reaches it, in order, and can pretend
// that some other object (a text field) has focus.
class RecordingWindow : public QWindow
{
public:
    QStringList log;
    int overrides = 0; // ShortcutOverride events that got through
    QObject *focus = nullptr;

    QObject *focusObject() const override { return focus ? focus : QWindow::focusObject(); }

protected:
    bool event(QEvent *e) override
    {
        if (e->type() == QEvent::KeyPress || e->type() == QEvent::KeyRelease) {
            const auto *k = static_cast<QKeyEvent *>(e);
            log << entry(e->type(), k->key(), k->text());
        } else if (e->type() == QEvent::ShortcutOverride) {
            ++overrides;
        }
        return QWindow::event(e);
    }

public:
    static QString entry(QEvent::Type type, int key, const QString &text)
    {
        return QStringLiteral("%1 %2 %3")
            .arg(type == QEvent::KeyPress ? QLatin1Char('P') : QLatin1Char('R'))
            .arg(key)
            .arg(text);
    }
};

// The supervisor's search field: takes scans as input.
class RecordingField : public QObject
{
public:
    QStringList committed;
    QString keys; // text of the key presses that reached it

protected:
    bool event(QEvent *e) override
    {
        if (e->type() == QEvent::InputMethod)
            committed << static_cast<QInputMethodEvent *>(e)->commitString();
        else if (e->type() == QEvent::KeyPress)
            keys += static_cast<QKeyEvent *>(e)->text();
        return QObject::event(e);
    }
};

struct KeyOf
{
    int key;
    QString text;
};

KeyOf keyOf(QChar c)
{
    if (c == u'\n')
        return {Qt::Key_Return, QStringLiteral("\r")};
    if (c == u'\t')
        return {Qt::Key_Tab, QStringLiteral("\t")};
    return {c.toUpper().unicode(), QString(c)};
}

// Types into a window with window-system timestamps we choose, so timing never depends on the machine.
class Typist
{
public:
    explicit Typist(QObject *target) : m_target(target) {}
    quint64 now = 100000;

    bool send(QEvent::Type type, int key, const QString &text, Qt::KeyboardModifiers mods = Qt::NoModifier,
              bool autoRepeat = false)
    {
        QKeyEvent e(type, key, mods, text, autoRepeat);
        e.setTimestamp(type == QEvent::KeyPress ? now : now + 2);
        return QCoreApplication::sendEvent(m_target, &e);
    }
    bool press(int key, const QString &text, int gapMs, Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        now += quint64(gapMs);
        return send(QEvent::KeyPress, key, text, mods);
    }
    void type(const QString &s, int gapMs)
    {
        for (const QChar c : s) {
            const KeyOf k = keyOf(c);
            press(k.key, k.text, gapMs);
            send(QEvent::KeyRelease, k.key, k.text);
        }
    }
    void pause(int ms) { now += quint64(ms); }

private:
    QObject *m_target;
};

// What the window should see when `s` was typing after all.
QStringList typed(const QString &s)
{
    QStringList out;
    for (const QChar c : s) {
        const KeyOf k = keyOf(c);
        out << RecordingWindow::entry(QEvent::KeyPress, k.key, k.text)
            << RecordingWindow::entry(QEvent::KeyRelease, k.key, k.text);
    }
    return out;
}

constexpr int ScannerGap = 8; // what xdotool --delay 8 and a real scanner produce
constexpr int HumanGap = 150;

QByteArray rawOf(const QSignalSpy &spy, int i)
{
    const auto read = spy.at(i).at(0).value<QList<ScanEvent>>();
    return read.size() == 1 ? read.first().raw : QByteArray("<not one barcode>");
}

} // namespace

// Scanner bursts become reads and stay out of the focused field; people's typing reaches it untouched.
class TestWedgeScannerFilter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void healthWhenInstalled();
    void scannerBurstIsOneRead();
    void humanTypingPassesThroughInOrder();
    void lastHumanKeyIsGivenBackAfterAPause();
    void prefixAndSuffixAreRequiredAndStripped();
    void tabTerminates();
    void tabIsTypingWhenNotATerminator();
    void tooShortBurstIsTyping();
    void burstThenHuman();
    void humanThenBurst();
    void modifierKeysPassAndDoNotBreakABurst();
    void separatorTypedWithControlStaysInTheScan();
    void shortcutsPass();
    void autoRepeatIsTyping();
    void shortcutOverrideIsClaimedInsideABurst();
    void fieldThatAcceptsScansGetsTheText();
    void withoutTerminatorABurstEndsAtThePause();
    void burstSurvivesABlockedGuiThreadWhenTheTimerFiresFirst();
    void burstSurvivesABlockedGuiThreadWithKeysQueuedBehind();
    void stopGivesBackHeldKeys();
    void onlyWindowsAreWatched();
    void settingsFromConfig();

private:
    std::unique_ptr<RecordingWindow> m_window;
    std::unique_ptr<WedgeScannerFilter> m_filter;
    std::unique_ptr<QSignalSpy> m_reads;
    void install(WedgeScannerFilter::Settings settings = {});
};

void TestWedgeScannerFilter::init()
{
    m_window = std::make_unique<RecordingWindow>();
    install();
}

void TestWedgeScannerFilter::cleanup()
{
    m_reads.reset();
    m_filter.reset();
    m_window.reset();
}

void TestWedgeScannerFilter::install(WedgeScannerFilter::Settings settings)
{
    m_reads.reset();
    m_filter = std::make_unique<WedgeScannerFilter>(QStringLiteral("wedge"), std::move(settings), qApp);
    m_reads = std::make_unique<QSignalSpy>(m_filter.get(), &ScanSource::scanned);
    m_filter->start();
}

void TestWedgeScannerFilter::healthWhenInstalled()
{
    QCOMPARE(m_filter->health().state, SourceHealth::State::Connected);
    m_filter->stop();
    QCOMPARE(m_filter->health().state, SourceHealth::State::Stopped);
}

void TestWedgeScannerFilter::scannerBurstIsOneRead()
{
    Typist(m_window.get()).type(QStringLiteral("JN11F3A2BAFA\n"), ScannerGap);
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("JN11F3A2BAFA"));
    const auto read = m_reads->at(0).at(0).value<QList<ScanEvent>>();
    QCOMPARE(read.first().sourceId, QStringLiteral("wedge"));
    QVERIFY(read.first().timestampMs > 0);
    QVERIFY(!read.first().truncated);
    QCOMPARE(m_window->log, QStringList());
    QCOMPARE(m_filter->health().reads, 1);
}

void TestWedgeScannerFilter::humanTypingPassesThroughInOrder()
{
    Typist(m_window.get()).type(QStringLiteral("hello\n"), HumanGap);
    QCOMPARE(m_window->log, typed(QStringLiteral("hello\n")));
    QCOMPARE(m_reads->size(), 0);
}

void TestWedgeScannerFilter::lastHumanKeyIsGivenBackAfterAPause()
{
    Typist(m_window.get()).type(QStringLiteral("hi"), HumanGap);
    QCOMPARE(m_window->log, typed(QStringLiteral("h"))); // 'i' waits to see whether a burst follows
    QTRY_COMPARE(m_window->log, typed(QStringLiteral("hi")));
    QCOMPARE(m_reads->size(), 0);
}

void TestWedgeScannerFilter::prefixAndSuffixAreRequiredAndStripped()
{
    WedgeScannerFilter::Settings s;
    s.prefix = QStringLiteral("~");
    s.suffix = QStringLiteral("#");
    install(s);
    Typist typist(m_window.get());
    typist.type(QStringLiteral("~ABC123#\n"), ScannerGap);
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("ABC123"));
    QCOMPARE(m_window->log, QStringList());

    typist.pause(1000);
    typist.type(QStringLiteral("ABC123\n"), ScannerGap); // no prefix: not this scanner, so typing
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(m_window->log, typed(QStringLiteral("ABC123\n")));
}

void TestWedgeScannerFilter::tabTerminates()
{
    Typist(m_window.get()).type(QStringLiteral("ABC123\t"), ScannerGap);
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("ABC123"));
    QCOMPARE(m_window->log, QStringList());
}

void TestWedgeScannerFilter::tabIsTypingWhenNotATerminator()
{
    WedgeScannerFilter::Settings s;
    s.terminators = {Qt::Key_Return, Qt::Key_Enter};
    install(s);
    Typist(m_window.get()).type(QStringLiteral("ABC123\t"), ScannerGap);
    QCOMPARE(m_reads->size(), 0);
    QCOMPARE(m_window->log, typed(QStringLiteral("ABC123\t")));
}

void TestWedgeScannerFilter::tooShortBurstIsTyping()
{
    Typist(m_window.get()).type(QStringLiteral("AB1\n"), ScannerGap);
    QCOMPARE(m_reads->size(), 0);
    QCOMPARE(m_window->log, typed(QStringLiteral("AB1\n")));
}

void TestWedgeScannerFilter::burstThenHuman()
{
    Typist typist(m_window.get());
    typist.type(QStringLiteral("JN11F3A2BAFA\n"), ScannerGap);
    typist.pause(2000);
    typist.type(QStringLiteral("ok"), HumanGap);
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("JN11F3A2BAFA"));
    QTRY_COMPARE(m_window->log, typed(QStringLiteral("ok")));
}

void TestWedgeScannerFilter::humanThenBurst()
{
    Typist typist(m_window.get());
    typist.type(QStringLiteral("x"), HumanGap);
    typist.pause(500);
    typist.type(QStringLiteral("2026-1103-0001\n"), ScannerGap);
    QCOMPARE(m_window->log, typed(QStringLiteral("x")));
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("2026-1103-0001"));
}

void TestWedgeScannerFilter::modifierKeysPassAndDoNotBreakABurst()
{
    // A wedge scanner (and xdotool) presses Shift around each capital letter.
    Typist typist(m_window.get());
    QStringList expected;
    for (const QChar c : QStringLiteral("AB12")) {
        typist.press(Qt::Key_Shift, QString(), 2, Qt::ShiftModifier);
        const KeyOf k = keyOf(c);
        typist.press(k.key, k.text, ScannerGap, Qt::ShiftModifier);
        typist.send(QEvent::KeyRelease, k.key, k.text, Qt::ShiftModifier);
        typist.send(QEvent::KeyRelease, Qt::Key_Shift, QString());
        expected << RecordingWindow::entry(QEvent::KeyPress, Qt::Key_Shift, QString())
                 << RecordingWindow::entry(QEvent::KeyRelease, Qt::Key_Shift, QString());
    }
    typist.type(QStringLiteral("\n"), ScannerGap);
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("AB12"));
    QCOMPARE(m_window->log, expected);
}

void TestWedgeScannerFilter::separatorTypedWithControlStaysInTheScan()
{
    // GS1 data with a group separator, typed as Ctrl+] the way many wedge scanners do. The raw text keeps it;
    // the classifier deals with substitutes.
    Typist typist(m_window.get());
    typist.type(QStringLiteral("0109501101530003"), ScannerGap);
    typist.press(Qt::Key_BracketRight, QStringLiteral("\x1d"), ScannerGap, Qt::ControlModifier);
    typist.send(QEvent::KeyRelease, Qt::Key_BracketRight, QStringLiteral("\x1d"), Qt::ControlModifier);
    typist.type(QStringLiteral("21ABC\n"), ScannerGap);
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("0109501101530003\x1d"
                                            "21ABC"));
    QCOMPARE(m_window->log, QStringList());
}

void TestWedgeScannerFilter::shortcutsPass()
{
    Typist typist(m_window.get());
    typist.press(Qt::Key_C, QStringLiteral("\x03"), HumanGap, Qt::ControlModifier);
    QCOMPARE(m_window->log.size(), 1);
    // Ctrl+] outside a burst is a shortcut too, not the start of a scan.
    typist.press(Qt::Key_BracketRight, QStringLiteral("\x1d"), HumanGap, Qt::ControlModifier);
    QCOMPARE(m_window->log.size(), 2);
    typist.press(Qt::Key_F5, QString(), HumanGap);
    QCOMPARE(m_window->log.size(), 3);
    typist.press(Qt::Key_Escape, QStringLiteral("\x1b"), HumanGap);
    QCOMPARE(m_window->log.size(), 4);

    // A shortcut right after typed keys gives them back first, so they land before it.
    m_window->log.clear();
    typist.type(QStringLiteral("ab"), ScannerGap);
    typist.press(Qt::Key_S, QStringLiteral("\x13"), ScannerGap, Qt::ControlModifier);
    QCOMPARE(m_window->log, typed(QStringLiteral("ab")) << RecordingWindow::entry(QEvent::KeyPress, Qt::Key_S,
                                                                                  QStringLiteral("\x13")));
    QCOMPARE(m_reads->size(), 0);
}

void TestWedgeScannerFilter::autoRepeatIsTyping()
{
    Typist typist(m_window.get());
    typist.type(QStringLiteral("a"), HumanGap);
    typist.now += 30;
    typist.send(QEvent::KeyPress, Qt::Key_A, QStringLiteral("a"), Qt::NoModifier, true);
    QCOMPARE(m_window->log.size(), 3); // the held 'a' press and release, then the repeat
    QCOMPARE(m_reads->size(), 0);
}

void TestWedgeScannerFilter::shortcutOverrideIsClaimedInsideABurst()
{
    Typist typist(m_window.get());
    const auto claimed = [&](int key, const QString &text) {
        typist.now += ScannerGap;
        QKeyEvent e(QEvent::ShortcutOverride, key, Qt::NoModifier, text);
        e.setTimestamp(typist.now);
        e.ignore();
        const int before = m_window->overrides;
        QCoreApplication::sendEvent(m_window.get(), &e);
        typist.now -= ScannerGap; // the press that follows carries the same time
        return m_window->overrides == before && e.isAccepted();
    };
    QVERIFY(!claimed(Qt::Key_Return, QStringLiteral("\r"))); // nothing held: Return shortcuts work
    typist.type(QStringLiteral("ABC"), ScannerGap);
    QVERIFY(claimed(Qt::Key_D, QStringLiteral("D")));
    typist.type(QStringLiteral("D"), ScannerGap);
    QVERIFY(claimed(Qt::Key_Return, QStringLiteral("\r"))); // a Return shortcut must not eat the scan's end
    typist.type(QStringLiteral("\n"), ScannerGap);
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("ABCD"));
}

void TestWedgeScannerFilter::fieldThatAcceptsScansGetsTheText()
{
    WedgeScannerFilter::Settings s;
    s.prefix = QStringLiteral("~");
    install(s);
    RecordingField field;
    field.setProperty(WedgeScannerFilter::acceptsScansProperty().constData(), true);
    m_window->focus = &field;

    Typist typist(m_window.get());
    typist.type(QStringLiteral("~JN11F3A2BAFA\n"), ScannerGap);
    QCOMPARE(m_reads->size(), 0);
    QCOMPARE(field.committed, QStringList{QStringLiteral("JN11F3A2BAFA")});
    QCOMPARE(m_window->log, typed(QStringLiteral("\n"))); // Enter goes on, so the search runs

    // The same field still gets a person's typing key by key.
    m_window->log.clear();
    typist.pause(1000);
    typist.type(QStringLiteral("ab\n"), HumanGap);
    QCOMPARE(m_window->log, typed(QStringLiteral("ab\n")));
    QCOMPARE(field.committed.size(), 1);
}

void TestWedgeScannerFilter::withoutTerminatorABurstEndsAtThePause()
{
    WedgeScannerFilter::Settings s;
    s.terminators.clear();
    install(s);
    Typist(m_window.get()).type(QStringLiteral("ABCD1234"), ScannerGap);
    QCOMPARE(m_reads->size(), 0);
    QTRY_COMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("ABCD1234"));
    QCOMPARE(m_window->log, QStringList());
}

// The GUI thread is blocked 200 ms mid-burst (a slow frame, a long layout); the scanner keeps typing and its
// keys wait in the queue with the stamps of when they were typed. The overdue hold timer may run before those
// keys: it must let them in rather than give the first half back as typing.
void TestWedgeScannerFilter::burstSurvivesABlockedGuiThreadWhenTheTimerFiresFirst()
{
    Typist typist(m_window.get());
    typist.type(QStringLiteral("BK0278"), ScannerGap);
    QThread::msleep(200);                                // blocked: the hold timer is long overdue
    QCoreApplication::processEvents();                   // the timer runs first, with nothing else queued
    QCoreApplication::processEvents();                   // and anything it scheduled at once
    typist.type(QStringLiteral("DDE6C4\n"), ScannerGap); // the keys queued behind it, stamped as typed
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("BK0278DDE6C4"));
    QCOMPARE(m_window->log, QStringList());
}

void TestWedgeScannerFilter::burstSurvivesABlockedGuiThreadWithKeysQueuedBehind()
{
    // Keys arrive the way the window system delivers them: posted from another thread, at the scanner's
    // pace, stamped by the scanner's clock, while the GUI thread sleeps.
    const QString text = QStringLiteral("BK0278DDE6C4\n");
    Typist first(m_window.get());
    first.type(text.left(4), ScannerGap);
    const quint64 start = first.now;
    std::thread scanner([&] {
        quint64 stamp = start;
        for (const QChar c : text.mid(4)) {
            stamp += ScannerGap;
            const KeyOf k = keyOf(c);
            auto *press = new QKeyEvent(QEvent::KeyPress, k.key, Qt::NoModifier, k.text);
            press->setTimestamp(stamp);
            QCoreApplication::postEvent(m_window.get(), press);
            auto *release = new QKeyEvent(QEvent::KeyRelease, k.key, Qt::NoModifier, k.text);
            release->setTimestamp(stamp + 2);
            QCoreApplication::postEvent(m_window.get(), release);
            std::this_thread::sleep_for(std::chrono::milliseconds(ScannerGap));
        }
    });
    QThread::msleep(200); // the GUI thread is busy while the scanner types the rest
    scanner.join();
    QTRY_COMPARE(m_reads->size(), 1);
    QCOMPARE(rawOf(*m_reads, 0), QByteArray("BK0278DDE6C4"));
    QTest::qWait(2 * 100); // nothing given back afterwards either
    QCOMPARE(m_reads->size(), 1);
    QCOMPARE(m_window->log, QStringList());
}

void TestWedgeScannerFilter::stopGivesBackHeldKeys()
{
    Typist typist(m_window.get());
    typist.type(QStringLiteral("AB"), ScannerGap);
    QCOMPARE(m_window->log, QStringList());
    m_filter->stop();
    QCOMPARE(m_window->log, typed(QStringLiteral("AB")));
    m_window->log.clear();
    typist.type(QStringLiteral("ABCD\n"), ScannerGap); // no longer watched
    QCOMPARE(m_window->log, typed(QStringLiteral("ABCD\n")));
    QCOMPARE(m_reads->size(), 0);
}

void TestWedgeScannerFilter::onlyWindowsAreWatched()
{
    // Items get keys forwarded from their window (already judged there), and the on-screen keyboard sends
    // its keys straight to the focus item: neither is a scanner.
    RecordingField item;
    Typist(&item).type(QStringLiteral("ABCD1234\n"), ScannerGap);
    QCOMPARE(item.keys, QStringLiteral("ABCD1234\r"));
    QCOMPARE(m_reads->size(), 0);
}

void TestWedgeScannerFilter::settingsFromConfig()
{
    SourceConfig c;
    c.id = QStringLiteral("dock");
    c.type = QStringLiteral("wedge");
    QString error;
    auto s = WedgeScannerFilter::Settings::fromConfig(c, &error);
    QVERIFY(s);
    QCOMPARE(s->maxInterKeyMs, 35);
    QCOMPARE(s->minLength, 4);
    QCOMPARE(s->terminators, (QList<int>{Qt::Key_Return, Qt::Key_Enter, Qt::Key_Tab}));

    c.values = {{QStringLiteral("max_inter_key_ms"), QStringLiteral("20")},
                {QStringLiteral("min_length"), QStringLiteral("6")},
                {QStringLiteral("prefix"), QStringLiteral("]C0")},
                {QStringLiteral("suffix"), QStringLiteral("#")},
                {QStringLiteral("terminators"), QStringLiteral("Enter")}};
    s = WedgeScannerFilter::Settings::fromConfig(c, &error);
    QVERIFY(s);
    QCOMPARE(s->maxInterKeyMs, 20);
    QCOMPARE(s->minLength, 6);
    QCOMPARE(s->prefix, QStringLiteral("]C0"));
    QCOMPARE(s->suffix, QStringLiteral("#"));
    QCOMPARE(s->terminators, (QList<int>{Qt::Key_Return, Qt::Key_Enter}));

    c.values = {{QStringLiteral("terminators"), QStringLiteral("none")}};
    s = WedgeScannerFilter::Settings::fromConfig(c, &error);
    QVERIFY(s && s->terminators.isEmpty());

    for (const auto &[key, value] : {std::pair{"max_inter_key_ms", "fast"}, std::pair{"min_length", "0"},
                                     std::pair{"terminators", "space"}, std::pair{"hold_ms", "10"}}) {
        c.values = {{QLatin1String(key), QLatin1String(value)}};
        error.clear();
        QVERIFY2(!WedgeScannerFilter::Settings::fromConfig(c, &error), key);
        QVERIFY2(error.startsWith(QStringLiteral("Scanner dock: ")), qPrintable(error));
    }
}

QTEST_MAIN(TestWedgeScannerFilter)
#include "tst_wedgescannerfilter.moc"
