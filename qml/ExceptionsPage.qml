// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// The supervisor's exception queue: filter by kind, by age and "now expected" (a case now expects the unit),
// newest first; a row opens its detail.
Item {
    id: root
    signal openException(var exceptionId)
    property var model: Supervisor.exceptions

    Component.onCompleted: Supervisor.refreshExceptions()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        Flow {
            Layout.fillWidth: true
            spacing: Theme.mm(1.5)
            Repeater {
                model: [""].concat(Supervisor.exceptionKinds)
                SupervisorChip {
                    required property string modelData
                    objectName: "kind_" + (modelData === "" ? "all" : modelData)
                    text: SupervisorWords.kindLabel(modelData)
                    chosen: Supervisor.exceptionKind === modelData
                    onClicked: Supervisor.exceptionKind = modelData
                }
            }
            // Issue #12: the ones a case now expects, each with one tap to assign on its detail page.
            SupervisorChip {
                objectName: "filter_now_expected"
                text: qsTr("\u2605 Now expected")
                chosen: Supervisor.nowExpectedOnly
                onClicked: Supervisor.nowExpectedOnly = !Supervisor.nowExpectedOnly
            }
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.mm(1.5)
            Text {
                textFormat: Text.PlainText
                height: Theme.touchTarget
                verticalAlignment: Text.AlignVCenter
                text: qsTr("Older than:")
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
            }
            Repeater {
                model: [0, 1, 4, 24, 72]
                SupervisorChip {
                    required property int modelData
                    objectName: "age_" + modelData
                    text: modelData === 0 ? qsTr("Any age") : modelData <= 24 ? qsTr("%1 h").arg(modelData)
                                                                           : qsTr("%1 days").arg(modelData / 24)
                    chosen: Supervisor.minAgeHours === modelData
                    onClicked: Supervisor.minAgeHours = modelData
                }
            }
            BigButton {
                objectName: "refreshExceptions"
                text: qsTr("Refresh")
                onClicked: Supervisor.refreshExceptions()
            }
        }
        Text {
            objectName: "exceptionCount"
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: root.model.count === 0 ? qsTr("\u2714 No open exceptions match this filter.")
                                         : qsTr("Open exceptions: %1, newest first").arg(root.model.count)
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
        }
        ListView {
            id: list
            objectName: "exceptionList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.mm(1)
            model: root.model
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar { width: Theme.mm(4); policy: ScrollBar.AsNeeded }
            delegate: ExceptionDelegate {
                width: ListView.view.width - Theme.mm(5)
                onChosen: id => root.openException(id)
            }
        }
    }
}
