// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One setting of the database's settings table: its value, what applies while it is unset, when a change
// takes effect, and an editor. The row's range, choices, default and timing come from StationSettings through
// SupervisorController, so the page never offers a value the service refuses. Numbers get large minus and
// plus buttons (gloves), choices one button each, text the on-screen keyboard. Save sends it to C++, which
// checks the role and the value and writes the audit log.
Rectangle {
    id: root
    required property var modelData
    readonly property string key: modelData.key
    readonly property string value: modelData.value
    readonly property bool numeric: modelData.numeric === true
    readonly property var choices: modelData.choices ?? []
    readonly property bool choice: !numeric && choices.length > 0
    readonly property real lowest: Number(modelData.minimum ?? 0)
    readonly property real highest: Number(modelData.maximum ?? 0)
    readonly property string unit: modelData.unit ?? ""
    readonly property string defaultValue: modelData.defaultValue ?? ""
    readonly property string fallback: modelData.fallback ?? ""
    // Few enough taps from one end to the other; the buttons repeat while held.
    readonly property int step: highest - lowest <= 60 ? 1 : highest - lowest <= 600 ? 5 : 15
    property string draft: value
    readonly property bool draftValid: {
        const text = draft.trim()
        if (text === "")
            return false
        if (numeric) {
            if (!/^[0-9]+$/.test(text))
                return false
            const n = parseInt(text, 10)
            return n >= lowest && n <= highest
        }
        if (choice)
            return choices.indexOf(text) >= 0
        return true
    }
    signal save(string key, string value)

    // The next value up or down, on the step's grid and within the range; an unset row starts from its
    // default, else from the smallest value.
    function stepped(direction: int): string {
        const start = draft !== "" ? parseInt(draft, 10)
                                   : defaultValue !== "" ? parseInt(defaultValue, 10) : lowest
        const current = isNaN(start) ? lowest : start
        const next = direction > 0 ? (Math.floor(current / step) + 1) * step
                                   : (Math.ceil(current / step) - 1) * step
        return String(Math.min(highest, Math.max(lowest, next)))
    }

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
                wrapMode: Text.WordWrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
            Text {
                objectName: "settingState_" + root.key
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.modelData.set
                      ? qsTr("Saved: %1").arg(SupervisorWords.settingValue(root.key, root.value, root.unit))
                      : root.fallback !== ""
                        ? qsTr("Not set: %1 in station.conf applies").arg(root.fallback)
                        : root.defaultValue !== ""
                          ? qsTr("Not set: %1 (the default)")
                                .arg(SupervisorWords.settingValue(root.key, root.defaultValue, root.unit))
                          : qsTr("Not set")
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize * 0.85
                font.family: Theme.fontFamily
                wrapMode: Text.WordWrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
            Text {
                objectName: "settingApplies_" + root.key
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: SupervisorWords.settingApplies(root.modelData.applies ?? "")
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize * 0.85
                font.family: Theme.fontFamily
                wrapMode: Text.WordWrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
        }
        BigButton {
            objectName: "down_" + root.key
            visible: root.numeric
            text: "\u2212"
            autoRepeat: true
            enabled: root.draft === "" || parseInt(root.draft, 10) > root.lowest
            opacity: enabled ? 1 : 0.45
            onClicked: root.draft = root.stepped(-1)
        }
        Text {
            objectName: "draft_" + root.key
            textFormat: Text.PlainText
            visible: root.numeric
            Layout.preferredWidth: Theme.mm(22)
            horizontalAlignment: Text.AlignHCenter
            text: root.draft === "" ? qsTr("not set") : SupervisorWords.settingValue(root.key, root.draft, root.unit)
            color: Theme.text
            font.pixelSize: root.draft === "" ? Theme.bodySize : Theme.headingSize
            font.family: Theme.fontFamily
            font.bold: true
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: Theme.bodySize
        }
        BigButton {
            objectName: "up_" + root.key
            visible: root.numeric
            text: "+"
            autoRepeat: true
            enabled: root.draft === "" || parseInt(root.draft, 10) < root.highest
            opacity: enabled ? 1 : 0.45
            onClicked: root.draft = root.stepped(1)
        }
        Repeater {
            model: root.choice ? root.choices : []
            delegate: BigButton {
                id: choiceButton
                required property string modelData
                readonly property bool chosen: root.draft === choiceButton.modelData
                objectName: "choice_" + root.key + "_" + choiceButton.modelData
                text: (choiceButton.chosen ? "\u2714 " : "")
                      + SupervisorWords.settingValue(root.key, choiceButton.modelData, root.unit)
                tint: choiceButton.chosen ? Theme.successBackground : Theme.buttonBackground
                onClicked: root.draft = choiceButton.modelData
            }
        }
        SupervisorNoteField {
            visible: !root.numeric && !root.choice
            Layout.preferredWidth: Theme.mm(60)
            text: root.draft
            maximumLength: root.highest > 0 ? root.highest : 64
            inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
            onTextEdited: root.draft = text
        }
        BigButton {
            objectName: "save_" + root.key
            text: qsTr("Save")
            tint: Theme.successBackground
            enabled: root.draft !== root.value && root.draftValid
            opacity: enabled ? 1 : 0.45
            onClicked: root.save(root.key, root.draft.trim())
        }
    }
}
