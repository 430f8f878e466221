// SPDX-License-Identifier: GPL-3.0-or-later
#include "WedgeScannerFilter.h"

#include <QCoreApplication>
#include <QKeyEvent>
#include <QScopedValueRollback>
#include <QWindow>

namespace {

// A scanner stuck on "send" must not grow the buffer without bound; the matcher refuses truncated reads.
constexpr qsizetype MaxScanChars = 4096;

// Substitutes some wedge scanners type for GS1/ISO 15434 separators (often as Ctrl+]): kept in the text.
bool isSeparator(QChar c)
{
    const char16_t u = c.unicode();
    return u == 0x04 || u == 0x1C || u == 0x1D || u == 0x1E;
}

bool isModifierKey(int key)
{
    switch (key) {
    case Qt::Key_Shift:
    case Qt::Key_Control:
    case Qt::Key_Meta:
    case Qt::Key_Alt:
    case Qt::Key_AltGr:
    case Qt::Key_CapsLock:
    case Qt::Key_NumLock:
    case Qt::Key_ScrollLock:
    case Qt::Key_Super_L:
    case Qt::Key_Super_R:
    case Qt::Key_Hyper_L:
    case Qt::Key_Hyper_R:
    case Qt::Key_Mode_switch:
        return true;
    default:
        return false;
    }
}

constexpr Qt::KeyboardModifiers ShortcutModifiers = Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier;

} // namespace

std::optional<WedgeScannerFilter::Settings>
WedgeScannerFilter::Settings::fromConfig(const SourceConfig &config, QString *error)
{
    const auto fail = [&](const QString &m) -> std::optional<Settings> {
        if (error)
            *error = QStringLiteral("Scanner %1: %2").arg(config.id, m);
        return std::nullopt;
    };
    const auto number = [&](const char *key, int fallback, int min, int max) -> std::optional<int> {
        const QString v = config.value(QLatin1String(key)).trimmed();
        if (v.isEmpty())
            return fallback;
        bool ok = false;
        const int n = v.toInt(&ok);
        if (!ok || n < min || n > max)
            return std::nullopt;
        return n;
    };

    Settings s;
    const auto gap =
        number("max_inter_key_ms", s.maxInterKeyMs, MaxInterKeyMsRange.minimum, MaxInterKeyMsRange.maximum);
    if (!gap)
        return fail(QStringLiteral("max_inter_key_ms must be a number of milliseconds from %1 to %2.")
                        .arg(MaxInterKeyMsRange.minimum)
                        .arg(MaxInterKeyMsRange.maximum));
    s.maxInterKeyMs = *gap;
    const auto min = number("min_length", s.minLength, MinLengthRange.minimum, MinLengthRange.maximum);
    if (!min)
        return fail(QStringLiteral("min_length must be a number of characters from %1 to %2.")
                        .arg(MinLengthRange.minimum)
                        .arg(MinLengthRange.maximum));
    s.minLength = *min;
    const auto hold =
        number("hold_ms", std::max(s.holdMs, 2 * s.maxInterKeyMs), HoldMsRange.minimum, HoldMsRange.maximum);
    if (!hold || *hold <= s.maxInterKeyMs)
        return fail(QStringLiteral("hold_ms must be longer than max_inter_key_ms and at most %1.")
                        .arg(HoldMsRange.maximum));
    s.holdMs = *hold;
    s.prefix = config.value(QStringLiteral("prefix"));
    s.suffix = config.value(QStringLiteral("suffix"));

    const QString terminators = config.value(QStringLiteral("terminators")).trimmed().toLower();
    if (!terminators.isEmpty()) {
        s.terminators.clear();
        const QStringList names = terminators.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &raw : names) {
            const QString name = raw.trimmed();
            if (name == u"enter" || name == u"return")
                s.terminators << Qt::Key_Return << Qt::Key_Enter;
            else if (name == u"tab")
                s.terminators << Qt::Key_Tab;
            else if (name != u"none")
                return fail(
                    QStringLiteral("terminators must list enter, tab or none, not \"%1\".").arg(name));
        }
    }
    return s;
}

WedgeScannerFilter::WedgeScannerFilter(QString id, Settings settings, QObject *filtered, QObject *parent)
    : ScanSource(std::move(id), parent), m_settings(std::move(settings)), m_filtered(filtered)
{
    m_holdTimer.setSingleShot(true);
    // Precise, so a late firing means a busy thread (keys may be queued behind it), not timer coarseness.
    m_holdTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_holdTimer, &QTimer::timeout, this, &WedgeScannerFilter::onHoldTimeout);
    m_fallbackClock.start();
}

