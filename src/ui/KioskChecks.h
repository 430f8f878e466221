// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QSize>
#include <QString>
#include <QStringList>

class QQmlEngine;
class QQuickItem;
class QQuickWindow;
class QTextStream;
class StationController;

// The kiosk checking itself, run by `receiving-station --self-test` and `--screenshots DIR` (both in CTest,
// offscreen): every page in every language at the panel sizes we support, measured against the issue's
// rules for a dock worker two metres away and wearing gloves.
namespace KioskChecks {

// A 15.6" 1920x1080 panel: 141 pixels per inch.
constexpr double ReferencePixelsPerMm = 141.0 / 25.4;
constexpr double MinTouchTargetMm = 15.0;
constexpr double MinVerdictSerialMm = 12.0; // cap height of the serial in the verdict banner
constexpr double MinContrast = 7.0;
const QList<QSize> &panelSizes(); // 1280x800 and 1920x1080

// WCAG 2 relative luminance and contrast ratio of two opaque colours.
double relativeLuminance(const QColor &c);
double contrastRatio(const QColor &a, const QColor &b);

// Every page of the UI module: each qml/*Page.qml compiled into the module's resources, so a page another
// engineer adds is checked without touching a list.
QStringList pageUrls();

// A fresh database with the demo cases and badges (today's dates) in `dir`; returns its path.
QString prepareDemoDatabase(const QString &dir);

// Checks what one window shows against the self-test's rules and prints each failure as
// `FAIL [where] what`; returns the number of failures. The rules: touch targets of at least MinTouchTargetMm,
// on the screen; visible text at MinContrast against what it is drawn on; the verdict serial's cap height;
// and every visible text item (Text, Label, TextEdit, TextArea, a control's own text) with text is PlainText.
// Whether a text is a translated literal or shows data (a serial, a customer, an error) cannot be told
// reliably from the running item (qsTr("Case %1").arg(number) is both), and a scanned code may hold
// markup, so the rule holds for every text item, not only data-bound ones.
int checkScene(QQuickWindow *window, const QString &where, QTextStream &out);

// Loads every page and the main window in every language at every panel size, walks the item trees and
// prints each failure (what and where). Returns the number of failures.
int selfTest(QQmlEngine &engine, StationController &station, QTextStream &out);

// Drives the real station (sign in, scans of each severity, help and condition sheets) and writes a PNG of
// every screen and page per language and panel size into `dir`. Returns the number of screens that failed.
int screenshots(QQmlEngine &engine, StationController &station, const QString &dir, QTextStream &out);

} // namespace KioskChecks
