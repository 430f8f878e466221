// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One of the last scans: time, severity icon, what was scanned and what came of it (in words, and the
// unit's condition once the worker gave one).
Rectangle {
    id: root
    required property string time
    required property string severity
    required property string input
    required property string outcome
    required property string condition

    implicitHeight: Theme.mm(14)
    color: Theme.surface
    border.color: Theme.rule

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap
        Rectangle {
            implicitWidth: Theme.mm(8)
            implicitHeight: Theme.mm(8)
            radius: Theme.mm(1)
            color: Theme.severityBackground(root.severity)
            Text {
                textFormat: Text.PlainText
                anchors.centerIn: parent
                text: Theme.severityIcon(root.severity)
                color: Theme.severityText(root.severity)
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
            }
        }
        // What was scanned in full on the first line, what came of it on the second.
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                Text {
                    objectName: "recentInput"
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: root.input
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.family: "DejaVu Sans Mono"
                    font.bold: true
                    elide: Text.ElideMiddle
                }
                Text {
                    textFormat: Text.PlainText
                    text: root.time
                    color: Theme.mutedText
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                }
            }
            Text {
                objectName: "recentOutcome"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.condition !== "" ? Theme.conditionName(root.condition) : Theme.outcomeHeadline(root.outcome)
                color: root.condition === "damaged" || root.condition === "not_working" ? Theme.lateText : Theme.mutedText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: root.condition !== ""
                elide: Text.ElideRight
            }
        }
    }
}
