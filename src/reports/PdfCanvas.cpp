// SPDX-License-Identifier: GPL-3.0-or-later
#include "PdfCanvas.h"
#include "ReportWriters.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTimeZone>

namespace {
constexpr qreal RowHeight = 9.5; // points, table rows at 6.8 pt
constexpr qreal CellPad = 2.0;
constexpr qreal FooterHeight = 14.0;

QPageSize pageSize(const QString &paper)
{
    return QPageSize(paper == u"Letter" ? QPageSize::Letter : QPageSize::A4);
}

std::unique_ptr<QPdfWriter> newWriter(QIODevice *out, const PdfCanvas::Document &d)
{
    auto w = std::make_unique<QPdfWriter>(out);
    w->setResolution(72); // one unit = one point
    w->setPageLayout(
        QPageLayout(pageSize(d.heading.paper), d.orientation, QMarginsF(28, 28, 28, 28), QPageLayout::Point));
    w->setCreator(QStringLiteral("Receiving Station"));
    w->setTitle(d.metadataTitle.isEmpty() ? d.title : d.metadataTitle);
    return w;
}
} // namespace

PdfCanvas::PdfCanvas(const Document &document, QPainter *painter, QPaintDevice *device, QRectF page,
                     int pages)
    : m_doc(document), m_p(painter), m_device(device), m_page(page), m_pages(pages)
{
    const QString family = QStringLiteral("DejaVu Sans");
    m_small = QFont(family);
    m_small.setPointSizeF(7);
    m_normal = QFont(family);
    m_normal.setPointSizeF(7.5);
    m_bold = m_normal;
    m_bold.setBold(true);
    m_title = QFont(family);
    m_title.setPointSizeF(13);
    m_title.setBold(true);
    m_mono = QFont(QStringLiteral("DejaVu Sans Mono"));
    m_mono.setPointSizeF(6.8);
    m_monoBold = m_mono;
    m_monoBold.setBold(true);
    // No cosmetic shaping (Latin ligatures): "fi" stays two letters, so extracted text and searches find
    // "certificate" and customer names as typed, and 100,000 rows lay out faster.
    for (QFont *f : {&m_small, &m_normal, &m_bold, &m_title, &m_mono, &m_monoBold})
        f->setStyleStrategy(QFont::PreferNoShaping);
    furniture();
}

QByteArray PdfCanvas::render(const Document &document, const std::function<void(PdfCanvas &)> &content)
{
    int pages = 0;
    {
        QBuffer sink;
        sink.open(QIODevice::WriteOnly);
        const std::unique_ptr<QPdfWriter> w = newWriter(&sink, document);
        PdfCanvas counting(document, nullptr, w.get(), w->pageLayout().paintRectPoints(), 0);
        content(counting);
        pages = counting.m_page_no;
    }
    QByteArray bytes;
    QBuffer out(&bytes);
    out.open(QIODevice::WriteOnly);
    {
        const std::unique_ptr<QPdfWriter> w = newWriter(&out, document);
        QPainter painter(w.get());
        PdfCanvas canvas(document, &painter, w.get(), w->pageLayout().paintRectPoints(), pages);
        content(canvas);
        painter.end();
    }
    return bytes;
}

