// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One Trade-In Form file the supervisor may import: its name, where it is (a removable volume or the forms
// folder, and the folder on it), when it was saved and how big it is. The whole row is the touch target; the
// picked one is light with dark words and a tick, so it does not depend on colour alone.
Rectangle {
    id: root
    required property int index
    required property string fileName
    required property string folder
    required property string source
    required property bool removable
    required property var size
    required property string modified
    property bool picked: false
    signal chosen(int index)

    objectName: "formFile_" + root.fileName
    readonly property color ink: root.picked ? Theme.attentionText : Theme.text
    implicitHeight: Math.max(Theme.touchTarget, content.implicitHeight + Theme.gap)
    color: root.picked ? Theme.accent : tap.pressed ? Theme.buttonBackground : Theme.surface
    border.color: Theme.rule
    radius: Theme.mm(1)

    function sizeLabel(bytes: real): string {
        return bytes < 1024 ? qsTr("%1 bytes").arg(bytes)
             : bytes < 1024 * 1024 ? qsTr("%1 KB").arg(Math.round(bytes / 1024))
             : qsTr("%1 MB").arg((bytes / (1024 * 1024)).toFixed(1))
    }

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap
        Text {
            textFormat: Text.PlainText
            text: root.picked ? "\u2714" : "\u25A4"
            color: root.ink
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.fileName
                color: root.ink
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideMiddle
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: (root.removable ? qsTr("Removable: %1").arg(root.source) : qsTr("Forms folder"))
                      + (root.folder !== "" ? " / " + root.folder : "")
                      + " \u00B7 " + SupervisorWords.when(root.modified) + " \u00B7 " + root.sizeLabel(root.size)
                color: root.picked ? Theme.attentionText : Theme.mutedText
                font.pixelSize: Theme.bodySize * 0.85
                font.family: Theme.fontFamily
                elide: Text.ElideMiddle
            }
        }
        Text {
            textFormat: Text.PlainText
            text: "\u203A"
            color: root.ink
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
        }
    }
    TapHandler {
        id: tap
        onTapped: root.chosen(root.index)
    }
}
