// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts
import ReceivingStation.Station

// Shown instead of every other screen when the start-up check finds the database damaged: the station takes no
// scans, and IT gets the exact command that restores the latest backup.
Rectangle {
    id: root
    objectName: "damagedDatabasePage"
    color: Theme.errorBackground

    readonly property var maintenance: Station.maintenance

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.85
        spacing: Theme.gap * 2

        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("\u2716 This station's database is damaged. Scans are NOT being taken.")
            wrapMode: Text.WordWrap
            color: Theme.errorText
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
            font.bold: true
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("Put incoming boxes aside and call IT. Nothing scanned at this station since its last backup is lost until IT restores it.")
            wrapMode: Text.WordWrap
            color: Theme.errorText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("For IT \u2014 restore the latest backup:")
            color: Theme.errorText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: command.implicitHeight + Theme.gap * 2
            color: Theme.background
            Text {
                id: command
                objectName: "restoreCommand"
                textFormat: Text.PlainText
                anchors.fill: parent
                anchors.margins: Theme.gap
                text: root.maintenance.restoreCommand ?? ""
                wrapMode: Text.WrapAnywhere
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: "DejaVu Sans Mono"
            }
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("What the check found: %1").arg(root.maintenance.problem ?? "")
            wrapMode: Text.WordWrap
            color: Theme.errorText
            font.pixelSize: Theme.bodySize * 0.8
            font.family: Theme.fontFamily
        }
    }
}
