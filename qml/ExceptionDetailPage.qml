// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// One exception: what happened, the scan history of its serial and of its box, and the resolution with the
// note it needs (assigning to a case asks which case: search by case number, customer or serial, or scan). A
// unit a case now expects is received on that case's line in one tap.
Item {
    id: root
    required property var exceptionId
    signal back()
    readonly property var detail: Supervisor.exceptionDetail
    readonly property var exc: detail.exception ?? ({})
    readonly property bool loaded: exc.id !== undefined && exc.id == root.exceptionId
    readonly property bool open: (exc.status ?? "open") === "open"
    // Issue #12: {case_number, line} when a case now expects this unit (CaseChanges::rematch), else null.
    readonly property var nowExpected: root.loaded && root.open ? (exc.now_expected ?? null) : null
    property string resolution: ""
    property string caseNumber: ""

    Component.onCompleted: Supervisor.openException(root.exceptionId)
    Connections {
        target: Supervisor
        function onExceptionResolved(id) {
            if (id == root.exceptionId)
                root.back()
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap * 2

        // What happened, and the history.
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 5
            spacing: Theme.mm(1.5)
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                BigButton {
                    objectName: "backToExceptions"
                    text: qsTr("\u2039 Exceptions")
                    onClicked: root.back()
                }
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: root.loaded ? "\u26A0 " + SupervisorWords.kindLabel(root.exc.kind) : qsTr("Loading\u2026")
                    color: Theme.text
                    font.pixelSize: Theme.headingSize
                    font.family: Theme.fontFamily
                    font.bold: true
                    elide: Text.ElideRight
                }
            }
            Text {
                objectName: "exceptionSerial"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                visible: root.loaded
                text: qsTr("Serial %1").arg(root.exc.serial ?? qsTr("(none)"))
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.family: "DejaVu Sans Mono"
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                visible: root.loaded
                text: qsTr("Case %1 \u00B7 box %2 \u00B7 station %3")
                      .arg(root.exc.case_number ?? qsTr("none")).arg(root.exc.box ?? qsTr("none"))
                      .arg(root.exc.station_id ?? "")
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                visible: root.loaded
                text: qsTr("Scanned by %1 \u00B7 %2 (%3 ago)").arg(root.exc.operator_id ?? "\u2014")
                      .arg(SupervisorWords.when(root.exc.created_at ?? ""))
                      .arg(SupervisorWords.ageLabel(root.exc.age_hours ?? 0))
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                elide: Text.ElideRight
            }
            Rectangle {
                objectName: "nowExpectedBanner"
                Layout.fillWidth: true
                visible: root.nowExpected !== null
                implicitHeight: nowExpectedRow.implicitHeight + Theme.mm(2)
                color: Theme.attentionBackground
                radius: Theme.mm(1)
                RowLayout {
                    id: nowExpectedRow
                    anchors.fill: parent
                    anchors.margins: Theme.mm(1)
                    anchors.leftMargin: Theme.gap
                    spacing: Theme.gap
                    Text {
                        textFormat: Text.PlainText
                        Layout.fillWidth: true
                        text: root.nowExpected !== null
                              ? qsTr("\u2605 Now expected: case %1, line %2").arg(root.nowExpected.case_number).arg(root.nowExpected.line)
                              : ""
                        color: Theme.attentionText
                        font.pixelSize: Theme.bodySize
                        font.family: Theme.fontFamily
                        font.bold: true
                        wrapMode: Text.WordWrap
                    }
                    BigButton {
                        objectName: "assignNowExpected"
                        text: root.nowExpected !== null
                              ? qsTr("\u2714 Receive on case %1, line %2").arg(root.nowExpected.case_number).arg(root.nowExpected.line)
                              : ""
                        tint: Theme.successBackground
                        enabled: !Supervisor.busy
                        opacity: enabled ? 1 : 0.45
                        onClicked: Supervisor.assignNowExpected(root.exceptionId)
                    }
                }
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                visible: root.loaded && !root.open
                elide: Text.ElideRight
                text: qsTr("\u2714 Resolved: %1 by %2. Note: %3").arg(SupervisorWords.resolutionLabel(root.exc.resolution ?? ""))
                      .arg(root.exc.resolver ?? "").arg(root.exc.notes ?? "")
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("Scans of this serial")
                color: Theme.accent
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
            }
            ListView {
                objectName: "serialHistory"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: 2
                model: root.loaded ? root.detail.serial_history : []
                delegate: ScanHistoryDelegate { width: ListView.view.width }
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("Scans in this box")
                color: Theme.accent
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
            }
            ListView {
                objectName: "boxHistory"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: 2
                model: root.loaded ? root.detail.box_history : []
                delegate: ScanHistoryDelegate { width: ListView.view.width }
            }
        }

        // The resolution.
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 4
            visible: root.loaded && root.open
            spacing: Theme.mm(1.5)
            Text {
                textFormat: Text.PlainText
                text: qsTr("Resolve")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
                font.bold: true
            }
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: Theme.mm(1.5)
                rowSpacing: Theme.mm(1.5)
                Repeater {
                    model: Supervisor.resolutions
                    SupervisorChip {
                        required property string modelData
                        objectName: "resolution_" + modelData
                        Layout.fillWidth: true
                        text: SupervisorWords.resolutionLabel(modelData)
                        chosen: root.resolution === modelData
                        onClicked: root.resolution = modelData
                    }
                }
            }
            SupervisorNoteField {
                id: note
                objectName: "resolutionNote"
                Layout.fillWidth: true
                placeholderText: qsTr("Note (required): what you found")
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                visible: root.resolution === "assign_to_case"
                spacing: Theme.mm(1)
                SupervisorSearchField {
                    objectName: "assignSearch"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Case number, customer or serial \u2014 or scan")
                    onSearch: text => Supervisor.searchCases(text)
                }
                ListView {
                    objectName: "assignCases"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: 2
                    model: Supervisor.cases
                    delegate: CaseDelegate {
                        width: ListView.view.width
                        compact: true
                        picked: root.caseNumber === caseNumber
                        onChosen: number => root.caseNumber = number
                    }
                }
            }
            Item { Layout.fillHeight: root.resolution !== "assign_to_case" }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: root.resolution === "" ? qsTr("Choose a resolution.")
                      : note.text.trim() === "" ? qsTr("Write a note.")
                      : root.resolution === "assign_to_case" && root.caseNumber === "" ? qsTr("Pick the case.")
                      : root.resolution === "assign_to_case" ? qsTr("Assign to case %1.").arg(root.caseNumber)
                      : SupervisorWords.resolutionLabel(root.resolution) + "."
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
            }
            BigButton {
                objectName: "resolveButton"
                Layout.fillWidth: true
                text: qsTr("\u2714 Resolve exception")
                tint: Theme.successBackground
                enabled: root.resolution !== "" && note.text.trim() !== ""
                         && (root.resolution !== "assign_to_case" || root.caseNumber !== "") && !Supervisor.busy
                opacity: enabled ? 1 : 0.45
                onClicked: Supervisor.resolveException(root.exceptionId, root.resolution, note.text.trim(),
                                                       root.resolution === "assign_to_case" ? root.caseNumber : "")
            }
        }
    }
}
