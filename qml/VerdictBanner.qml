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
        return Theme.outcomeHeadline(outcome)
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
                textFormat: Text.PlainText
                text: root.empty ? "" : Theme.severityIcon(root.severity)
                color: root.ink
                font.pixelSize: Theme.verdictWordSize
                font.family: Theme.fontFamily
            }
            Text {
                objectName: "verdictHeadline"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.empty ? qsTr("Scan a box label to start") : root.headline(root.outcome)
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Theme.headingSize
                color: root.ink
                font.pixelSize: Theme.verdictWordSize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
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
            textFormat: Text.PlainText
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
            textFormat: Text.PlainText
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
