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
constexpr qreal RowHeight = 10.5; // points, table rows at 7.5 pt
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
    m_mono.setPointSizeF(7.5);
    // No cosmetic shaping (Latin ligatures): "fi" stays two letters, so extracted text and searches find
    // "certificate" and customer names as typed, and 100,000 rows lay out faster.
    for (QFont *f : {&m_small, &m_normal, &m_bold, &m_title, &m_mono})
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

void PdfCanvas::tableHeader(const QList<ReportColumn> &columns, const QList<qreal> &widths)
{
    const QFontMetricsF fm(m_bold, m_device);
    if (m_p) {
        m_p->fillRect(QRectF(0, m_y, m_page.width(), RowHeight), QColor(0xDD, 0xDD, 0xDD));
        m_p->setFont(m_bold);
        qreal x = 0;
        for (int c = 0; c < columns.size(); ++c) {
            const QString t = fm.elidedText(columns[c].title, Qt::ElideRight, widths[c] - 2 * CellPad);
            m_p->drawText(QPointF(x + CellPad, m_y + (RowHeight + fm.ascent() - fm.descent()) / 2), t);
            x += widths[c];
        }
    }
    m_y += RowHeight;
}

void PdfCanvas::table(const QList<ReportColumn> &columns, const QList<QVariantList> &rows,
                      const std::function<bool(int row)> &emphasise)
{
    qreal units = 0;
    for (const ReportColumn &c : columns)
        units += c.width;
    QList<qreal> widths;
    for (const ReportColumn &c : columns)
        widths.append(m_page.width() * c.width / units);
    ensure(2 * RowHeight);
    tableHeader(columns, widths);
    const QFontMetricsF fm(m_normal, m_device), fb(m_bold, m_device);
    const qreal baseline = (RowHeight + fm.ascent() - fm.descent()) / 2;
    const QFont *current = nullptr;
    for (int r = 0; r < rows.size(); ++r) {
        if (m_y + RowHeight > m_page.height() - FooterHeight) {
            newPage();
            tableHeader(columns, widths);
            current = nullptr;
        }
        if (m_p) {
            const bool bold = emphasise && emphasise(r);
            const QFont *want = bold ? &m_bold : &m_normal;
            if (current != want) {
                m_p->setFont(*want);
                current = want;
            }
            const QFontMetricsF &metrics = bold ? fb : fm;
            if (r % 2)
                m_p->fillRect(QRectF(0, m_y, m_page.width(), RowHeight), QColor(0xF2, 0xF2, 0xF2));
            const QVariantList &row = rows[r];
            qreal x = 0;
            for (int c = 0; c < columns.size(); ++c) {
                const QString t = ReportFormat::display(row.value(c), columns[c].type);
                if (!t.isEmpty()) {
                    const qreal room = widths[c] - 2 * CellPad;
                    // Most cells fit; only a long one pays for measuring and eliding.
                    const bool fits = t.size() * 7.6 <= room || metrics.horizontalAdvance(t) <= room;
                    m_p->drawText(QPointF(x + CellPad, m_y + baseline),
                                  fits ? t : metrics.elidedText(t, Qt::ElideRight, room));
                }
                x += widths[c];
            }
        }
        m_y += RowHeight;
    }
}
