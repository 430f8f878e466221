// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanSource.h"

#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

class QKeyEvent;

// Catches a keyboard-wedge scanner at application level, whatever has focus: key presses that arrive faster
// than a person types are held back, and a burst ended by a terminator becomes one read instead of text in
// a field. Anything that turns out to be a person typing is given back, in order, to the window it was for.
//
// It watches key events at their first hop, the QWindow (Qt Quick and widgets both route keys from there to
// the focus item), so it never sees the same key twice and can replay held keys through the normal route.
// Timing comes from QKeyEvent::timestamp() (the window system's, in ms), not from when Qt got round to it.
//
// A focus object whose property "acceptsScans" is true (the supervisor's search field; a QML property or a
// dynamic property both work) receives a completed scan as input instead: its text (prefix and suffix
// removed) as one QInputMethodEvent commit, then the terminator key, so Enter still submits. No read is
// emitted for it: the station did not receive anything.
class WedgeScannerFilter : public ScanSource
{
    Q_OBJECT
public:
    struct Settings
    {
        // The bounds fromConfig() accepts, in one place: StationSettings (src/core) lists these keys with the
        // ranges it takes from here. Below 5 ms the window system's millisecond timestamps cut scans in two;
        // above 200 ms a person's typing is held back as a would-be scan; a minimum length over 64 characters
        // would turn most labels' scans into typing.
        struct Range
        {
            int minimum;
            int maximum;
        };
        static constexpr Range MaxInterKeyMsRange{5, 200};
        static constexpr Range MinLengthRange{1, 64};
        static constexpr Range HoldMsRange{1, 5000}; // and longer than maxInterKeyMs

        int maxInterKeyMs = 35; // a scanner types a key every few ms; people need 80 ms or more
        int minLength = 4;      // shorter bursts are treated as typing
        QString prefix;         // required at the start of a scan when set, and removed
        QString suffix;         // required at the end of a scan when set, and removed
        // Keys that end a scan. Empty: a burst ends when the keys stop (then a prefix is advisable).
        QList<int> terminators{Qt::Key_Return, Qt::Key_Enter, Qt::Key_Tab};
        // How long a held key waits for the next before it is given back as typing. Longer than maxInterKeyMs
        // so a GUI thread busy for a moment does not cut a scan in two.
        int holdMs = 100;

        // Keys: max_inter_key_ms, min_length, prefix, suffix, terminators ("enter,tab", "enter", "tab" or
        // "none"), hold_ms. Returns nullopt with a sentence in `error` when a value is unusable.
        static std::optional<Settings> fromConfig(const SourceConfig &config, QString *error);
    };

    // `filtered` is the object whose events are watched, normally the application; null means the
    // QCoreApplication instance at start().
    WedgeScannerFilter(QString id, Settings settings, QObject *filtered = nullptr, QObject *parent = nullptr);
    ~WedgeScannerFilter() override;

    void start() override;
    void stop() override; // gives back any held keys first

    const Settings &settings() const { return m_settings; }
    static QByteArray acceptsScansProperty() { return QByteArrayLiteral("acceptsScans"); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class KeyKind { Modifier, Character, Terminator, Other };
    struct Held
    {
        QPointer<QObject> target;
        std::unique_ptr<QKeyEvent> event;
    };

    bool onKeyPress(QObject *window, QKeyEvent *e);
    bool onKeyRelease(QObject *window, QKeyEvent *e);
    bool onShortcutOverride(QKeyEvent *e);
    KeyKind kindOf(const QKeyEvent *e) const;
    quint64 timeOf(const QKeyEvent *e) const;
    bool continuesBurst(quint64 t) const;
    void hold(QObject *window, const QKeyEvent *e);
    std::optional<QString> payload() const;
    bool completeScan(QObject *window, const QKeyEvent *terminator); // true: swallow the terminator
    void giveBack();
    void onHoldTimeout();
    void send(QObject *target, QEvent *event);

    Settings m_settings;
    QPointer<QObject> m_filtered;
    bool m_installed = false;

    std::vector<Held> m_held;  // presses and releases held since the burst began, in arrival order
    QString m_text;            // the characters of the held presses
    bool m_truncated = false;  // characters beyond MaxScanChars were dropped
    quint64 m_lastPressMs = 0; // timestamp of the last held press
    QList<int> m_heldDown;     // keys pressed in the held burst and not released yet
    QList<int> m_eatenDown;    // keys whose press became part of a scan: their releases are dropped too
    bool m_replaying = false;  // our own re-sent events pass untouched
    bool m_holdExtended = false;
    QTimer m_holdTimer;
    QElapsedTimer m_sinceHold;     // tells a late hold timer (a busy GUI thread) from a real pause
    QElapsedTimer m_fallbackClock; // for events without a window-system timestamp
};
