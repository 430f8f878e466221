// SPDX-License-Identifier: GPL-3.0-or-later
#include "EvdevScanner.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <linux/input.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

// struct input_event records as a scanner's keyboard interface sends them.
class Records
{
public:
    explicit Records(Keymap keymap = Keymap::us()) : m_keymap(std::move(keymap)) {}
    QByteArray bytes;
    qint64 sec = 0;
    qint64 usec = 0;

    Records &event(quint16 type, quint16 code, qint32 value)
    {
        input_event ev{};
        ev.input_event_sec = decltype(ev.input_event_sec)(sec);
        ev.input_event_usec = decltype(ev.input_event_usec)(usec);
        ev.type = type;
        ev.code = code;
        ev.value = value;
        bytes.append(reinterpret_cast<const char *>(&ev), sizeof ev);
        return *this;
    }
    Records &key(int code, int value)
    {
        return event(EV_KEY, quint16(code), value).event(EV_SYN, SYN_REPORT, 0);
    }
    Records &tap(int code) { return key(code, 1).key(code, 0); }
    Records &shifted(int code) { return key(KEY_LEFTSHIFT, 1).tap(code).key(KEY_LEFTSHIFT, 0); }
    // Types `s` through the keymap, pressing Shift where the layout needs it; '\n' is Enter.
    Records &text(const QString &s)
    {
        for (const QChar c : s) {
            if (c == u'\n') {
                tap(KEY_ENTER);
                continue;
            }
            bool found = false;
            for (int code = 1; code < 128 && !found; ++code) {
                for (const bool shift : {false, true}) {
                    if (m_keymap.map(code, shift) == c) {
                        shift ? shifted(code) : tap(code);
                        found = true;
                        break;
                    }
                }
            }
            Q_ASSERT_X(found, "Records::text", "character not in the keymap");
        }
        return *this;
    }

private:
    Keymap m_keymap;
};

struct Pipe
{
    int read = -1;
    int write = -1;
    Pipe()
    {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) == 0) {
            read = fds[0];
            write = fds[1];
        }
    }
    ~Pipe()
    {
        closeWrite();
        // The read end belongs to the scanner.
    }
    void closeWrite()
    {
        if (write >= 0)
            ::close(write);
        write = -1;
    }
    bool send(const QByteArray &data) const
    {
        return ::write(write, data.constData(), size_t(data.size())) == data.size();
    }
};

QList<QByteArray> raws(const QSignalSpy &spy)
{
    QList<QByteArray> out;
    for (const QList<QVariant> &args : spy) {
        for (const ScanEvent &e : args.at(0).value<QList<ScanEvent>>())
            out << e.raw;
    }
    return out;
}

} // namespace

// Key codes from a grabbed input device become reads, in any layout, however the records are split, and the
// device is reopened when it comes back.
class TestEvdevScanner : public QObject
{
    Q_OBJECT

private slots:
    void readsOneScanFromOneWrite();
    void recordsSplitAcrossWrites();
    void germanKeymap();
    void capsLockAndRightShift();
    void controlBracketIsGroupSeparator();
    void terminators();
    void kernelTimeBecomesTheTimestamp();
    void overlongLineIsTruncated();
    void endOfInputMeansReconnecting();
    void grabbingSomethingThatIsNoInputDeviceFails();
    void reopensTheDeviceWhenItComesBack();
    void settingsFromConfig();
};

void TestEvdevScanner::readsOneScanFromOneWrite()
{
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, EvdevScanner::Settings{});
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    QCOMPARE(scanner.health().state, SourceHealth::State::Connected);

    QVERIFY(pipe.send(Records().text(QStringLiteral("JN11F3A2BAFA\n")).bytes));
    QTRY_COMPARE(reads.size(), 1);
    const auto read = reads.at(0).at(0).value<QList<ScanEvent>>();
    QCOMPARE(read.size(), 1);
    QCOMPARE(read.first().raw, QByteArray("JN11F3A2BAFA"));
    QCOMPARE(read.first().sourceId, QStringLiteral("dock"));
    QVERIFY(!read.first().truncated);
    QCOMPARE(scanner.health().reads, 1);
}

void TestEvdevScanner::recordsSplitAcrossWrites()
{
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, EvdevScanner::Settings{});
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();

    // 7 bytes never lines up with a 24-byte record, so records are cut at every possible offset.
    const QByteArray all = Records().text(QStringLiteral("JN11F3A2BAFA\n2026-1103-0001\n")).bytes;
    for (qsizetype pos = 0; pos < all.size(); pos += 7) {
        QVERIFY(pipe.send(all.mid(pos, 7)));
        QCoreApplication::processEvents(); // let the scanner read this piece before the next arrives
    }
    QTRY_COMPARE(reads.size(), 2);
    QCOMPARE(raws(reads), (QList<QByteArray>{"JN11F3A2BAFA", "2026-1103-0001"}));
}

