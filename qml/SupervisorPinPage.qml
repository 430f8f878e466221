// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts
import ReceivingStation.Station

// Over the receive screen: the signed-in supervisor's PIN, which their badge alone never replaces. The
// keypad is refused (and says for how long) while the station is locked after wrong PINs; Station checks the
// PIN off the scan thread and opens the supervisor pages (supervisorConfirmed).
Rectangle {
    id: root
    objectName: "supervisorPinPage"
    signal cancelled()
    color: Theme.background

    function lockText(seconds: int): string {
        const m = Math.floor(seconds / 60)
        const s = seconds % 60
        return qsTr("Too many wrong PINs. Try again in %1:%2.").arg(m).arg(s < 10 ? "0" + s : s)
    }

    // Nothing under the sheet takes a touch while it is up.
    MouseArea { anchors.fill: parent }

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
                text: qsTr("Supervisor PIN")
                color: Theme.text
                font.pixelSize: Theme.verdictWordSize
                font.family: Theme.fontFamily
                font.bold: true
                wrapMode: Text.WordWrap
            }
            Text {
                textFormat: Text.PlainText
                objectName: "supervisorPinMessage"
                Layout.fillWidth: true
                text: Station.pinLockedSeconds > 0 ? root.lockText(Station.pinLockedSeconds)
                      : Station.pinMessage !== "" ? Station.pinMessage
                      : qsTr("Type your PIN to open the supervisor pages. Your badge alone signs you in for dock work only.")
                color: Station.pinLockedSeconds > 0 || Station.pinMessage !== "" ? Theme.lateText : Theme.mutedText
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
                wrapMode: Text.WordWrap
            }
            BigButton {
                objectName: "supervisorPinCancel"
                text: qsTr("Back to receiving")
                onClicked: {
                    keypad.entry = ""
                    Station.clearPinMessage()
                    root.cancelled()
                }
            }
        }
        Keypad {
            id: keypad
            objectName: "supervisorPinKeypad"
            Layout.alignment: Qt.AlignVCenter
            secret: true
            maxLength: 8
            enabled: Station.pinLockedSeconds === 0 && !Station.pinBusy
            opacity: enabled ? 1 : 0.5
            onAccepted: value => {
                Station.confirmSupervisorPin(value)
                keypad.entry = ""
            }
        }
    }
}
