// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// The upstream as the supervisor needs it: whether it is reachable and accepts our credentials, the outbox by
// state, and the dead letters with their error and a Retry button.
Item {
    id: root
    readonly property var sync: Supervisor.sync
    readonly property var counts: Supervisor.outboxCounts

    Component.onCompleted: Supervisor.refreshSync()
    Timer {
        interval: 10000
        running: true
        repeat: true
        onTriggered: Supervisor.refreshSync()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        Rectangle {
            id: stateBox
            objectName: "upstreamState"
            Layout.fillWidth: true
            readonly property string severity: !(root.sync.configured ?? false) ? "attention"
                                               : (root.sync.credentialProblem ?? false) ? "error"
                                               : (root.sync.online ?? false) ? "success" : "attention"
            implicitHeight: stateColumn.implicitHeight + Theme.gap * 2
            color: Theme.severityBackground(severity)
            radius: Theme.mm(1.5)
            ColumnLayout {
                id: stateColumn
                anchors.fill: parent
                anchors.margins: Theme.gap
                spacing: Theme.mm(1)
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: Theme.severityIcon(stateBox.severity) + " "
                          + (!(root.sync.configured ?? false) ? qsTr("No upstream configured: events stay in the outbox.")
                             : (root.sync.credentialProblem ?? false) ? qsTr("The upstream rejects our credentials. Sync is paused: ask IT to renew the client secret.")
                             : (root.sync.online ?? false) ? qsTr("Upstream online")
                             : qsTr("Upstream offline: events wait and are sent when it is back."))
                    color: Theme.severityText(stateBox.severity)
                    font.pixelSize: Theme.headingSize
                    font.family: Theme.fontFamily
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    visible: (root.sync.lastError ?? "") !== "" || (root.sync.lastSuccess ?? "") !== ""
                    text: ((root.sync.lastSuccess ?? "") !== "" ? qsTr("Last success %1. ").arg(root.sync.lastSuccess) : "")
                          + ((root.sync.lastError ?? "") !== "" ? qsTr("Last error: %1").arg(root.sync.lastError) : "")
                    color: Theme.severityText(stateBox.severity)
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    wrapMode: Text.WordWrap
                }
            }
        }

        // The report jobs of the sync worker: the daily export and the certificates of accepted closures.
        Rectangle {
            id: reportBox
            objectName: "reportJobs"
            Layout.fillWidth: true
            visible: root.sync.reportsConfigured ?? false
            readonly property string severity: (root.sync.reportError ?? "") !== "" ? "error" : "success"
            implicitHeight: reportColumn.implicitHeight + Theme.gap * 2
            color: (root.sync.reportError ?? "") !== "" ? Theme.severityBackground("error") : Theme.surface
            radius: Theme.mm(1.5)
            ColumnLayout {
                id: reportColumn
                anchors.fill: parent
                anchors.margins: Theme.gap
                spacing: Theme.mm(1)
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: ((root.sync.lastDailyExportDay ?? "") !== ""
                           ? qsTr("Reports: daily export of %1 done.").arg(root.sync.lastDailyExportDay)
                           : qsTr("Reports: no daily export yet."))
                          + ((root.sync.certificatesPending ?? -1) > 0
                             ? " " + qsTr("%n certificate(s) of receipt waiting.", "", root.sync.certificatesPending) : "")
                    color: reportBox.severity === "error" ? Theme.severityText("error") : Theme.text
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    wrapMode: Text.WordWrap
                }
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    visible: (root.sync.reportError ?? "") !== ""
                    text: Theme.severityIcon("error") + " " + qsTr("Report problem: %1 It is tried again every minute.").arg(root.sync.reportError ?? "")
                    color: Theme.severityText("error")
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap * 2
            Repeater {
                model: [
                    { key: "pending", label: qsTr("To send") },
                    { key: "held", label: qsTr("Held (box open)") },
                    { key: "delivered", label: qsTr("Delivered") },
                    { key: "dead", label: qsTr("Dead letters") }
                ]
                ColumnLayout {
                    required property var modelData
                    spacing: 0
                    Text {
                        objectName: "count_" + modelData.key
                        textFormat: Text.PlainText
                        text: String(root.counts[modelData.key] ?? 0)
                        color: modelData.key === "dead" && (root.counts.dead ?? 0) > 0 ? Theme.lateText : Theme.text
                        font.pixelSize: Theme.headingSize
                        font.family: Theme.fontFamily
                        font.bold: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        text: modelData.label
                        color: Theme.mutedText
                        font.pixelSize: Theme.bodySize
                        font.family: Theme.fontFamily
                    }
                }
            }
            Item { Layout.fillWidth: true }
            BigButton {
                text: qsTr("Refresh")
                onClicked: Supervisor.refreshSync()
            }
        }

        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: Supervisor.deadLetters.count === 0 ? qsTr("\u2714 No dead letters.")
                  : qsTr("Dead letters: the upstream refused these. Fix the cause, then retry.")
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
        }
        ListView {
            objectName: "deadLetters"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.mm(1)
            model: Supervisor.deadLetters
            ScrollBar.vertical: ScrollBar { width: Theme.mm(4); policy: ScrollBar.AsNeeded }
            delegate: DeadLetterDelegate {
                width: ListView.view.width - Theme.mm(5)
                onRetry: id => Supervisor.retryDeadLetter(id)
            }
        }
    }
}