WedgeScannerFilter::~WedgeScannerFilter()
{
    // Keys held at this moment belong to someone: hand them over rather than lose them.
    if (m_installed && m_filtered)
        m_filtered->removeEventFilter(this);
    giveBack();
}

void WedgeScannerFilter::start()
{
    if (m_installed)
        return;
    if (!m_filtered)
        m_filtered = QCoreApplication::instance();
    if (!m_filtered) {
        setState(SourceHealth::State::Failed,
                 QStringLiteral("There is no application whose keys could be watched."));
        return;
    }
    m_filtered->installEventFilter(this);
    m_installed = true;
    setState(SourceHealth::State::Connected);
}

void WedgeScannerFilter::stop()
{
    if (m_installed && m_filtered)
        m_filtered->removeEventFilter(this);
    m_installed = false;
    giveBack();
    m_eatenDown.clear();
    setState(SourceHealth::State::Stopped);
}

bool WedgeScannerFilter::eventFilter(QObject *watched, QEvent *event)
{
    // Only the first hop: the window forwards to the focus item, and that second delivery is not news.
    if (m_replaying || !watched || !watched->isWindowType())
        return false;
    switch (event->type()) {
    case QEvent::KeyPress:
        return onKeyPress(watched, static_cast<QKeyEvent *>(event));
    case QEvent::KeyRelease:
        return onKeyRelease(watched, static_cast<QKeyEvent *>(event));
    case QEvent::ShortcutOverride:
        return onShortcutOverride(static_cast<QKeyEvent *>(event));
    default:
        return false;
    }
}

WedgeScannerFilter::KeyKind WedgeScannerFilter::kindOf(const QKeyEvent *e) const
{
    const int key = e->key();
    if (isModifierKey(key))
        return KeyKind::Modifier;
    const bool shortcut = e->modifiers() & ShortcutModifiers;
    if (m_settings.terminators.contains(key))
        return shortcut ? KeyKind::Other : KeyKind::Terminator;
    const QString text = e->text();
    if (text.isEmpty())
        return KeyKind::Other;
    // Ctrl+] is how many scanners type GS; inside a burst it is data, outside it stays a shortcut.
    if (text.size() == 1 && isSeparator(text.front()))
        return shortcut && m_held.empty() ? KeyKind::Other : KeyKind::Character;
    if (shortcut)
        return KeyKind::Other;
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            return KeyKind::Other; // Backspace, Escape, Delete: editing, not data
    }
    return KeyKind::Character;
}

quint64 WedgeScannerFilter::timeOf(const QKeyEvent *e) const
{
    return e->timestamp() ? e->timestamp() : quint64(m_fallbackClock.elapsed());
}

bool WedgeScannerFilter::continuesBurst(quint64 t) const
{
    // A timestamp behind the previous one (32-bit X time wrapping) cannot be judged: keep the burst.
    return t < m_lastPressMs || t - m_lastPressMs <= quint64(m_settings.maxInterKeyMs);
}

bool WedgeScannerFilter::onKeyPress(QObject *window, QKeyEvent *e)
{
    if (kindOf(e) == KeyKind::Modifier)
        return false; // Shift and friends neither start nor end a burst; alone they do nothing to a field
    const quint64 t = timeOf(e);
    if (e->isAutoRepeat()) {
        giveBack(); // a key held down is a person
        return false;
    }
    if (!m_held.empty() && !continuesBurst(t))
        giveBack(); // the pause shows the held keys were typed

    switch (kindOf(e)) {
    case KeyKind::Character:
        if (m_text.size() >= MaxScanChars) {
            m_truncated = true;
            m_eatenDown.append(e->key());
        } else {
            hold(window, e);
        }
        m_lastPressMs = t;
        m_sinceHold.start();
        m_holdExtended = false;
        m_holdTimer.start(m_settings.holdMs);
        return true;
    case KeyKind::Terminator:
        if (m_held.empty())
            return false; // Enter or Tab pressed by a person
        if (payload())
            return completeScan(window, e);
        giveBack(); // too short, or without the configured prefix/suffix: typing after all
        return false;
    case KeyKind::Modifier:
    case KeyKind::Other:
        break;
    }
    giveBack();
    return false;
}

