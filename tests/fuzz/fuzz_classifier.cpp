// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target over everything a scanner's bytes go through before the database: the normaliser, the
// classifier (with a deterministic fake of the store), the GS1 parser, carrier tracking numbers and the label
// fields. Any crash, sanitizer report or broken invariant is a bug.
#include "Gs1Parser.h"
#include "LabelFields.h"
#include "ScanClassifier.h"
#include "ScanNormaliser.h"
#include "TrackingNumber.h"

#include <QByteArray>
#include <QHash>

#include <cstdint>
#include <cstdlib>

namespace
{
// Answers derived from the text itself, so every classifier branch is reachable and runs are repeatable.
class HashFacts : public ScanFacts
{
public:
    bool isBadge(const QString &s) override { return bit(s, 0); }
    bool isKnownTracking(const QString &s) override { return bit(s, 1); }
    bool isKnownSerial(const QString &s) override { return bit(s, 2); }
    bool isSkuOfActiveCase(const QString &s) override { return bit(s, 3); }

private:
    static bool bit(const QString &s, int n) { return (qHash(s, 0x5eed) >> (n * 3)) % 5 == 0; }
};

void check(bool ok)
{
    if (!ok)
        abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray raw(reinterpret_cast<const char *>(data), qsizetype(size));
    const ScanNormaliser::Result n = ScanNormaliser::normalise(raw);
    check(n.display.size() <= 80);
    HashFacts facts;
    static const LabelFields fields = LabelFields::fromConfig(
        {{QStringLiteral("serial.pattern.MX960"), QStringLiteral("JN[0-9A-F]{10}")}});
    const Classification c = ScanClassifier::classify(n, facts, fields);
    if (!n.isValid()) {
        check(c.kind == ScanKind::Invalid && !c.problem.isEmpty());
        return 0;
    }
    check(n.text.size() <= 2 * ScanNormaliser::MaxLength);
    check(c.kind != ScanKind::Invalid || !c.problem.isEmpty());
    check(c.value.size() <= 2 * ScanNormaliser::MaxLength);

    const Gs1Result gs1 = Gs1Parser::parse(n.text, QChar(u'|'));
    check(gs1.ok || gs1.elements.isEmpty());
    check(gs1.ok || !gs1.error.isEmpty());
    for (const Gs1Element &e : gs1.elements)
        check(!e.ai.isEmpty() && !e.value.isEmpty());
    (void)Gs1Parser::looksLikeGs1(n.text, QChar(u'~'));

    const TrackingMatch t = TrackingNumber::recognise(n.upper);
    check(!t.isValid() || !t.number.isEmpty());
    (void)fields.recognise(n.upper);
    return 0;
}
