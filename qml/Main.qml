// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import ReceivingStation.Station

// The kiosk window: sign-in until someone is signed in, then the receive screen; the status strip always.
ApplicationWindow {
    id: root
    visible: true
    color: Theme.background
    title: qsTr("Receiving Station")
    // A signed-in supervisor may switch to the supervisor pages; signing out always returns to receiving.
    property bool supervisorMode: false
    Connections {
        target: Station
        function onSessionChanged() { if (!Station.supervisor) root.supervisorMode = false }
        // A scan made on the supervisor pages (outside their search field) is a receipt like any other: go back
        // to the receive screen so its verdict banner shows.
        function onVerdictChanged() { root.supervisorMode = false }
    }

    ColumnLayout {
        anchors.fill: parent
        // The page shrinks while the on-screen keyboard is up, so the field being typed into stays in view.
        anchors.bottomMargin: keyboard.active ? keyboard.height : 0
        spacing: 0

        Loader {
            Layout.fillWidth: true
            Layout.fillHeight: true
            sourceComponent: (Station.maintenance.damaged ?? false) ? damagedPage
                             : !Station.ready ? startingPage : !Station.signedIn ? signInPage
                             : (root.supervisorMode && Station.supervisor) ? supervisorPages : receivePage
        }
        Rectangle {
            objectName: "supervisorBar"
            Layout.fillWidth: true
            visible: Station.signedIn && Station.supervisor && !root.supervisorMode && !keyboard.active
            implicitHeight: Theme.touchTarget + Theme.mm(2)
            color: Theme.surface
            BigButton {
                objectName: "openSupervisorPages"
                anchors.centerIn: parent
                text: qsTr("Supervisor: exceptions, cases, sync, settings")
                onClicked: root.supervisorMode = true
            }
        }
        StatusStrip {
            Layout.fillWidth: true
        }
    }

    // The on-screen keyboard for the supervisor's search and notes, the way Qt's examples place it: a child of
    // the window, below its bottom edge until a text field asks for it. (Inside a layout or an invisible holder,
    // Qt Virtual Keyboard 6.4 lays Shift, Backspace, Enter and the symbol keys out at zero width.)
    InputPanel {
        id: keyboard
        objectName: "inputPanel"
        z: 100
        x: 0
        y: active ? root.height - height : root.height
        width: root.width
    }

    Component {
        id: startingPage
        Item {
            Text {
                anchors.centerIn: parent
                width: parent.width * 0.8
                wrapMode: Text.WordWrap
                horizontalAlignment: Text.AlignHCenter
                text: Station.databaseError !== "" ? qsTr("The station cannot open its database: %1").arg(Station.databaseError)
                                                    : qsTr("Starting\u2026")
                color: Station.databaseError !== "" ? Theme.lateText : Theme.text
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
            }
        }
    }
    Component { id: damagedPage; DamagedDatabasePage {} }
    Component { id: signInPage; SignInPage {} }
    Component { id: receivePage; ReceivePage {} }
    Component { id: supervisorPages; SupervisorPages { onBackToReceiving: root.supervisorMode = false } }
}
