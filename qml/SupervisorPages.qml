// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// The supervisor's pages behind one row of tabs: exceptions, cases, import a Trade-In Form, sync, settings;
// back to receiving; and leaving kiosk mode (C++ checks the signed-in operator is a supervisor). Details open
// over their list.
Item {
    id: root
    signal backToReceiving()
    property string section: "exceptions"
    property bool confirmingQuit: false

    function show(name) {
        root.section = name
        Supervisor.clearMessage()
        stack.replace(null, name === "exceptions" ? exceptionsPage : name === "cases" ? casesPage
                            : name === "import" ? importFormPage
                            : name === "reports" ? reportsPage
                            : name === "sync" ? syncPage : settingsPage)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: tabs.implicitHeight + Theme.mm(2)
            color: Theme.surface
            // A Flow, not a row: on a small high-density panel in Spanish the tabs wrap instead of leaving the screen.
            Flow {
                id: tabs
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                anchors.leftMargin: Theme.gap
                anchors.rightMargin: Theme.gap
                spacing: Theme.mm(1.5)
                SupervisorChip {
                    objectName: "tabExceptions"
                    text: Supervisor.exceptions.count > 0 ? qsTr("Exceptions (%1)").arg(Supervisor.exceptions.count) : qsTr("Exceptions")
                    chosen: root.section === "exceptions"
                    onClicked: root.show("exceptions")
                }
                SupervisorChip {
                    objectName: "tabCases"
                    text: qsTr("Cases")
                    chosen: root.section === "cases"
                    onClicked: root.show("cases")
                }
                SupervisorChip {
                    objectName: "tabImportForm"
                    text: qsTr("Import form")
                    chosen: root.section === "import"
                    onClicked: root.show("import")
                }
                SupervisorChip {
                    objectName: "tabReports"
                    text: qsTr("Reports")
                    chosen: root.section === "reports"
                    onClicked: root.show("reports")
                }
                SupervisorChip {
                    objectName: "tabSync"
                    text: (Station.sync.credentialProblem ?? false) || (Station.sync.dead ?? 0) > 0
                          || (Station.sync.reportError ?? "") !== "" ? qsTr("\u26A0 Sync") : qsTr("Sync")
                    chosen: root.section === "sync"
                    onClicked: root.show("sync")
                }
                SupervisorChip {
                    objectName: "tabSettings"
                    text: qsTr("Settings")
                    chosen: root.section === "settings"
                    onClicked: root.show("settings")
                }
                BigButton {
                    objectName: "backToReceiving"
                    text: Station.desk ? qsTr("Sign out") : qsTr("\u2039 Receiving")
                    tint: Theme.successBackground
                    onClicked: root.backToReceiving()
                }
                BigButton {
                    objectName: "leaveKiosk"
                    text: qsTr("Leave kiosk")
                    tint: Theme.errorBackground
                    onClicked: root.confirmingQuit = true
                }
            }
        }

        Rectangle {
            objectName: "supervisorMessage"
            Layout.fillWidth: true
            visible: Supervisor.message !== ""
            implicitHeight: messageRow.implicitHeight + Theme.mm(2)
            color: Supervisor.messageIsError ? Theme.errorBackground : Theme.successBackground
            RowLayout {
                id: messageRow
                anchors.fill: parent
                anchors.leftMargin: Theme.gap
                anchors.rightMargin: Theme.gap
                Text {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: (Supervisor.messageIsError ? "\u2716 " : "\u2714 ") + Supervisor.message
                    color: Supervisor.messageIsError ? Theme.errorText : Theme.successText
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
                BigButton {
                    text: qsTr("OK")
                    onClicked: Supervisor.clearMessage()
                }
            }
        }

        StackView {
            id: stack
            objectName: "supervisorStack"
            Layout.fillWidth: true
            Layout.fillHeight: true
            initialItem: exceptionsPage
            // Instant: a tap shows its page at once, nothing slides under a gloved finger.
            pushEnter: null; pushExit: null; popEnter: null; popExit: null; replaceEnter: null; replaceExit: null
        }
    }

    Component {
        id: exceptionsPage
        ExceptionsPage {
            onOpenException: id => stack.push(exceptionDetail, { exceptionId: id })
        }
    }
    Component {
        id: exceptionDetail
        ExceptionDetailPage {
            onBack: stack.pop()
        }
    }
    Component {
        id: casesPage
        CasesPage {
            onOpenCase: number => stack.push(caseDetail, { caseNumber: number })
        }
    }
    Component {
        id: caseDetail
        CaseDetailPage {
            onBack: stack.pop()
        }
    }
    Component {
        id: importFormPage
        ImportFormPage {
            onOpenCase: number => stack.push(caseDetail, { caseNumber: number })
        }
    }
    Component { id: syncPage; SyncPage {} }
    Component { id: settingsPage; SettingsPage {} }
    Component { id: reportsPage; ReportsPage {} }

    Popup {
        objectName: "confirmLeaveKiosk"
        anchors.centerIn: parent
        modal: true
        focus: false
        visible: root.confirmingQuit
        onClosed: root.confirmingQuit = false
        background: Rectangle { color: Theme.surface; border.color: Theme.text; radius: Theme.mm(2) }
        ColumnLayout {
            spacing: Theme.gap
            Text {
                textFormat: Text.PlainText
                Layout.maximumWidth: Theme.mm(180)
                wrapMode: Text.WordWrap
                text: qsTr("Leave kiosk mode? The station stops receiving until it is started again.")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
            }
            RowLayout {
                spacing: Theme.gap
                BigButton {
                    objectName: "confirmLeave"
                    text: qsTr("Yes, leave")
                    tint: Theme.errorBackground
                    onClicked: {
                        root.confirmingQuit = false
                        Station.requestQuit()
                    }
                }
                BigButton { text: qsTr("No"); onClicked: root.confirmingQuit = false }
            }
        }
    }
}
