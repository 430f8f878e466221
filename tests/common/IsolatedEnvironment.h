// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QProcessEnvironment>
#include <QString>

// The environment the executables under test run in: nothing from the developer's machine (no RECEIVING_*
// variables, no systemd credentials, an empty configuration file instead of /etc's) and a private home inside
// the test's folder `dir`. Returns an empty environment when the configuration file cannot be written.
inline QProcessEnvironment isolatedEnvironment(const QString &dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &k : keys) {
        if (k.startsWith(QLatin1String("RECEIVING_")) || k == QLatin1String("CREDENTIALS_DIRECTORY"))
            env.remove(k);
    }
    const QString config = dir + QStringLiteral("/empty.conf");
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QProcessEnvironment();
    env.insert(QStringLiteral("RECEIVING_CONFIG"), config);
    env.insert(QStringLiteral("HOME"), dir);
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir + QStringLiteral("/xdg-data"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir + QStringLiteral("/xdg-config"));
    return env;
}
