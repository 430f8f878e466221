// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// The answer to the last scan, readable from two metres: full width, colour and icon and words, the serial
// in large type, and what to do next. Stays until the next scan replaces it.
Rectangle {
    id: root
    property string severity: ""
    property string outcome: ""
    property string serial: ""
    property string message: ""
    property string caseNumber: ""
    property bool late: false

    readonly property bool empty: outcome === ""
    color: empty ? Theme.surface : Theme.severityBackground(severity)
    implicitHeight: layout.implicitHeight + Theme.gap * 2

    readonly property color ink: empty ? Theme.mutedText : Theme.severityText(severity)

    function headline(outcome: string): string {
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
        case "no_box": case "nothing_to_undo": return qsTr("NOTHING TO DO")
        case "box_unknown": return qsTr("UNKNOWN BOX")
        default: return qsTr("EXCEPTION SHELF")
        }
    }

    ColumnLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.mm(1)

        RowLayout {
            spacing: Theme.gap
            Layout.fillWidth: true
            Text {
                objectName: "verdictIcon"
                text: root.empty ? "" : Theme.severityIcon(root.severity)
                color: root.ink
                font.pixelSize: Theme.verdictWordSize
                font.family: Theme.fontFamily
            }
            Text {
                objectName: "verdictHeadline"
                Layout.fillWidth: true
                text: root.empty ? qsTr("Scan a box label to start") : root.headline(root.outcome)
                color: root.ink
                font.pixelSize: Theme.verdictWordSize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                visible: root.late
                text: qsTr("LATE")
                color: root.ink
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
                font.bold: true
            }
        }
        Text {
            objectName: "verdictSerial"
            Layout.fillWidth: true
            visible: !root.empty && root.serial !== ""
            text: root.serial
            color: root.ink
            font.pixelSize: Theme.verdictSerialSize
            font.family: "DejaVu Sans Mono"
            font.bold: true
            elide: Text.ElideMiddle
        }
        Text {
            objectName: "verdictMessage"
            Layout.fillWidth: true
            visible: !root.empty
            text: root.message
            color: root.ink
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
            wrapMode: Text.WordWrap
            maximumLineCount: 3
        }
    }
}
