// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One expected line of the open box's case: ticked when all its units are in.
Rectangle {
    id: root
    required property int line
    required property string sku
    required property string serial
    required property int quantity
    required property int received
    required property bool complete

    implicitHeight: Theme.mm(11)
    color: complete ? Theme.completeBackground : Theme.surface
    border.color: Theme.rule

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap
        Text {
            textFormat: Text.PlainText
            text: root.complete ? "\u2714" : "\u25A1"
            color: root.complete ? Theme.completeText : Theme.mutedText
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
        }
        Text {
            textFormat: Text.PlainText
            text: root.line
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: root.sku + "  " + (root.serial !== "" ? root.serial : qsTr("serial at dock"))
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            elide: Text.ElideRight
        }
        Text {
            textFormat: Text.PlainText
            text: qsTr("%1 of %2").arg(root.received).arg(root.quantity)
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
    }
}
