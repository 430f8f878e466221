// SPDX-License-Identifier: GPL-3.0-or-later
// `receiving-cli decode FILE [--json]` end to end: the real binary (and its receiving-decoder helper) as
// separate processes, reading PNG and JPEG pictures made by tests/common/TestPictures, with exit codes,
// stdout and stderr as a script sees them. The --json lines are a contract with other programs: one object
// per barcode with exactly text, format, position and kind, and nothing at all when the picture holds no
// barcode.

#define ZX_USE_UTF8
#include "IsolatedEnvironment.h"
#include "TestPictures.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRectF>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

namespace {

using namespace TestPictures;

const QString Cli = QStringLiteral(RS_CLI_PATH);
constexpr int ProcessTimeoutMs = 60'000;

struct Result
{
    bool finished = false; // exited on its own within the timeout
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QStringList outLines() const
    {
        return QString::fromUtf8(out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    QString describe() const
    {
        return QStringLiteral("finished %1, exit code %2\nstdout: %3\nstderr: %4")
            .arg(finished)
            .arg(exitCode)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

// A code on the test picture: what is drawn where, and what the CLI must say about it.
struct Code
{
    BarcodeFormat format;
    QString content; // as given to the writer
    int module;
    QPointF center;
    QString text; // as the CLI must report it
    QString kind;
};

// Where a label drawn unrotated at `center` lies in the frame.
QRectF labelRect(const QImage &label, QPointF center)
{
    return QRectF(center - QPointF(label.width() / 2.0, label.height() / 2.0), label.size());
}

// The codes drawn on a FrameSize frame of cardboard, and where each label lies; unrotated, undegraded.
QImage pictureOf(const QList<Code> &codes, QList<QRectF> *rects = nullptr)
{
    QImage frame = blankFrame();
    for (const Code &c : codes) {
        const QImage label = renderLabel(c.format, c.content, c.module);
        place(frame, label, c.center, 0);
        if (rects)
            *rects << labelRect(label, c.center);
    }
    return frame;
}

// A device label as the dock photographs it: serial and MAC address in Code 128, part number in DataMatrix.
const QList<Code> &deviceLabel()
{
    static const QList<Code> codes{
        {BarcodeFormat::Code128, QStringLiteral("JN11F3A2BAFA"), 3, QPointF(380, 170),
         QStringLiteral("JN11F3A2BAFA"), QStringLiteral("serial")},
        {BarcodeFormat::Code128, QStringLiteral("3C:8A:B0:12:34:56"), 2, QPointF(380, 500),
         QStringLiteral("3C:8A:B0:12:34:56"), QStringLiteral("mac")},
        {BarcodeFormat::DataMatrix, QStringLiteral("740-012345"), 6, QPointF(1000, 340),
         QStringLiteral("740-012345"), QStringLiteral("part_number")},
    };
    return codes;
}

// Empty when `line` is one JSON object with exactly text, format, position (four [x,y] pairs of whole
// numbers inside `frame`) and kind.
QString jsonLineProblem(const QByteArray &line, const QRect &frame, QJsonObject *object)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("not a JSON object: ") + QString::fromUtf8(line);
    const QJsonObject o = doc.object();
    QStringList keys = o.keys();
    keys.sort();
    if (keys != QStringList{QStringLiteral("format"), QStringLiteral("kind"), QStringLiteral("position"),
                            QStringLiteral("text")})
        return QStringLiteral("keys are %1").arg(keys.join(QLatin1Char(',')));
    if (!o[QLatin1String("text")].isString() || !o[QLatin1String("format")].isString() ||
        !o[QLatin1String("kind")].isString())
        return QStringLiteral("text, format and kind are not all strings");
    const QJsonArray position = o[QLatin1String("position")].toArray();
    if (position.size() != 4)
        return QStringLiteral("position has %1 points").arg(position.size());
    for (const QJsonValue &v : position) {
        const QJsonArray p = v.toArray();
        if (p.size() != 2 || !p[0].isDouble() || !p[1].isDouble() || p[0].toDouble() != p[0].toInteger() ||
            p[1].toDouble() != p[1].toInteger())
            return QStringLiteral("a position point is not [x,y] in whole numbers");
        if (!frame.contains(QPoint(p[0].toInt(), p[1].toInt())))
            return QStringLiteral("point %1,%2 is outside the picture").arg(p[0].toInt()).arg(p[1].toInt());
    }
    *object = o;
    return {};
}

QPointF centroid(const QJsonArray &position)
{
    QPointF sum;
    for (const QJsonValue &v : position)
        sum += QPointF(v[0].toDouble(), v[1].toDouble());
    return sum / qreal(position.size());
}

} // namespace

class TestCliDecode : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void jsonLinesForEveryCode_data();
    void jsonLinesForEveryCode();
    void noBarcodeNoOutput();
    void textLinePerCode();
    void unreadableFileIsAnError_data();
    void unreadableFileIsAnError();
    void gs1ElementString();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    bool writeFile(const QString &name, const QByteArray &data) const;
    Result run(const QStringList &args) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env;
};

bool TestCliDecode::writeFile(const QString &name, const QByteArray &data) const
{
    QFile f(path(name));
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

Result TestCliDecode::run(const QStringList &args) const
{
    Result r;
    QProcess p;
    p.setProcessEnvironment(m_env);
    p.setWorkingDirectory(m_dir->path());
    p.start(Cli, args);
    if (!p.waitForStarted(ProcessTimeoutMs)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    p.closeWriteChannel();
    r.finished = p.waitForFinished(ProcessTimeoutMs) && p.exitStatus() == QProcess::NormalExit;
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(ProcessTimeoutMs);
    }
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestCliDecode::initTestCase()
{
    QVERIFY2(QFileInfo(Cli).isExecutable(), qPrintable(Cli + QStringLiteral(" is not built")));
}

void TestCliDecode::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // No [decoder] settings: the helper next to the CLI with its defaults.
    m_env = isolatedEnvironment(m_dir->path());
    QVERIFY(!m_env.isEmpty());
}

void TestCliDecode::cleanup()
{
    m_dir.reset();
}

void TestCliDecode::jsonLinesForEveryCode_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("imageFormat");
    QTest::addColumn<int>("quality");

    QTest::newRow("PNG") << "label.png" << QByteArray("PNG") << -1;
    QTest::newRow("JPEG 90") << "label.jpg" << QByteArray("JPEG") << 90;
}

void TestCliDecode::jsonLinesForEveryCode()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, imageFormat);
    QFETCH(int, quality);

