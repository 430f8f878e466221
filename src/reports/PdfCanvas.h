// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Report.h"

#include <QByteArray>
#include <QFont>
#include <QImage>
#include <QPageLayout>
#include <QRectF>
#include <QStringList>

#include <functional>

class QPainter;
class QPaintDevice;

// Pages of a report or certificate: the same heading and footer on every page (depot, title, run date, "Page
// N of M"), then blocks laid out top to bottom with page breaks between table rows. The content function runs
// twice: once to count the pages, once to paint them, so "of M" is known on page 1.
class PdfCanvas
{
public:
    struct Document
    {
        ReportHeading heading;
        QString title;
        QString subtitle;
        QPageLayout::Orientation orientation = QPageLayout::Landscape;
        QString metadataTitle;   // the PDF's Title
        QString metadataSubject; // the PDF's Subject (Creator is "Receiving Station")
    };
    static QByteArray render(const Document &document, const std::function<void(PdfCanvas &)> &content);

    void sectionTitle(const QString &text);
    // Label: value lines in two columns.
    void facts(const QList<QPair<QString, QString>> &pairs);
    // A table with its header row repeated on every page; rows for which `emphasise` says true are bold.
    void table(const QList<ReportColumn> &columns, const QList<QVariantList> &rows,
               const std::function<bool(int row)> &emphasise = {});
    void paragraph(const QString &text, bool monospace = false);
    // A picture scaled to `heightPt` points high, on the left.
    void image(const QImage &picture, qreal heightPt);
    void space(qreal pt);

private:
    PdfCanvas(const Document &document, QPainter *painter, QPaintDevice *device, QRectF page, int pages);
    void ensure(qreal height);
    void newPage();
    void furniture();
    void tableHeader(const QList<ReportColumn> &columns, const QList<int> &chars);
    static QString fixedRow(const QStringList &cells, const QList<int> &chars);

    const Document &m_doc;
    QPainter *m_p = nullptr; // nullptr while counting pages
    QPaintDevice *m_device = nullptr;
    QRectF m_page; // the paint rectangle, in points
    int m_pages = 0;
    int m_page_no = 1;
    qreal m_y = 0;
    qreal m_bodyTop = 0;
    QFont m_small, m_normal, m_bold, m_title, m_mono, m_monoBold;
};
