// SPDX-License-Identifier: GPL-3.0-or-later
#include "VerdictSound.h"

#include <QDir>
#include <QFile>
#include <QSoundEffect>
#include <QStandardPaths>
#include <QUrl>
#include <QtEndian>

#include <array>
#include <cmath>

namespace {
struct Tone
{
    double hz;
    int ms;
};

QByteArray wav(const QList<Tone> &tones)
{
    constexpr int rate = 22050;
    QByteArray pcm;
    for (const Tone &t : tones) {
        const int n = rate * t.ms / 1000;
        for (int i = 0; i < n; ++i) {
            const double env = std::min({1.0, i / 200.0, (n - i) / 200.0}); // no clicks
            const double s = t.hz > 0 ? std::sin(2 * M_PI * t.hz * i / rate) * 0.8 * env : 0.0;
            const qint16 v = qint16(s * 32767);
            pcm.append(reinterpret_cast<const char *>(&v), 2);
        }
    }
    QByteArray out;
    const auto u32 = [&out](quint32 v) {
        v = qToLittleEndian(v);
        out.append(reinterpret_cast<const char *>(&v), 4);
    };
    const auto u16 = [&out](quint16 v) {
        v = qToLittleEndian(v);
        out.append(reinterpret_cast<const char *>(&v), 2);
    };
    out += "RIFF";
    u32(quint32(36 + pcm.size()));
    out += "WAVEfmt ";
    u32(16);
    u16(1);
    u16(1);
    u32(rate);
    u32(rate * 2);
    u16(2);
    u16(16);
    out += "data";
    u32(quint32(pcm.size()));
    return out + pcm;
}

class MultimediaVerdictSound : public VerdictSound
{
public:
    MultimediaVerdictSound()
    {
        const QString dir =
            QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/sounds");
        QDir().mkpath(dir);
        const std::array<QList<Tone>, 3> tones{QList<Tone>{{880, 90}, {1320, 140}},
                                               QList<Tone>{{660, 150}, {0, 80}, {660, 150}},
                                               QList<Tone>{{220, 600}}};
        for (size_t i = 0; i < tones.size(); ++i) {
            const QString path = dir + QStringLiteral("/verdict-%1.wav").arg(i);
            QFile f(path);
            if (f.open(QIODevice::WriteOnly))
                f.write(wav(tones[i]));
            m_effects[i].setSource(QUrl::fromLocalFile(path));
            m_effects[i].setVolume(1.0);
        }
    }
    void play(Severity s) override
    {
        for (auto &e : m_effects)
            e.stop();
        m_effects[size_t(s)].play();
    }
    void setVolume(double v) override
    {
        for (auto &e : m_effects)
            e.setVolume(std::clamp(v, 0.0, 1.0));
    }

private:
    std::array<QSoundEffect, 3> m_effects;
};
} // namespace

std::unique_ptr<VerdictSound> makeMultimediaVerdictSound()
{
    return std::make_unique<MultimediaVerdictSound>();
}
