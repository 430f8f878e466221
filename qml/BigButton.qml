// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A button a gloved hand hits: at least 16 mm each way, large words, never takes keyboard focus from the wedge.
Button {
    id: root
    property color tint: Theme.buttonBackground
    focusPolicy: Qt.NoFocus
    implicitHeight: Theme.touchTarget
    Layout.minimumWidth: Theme.touchTarget
    Layout.minimumHeight: Theme.touchTarget
    implicitWidth: Math.max(Theme.touchTarget * 1.6, contentItem.implicitWidth + Theme.gap * 2)
    font.pixelSize: Theme.bodySize
    font.family: Theme.fontFamily
    font.bold: true
    contentItem: Text {
        textFormat: Text.PlainText
        text: root.text
        font: root.font
        color: Theme.buttonText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        // Two lines rather than a cut-off word when a row of buttons is narrow (1280 px, Spanish).
        wrapMode: Text.WordWrap
        maximumLineCount: 2
        elide: Text.ElideRight
    }
    background: Rectangle {
        radius: Theme.mm(2)
        color: root.down ? Qt.lighter(root.tint, 1.4) : root.tint
        border.color: Theme.mutedText
        border.width: 1
    }
}
