// SPDX-License-Identifier: GPL-3.0-or-later
#include "LabelReadPicker.h"

#include <functional>

namespace {
bool isSerial(const Classification &c)
{
    return (c.kind == ScanKind::Serial || c.kind == ScanKind::Gs1) && !c.boxLabel && c.problem.isEmpty() &&
           !c.value.isEmpty();
}
} // namespace

LabelReadPicker::Pick LabelReadPicker::pick(const QList<Classification> &codes)
{
    Pick p;
    if (codes.isEmpty())
        return p;
    if (codes.size() == 1) {
        p.index = 0;
        return p;
    }
    const auto first = [&codes](const std::function<bool(const Classification &)> &test) -> qsizetype {
        for (qsizetype i = 0; i < codes.size(); ++i) {
            if (test(codes[i]))
                return i;
        }
        return -1;
    };
    const qsizetype sku = first([](const Classification &c) { return c.kind == ScanKind::Sku; });
    if (sku >= 0)
        p.skuHint = codes[sku].value;

    const QList<std::function<bool(const Classification &)>> order{
        [](const Classification &c) { return c.kind == ScanKind::Command; },
        [](const Classification &c) { return c.kind == ScanKind::Badge; },
        [](const Classification &c) { return isSerial(c) && c.known; },
        [](const Classification &c) { return c.boxLabel && c.known; },
        [&](const Classification &c) { return isSerial(c) && sku >= 0; },
        [](const Classification &c) { return isSerial(c); },
        [](const Classification &c) { return c.boxLabel; },
        [](const Classification &c) { return c.kind == ScanKind::Sku; },
        [](const Classification &c) { return c.kind != ScanKind::Invalid; },
    };
    for (const auto &test : order) {
        p.index = first(test);
        if (p.index >= 0)
            break;
    }
    if (p.index < 0)
        p.index = 0;
    if (!isSerial(codes[p.index]))
        p.skuHint.clear();
    return p;
}
