// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// The one text field a barcode scan may fill: the keyboard wedge sees `acceptsScans` on the focused field and
// commits the scanned text into it (then Enter), instead of receiving the scan. The text is selected after
// each search, so the next scan or typing replaces it. Typing uses the on-screen keyboard.
TextField {
    id: root
    property bool acceptsScans: true
    signal search(string text)

    implicitHeight: Theme.touchTarget
    font.pixelSize: Theme.bodySize
    font.family: Theme.fontFamily
    color: Theme.text
    placeholderTextColor: Theme.mutedText
    selectionColor: Theme.accent
    selectedTextColor: Theme.attentionText
    inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
    leftPadding: Theme.gap
    rightPadding: Theme.gap
    background: Rectangle {
        color: Theme.surface
        radius: Theme.mm(1.5)
        border.color: root.activeFocus ? Theme.accent : Theme.mutedText
        border.width: root.activeFocus ? 3 : 1
    }
    onAccepted: {
        root.search(root.text.trim())
        root.selectAll()
    }
    onActiveFocusChanged: if (activeFocus) selectAll()
    // The style's placeholder is a Text that guesses its format; every text item here is PlainText.
    Component.onCompleted: {
        for (let i = 0; i < root.children.length; ++i) {
            const child = root.children[i]
            if ("textFormat" in child)
                child.textFormat = Text.PlainText
        }
    }
}
