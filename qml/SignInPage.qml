// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts
import ReceivingStation.Station

// Signed out: scan your badge, or type your PIN on the keypad.
Item {
    id: root

    ColumnLayout {
        anchors.centerIn: parent
        spacing: Theme.gap * 2
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Scan your badge to sign in")
            color: Theme.text
            font.pixelSize: Theme.verdictWordSize
            font.family: Theme.fontFamily
            font.bold: true
        }
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: Station.signInMessage !== "" ? Station.signInMessage : qsTr("or type your PIN")
            color: Station.signInMessage !== "" ? Theme.lateText : Theme.mutedText
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
        }
        Keypad {
            id: keypad
            objectName: "pinKeypad"
            Layout.alignment: Qt.AlignHCenter
            secret: true
            onAccepted: value => {
                Station.signInWithPin(value)
                keypad.entry = ""
            }
        }
    }
}
