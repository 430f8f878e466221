// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// A case found by the supervisor's search: number, customer, status, due date and progress. A case due within
// 14 days with nothing received is highlighted in the attention colour with a warning sign and words.
Rectangle {
    id: root
    required property string caseNumber
    required property string customer
    required property string status
    required property var phase
    required property string dueDate
    required property bool dueSoon
    required property var daysLeft
    required property bool late
    required property var expectedUnits
    required property var receivedUnits
    property bool compact: false
    property bool picked: false
    signal chosen(string caseNumber)

    readonly property color ink: root.dueSoon && !root.picked ? Theme.attentionText
                                 : root.picked ? Theme.attentionText : Theme.text
    implicitHeight: Math.max(Theme.touchTarget, content.implicitHeight + Theme.gap)
    color: root.picked ? Theme.accent : root.dueSoon ? Theme.attentionBackground
           : tap.pressed ? Theme.buttonBackground : Theme.surface
    border.color: Theme.rule
    radius: Theme.mm(1)

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap * 2
        Text {
            textFormat: Text.PlainText
            text: root.picked ? "\u2714" : root.dueSoon ? "\u26A0" : ""
            visible: text !== ""
            color: root.ink
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.caseNumber + "  " + root.customer
                color: root.ink
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: [root.status !== "" && root.status !== "open" ? SupervisorWords.caseStatusLabel(root.status) : "",
                       root.late ? qsTr("LATE, was due %1").arg(root.dueDate)
                                 : root.daysLeft !== "" ? qsTr("due %1 (%2 days)").arg(root.dueDate).arg(root.daysLeft)
                                 : qsTr("due %1").arg(root.dueDate),
                       qsTr("%1 of %2 received").arg(root.receivedUnits !== "" ? root.receivedUnits : 0).arg(root.expectedUnits)]
                      .filter(part => part !== "").join(" \u00B7 ")
                color: root.ink
                font.pixelSize: Theme.bodySize * (root.compact ? 0.8 : 0.9)
                font.family: Theme.fontFamily
                elide: Text.ElideRight
            }
        }
        Text {
            textFormat: Text.PlainText
            visible: !root.compact
            text: "\u203A"
            color: root.ink
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
        }
    }
    TapHandler {
        id: tap
        onTapped: root.chosen(root.caseNumber)
    }
}
