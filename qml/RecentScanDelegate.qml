// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One of the last scans: time, severity icon, what was scanned and what came of it.
Rectangle {
    id: root
    required property string time
    required property string severity
    required property string input
    required property string outcome

    implicitHeight: Theme.mm(9)
    color: Theme.surface
    border.color: "#3a4652"

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap
        Rectangle {
            implicitWidth: Theme.mm(7)
            implicitHeight: Theme.mm(7)
            radius: Theme.mm(1)
            color: Theme.severityBackground(root.severity)
            Text {
                anchors.centerIn: parent
                text: Theme.severityIcon(root.severity)
                color: Theme.severityText(root.severity)
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
            }
        }
        Text {
            text: root.time
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Text {
            Layout.fillWidth: true
            text: root.input
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.family: "DejaVu Sans Mono"
            elide: Text.ElideRight
        }
        Text {
            text: root.outcome
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
    }
}
