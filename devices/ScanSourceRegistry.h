// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScanSource.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

// Owns the station's scan sources while it runs: builds them from configuration, lets them be added and
// removed live, and funnels every read and every health change into one pair of signals, so the kiosk
// listens in one place whatever scanners a dock has.
class ScanSourceRegistry : public QObject
{
    Q_OBJECT
public:
    // Builds a source of one type; returns null with a sentence in `error` when the configuration is
    // unusable.
    using Factory = std::function<std::unique_ptr<ScanSource>(const SourceConfig &config, QString *error)>;

    explicit ScanSourceRegistry(QObject *parent = nullptr);
    ~ScanSourceRegistry() override; // stops every source

    // The [scanner.NAME] sections of the station configuration, flattened as "scanner.NAME.KEY" (how
    // StationConfig stores them; "scanner.NAME/KEY" from raw QSettings works too). Sorted by NAME. A section
    // with enabled=false is left out; one without a type is kept so that creating it reports the mistake.
    static QList<SourceConfig> fromIni(const QHash<QString, QString> &values);

    // The built-in types: wedge, evdev, serial, socket. Camera sources need Qt Multimedia and the decoder,
    // which the kiosk owns: it registers them with registerType().
    static std::unique_ptr<ScanSource> create(const SourceConfig &config, QString *error);

    // Adds or replaces the factory of a type; it takes precedence over a built-in of the same name.
    void registerType(const QString &type, Factory factory);
    // create() extended with the registered types.
    std::unique_ptr<ScanSource> make(const SourceConfig &config, QString *error) const;

    // Takes ownership and starts the source. Refuses (false, with `error`) an id that is already present.
    bool add(std::unique_ptr<ScanSource> source, QString *error = nullptr);
    bool addFromConfig(const SourceConfig &config, QString *error);
    // Stops and deletes the source; safe to call from a slot connected to that very source.
    bool remove(const QString &id);

    QList<ScanSource *> sources() const; // in the order they were added
    ScanSource *source(const QString &id) const;

Q_SIGNALS:
    void scanned(const QList<ScanEvent> &read); // each ScanEvent names its source
    void healthChanged(const QString &id);
    void sourceAdded(const QString &id);
    void sourceRemoved(const QString &id);

private:
    std::vector<std::unique_ptr<ScanSource>> m_sources;
    QHash<QString, Factory> m_factories;
};
