// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A supervisor's note, typed on the on-screen keyboard. It never takes a scan: the keyboard wedge hands scans
// to the station, not to this field.
TextField {
    id: root
    implicitHeight: Theme.touchTarget
    font.pixelSize: Theme.bodySize
    font.family: Theme.fontFamily
    color: Theme.text
    placeholderTextColor: Theme.mutedText
    selectionColor: Theme.accent
    selectedTextColor: Theme.attentionText
    maximumLength: 2000
    leftPadding: Theme.gap
    rightPadding: Theme.gap
    background: Rectangle {
        color: Theme.surface
        radius: Theme.mm(1.5)
        border.color: root.activeFocus ? Theme.accent : Theme.mutedText
        border.width: root.activeFocus ? 3 : 1
    }
    // The style's placeholder is a Text that guesses its format; every text item here is PlainText.
    Component.onCompleted: {
        for (let i = 0; i < root.children.length; ++i) {
            const child = root.children[i]
            if ("textFormat" in child)
                child.textFormat = Text.PlainText
        }
    }
}
