// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScanSourceRegistry.h"

#include "AutomationSocketSource.h"
#include "EvdevScanner.h"
#include "SerialScanner.h"
#include "WedgeScannerFilter.h"

#include <QMap>
#include <QRegularExpression>

#include <algorithm>

ScanSourceRegistry::ScanSourceRegistry(QObject *parent) : QObject(parent) {}

ScanSourceRegistry::~ScanSourceRegistry()
{
    for (const std::unique_ptr<ScanSource> &s : m_sources) {
        s->disconnect(this);
        s->stop();
    }
}

QList<SourceConfig> ScanSourceRegistry::fromIni(const QHash<QString, QString> &values)
{
    const QRegularExpression key(QStringLiteral("^scanner\\.([A-Za-z0-9_-]+)[./](.+)$"));
    QMap<QString, SourceConfig> byName;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const QRegularExpressionMatch m = key.match(it.key());
        if (!m.hasMatch())
            continue;
        SourceConfig &c = byName[m.captured(1)];
        c.id = m.captured(1);
        const QString name = m.captured(2);
        if (name == u"type")
            c.type = it.value().trimmed().toLower();
        else
            c.values.insert(name, it.value());
    }
    QList<SourceConfig> out;
    for (const SourceConfig &c : std::as_const(byName)) {
        const QString enabled = c.value(QStringLiteral("enabled")).trimmed().toLower();
        if (enabled == u"false" || enabled == u"no" || enabled == u"0")
            continue;
        out.append(c);
    }
    return out;
}

std::unique_ptr<ScanSource> ScanSourceRegistry::create(const SourceConfig &config, QString *error)
{
    const auto fail = [&](const QString &m) -> std::unique_ptr<ScanSource> {
        if (error)
            *error = m;
        return nullptr;
    };
    if (config.id.isEmpty())
        return fail(QStringLiteral("A scanner needs a name."));
    const QString &type = config.type;
    if (type == u"wedge") {
        const auto s = WedgeScannerFilter::Settings::fromConfig(config, error);
        return s ? std::make_unique<WedgeScannerFilter>(config.id, *s) : nullptr;
    }
    if (type == u"evdev") {
        const auto s = EvdevScanner::Settings::fromConfig(config, error);
        return s ? std::make_unique<EvdevScanner>(config.id, *s) : nullptr;
    }
    if (type == u"serial") {
        const auto s = SerialScanner::Settings::fromConfig(config, error);
        return s ? std::make_unique<SerialScanner>(config.id, *s) : nullptr;
    }
    if (type == u"socket") {
        const auto s = AutomationSocketSource::Settings::fromConfig(config, error);
        return s ? std::make_unique<AutomationSocketSource>(config.id, *s) : nullptr;
    }
    if (type == u"camera")
        return fail(QStringLiteral("Scanner %1: camera sources are created by the kiosk.").arg(config.id));
    if (type.isEmpty())
        return fail(
            QStringLiteral("Scanner %1 has no type; set scanner.%1.type to wedge, evdev, serial or socket.")
                .arg(config.id));
    return fail(QStringLiteral("Scanner %1 has the unknown type \"%2\"; use wedge, evdev, serial or socket.")
                    .arg(config.id, type));
}

void ScanSourceRegistry::registerType(const QString &type, Factory factory)
{
    m_factories.insert(type.toLower(), std::move(factory));
}

std::unique_ptr<ScanSource> ScanSourceRegistry::make(const SourceConfig &config, QString *error) const
{
    const auto it = m_factories.constFind(config.type);
    if (it != m_factories.cend())
        return (*it)(config, error);
    return create(config, error);
}

bool ScanSourceRegistry::add(std::unique_ptr<ScanSource> source, QString *error)
{
    if (!source) {
        if (error)
            *error = QStringLiteral("No scanner to add.");
        return false;
    }
    const QString id = source->id();
    if (this->source(id)) {
        if (error)
            *error = QStringLiteral("There is already a scanner named %1.").arg(id);
        return false;
    }
    ScanSource *s = source.get();
    s->setParent(nullptr); // owned by m_sources, never by a QObject parent as well
    m_sources.push_back(std::move(source));
    connect(s, &ScanSource::scanned, this, &ScanSourceRegistry::scanned);
    connect(s, &ScanSource::healthChanged, this, [this, id] { Q_EMIT healthChanged(id); });
    Q_EMIT sourceAdded(id);
    s->start();
    return true;
}

bool ScanSourceRegistry::addFromConfig(const SourceConfig &config, QString *error)
{
    std::unique_ptr<ScanSource> s = make(config, error);
    return s && add(std::move(s), error);
}

bool ScanSourceRegistry::remove(const QString &id)
{
    const auto it = std::find_if(m_sources.begin(), m_sources.end(),
                                 [&](const std::unique_ptr<ScanSource> &s) { return s->id() == id; });
    if (it == m_sources.end())
        return false;
    ScanSource *s = it->release();
    m_sources.erase(it);
    s->disconnect(this);
    s->stop();
    s->deleteLater(); // the caller may be inside one of its signals
    Q_EMIT sourceRemoved(id);
    return true;
}

QList<ScanSource *> ScanSourceRegistry::sources() const
{
    QList<ScanSource *> out;
    out.reserve(qsizetype(m_sources.size()));
    for (const std::unique_ptr<ScanSource> &s : m_sources)
        out.append(s.get());
    return out;
}

ScanSource *ScanSourceRegistry::source(const QString &id) const
{
    for (const std::unique_ptr<ScanSource> &s : m_sources) {
        if (s->id() == id)
            return s.get();
    }
    return nullptr;
}
