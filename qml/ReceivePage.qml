// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// The dock worker's screen: the verdict banner on top, the open box with its case checklist, the last scans,
// and the few actions a worker needs.
Item {
    id: root
    objectName: "receivePage"

    function showHelp() { sheet.source = "HelpPage.qml" }
    function showCondition() { sheet.source = "ConditionPage.qml" }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        VerdictBanner {
            id: banner
            objectName: "verdictBanner"
            Layout.fillWidth: true
            severity: Station.verdict.severity ?? ""
            outcome: Station.verdict.outcome ?? ""
            serial: Station.verdict.serial ?? ""
            message: Station.verdict.message ?? ""
            late: Station.verdict.late ?? false
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.leftMargin: Theme.gap
            Layout.rightMargin: Theme.gap
            spacing: Theme.gap

            // The case and its checklist take 58 % of the width, the last scans the rest, whatever the words.
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: (parent.width - Theme.gap) * 0.58
                Layout.minimumWidth: 0
                spacing: Theme.mm(1)
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: Station.box.open
                          ? (Station.box.caseNumber !== "" ? qsTr("Case %1 \u2014 %2").arg(Station.box.caseNumber).arg(Station.box.customer)
                                                           : qsTr("Box %1 (no case)").arg(Station.box.label))
                          : qsTr("No box open: scan the box label")
                    color: Theme.text
                    font.pixelSize: Theme.headingSize
                    font.family: Theme.fontFamily
                    font.bold: true
                    elide: Text.ElideRight
                }
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    visible: Station.box.open && Station.box.caseNumber !== ""
                    text: qsTr("Phase %1 \u00B7 due %2 \u00B7 %3 \u00B7 %4 of %5 received")
                          .arg(Station.box.phase).arg(Station.box.dueDate)
                          .arg(Station.box.late ? qsTr("LATE by %1 days").arg(-Station.box.daysLeft) : qsTr("%1 days left").arg(Station.box.daysLeft))
                          .arg(Station.box.receivedUnits).arg(Station.box.expectedUnits)
                    color: Station.box.late ? Theme.lateText : Theme.mutedText
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                }
                ListView {
                    objectName: "checklist"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: 2
                    model: Station.checklist
                    delegate: ChecklistDelegate { width: ListView.view.width }
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: (parent.width - Theme.gap) * 0.42
                Layout.minimumWidth: 0
                spacing: Theme.mm(1)
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    text: qsTr("Last scans")
                    color: Theme.mutedText
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                }
                ListView {
                    objectName: "recentScans"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: 2
                    model: Station.recentScans
                    delegate: RecentScanDelegate { width: ListView.view.width }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.gap
            Layout.rightMargin: Theme.gap
            spacing: Theme.gap
            BigButton { objectName: "undoButton"; Layout.fillWidth: true; text: qsTr("Undo last"); onClicked: undoConfirm.open() }
            BigButton { objectName: "boxDoneButton"; Layout.fillWidth: true; text: qsTr("Box done"); tint: Theme.successBackground; onClicked: Station.boxDone() }
            BigButton { objectName: "typeSerialButton"; Layout.fillWidth: true; text: qsTr("Type a serial"); onClicked: typeSerial.open() }
            BigButton { objectName: "conditionButton"; Layout.fillWidth: true; text: qsTr("Unit condition"); enabled: Station.box.open ?? false; onClicked: root.showCondition() }
            BigButton { objectName: "helpButton"; Layout.fillWidth: true; text: qsTr("Help"); onClicked: root.showHelp() }
            BigButton { objectName: "signOutButton"; Layout.fillWidth: true; text: qsTr("Sign out"); onClicked: Station.signOut() }
        }
    }

    Popup {
        id: undoConfirm
        anchors.centerIn: parent
        modal: true
        focus: false
        background: Rectangle { color: Theme.surface; border.color: Theme.text; radius: Theme.mm(2) }
        ColumnLayout {
            spacing: Theme.gap
            Text {
                textFormat: Text.PlainText
                text: qsTr("Undo the last unit of this box?")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
            }
            RowLayout {
                spacing: Theme.gap
                BigButton { text: qsTr("Yes, undo"); tint: Theme.errorBackground; onClicked: { Station.undoLast(); undoConfirm.close() } }
                BigButton { text: qsTr("No"); onClicked: undoConfirm.close() }
            }
        }
    }

    Popup {
        id: typeSerial
        anchors.centerIn: parent
        modal: true
        background: Rectangle { color: Theme.surface; border.color: Theme.text; radius: Theme.mm(2) }
        Keypad {
            id: serialPad
            letters: true
            prompt: qsTr("Type the serial number printed on the label")
            onAccepted: value => {
                if (value !== "")
                    Station.typeSerial(value)
                serialPad.entry = ""
                typeSerial.close()
            }
        }
    }

    // Help and condition sheets cover the page; a scan still goes to the station underneath, so every new
    // verdict closes whatever covers the banner: the worker must see what the scan did.
    Connections {
        target: Station
        function onVerdictChanged() {
            sheet.source = ""
            undoConfirm.close()
            typeSerial.close()
        }
    }
    Loader {
        id: sheet
        anchors.fill: parent
        z: 10
    }
    Connections {
        target: sheet.item
        ignoreUnknownSignals: true
        function onClosed() { sheet.source = "" }
    }
}
