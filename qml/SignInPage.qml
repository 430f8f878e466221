// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts
import ReceivingStation.Station

// Signed out: scan your badge, or type your PIN on the keypad; pick the language first if you like.
Item {
    id: root
    objectName: "signInPage"

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 2
        spacing: Theme.gap * 3

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            spacing: Theme.gap * 2
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: qsTr("Scan your badge to sign in")
                color: Theme.text
                font.pixelSize: Theme.verdictWordSize
                font.family: Theme.fontFamily
                font.bold: true
                wrapMode: Text.WordWrap
            }
            Text {
                objectName: "signInMessage"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: Station.pinLockedSeconds > 0
                      ? qsTr("Too many wrong PINs. PIN sign-in opens again in %1:%2. Your badge still works.")
                            .arg(Math.floor(Station.pinLockedSeconds / 60))
                            .arg(Station.pinLockedSeconds % 60 < 10 ? "0" + Station.pinLockedSeconds % 60 : Station.pinLockedSeconds % 60)
                      : Station.pinMessage !== "" ? Station.pinMessage
                      : Station.signInMessage !== "" ? Station.signInMessage : qsTr("or type your PIN")
                color: Station.pinLockedSeconds > 0 || Station.pinMessage !== "" || Station.signInMessage !== ""
                       ? Theme.lateText : Theme.mutedText
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
                wrapMode: Text.WordWrap
            }
            RowLayout {
                objectName: "languages"
                spacing: Theme.gap
                Repeater {
                    // Each language in its own words, so anyone finds theirs.
                    model: [{ code: "en", name: "English" }, { code: "es", name: "Español" }]
                    BigButton {
                        required property var modelData
                        objectName: "language_" + modelData.code
                        text: (Station.language === modelData.code ? "\u2714 " : "") + modelData.name
                        tint: Station.language === modelData.code ? Theme.successBackground : Theme.buttonBackground
                        onClicked: Station.setLanguage(modelData.code)
                    }
                }
            }
        }
        Keypad {
            id: keypad
            objectName: "pinKeypad"
            Layout.alignment: Qt.AlignVCenter
            secret: true
            maxLength: 8
            enabled: Station.pinLockedSeconds === 0 && !Station.pinBusy
            opacity: enabled ? 1 : 0.5
            onAccepted: value => {
                Station.signInWithPin(value)
                keypad.entry = ""
            }
        }
    }
}
