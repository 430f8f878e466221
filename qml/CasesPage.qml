// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// Cases: search by case number, serial, tracking number or customer (a scan while the field has focus fills
// it); below, the cases due within 14 days with nothing received, and the boxes still open (shift change).
Item {
    id: root
    signal openCase(string caseNumber)
    readonly property bool searching: Supervisor.searchedText !== ""

    Component.onCompleted: Supervisor.refreshCaseOverview()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            SupervisorSearchField {
                id: search
                objectName: "caseSearch"
                Layout.fillWidth: true
                placeholderText: qsTr("Case number, serial, tracking number or customer \u2014 or scan")
                onSearch: text => Supervisor.searchCases(text)
            }
            BigButton {
                text: qsTr("Search")
                onClicked: Supervisor.searchCases(search.text.trim())
            }
            BigButton {
                visible: root.searching
                text: qsTr("Clear")
                onClicked: {
                    search.text = ""
                    Supervisor.searchCases("")
                    Supervisor.refreshCaseOverview()
                }
            }
        }

        // Search results.
        Text {
            textFormat: Text.PlainText
            visible: root.searching
            Layout.fillWidth: true
            text: Supervisor.cases.count === 0 ? qsTr("No case matches \u201C%1\u201D.").arg(Supervisor.searchedText)
                                              : qsTr("Cases matching \u201C%1\u201D: %2").arg(Supervisor.searchedText).arg(Supervisor.cases.count)
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            font.bold: true
            elide: Text.ElideRight
        }
        ListView {
            objectName: "caseResults"
            visible: root.searching
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.mm(1)
            model: Supervisor.cases
            delegate: CaseDelegate {
                width: ListView.view.width
                onChosen: number => root.openCase(number)
            }
        }

        // Overview when not searching.
        RowLayout {
            visible: !root.searching
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap * 2
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: qsTr("\u26A0 Due within 14 days, nothing received (%1)").arg(Supervisor.dueSoon.count)
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    font.bold: true
                    elide: Text.ElideRight
                }
                ListView {
                    objectName: "dueSoon"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: Theme.mm(1)
                    model: Supervisor.dueSoon
                    delegate: CaseDelegate {
                        width: ListView.view.width
                        onChosen: number => root.openCase(number)
                    }
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: qsTr("Boxes still open (%1)").arg(Supervisor.openBoxes.count)
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    font.bold: true
                }
                ListView {
                    objectName: "openBoxes"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: Theme.mm(1)
                    model: Supervisor.openBoxes
                    delegate: OpenBoxDelegate {
                        width: ListView.view.width
                        onChosen: number => root.openCase(number)
                    }
                }
            }
        }
    }
}
