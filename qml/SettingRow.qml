// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One station setting from the database's settings table: its value, and an editor. Numbers get large minus
// and plus buttons (gloves), text the on-screen keyboard. Save sends it to C++, which checks the role and the
// value and writes the audit log.
Rectangle {
    id: root
    required property var modelData
    readonly property string key: modelData.key
    readonly property string value: modelData.value
    readonly property bool numeric: key === "volume" || key.endsWith("_minutes")
    readonly property int step: key === "volume" ? 10 : 5
    readonly property int lowest: key === "volume" ? 0 : 1
    readonly property int highest: key === "volume" ? 100 : 480
    property string draft: value
    signal save(string key, string value)

    onValueChanged: draft = value
    implicitHeight: Math.max(Theme.touchTarget + Theme.mm(2), row.implicitHeight + Theme.mm(2))
    color: Theme.surface
    border.color: Theme.rule
    radius: Theme.mm(1)

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: SupervisorWords.settingLabel(root.key)
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.modelData.set ? qsTr("Saved: %1").arg(root.value) : qsTr("Not set: the configuration file applies")
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize * 0.85
                font.family: Theme.fontFamily
                elide: Text.ElideRight
            }
        }
        BigButton {
            visible: root.numeric
            text: "\u2212"
            onClicked: root.draft = String(Math.max(root.lowest, (parseInt(root.draft) || 0) - root.step))
        }
        Text {
            textFormat: Text.PlainText
            visible: root.numeric
            Layout.preferredWidth: Theme.mm(18)
            horizontalAlignment: Text.AlignHCenter
            text: root.draft === "" ? qsTr("not set") : root.draft
            color: Theme.text
            font.pixelSize: root.draft === "" ? Theme.bodySize : Theme.headingSize
            font.family: Theme.fontFamily
            font.bold: true
        }
        BigButton {
            visible: root.numeric
            text: "+"
            onClicked: root.draft = String(Math.min(root.highest, (parseInt(root.draft) || 0) + root.step))
        }
        SupervisorNoteField {
            visible: !root.numeric
            Layout.preferredWidth: Theme.mm(60)
            text: root.draft
            maximumLength: 64
            inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
            onTextEdited: root.draft = text
        }
        BigButton {
            objectName: "save_" + root.key
            text: qsTr("Save")
            tint: Theme.successBackground
            enabled: root.draft !== root.value && root.draft.trim() !== ""
            opacity: enabled ? 1 : 0.45
            onClicked: root.save(root.key, root.draft.trim())
        }
    }
}