void PdfCanvas::furniture()
{
    // The painter's origin is the paint rectangle's corner.
    const qreal w = m_page.width();
    const ReportHeading &h = m_doc.heading;
    qreal y = 0;
    const QFontMetricsF title(m_title, m_device), normal(m_normal, m_device);
    if (m_p) {
        m_p->setPen(Qt::black);
        m_p->setFont(m_bold);
        m_p->drawText(QPointF(0, y + normal.ascent()),
                      h.depotName.isEmpty() ? QStringLiteral("Receiving depot") : h.depotName);
        m_p->setFont(m_normal);
        const QString run = QStringLiteral("Run %1 (%2)")
                                .arg(h.runAt.toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                                     QString::fromUtf8(h.runAt.timeZone().id()));
        m_p->drawText(QPointF(w - normal.horizontalAdvance(run), y + normal.ascent()), run);
        if (!h.depotAddress.isEmpty())
            m_p->drawText(QPointF(0, y + normal.height() + normal.ascent()), h.depotAddress);
    }
    y += 2 * normal.height() + 4;
    if (m_p) {
        m_p->setFont(m_title);
        m_p->drawText(QPointF(0, y + title.ascent()), m_doc.title);
    }
    y += title.height();
    if (!m_doc.subtitle.isEmpty()) {
        if (m_p) {
            m_p->setFont(m_normal);
            m_p->drawText(QPointF(0, y + normal.ascent()), m_doc.subtitle);
        }
        y += normal.height();
    }
    y += 4;
    if (m_p) {
        m_p->drawLine(QPointF(0, y), QPointF(w, y));
        const qreal fy = m_page.height() - FooterHeight + 4;
        m_p->drawLine(QPointF(0, fy - 3), QPointF(w, fy - 3));
        m_p->setFont(m_small);
        const QFontMetricsF small(m_small, m_device);
        const QString pageText = QStringLiteral("Page %1 of %2").arg(m_page_no).arg(m_pages);
        m_p->drawText(QPointF(w - small.horizontalAdvance(pageText), fy + small.ascent()), pageText);
        m_p->drawText(QPointF(0, fy + small.ascent()), m_doc.title);
    }
    m_y = y + 6;
    m_bodyTop = m_y;
}

void PdfCanvas::newPage()
{
    if (m_p)
        static_cast<QPdfWriter *>(m_device)->newPage();
    ++m_page_no;
    furniture();
}

void PdfCanvas::ensure(qreal height)
{
    if (m_y + height > m_page.height() - FooterHeight && m_y > m_bodyTop)
        newPage();
}

void PdfCanvas::space(qreal pt)
{
    m_y += pt;
}

void PdfCanvas::sectionTitle(const QString &text)
{
    QFont f = m_bold;
    f.setPointSizeF(9.5);
    const QFontMetricsF fm(f, m_device);
    ensure(fm.height() + 3 * RowHeight); // never a title alone at the foot of a page
    if (m_p) {
        m_p->setFont(f);
        m_p->drawText(QPointF(0, m_y + fm.ascent()), text);
    }
    m_y += fm.height() + 2;
}

void PdfCanvas::facts(const QList<QPair<QString, QString>> &pairs)
{
    const QFontMetricsF fm(m_normal, m_device);
    qreal labelWidth = 0;
    for (const auto &[label, value] : pairs)
        labelWidth = std::max(labelWidth, QFontMetricsF(m_bold, m_device).horizontalAdvance(label));
    labelWidth += 8;
    for (const auto &[label, value] : pairs) {
        const QRectF box(labelWidth, 0, m_page.width() - labelWidth, 1e6);
        const qreal h = std::max(fm.height(), fm.boundingRect(box, Qt::TextWordWrap, value).height()) + 1;
        ensure(h);
        if (m_p) {
            m_p->setFont(m_bold);
            m_p->drawText(QPointF(0, m_y + fm.ascent()), label);
            m_p->setFont(m_normal);
            m_p->drawText(QRectF(labelWidth, m_y, box.width(), h), Qt::TextWordWrap, value);
        }
        m_y += h;
    }
}

void PdfCanvas::paragraph(const QString &text, bool monospace)
{
    const QFont &f = monospace ? m_mono : m_normal;
    const QFontMetricsF fm(f, m_device);
    const QRectF box(0, 0, m_page.width(), 1e6);
    const qreal h = fm.boundingRect(box, Qt::TextWordWrap, text).height() + 2;
    ensure(h);
    if (m_p) {
        m_p->setFont(f);
        m_p->drawText(QRectF(0, m_y, m_page.width(), h), Qt::TextWordWrap, text);
    }
    m_y += h;
}

void PdfCanvas::image(const QImage &picture, qreal heightPt)
{
    if (picture.isNull())
        return;
    ensure(heightPt + 2);
    const qreal width = heightPt * picture.width() / picture.height();
    if (m_p)
        m_p->drawImage(QRectF(0, m_y, width, heightPt), picture);
    m_y += heightPt + 2;
}