bool WedgeScannerFilter::onKeyRelease(QObject *window, QKeyEvent *e)
{
    const int key = e->key();
    if (m_heldDown.removeOne(key)) {
        m_held.push_back(Held{window, std::unique_ptr<QKeyEvent>(e->clone())});
        return true; // stays with its press, whichever way the burst goes
    }
    return m_eatenDown.removeOne(key);
}

bool WedgeScannerFilter::onShortcutOverride(QKeyEvent *e)
{
    // Qt offers every key press as a shortcut first. Inside a burst, claim the keys the burst will take, so a
    // single-key shortcut (Return, a letter) cannot fire from a scan; for any other key, give held typing
    // back now, so it lands before whatever the shortcut does.
    if (m_held.empty() || kindOf(e) == KeyKind::Modifier)
        return false;
    if (!continuesBurst(timeOf(e)) || e->isAutoRepeat()) {
        giveBack();
        return false;
    }
    const KeyKind kind = kindOf(e);
    if (kind == KeyKind::Character || (kind == KeyKind::Terminator && payload())) {
        e->accept();
        return true;
    }
    giveBack();
    return false;
}

void WedgeScannerFilter::hold(QObject *window, const QKeyEvent *e)
{
    m_held.push_back(Held{window, std::unique_ptr<QKeyEvent>(e->clone())});
    m_text += e->text();
    m_heldDown.append(e->key());
}

std::optional<QString> WedgeScannerFilter::payload() const
{
    const QString &p = m_settings.prefix;
    const QString &s = m_settings.suffix;
    if (!m_text.startsWith(p))
        return std::nullopt;
    // A truncated read has lost its end, suffix included; the matcher refuses it anyway.
    if (!m_truncated && (m_text.size() < p.size() + s.size() || !m_text.endsWith(s)))
        return std::nullopt;
    const QString text = m_text.mid(p.size(), m_text.size() - p.size() - (m_truncated ? 0 : s.size()));
    if (text.size() < m_settings.minLength)
        return std::nullopt;
    return text;
}

bool WedgeScannerFilter::completeScan(QObject *window, const QKeyEvent *terminator)
{
    const QString text = payload().value_or(QString());
    const bool truncated = m_truncated;
    QObject *focus = nullptr;
    if (auto *w = qobject_cast<QWindow *>(window))
        focus = w->focusObject();

    // The burst is consumed either way: its keys still down will have their releases dropped.
    m_eatenDown += m_heldDown;
    m_heldDown.clear();
    m_held.clear();
    m_text.clear();
    m_truncated = false;
    m_holdTimer.stop();

    if (focus && focus->property(acceptsScansProperty().constData()).toBool()) {
        QInputMethodEvent input;
        input.setCommitString(text);
        send(focus, &input);
        return false; // the terminator continues to the field, so Enter submits the search
    }
    if (terminator)
        m_eatenDown.append(terminator->key());
    ScanEvent read;
    read.raw = text.toUtf8();
    read.truncated = truncated;
    deliver({read});
    return true;
}

void WedgeScannerFilter::giveBack()
{
    m_holdTimer.stop();
    std::vector<Held> held = std::move(m_held);
    m_held.clear();
    m_text.clear();
    m_heldDown.clear(); // their presses are delivered now, so their releases may pass
    m_truncated = false;
    for (const Held &h : held) {
        if (h.target)
            send(h.target, h.event.get());
    }
}

void WedgeScannerFilter::onHoldTimeout()
{
    if (m_held.empty())
        return;
    // Fired late (a frame's sync, a long layout, a starved process kept the GUI thread busy): more keys of
    // this burst may be queued behind the timer. Let them in once before judging.
    constexpr qint64 LateMs = 5;
    if (!m_holdExtended && m_sinceHold.elapsed() > m_settings.holdMs + LateMs) {
        m_holdExtended = true;
        m_holdTimer.start(m_settings.maxInterKeyMs);
        return;
    }
    if (m_settings.terminators.isEmpty() && payload()) {
        completeScan(m_held.back().target, nullptr);
        return;
    }
    giveBack();
}

void WedgeScannerFilter::send(QObject *target, QEvent *event)
{
    const QScopedValueRollback<bool> replaying(m_replaying, true);
    QCoreApplication::sendEvent(target, event);
}