    QList<QRectF> rects;
    const QImage picture = pictureOf(deviceLabel(), &rects);
    QCOMPARE(picture.size(), QSize(1280, 720));
    QVERIFY(picture.save(path(file), imageFormat.constData(), quality));

    const Result r = run({QStringLiteral("decode"), path(file), QStringLiteral("--json")});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
    QVERIFY2(r.out.endsWith('\n'), qPrintable(r.describe()));
    const QList<QByteArray> lines = r.out.chopped(1).split('\n');
    QVERIFY2(lines.size() == 3, qPrintable(r.describe()));

    QList<QJsonObject> objects;
    for (const QByteArray &line : lines) {
        QJsonObject o;
        const QString problem = jsonLineProblem(line, picture.rect(), &o);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        objects << o;
    }
    for (qsizetype i = 0; i < deviceLabel().size(); ++i) {
        const Code &code = deviceLabel()[i];
        const auto found = std::find_if(objects.cbegin(), objects.cend(), [&](const QJsonObject &o) {
            return o[QLatin1String("text")].toString() == code.text;
        });
        QVERIFY2(found != objects.cend(),
                 qPrintable(code.text + QStringLiteral(" not read: ") + r.describe()));
        QCOMPARE(found->value(QLatin1String("format")).toString(), formatName(code.format));
        QCOMPARE(found->value(QLatin1String("kind")).toString(), code.kind);
        // Reported where it is drawn.
        const QPointF c = centroid(found->value(QLatin1String("position")).toArray());
        QVERIFY2(rects[i].contains(c),
                 qPrintable(QStringLiteral("%1 at %2,%3").arg(code.text).arg(c.x()).arg(c.y())));
    }
}

