// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QQuickImageProvider>

// Renders Code 128 barcodes for QML ("image://barcode/<text>"), so the help sheet can show the command
// barcodes (:DONE, :UNDO) crisp enough to be scanned off the screen or printed. Bars are whole pixels wide.
class BarcodeImageProvider : public QQuickImageProvider
{
public:
    BarcodeImageProvider();
    // `requestedSize`: the width is a hint for the module size (the image is never narrower than 3 pixels a
    // module), the height the bar height.
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;

    static QImage render(const QString &text, int moduleWidth, int barHeight);
    // Module count of `text` as Code 128, quiet zones included.
    static int modules(const QString &text);
    static constexpr int QuietZoneModules = 10;
};
