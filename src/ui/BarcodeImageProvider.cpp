// SPDX-License-Identifier: GPL-3.0-or-later
#include "BarcodeImageProvider.h"

#include <QLoggingCategory>
#include <QUrl>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <stdexcept>

Q_DECLARE_LOGGING_CATEGORY(lcUi)

namespace {
std::optional<ZXing::BitMatrix> encode(const QString &text)
{
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::Code128);
        writer.setMargin(0);
        return writer.encode(text.toStdWString(), 0, 0);
    } catch (const std::exception &e) {
        qCWarning(lcUi) << "cannot render" << text << "as Code 128:" << e.what();
        return std::nullopt;
    }
}
} // namespace

BarcodeImageProvider::BarcodeImageProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}

int BarcodeImageProvider::modules(const QString &text)
{
    const std::optional<ZXing::BitMatrix> m = encode(text);
    return m ? m->width() + 2 * QuietZoneModules : 0;
}

QImage BarcodeImageProvider::render(const QString &text, int moduleWidth, int barHeight)
{
    const std::optional<ZXing::BitMatrix> m = encode(text);
    if (!m || moduleWidth < 1 || barHeight < 1)
        return QImage();
    const int w = (m->width() + 2 * QuietZoneModules) * moduleWidth;
    QImage image(w, barHeight, QImage::Format_RGB32);
    image.fill(Qt::white);
    const QRgb black = qRgb(0, 0, 0);
    for (int x = 0; x < m->width(); ++x) {
        if (!m->get(x, 0))
            continue;
        const int left = (x + QuietZoneModules) * moduleWidth;
        for (int y = 0; y < barHeight; ++y) {
            QRgb *row = reinterpret_cast<QRgb *>(image.scanLine(y));
            std::fill(row + left, row + left + moduleWidth, black);
        }
    }
    return image;
}

QImage BarcodeImageProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    const QString text = QUrl::fromPercentEncoding(id.toUtf8());
    const int count = modules(text);
    int module = 3;
    if (count > 0 && requestedSize.width() > 0)
        module = std::max(3, requestedSize.width() / count);
    const int height = requestedSize.height() > 0 ? requestedSize.height() : 120;
    const QImage image = render(text, module, height);
    if (size)
        *size = image.size();
    return image;
}