void TestEvdevScanner::germanKeymap()
{
    EvdevScanner::Settings settings;
    settings.keymap = *Keymap::byName(u"de");
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, settings);
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();

    // A scanner set to German sends the key where a German keyboard has Z: KEY_Y.
    Records r(settings.keymap);
    r.tap(KEY_Y).tap(KEY_Z).shifted(KEY_7).tap(KEY_MINUS).shifted(KEY_Y).tap(KEY_SLASH).tap(KEY_ENTER);
    QVERIFY(pipe.send(r.bytes));
    QTRY_COMPARE(reads.size(), 1);
    QCOMPARE(raws(reads).first(), QStringLiteral("zy/ßZ-").toUtf8());

    // The same text typed by Records through the German table round-trips.
    reads.clear();
    QVERIFY(pipe.send(Records(settings.keymap).text(QStringLiteral("Größe-7/Z\n")).bytes));
    QTRY_COMPARE(reads.size(), 1);
    QCOMPARE(raws(reads).first(), QStringLiteral("Größe-7/Z").toUtf8());
}

void TestEvdevScanner::capsLockAndRightShift()
{
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, EvdevScanner::Settings{});
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    Records r;
    r.tap(KEY_CAPSLOCK).tap(KEY_A).tap(KEY_1).shifted(KEY_B).tap(KEY_CAPSLOCK);
    r.key(KEY_RIGHTSHIFT, 1).tap(KEY_C).key(KEY_RIGHTSHIFT, 0).tap(KEY_D).tap(KEY_ENTER);
    QVERIFY(pipe.send(r.bytes));
    QTRY_COMPARE(reads.size(), 1);
    QCOMPARE(raws(reads).first(), QByteArray("A1bCd"));
}

void TestEvdevScanner::controlBracketIsGroupSeparator()
{
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, EvdevScanner::Settings{});
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    Records r;
    r.text(QStringLiteral("0109501101530003"));
    r.key(KEY_LEFTCTRL, 1).tap(KEY_RIGHTBRACE).key(KEY_LEFTCTRL, 0);
    r.text(QStringLiteral("21ABC\n"));
    QVERIFY(pipe.send(r.bytes));
    QTRY_COMPARE(reads.size(), 1);
    QCOMPARE(raws(reads).first(), QByteArray("0109501101530003\x1d"
                                             "21ABC"));
}

void TestEvdevScanner::terminators()
{
    EvdevScanner::Settings settings;
    settings.tabTerminates = true;
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, settings);
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    Records r;
    r.text(QStringLiteral("AB12")).tap(KEY_TAB);
    r.text(QStringLiteral("CD34")).tap(KEY_KPENTER);
    r.tap(KEY_ENTER); // an empty line is no read
    r.text(QStringLiteral("EF56"))
        .key(KEY_ENTER, 1)
        .key(KEY_ENTER, 2)
        .key(KEY_ENTER, 0);                                 // repeat ends nothing
    r.tap(KEY_F1).tap(KEY_UP).text(QStringLiteral("GH\n")); // keys that print nothing are skipped
    QVERIFY(pipe.send(r.bytes));
    QTRY_COMPARE(reads.size(), 4);
    QCOMPARE(raws(reads), (QList<QByteArray>{"AB12", "CD34", "EF56", "GH"}));
}

void TestEvdevScanner::kernelTimeBecomesTheTimestamp()
{
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, EvdevScanner::Settings{});
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    Records r;
    r.sec = 1700000000;
    r.usec = 250000;
    QVERIFY(pipe.send(r.text(QStringLiteral("ABCD\n")).bytes));
    QTRY_COMPARE(reads.size(), 1);
    QCOMPARE(reads.at(0).at(0).value<QList<ScanEvent>>().first().timestampMs, Q_INT64_C(1700000000250));
}

void TestEvdevScanner::overlongLineIsTruncated()
{
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, EvdevScanner::Settings{});
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    Records r;
    for (int i = 0; i < 4100; ++i)
        r.tap(KEY_1);
    r.tap(KEY_ENTER).text(QStringLiteral("NEXT\n"));
    // More than a pipe holds at once: write without blocking, as fast as the scanner drains it.
    QCOMPARE(::fcntl(pipe.write, F_SETFL, O_NONBLOCK), 0);
    qsizetype pos = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            // Fill the pipe; the scanner empties it while QTRY waits.
            while (pos < r.bytes.size()) {
                const ssize_t n =
                    ::write(pipe.write, r.bytes.constData() + pos, size_t(r.bytes.size() - pos));
                if (n <= 0)
                    break;
                pos += n;
            }
            return pos == r.bytes.size();
        }(),
        20000);
    QTRY_COMPARE(reads.size(), 2);
    const ScanEvent first = reads.at(0).at(0).value<QList<ScanEvent>>().first();
    QCOMPARE(first.raw.size(), 4096);
    QVERIFY(first.truncated);
    QCOMPARE(raws(reads).at(1), QByteArray("NEXT"));
}

