// SPDX-License-Identifier: GPL-3.0-or-later
pragma Singleton
import QtQuick

// Sizes in millimetres of the real panel, colours that keep 7:1 contrast, and fonts, in one place.
QtObject {
    id: root

    // Pixels per millimetre: from the screen, unless the panel reports a wrong size (configuration override).
    property real pixelsPerMm: Qt.application.screens.length > 0 && Qt.application.screens[0].pixelDensity > 0
                               ? Qt.application.screens[0].pixelDensity : 141 / 25.4
    function mm(value: real): real { return Math.round(value * pixelsPerMm) }

    readonly property real touchTarget: mm(16)
    readonly property real gap: mm(3)
    readonly property real bodySize: mm(4.5)
    readonly property real headingSize: mm(6)
    readonly property real verdictWordSize: mm(10)
    readonly property real verdictSerialSize: mm(13)   // cap height well over 12 mm at two metres

    readonly property color background: "#101418"
    readonly property color surface: "#1c232b"
    readonly property color text: "#ffffff"
    readonly property color mutedText: "#d7dde3"
    readonly property color successBackground: "#0a5a1e"
    readonly property color successText: "#ffffff"
    readonly property color attentionBackground: "#ffd21f"
    readonly property color attentionText: "#000000"
    readonly property color errorBackground: "#8c0000"
    readonly property color errorText: "#ffffff"
    readonly property color lateText: "#ff9c9c"
    readonly property color accent: "#7cc4ff"
    readonly property color buttonBackground: "#2f3b47"
    readonly property color buttonText: "#ffffff"

    readonly property string fontFamily: "DejaVu Sans"

    function severityBackground(severity: string): color {
        return severity === "success" ? successBackground : severity === "attention" ? attentionBackground : errorBackground
    }
    function severityText(severity: string): color {
        return severity === "success" ? successText : severity === "attention" ? attentionText : errorText
    }
    function severityIcon(severity: string): string {
        return severity === "success" ? "\u2714" : severity === "attention" ? "\u26A0" : "\u2716"
    }
}
