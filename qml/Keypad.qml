// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// A large on-screen keypad for PINs and typed serials; emits the finished entry. Digits only unless
// `letters` is set (serials), which adds an A-Z row selector.
Item {
    id: root
    property bool secret: false
    property bool letters: false
    property string entry: ""
    property string prompt: ""
    property bool spaces: false      // free text (a note), not a serial
    property int maxLength: 32
    signal accepted(string value)

    implicitWidth: grid.implicitWidth
    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        anchors.fill: parent
        spacing: Theme.gap

        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: root.prompt
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget
            color: Theme.surface
            border.color: Theme.mutedText
            Text {
                textFormat: Text.PlainText
                anchors.centerIn: parent
                width: parent.width - Theme.gap * 2
                horizontalAlignment: Text.AlignHCenter
                elide: Text.ElideLeft
                text: root.secret ? "\u25CF".repeat(root.entry.length) : root.entry
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
            }
        }
        GridLayout {
            id: grid
            columns: root.letters ? 10 : 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: root.letters ? "1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ-".split("") : "123456789".split("").concat(["\u232B", "0", "OK"])
                BigButton {
                    required property string modelData
                    objectName: "key_" + (modelData === "\u232B" ? "back" : modelData.toLowerCase())
                    text: modelData
                    implicitWidth: Theme.touchTarget * (root.letters ? 1.05 : 1.6)
                    onClicked: {
                        if (modelData === "\u232B")
                            root.entry = root.entry.slice(0, -1)
                        else if (modelData === "OK")
                            root.accepted(root.entry)
                        else if (root.entry.length < root.maxLength)
                            root.entry += modelData
                    }
                }
            }
        }
        RowLayout {
            visible: root.letters
            spacing: Theme.gap
            BigButton { text: qsTr("Space"); visible: root.spaces; onClicked: if (root.entry.length < root.maxLength) root.entry += " " }
            BigButton { text: qsTr("Delete"); onClicked: root.entry = root.entry.slice(0, -1) }
            BigButton { text: qsTr("Clear"); onClicked: root.entry = "" }
            BigButton { text: qsTr("Done"); objectName: "keypadDone"; tint: Theme.successBackground; onClicked: root.accepted(root.entry) }
        }
    }
}
