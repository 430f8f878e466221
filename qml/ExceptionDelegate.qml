// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One exception in the supervisor's queue: what kind, which unit, which box and case, how old. The whole row
// is the touch target that opens its detail. A unit a case now expects is marked "now expected: case C, line N"
// in the attention colour with a star and words.
Rectangle {
    id: root
    required property int index
    required property var exceptionId
    required property string kind
    required property string serial
    required property string box
    required property string caseNumber
    required property string stationId
    required property real ageHours
    required property string operatorId
    required property string nowExpectedCase // the case that now expects the unit; empty: none
    required property int nowExpectedLine
    signal chosen(var exceptionId)

    objectName: "exception_" + root.serial
    implicitHeight: Math.max(Theme.touchTarget, content.implicitHeight + Theme.gap)
    color: tap.pressed ? Theme.buttonBackground : Theme.surface
    border.color: Theme.rule
    radius: Theme.mm(1)

    ColumnLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        anchors.topMargin: root.nowExpectedCase !== "" ? Theme.mm(1) : 0
        anchors.bottomMargin: root.nowExpectedCase !== "" ? Theme.mm(1) : 0
        spacing: Theme.mm(1)
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap * 2
            Text {
                textFormat: Text.PlainText
                Layout.preferredWidth: Theme.mm(54)
                text: "\u26A0 " + SupervisorWords.kindLabel(root.kind)
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                Layout.preferredWidth: 3
                text: root.serial !== "" ? root.serial : qsTr("(no serial)")
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: "DejaVu Sans Mono"
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                Layout.preferredWidth: 3
                text: (root.caseNumber !== "" ? qsTr("Case %1").arg(root.caseNumber) : qsTr("No case"))
                      + "\n" + (root.box !== "" ? qsTr("Box %1").arg(root.box) : qsTr("No box"))
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize * 0.85
                font.family: Theme.fontFamily
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.preferredWidth: Theme.mm(24)
                horizontalAlignment: Text.AlignRight
                text: SupervisorWords.ageLabel(root.ageHours)
                color: root.ageHours >= 24 ? Theme.lateText : Theme.mutedText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: root.ageHours >= 24
            }
            Text {
                textFormat: Text.PlainText
                text: "\u203A"
                color: Theme.mutedText
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
            }
        }
        Rectangle {
            objectName: "nowExpectedMark"
            visible: root.nowExpectedCase !== ""
            Layout.fillWidth: true
            implicitHeight: mark.implicitHeight + Theme.mm(1)
            color: Theme.attentionBackground
            radius: Theme.mm(1)
            Text {
                id: mark
                textFormat: Text.PlainText
                anchors.fill: parent
                anchors.leftMargin: Theme.gap
                verticalAlignment: Text.AlignVCenter
                text: qsTr("\u2605 Now expected: case %1, line %2").arg(root.nowExpectedCase).arg(root.nowExpectedLine)
                color: Theme.attentionText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
        }
    }
    TapHandler {
        id: tap
        onTapped: root.chosen(root.exceptionId)
    }
}
