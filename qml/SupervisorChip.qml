// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A filter choice: a full-size touch target; the chosen one is light with dark words and a tick, so it
// does not depend on colour alone.
Button {
    id: root
    property bool chosen: false
    focusPolicy: Qt.NoFocus
    implicitHeight: Theme.touchTarget
    implicitWidth: Math.max(Theme.touchTarget * 1.6, contentItem.implicitWidth + Theme.gap * 2)
    font.pixelSize: Theme.bodySize
    font.family: Theme.fontFamily
    font.bold: root.chosen
    contentItem: Text {
        textFormat: Text.PlainText
        text: (root.chosen ? "\u2714 " : "") + root.text
        font: root.font
        color: root.chosen ? Theme.attentionText : Theme.buttonText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        radius: Theme.mm(2)
        color: root.chosen ? Theme.accent : root.down ? Qt.lighter(Theme.buttonBackground, 1.4) : Theme.buttonBackground
        border.color: Theme.mutedText
        border.width: 1
    }
}