void TestEvdevScanner::endOfInputMeansReconnecting()
{
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, EvdevScanner::Settings{});
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    scanner.start();
    // A half-typed scan when the input ends is dropped, not delivered.
    QVERIFY(pipe.send(Records().text(QStringLiteral("ABCD\nEF")).bytes));
    pipe.closeWrite();
    QTRY_COMPARE(scanner.health().state, SourceHealth::State::Reconnecting);
    QCOMPARE(raws(reads), QList<QByteArray>{"ABCD"});
    QVERIFY(!scanner.health().lastError.isEmpty());
    QCOMPARE(scanner.health().errors, 1);
    scanner.stop();
    QCOMPARE(scanner.health().state, SourceHealth::State::Stopped);
}

void TestEvdevScanner::grabbingSomethingThatIsNoInputDeviceFails()
{
    Pipe pipe;
    EvdevScanner scanner(QStringLiteral("dock"), pipe.read, EvdevScanner::Settings{},
                         EvdevScanner::Grab::Yes);
    scanner.start();
    QCOMPARE(scanner.health().state, SourceHealth::State::Failed);
    QVERIFY2(scanner.health().lastError.contains(QStringLiteral("not an input event device")),
             qPrintable(scanner.health().lastError));
}

void TestEvdevScanner::reopensTheDeviceWhenItComesBack()
{
    // A FIFO stands in for the device node: absent (unplugged), then present, then gone quiet again.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("usb-Scanner-event-kbd"));
    EvdevScanner::Settings settings;
    settings.device = path;
    settings.grab = false; // a FIFO cannot be grabbed
    settings.retryMs = 50;
    EvdevScanner scanner(QStringLiteral("dock"), settings);
    QSignalSpy reads(&scanner, &ScanSource::scanned);
    QList<SourceHealth::State> states;
    connect(&scanner, &ScanSource::healthChanged, this, [&] { states << scanner.health().state; });

    scanner.start();
    QCOMPARE(scanner.health().state, SourceHealth::State::Reconnecting);
    QVERIFY2(scanner.health().lastError.contains(QStringLiteral("not plugged in")),
             qPrintable(scanner.health().lastError));

    QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    int writer = ::open(QFile::encodeName(path).constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    QVERIFY(writer >= 0);
    QTRY_COMPARE(scanner.health().state, SourceHealth::State::Connected);
    const QByteArray scan = Records().text(QStringLiteral("JN11F3A2BAFA\n")).bytes;
    QCOMPARE(::write(writer, scan.constData(), size_t(scan.size())), ssize_t(scan.size()));
    QTRY_COMPARE(reads.size(), 1);

    // The writer goes away: the scanner notices, and opens the path again.
    states.clear();
    ::close(writer);
    QTRY_VERIFY(states.contains(SourceHealth::State::Reconnecting));
    QTRY_COMPARE(scanner.health().state, SourceHealth::State::Connected);
    writer = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    QVERIFY(writer >= 0);
    const QByteArray again = Records().text(QStringLiteral("2026-1103-0001\n")).bytes;
    QCOMPARE(::write(writer, again.constData(), size_t(again.size())), ssize_t(again.size()));
    QTRY_COMPARE(reads.size(), 2);
    QCOMPARE(raws(reads).at(1), QByteArray("2026-1103-0001"));
    scanner.stop();
    ::close(writer);
}

void TestEvdevScanner::settingsFromConfig()
{
    SourceConfig c;
    c.id = QStringLiteral("dock");
    c.type = QStringLiteral("evdev");
    QString error;
    QVERIFY(!EvdevScanner::Settings::fromConfig(c, &error));
    QVERIFY2(error.contains(QStringLiteral("device")), qPrintable(error));

    c.values = {{QStringLiteral("device"), QStringLiteral("/dev/input/by-id/usb-Zebra-event-kbd")},
                {QStringLiteral("keymap"), QStringLiteral("de")},
                {QStringLiteral("terminators"), QStringLiteral("enter,tab")},
                {QStringLiteral("grab"), QStringLiteral("false")}};
    auto s = EvdevScanner::Settings::fromConfig(c, &error);
    QVERIFY(s);
    QCOMPARE(s->device, QStringLiteral("/dev/input/by-id/usb-Zebra-event-kbd"));
    QCOMPARE(s->keymap.name(), QStringLiteral("de"));
    QVERIFY(s->tabTerminates);
    QVERIFY(!s->grab);

    c.values.insert(QStringLiteral("keymap"), QStringLiteral("dvorak"));
    QVERIFY(!EvdevScanner::Settings::fromConfig(c, &error));
    QVERIFY2(error.contains(QStringLiteral("de, fr, us")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestEvdevScanner)
#include "tst_evdevscanner.moc"
