// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// A box still open at some station, for the shift change: station, label, case, operator and last scan.
Rectangle {
    id: root
    required property string stationId
    required property string label
    required property string caseNumber
    required property string customer
    required property string operatorId
    required property string openedAt
    required property string lastScanAt
    required property var units
    required property var heldEvents
    signal chosen(string caseNumber)

    implicitHeight: Math.max(Theme.touchTarget, content.implicitHeight + Theme.gap)
    color: tap.pressed ? Theme.buttonBackground : Theme.surface
    border.color: Theme.rule
    radius: Theme.mm(1)

    ColumnLayout {
        id: content
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: 0
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("%1: box %2").arg(root.stationId).arg(root.label)
                  + (root.caseNumber !== "" ? qsTr(" \u00B7 case %1").arg(root.caseNumber) : "")
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
            elide: Text.ElideRight
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("Units: %1 \u00B7 %2 \u00B7 opened %3 \u00B7 last scan %4").arg(root.units)
                  .arg(root.operatorId !== "" ? root.operatorId : qsTr("nobody signed in"))
                  .arg(SupervisorWords.when(root.openedAt))
                  .arg(root.lastScanAt !== "" ? SupervisorWords.when(root.lastScanAt) : qsTr("none"))
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize * 0.85
            font.family: Theme.fontFamily
            elide: Text.ElideRight
        }
    }
    TapHandler {
        id: tap
        enabled: root.caseNumber !== ""
        onTapped: root.chosen(root.caseNumber)
    }
}
