// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanEvent.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QObject>

Q_DECLARE_LOGGING_CATEGORY(lcDevices)

// How a scanner is doing, for the status strip: is it there, when did it last read, what went wrong.
struct SourceHealth
{
    enum class State { Stopped, Connecting, Connected, Reconnecting, Restarting, Failed };
    State state = State::Stopped;
    QDateTime lastRead;
    QString lastError; // a sentence for a supervisor, empty when fine
    qint64 reads = 0;
    qint64 errors = 0;

    bool isConnected() const { return state == State::Connected; }
    static QString stateName(State s);
};

// Settings of one source, as read from configuration ("[scanner.NAME]" sections): type plus free keys.
struct SourceConfig
{
    QString id;   // NAME
    QString type; // wedge | evdev | serial | camera | socket
    QHash<QString, QString> values;
    QString value(const QString &key, const QString &fallback = QString()) const
    {
        return values.value(key, fallback);
    }
};

// Every way a barcode reaches the station emits the same thing: the barcodes of one physical read (one line
// from a wedge or serial scanner, all codes of one camera frame), each with text, symbology, source and time.
class ScanSource : public QObject
{
    Q_OBJECT
public:
    explicit ScanSource(QString id, QObject *parent = nullptr);
    ~ScanSource() override;

    QString id() const { return m_id; }
    SourceHealth health() const { return m_health; }

    virtual void start() = 0;
    virtual void stop() = 0;

Q_SIGNALS:
    void scanned(const QList<ScanEvent> &read);
    void healthChanged();

protected:
    void setState(SourceHealth::State state, const QString &error = QString());
    // Stamps source id and time where missing, counts the read, and emits it.
    void deliver(QList<ScanEvent> read);

private:
    QString m_id;
    SourceHealth m_health;
};
Q_DECLARE_METATYPE(ScanEvent)
