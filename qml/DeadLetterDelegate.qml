// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// An outbox event the upstream refused for good: what it is, why, and a button to send it again once the
// cause is fixed (supervisors only; checked in C++).
Rectangle {
    id: root
    required property var eventId
    required property string kind
    required property string caseNumber
    required property var attempts
    required property string lastError
    signal retry(var eventId)

    implicitHeight: Math.max(Theme.touchTarget + Theme.mm(2), content.implicitHeight + Theme.mm(2))
    color: Theme.surface
    border.color: Theme.rule
    radius: Theme.mm(1)

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: qsTr("\u2716 #%1 %2 for case %3 \u00B7 attempts: %4")
                      .arg(root.eventId).arg(root.kind).arg(root.caseNumber !== "" ? root.caseNumber : "\u2014").arg(root.attempts)
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.lastError !== "" ? root.lastError : qsTr("(no error recorded)")
                color: Theme.lateText
                font.pixelSize: Theme.bodySize * 0.9
                font.family: Theme.fontFamily
                wrapMode: Text.WordWrap
                maximumLineCount: 3
                elide: Text.ElideRight
            }
        }
        BigButton {
            objectName: "retry_" + root.eventId
            text: qsTr("Retry")
            onClicked: root.retry(root.eventId)
        }
    }
}
