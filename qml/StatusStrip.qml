// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts
import ReceivingStation.Station

// Station, operator and the health of what the station depends on, along the bottom edge.
Rectangle {
    id: root
    implicitHeight: Theme.mm(10)
    color: Station.writesRefused ? Theme.errorBackground : "#0b0f13"

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap * 2
        Text {
            text: qsTr("Station %1").arg(Station.stationId)
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Text {
            text: Station.signedIn ? qsTr("Operator: %1").arg(Station.operatorName) : qsTr("Signed out")
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Item { Layout.fillWidth: true }
        Text {
            visible: Station.writesRefused
            text: qsTr("\u2716 The database refuses writes: scans are NOT saved. Call IT.")
            color: Theme.errorText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
        }
    }
}
