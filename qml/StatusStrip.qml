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
            textFormat: Text.PlainText
            text: qsTr("Station %1").arg(Station.stationId)
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Text {
            textFormat: Text.PlainText
            text: Station.signedIn ? qsTr("Operator: %1").arg(Station.operatorName) : qsTr("Signed out")
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Repeater {
            model: Station.scanners
            Text {
                textFormat: Text.PlainText
                required property var modelData
                text: (modelData.connected ? "\u2714 " : "\u26A0 ") + modelData.id
                      + (modelData.connected ? "" : " " + (modelData.error !== "" ? modelData.error : modelData.state))
                color: modelData.connected ? Theme.mutedText : Theme.lateText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
            }
        }
        Item { Layout.fillWidth: true }
        Text {
            objectName: "syncStatus"
            textFormat: Text.PlainText
            readonly property var sync: Station.sync
            text: !sync.configured ? qsTr("Upstream: not configured")
                  : sync.credentialProblem ? qsTr("\u26A0 Upstream rejects our credentials")
                  : (sync.online ? qsTr("Upstream online") : qsTr("\u26A0 Upstream offline"))
                    + qsTr(" \u00B7 %1 to send").arg(sync.pending ?? 0)
                    + ((sync.dead ?? 0) > 0 ? qsTr(" \u00B7 %1 dead letters").arg(sync.dead) : "")
            color: sync.configured && (!sync.online || sync.credentialProblem || (sync.dead ?? 0) > 0) ? Theme.lateText : Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Text {
            objectName: "storeProblem"
            textFormat: Text.PlainText
            visible: Station.storeProblem !== ""
            text: "\u26A0 " + Station.storeProblem
            color: Theme.lateText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
        }
        Text {
            objectName: "lowDiskWarning"
            textFormat: Text.PlainText
            visible: Station.maintenance.lowDisk ?? false
            text: qsTr("\u26A0 Disk almost full (%1 free): call IT").arg(Station.maintenance.freeDisk ?? "")
            color: Theme.lateText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
        }
        Text {
            textFormat: Text.PlainText
            visible: Station.writesRefused
            text: qsTr("\u2716 The database refuses writes: scans are NOT saved. Call IT.")
            color: Theme.errorText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
        }
    }
}
