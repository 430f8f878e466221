// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// The depot's settings as stored in the database (audited), shared by every station on that database; each
// row says when a change takes effect. The station id and scanners are each station's own, in its
// root-owned configuration file, so they are shown, never offered.
Item {
    id: root
    Component.onCompleted: Supervisor.refreshSettings()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("Station settings \u00B7 this station is %1").arg(Station.stationId)
            color: Theme.text
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
            font.bold: true
            elide: Text.ElideRight
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("These settings are shared by every station on this database. The station id and scanners are set in each station's configuration file (station.conf), not here.")
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            wrapMode: Text.WordWrap
        }
        ListView {
            objectName: "settingsList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.mm(1)
            model: Supervisor.settings
            ScrollBar.vertical: ScrollBar { width: Theme.mm(4); policy: ScrollBar.AsNeeded }
            delegate: SettingRow {
                width: ListView.view.width - Theme.mm(5)
                onSave: (key, value) => Supervisor.setSetting(key, value)
            }
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("Scanners now: %1").arg(Station.scanners.map(s => s.id + (s.connected ? " \u2714" : " \u26A0")).join(", "))
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            elide: Text.ElideRight
        }
    }
}
