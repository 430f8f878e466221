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
    title: Station.desk ? qsTr("Receiving Station - supervisor desk") : qsTr("Receiving Station")
    // A signed-in supervisor may switch to the supervisor pages; signing out always returns to receiving.
    property bool supervisorMode: false
    // The supervisor's PIN sheet: a badge alone never opens the supervisor pages.
    property bool pinSheetOpen: false
    Connections {
        target: Station
        function onSessionChanged() {
            if (!Station.supervisor)
                root.supervisorMode = false
            if (!Station.supervisorRole)
                root.pinSheetOpen = false
            // The desk asks a signed-in supervisor for the PIN at once: it has nothing else to show.
            if (Station.desk && Station.supervisorRole && !Station.supervisor)
                root.pinSheetOpen = true
        }
        // A scan made on the supervisor pages (outside their search field) is a receipt like any other: go back
        // to the receive screen so its verdict banner shows.
        function onVerdictChanged() {
            root.supervisorMode = false
            // At the desk the only verdict is a supervisor's sign-in: the PIN comes next.
            root.pinSheetOpen = Station.desk && Station.supervisorRole && !Station.supervisor
        }
        function onSupervisorConfirmed() {
            root.pinSheetOpen = false
            root.supervisorMode = true
        }
    }

    ColumnLayout {
        anchors.fill: parent
        // The page shrinks while the on-screen keyboard is up, so the field being typed into stays in view.
        anchors.bottomMargin: root.keyboardHeight
        spacing: 0

        Loader {
            Layout.fillWidth: true
            Layout.fillHeight: true
            sourceComponent: (Station.maintenance.damaged ?? false) ? damagedPage
                             : !Station.ready ? startingPage : !Station.signedIn ? signInPage
                             : Station.desk ? (Station.supervisor ? supervisorPages : deskPage)
                             : (root.supervisorMode && Station.supervisor) ? supervisorPages : receivePage
        }
        Rectangle {
            objectName: "supervisorBar"
            Layout.fillWidth: true
            visible: Station.signedIn && Station.supervisorRole && !root.supervisorMode && !root.pinSheetOpen
                     && !(Station.desk && Station.supervisor)
                     && !root.keyboardUp
            implicitHeight: Theme.touchTarget + Theme.mm(2)
            color: Theme.surface
            BigButton {
                objectName: "openSupervisorPages"
                anchors.centerIn: parent
                text: Station.supervisor ? qsTr("Supervisor: exceptions, cases, sync, settings")
                                         : qsTr("Supervisor (PIN): exceptions, cases, sync, settings")
                onClicked: {
                    if (Station.supervisor) {
                        root.supervisorMode = true
                    } else {
                        Station.clearPinMessage()
                        root.pinSheetOpen = true
                    }
                }
            }
        }
        StatusStrip {
            Layout.fillWidth: true
        }
    }

    Loader {
        anchors.fill: parent
        anchors.bottomMargin: Theme.touchTarget // the status strip stays in view
        z: 50
        active: root.pinSheetOpen && Station.signedIn
        sourceComponent: SupervisorPinPage { onCancelled: root.pinSheetOpen = false }
    }

    // The on-screen keyboard for the supervisor's search and notes, placed as in Qt's examples: a child of the
    // window, below its bottom edge until a text field asks for it. Qt Virtual Keyboard 6.4 keeps the key
    // widths of its first layout: created while the window is still small (before it is shown full screen), it
    // squeezes Shift, Backspace, Enter and the symbol keys to nothing. So it is created only once the window has
    // kept one width for a moment, and made again if that width changes.
    readonly property bool keyboardUp: keyboardLoader.item ? keyboardLoader.item.active : false
    readonly property real keyboardHeight: keyboardUp ? keyboardLoader.item.height : 0
    Loader {
        id: keyboardLoader
        property real laidOutWidth: 0
        active: root.width > 0 && laidOutWidth === root.width
        z: 100
        x: 0
        width: root.width
        y: root.keyboardUp ? root.height - root.keyboardHeight : root.height
        sourceComponent: InputPanel {
            objectName: "inputPanel"
            width: keyboardLoader.width
        }
    }
    Timer {
        interval: 150
        running: keyboardLoader.laidOutWidth !== root.width
        onTriggered: keyboardLoader.laidOutWidth = root.width
    }

    Component {
        id: startingPage
        Item {
            Text {
                textFormat: Text.PlainText
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
    Component {
        id: supervisorPages
        SupervisorPages {
            objectName: "supervisorPages"
            onBackToReceiving: Station.desk ? Station.signOut() : (root.supervisorMode = false)
        }
    }
    // The desk between a supervisor's badge and PIN (the PIN sheet lies over it).
    Component {
        id: deskPage
        Rectangle {
            color: Theme.background
            Text {
                anchors.centerIn: parent
                textFormat: Text.PlainText
                text: qsTr("Supervisor desk: enter your PIN to see every door's exceptions, cases and sync.")
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
            }
        }
    }
}
