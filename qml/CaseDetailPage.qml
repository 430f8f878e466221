// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// One case for the supervisor: each expected line with its state, and the approval of a partial closure
// (with a note, confirmed) while the case is open.
Item {
    id: root
    required property string caseNumber
    signal back()
    readonly property var detail: Supervisor.caseDetail
    readonly property bool loaded: (detail.case_number ?? "") === root.caseNumber
    readonly property bool isOpen: (detail.status ?? "") === "open"
    readonly property var lines: root.loaded ? (detail.lines ?? []) : []
    readonly property int missingCount: {
        let n = 0
        for (const l of root.lines)
            n += Math.max(0, (l.quantity ?? 0) - (l.received ?? 0))
        return n
    }
    property bool confirming: false

    Component.onCompleted: Supervisor.openCase(root.caseNumber)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.mm(1.5)

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            BigButton {
                objectName: "backToCases"
                text: qsTr("\u2039 Cases")
                onClicked: root.back()
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: root.loaded ? qsTr("Case %1 \u2014 %2").arg(root.caseNumber).arg(root.detail.customer?.name ?? root.detail.customer ?? "")
                                      : qsTr("Case %1: loading\u2026").arg(root.caseNumber)
                    color: Theme.text
                    font.pixelSize: Theme.headingSize
                    font.family: Theme.fontFamily
                    font.bold: true
                    elide: Text.ElideRight
                }
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    visible: root.loaded
                    text: qsTr("%1 \u00B7 %2 \u00B7 phase %3 \u00B7 due %4 \u00B7 %5")
                          .arg(SupervisorWords.caseStatusLabel(root.detail.status ?? ""))
                          .arg(root.detail.disposition ?? "").arg(root.detail.phase ?? "")
                          .arg(root.detail.due_date ?? "")
                          .arg(root.detail.late ? qsTr("LATE by %1 days").arg(-(root.detail.days_left ?? 0))
                                                : qsTr("%1 days left").arg(root.detail.days_left ?? 0))
                    color: root.detail.late ? Theme.lateText : Theme.mutedText
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    elide: Text.ElideRight
                }
            }
            // A certificate of receipt into the report folder (C++ checks the supervisor and the folder).
            BigButton {
                objectName: "issueCertificate"
                text: qsTr("Certificate")
                visible: root.loaded
                enabled: !Supervisor.busy
                onClicked: Supervisor.issueCertificate(root.caseNumber)
            }
        }

        ListView {
            objectName: "caseLines"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 2
            model: root.lines
            ScrollBar.vertical: ScrollBar { width: Theme.mm(4); policy: ScrollBar.AsNeeded }
            delegate: CaseLineDelegate { width: ListView.view.width - Theme.mm(5) }
        }

        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            visible: root.loaded && !root.isOpen
            text: qsTr("This case is %1: nothing to approve.").arg(SupervisorWords.caseStatusLabel(root.detail.status ?? ""))
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        RowLayout {
            Layout.fillWidth: true
            visible: root.loaded && root.isOpen
            spacing: Theme.gap
            SupervisorNoteField {
                id: note
                objectName: "partialNote"
                Layout.fillWidth: true
                placeholderText: qsTr("Note for a partial closure (required)")
            }
            BigButton {
                objectName: "approvePartial"
                text: qsTr("Approve partial closure")
                enabled: note.text.trim() !== "" && !Supervisor.busy
                opacity: enabled ? 1 : 0.45
                onClicked: root.confirming = true
            }
        }
    }

    Popup {
        id: confirm
        objectName: "confirmPartial"
        anchors.centerIn: parent
        modal: true
        focus: false
        visible: root.confirming
        onClosed: root.confirming = false
        background: Rectangle { color: Theme.surface; border.color: Theme.text; radius: Theme.mm(2) }
        ColumnLayout {
            spacing: Theme.gap
            Text {
                textFormat: Text.PlainText
                Layout.maximumWidth: Theme.mm(180)
                wrapMode: Text.WordWrap
                text: qsTr("Close case %1 now with %2 units still missing? The upstream is told it is a partial closure.")
                      .arg(root.caseNumber).arg(root.missingCount)
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
            }
            RowLayout {
                spacing: Theme.gap
                BigButton {
                    text: qsTr("Yes, close it")
                    tint: Theme.errorBackground
                    onClicked: {
                        Supervisor.approvePartialClosure(root.caseNumber, note.text.trim())
                        note.text = ""
                        root.confirming = false
                    }
                }
                BigButton { text: qsTr("No"); onClicked: root.confirming = false }
            }
        }
    }
}
