// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// The kiosk window: sign-in until someone is signed in, then the receive screen; the status strip always.
ApplicationWindow {
    id: root
    visible: true
    color: Theme.background
    title: qsTr("Receiving Station")

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Loader {
            Layout.fillWidth: true
            Layout.fillHeight: true
            sourceComponent: (Station.maintenance.damaged ?? false) ? damagedPage
                             : !Station.ready ? startingPage : Station.signedIn ? receivePage : signInPage
        }
        StatusStrip {
            Layout.fillWidth: true
        }
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
}