void TestCliDecode::noBarcodeNoOutput()
{
    QVERIFY(emptyScene().save(path(QStringLiteral("empty.png"))));

    const Result json =
        run({QStringLiteral("decode"), path(QStringLiteral("empty.png")), QStringLiteral("--json")});
    QVERIFY2(json.finished && json.exitCode == 0, qPrintable(json.describe()));
    QVERIFY2(json.out.isEmpty() && json.err.isEmpty(), qPrintable(json.describe())); // not even "[]"

    // For a person, a note on stderr; stdout stays empty.
    const Result text = run({QStringLiteral("decode"), path(QStringLiteral("empty.png"))});
    QVERIFY2(text.finished && text.exitCode == 0, qPrintable(text.describe()));
    QVERIFY2(text.out.isEmpty(), qPrintable(text.describe()));
    QVERIFY2(QString::fromUtf8(text.err).contains(QLatin1String("no barcode")), qPrintable(text.describe()));
}

void TestCliDecode::textLinePerCode()
{
    QVERIFY(pictureOf(deviceLabel()).save(path(QStringLiteral("label.png"))));

    const Result r = run({QStringLiteral("decode"), path(QStringLiteral("label.png"))});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
    const QStringList lines = r.outLines();
    QVERIFY2(lines.size() == 3, qPrintable(r.describe()));
    // FORMAT  KIND  TEXT  at x,y x,y x,y x,y
    static const QRegularExpression shape(
        QStringLiteral(R"(^(\S+)\s+(\S+)\s+(.+?)\s+at(?: -?\d+,-?\d+){4}$)"));
    QStringList seen;
    for (const QString &line : lines) {
        const QRegularExpressionMatch m = shape.match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line));
        seen << m.captured(1) + QLatin1Char(' ') + m.captured(2);
    }
    for (const Code &code : deviceLabel()) {
        const QString expected = formatName(code.format) + QLatin1Char(' ') + code.kind;
        QVERIFY2(seen.removeOne(expected),
                 qPrintable(expected + QStringLiteral(" missing in:\n") + r.describe()));
    }
}

void TestCliDecode::unreadableFileIsAnError_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content"); // empty: the file does not exist

    QTest::newRow("not a picture") << "notes.png" << QByteArray("JN11F3A2BAFA\nnot a picture at all\n");
    QTest::newRow("missing file") << "missing.png" << QByteArray();
}

void TestCliDecode::unreadableFileIsAnError()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    if (!content.isEmpty())
        QVERIFY(writeFile(file, content));
    QVERIFY(QFileInfo::exists(path(file)) == !content.isEmpty());

    for (const QStringList &extra : {QStringList(), QStringList{QStringLiteral("--json")}}) {
        const Result r = run(QStringList{QStringLiteral("decode"), path(file)} + extra);
        QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
        // One line that says what went wrong with which file.
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.endsWith(QLatin1Char('\n')) && err.count(QLatin1Char('\n')) == 1,
                 qPrintable(r.describe()));
        QVERIFY2(err.startsWith(QLatin1String("receiving-cli: ")) && err.contains(path(file)),
                 qPrintable(r.describe()));
    }
}

void TestCliDecode::gs1ElementString()
{
    // GTIN 09506000134352 (valid check digit) and serial SER123, as (01)09506000134352(21)SER123. ZXing 1.4's
    // writer cannot put FNC1 in a DataMatrix, so the element string goes in GS1-128: a leading FNC1 (]C1).
    const QList<Code> codes{
        {BarcodeFormat::Code128, QString(Fnc1) + QStringLiteral("010950600013435221SER123"), 3,
         QPointF(640, 360), QStringLiteral("010950600013435221SER123"), QStringLiteral("gs1")},
    };
    QVERIFY(pictureOf(codes).save(path(QStringLiteral("gs1.png"))));

    const Result r =
        run({QStringLiteral("decode"), path(QStringLiteral("gs1.png")), QStringLiteral("--json")});
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QVERIFY2(lines.size() == 1, qPrintable(r.describe()));
    QJsonObject o;
    const QString problem = jsonLineProblem(lines[0], QRect(QPoint(0, 0), FrameSize), &o);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(o[QLatin1String("text")].toString(), codes[0].text);
    QCOMPARE(o[QLatin1String("format")].toString(), QStringLiteral("Code128"));
    QCOMPARE(o[QLatin1String("kind")].toString(), QStringLiteral("gs1"));
}

QTEST_GUILESS_MAIN(TestCliDecode)

#include "tst_clidecode.moc"