void PdfCanvas::tableHeader(const QList<ReportColumn> &columns, const QList<int> &chars)
{
    if (m_p) {
        m_p->fillRect(QRectF(0, m_y, m_page.width(), RowHeight), QColor(0xDD, 0xDD, 0xDD));
        QStringList titles;
        for (const ReportColumn &c : columns)
            titles << c.title;
        m_p->setFont(m_monoBold);
        const QFontMetricsF fm(m_monoBold, m_device);
        m_p->drawText(QPointF(CellPad, m_y + (RowHeight + fm.ascent() - fm.descent()) / 2),
                      fixedRow(titles, chars));
    }
    m_y += RowHeight;
}

// A table row as one line of a monospaced font, each cell cut or padded to its column's characters: one
// drawText per row instead of one per cell, and no font measuring, so 100,000 rows take about a second.
QString PdfCanvas::fixedRow(const QStringList &cells, const QList<int> &chars)
{
    QString line;
    for (int c = 0; c < cells.size(); ++c) {
        const int room = chars[c] - 1; // one space between columns
        QString t = cells[c];
        t.replace(QLatin1Char('\n'), QLatin1Char(' '));
        if (t.size() > room)
            t = t.left(std::max(0, room - 1)) + QChar(0x2026);
        line += t.leftJustified(chars[c], QLatin1Char(' '));
    }
    return line;
}

void PdfCanvas::table(const QList<ReportColumn> &columns, const QList<QVariantList> &rows,
                      const std::function<bool(int row)> &emphasise)
{
    const QFontMetricsF fm(m_mono, m_device), fb(m_monoBold, m_device);
    const qreal charWidth =
        std::max(fm.horizontalAdvance(QLatin1Char('M')), fb.horizontalAdvance(QLatin1Char('M')));
    const int available = int((m_page.width() - 2 * CellPad) / charWidth);
    // Each column as wide as its title and its longest cell (sampled over the first rows, at most 40
    // characters), plus a space; when that is wider than the page, every column but the serials and case
    // numbers gives up room in proportion, so a serial is never cut.
    constexpr int Sample = 5000, Widest = 40;
    QList<int> chars;
    for (int c = 0; c < columns.size(); ++c) {
        int w = int(columns[c].title.size());
        for (int r = 0; r < std::min<int>(Sample, int(rows.size())); ++r)
            w = std::max(w, int(ReportFormat::display(rows[r].value(c), columns[c].type).size()));
        chars.append(std::min(w, Widest) + 1);
    }
    const auto keep = [&columns](int c) {
        return columns[c].key == u"serial" || columns[c].key == u"case_number";
    };
    int total = 0, kept = 0;
    for (int c = 0; c < chars.size(); ++c) {
        total += chars[c];
        kept += keep(c) ? chars[c] : 0;
    }
    if (total > available && total > kept) {
        const double share = double(std::max(0, available - kept)) / double(total - kept);
        for (int c = 0; c < chars.size(); ++c) {
            if (!keep(c))
                chars[c] = std::max(3, int(chars[c] * share));
        }
    }
    ensure(2 * RowHeight);
    tableHeader(columns, chars);
    const qreal baseline = (RowHeight + fm.ascent() - fm.descent()) / 2;
    const QFont *current = nullptr;
    QStringList cells;
    for (int r = 0; r < rows.size(); ++r) {
        if (m_y + RowHeight > m_page.height() - FooterHeight) {
            newPage();
            tableHeader(columns, chars);
            current = nullptr;
        }
        if (m_p) {
            const bool bold = emphasise && emphasise(r);
            const QFont *want = bold ? &m_monoBold : &m_mono;
            if (current != want) {
                m_p->setFont(*want);
                current = want;
            }
            if (r % 2)
                m_p->fillRect(QRectF(0, m_y, m_page.width(), RowHeight), QColor(0xF2, 0xF2, 0xF2));
            const QVariantList &row = rows[r];
            cells.clear();
            for (int c = 0; c < columns.size(); ++c)
                cells << ReportFormat::display(row.value(c), columns[c].type);
            m_p->drawText(QPointF(CellPad, m_y + baseline), fixedRow(cells, chars));
        }
        m_y += RowHeight;
    }
}
