// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One expected line of a case in the supervisor's case detail: what is expected and how much arrived, the
// state in words and sign (never colour alone).
Rectangle {
    id: root
    required property var modelData
    readonly property var item: modelData
    readonly property string status: item.status ?? ""

    implicitHeight: Math.max(Theme.mm(11), row.implicitHeight + Theme.mm(2))
    color: root.status === "received" ? Theme.completeBackground : Theme.surface
    border.color: Theme.rule

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap
        Text {
            textFormat: Text.PlainText
            Layout.preferredWidth: Theme.mm(10)
            text: "#" + (root.item.line ?? "")
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: (root.item.sku ?? "") + (root.item.description ? "  " + root.item.description : "")
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.item.serial ? root.item.serial : qsTr("serial at dock")
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize * 0.9
                font.family: "DejaVu Sans Mono"
                elide: Text.ElideRight
            }
        }
        Text {
            textFormat: Text.PlainText
            text: qsTr("%1 of %2").arg(root.item.received ?? 0).arg(root.item.quantity ?? 0)
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Text {
            textFormat: Text.PlainText
            Layout.preferredWidth: Theme.mm(45)
            text: SupervisorWords.lineStatusLabel(root.status)
            color: root.status === "received" ? Theme.completeText : root.status === "missing" ? Theme.lateText : Theme.text
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
        }
    }
}
