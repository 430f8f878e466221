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
    // DejaVu Sans Mono's capitals are 0.73 em: 17 mm type gives 12.4 mm tall characters, readable at two metres.
    readonly property real verdictSerialSize: mm(17)

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
    readonly property color completeBackground: "#16351f"
    readonly property color completeText: "#7dff9a"
    readonly property color rule: "#3a4652"
    readonly property color barcodePaper: "#ffffff"
    readonly property color barcodeInk: "#000000"

    // Every text colour and the backgrounds it is drawn on; --self-test requires 7:1 for each pair.
    readonly property var contrastPairs: [
        ["text", "background"], ["text", "surface"], ["mutedText", "background"], ["mutedText", "surface"],
        ["lateText", "background"], ["lateText", "surface"], ["accent", "background"], ["accent", "surface"],
        ["successText", "successBackground"], ["attentionText", "attentionBackground"],
        ["errorText", "errorBackground"], ["buttonText", "buttonBackground"], ["buttonText", "successBackground"],
        ["buttonText", "errorBackground"], ["text", "completeBackground"], ["completeText", "completeBackground"],
        ["barcodeInk", "barcodePaper"]
    ]

    readonly property string fontFamily: "DejaVu Sans"

    function severityBackground(severity: string): color {
        return severity === "success" ? successBackground : severity === "attention" ? attentionBackground : errorBackground
    }
    function severityText(severity: string): color {
        return severity === "success" ? successText : severity === "attention" ? attentionText : errorText
    }
    // The verdict's headline, a few words in capitals; the banner, the recent scans and the tests share it.
    function outcomeHeadline(outcome: string): string {
        switch (outcome) {
        case "matched": case "matched_by_sku": return qsTr("RECEIVED")
        case "box_opened": return qsTr("BOX OPEN")
        case "box_closed": return qsTr("BOX DONE")
        case "signed_in": return qsTr("SIGNED IN")
        case "undone": return qsTr("UNDONE")
        case "awaiting_sku": return qsTr("SCAN THE SKU")
        case "sku_expected": return qsTr("SKU NEEDED")
        case "duplicate": return qsTr("ALREADY SCANNED")
        case "wrong_barcode": return qsTr("WRONG BARCODE")
        case "invalid": return qsTr("NOT READ")
        case "not_recorded": return qsTr("NOT SAVED")
        case "badge_disabled": return qsTr("BADGE DISABLED")
        case "no_box": case "nothing_to_undo": return qsTr("NOTHING TO DO")
        case "box_unknown": return qsTr("UNKNOWN BOX")
        default: return qsTr("EXCEPTION SHELF")
        }
    }
    function conditionName(condition: string): string {
        return condition === "working" ? qsTr("Working") : condition === "damaged" ? qsTr("Damaged")
             : condition === "not_working" ? qsTr("Not working") : ""
    }
    function severityIcon(severity: string): string {
        return severity === "success" ? "\u2714" : severity === "attention" ? "\u26A0" : "\u2716"
    }
}
