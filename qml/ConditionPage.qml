// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts
import ReceivingStation.Station

// The condition of a unit in the open box: pick the unit (newest first), then working, damaged or not
// working; the last two need a note: one tap on a common reason, or a few words on the keypad. Station
// records it on the worker thread (setUnitCondition, checked and audited in C++).
Rectangle {
    id: root
    objectName: "conditionPage"
    color: Theme.background
    signal closed()

    property var units: []
    property int unitIndex: 0
    property string condition: ""        // chosen, waiting for a note
    property bool typing: false
    property bool waiting: false
    readonly property var unit: units.length > unitIndex ? units[unitIndex] : null
    // Stored in English (the supervisor's records); shown in the worker's language.
    readonly property var reasons: [
        QT_TR_NOOP("Cracked or dented case"), QT_TR_NOOP("Bent rack ears"), QT_TR_NOOP("Missing parts"),
        QT_TR_NOOP("Burn marks or smell"), QT_TR_NOOP("Water or rust"), QT_TR_NOOP("Does not power on")
    ]

    function refresh() {
        units = Station.recentScans.unitsInBox(Station.box.id ?? 0)
        unitIndex = 0
        condition = ""
        typing = false
        waiting = false
    }
    function close() { root.closed() }
    function choose(value) {
        if (!unit)
            return
        if (value === "working")
            record(value, "")
        else
            condition = value
    }
    function record(value, note) {
        waiting = true
        Station.setUnitCondition(unit.receiptId, value, note)
    }

    Component.onCompleted: refresh()
    Connections {
        target: Station
        function onConditionChanged(ok) {
            root.waiting = false
            if (ok)
                root.close()
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 2
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: root.condition === "" ? qsTr("Condition of a unit")
                                            : qsTr("%1 is %2. Why?").arg(root.unit ? root.unit.serial : "")
                                                                    .arg(Theme.conditionName(root.condition).toLowerCase())
                color: Theme.text
                font.pixelSize: Theme.headingSize * 1.3
                font.family: Theme.fontFamily
                font.bold: true
                wrapMode: Text.WordWrap
                maximumLineCount: 2
            }
            BigButton {
                objectName: "conditionBack"
                visible: root.condition !== ""
                text: qsTr("Back")
                onClicked: { root.condition = ""; root.typing = false }
            }
            BigButton { objectName: "conditionClose"; text: qsTr("Cancel"); onClicked: root.close() }
        }
        Text {
            objectName: "conditionError"
            textFormat: Text.PlainText
            Layout.fillWidth: true
            visible: text !== ""
            text: root.units.length === 0 ? qsTr("No unit in this box yet. Scan a unit first.") : Station.conditionMessage
            color: Theme.lateText
            font.pixelSize: Theme.headingSize
            font.family: Theme.fontFamily
            wrapMode: Text.WordWrap
        }

        // Step 1: which unit, and how it is.
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: root.condition === "" && root.units.length > 0
            spacing: Theme.gap * 2
            ListView {
                objectName: "conditionUnits"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: (parent.width - Theme.gap * 2) * 0.6
                clip: true
                spacing: Theme.mm(1)
                model: root.units
                delegate: Rectangle {
                    id: unitRow
                    required property var modelData
                    required property int index
                    width: ListView.view.width
                    implicitHeight: Theme.touchTarget
                    radius: Theme.mm(1)
                    color: unitRow.index === root.unitIndex ? Theme.buttonBackground : Theme.surface
                    border.color: unitRow.index === root.unitIndex ? Theme.text : Theme.rule
                    border.width: unitRow.index === root.unitIndex ? 3 : 1
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.gap
                        anchors.rightMargin: Theme.gap
                        spacing: Theme.gap
                        Text {
                            textFormat: Text.PlainText
                            text: unitRow.index === root.unitIndex ? "\u25C9" : "\u25CB"
                            color: Theme.text
                            font.pixelSize: Theme.headingSize
                            font.family: Theme.fontFamily
                        }
                        Text {
                            textFormat: Text.PlainText
                            Layout.fillWidth: true
                            text: unitRow.modelData.serial
                            color: Theme.text
                            font.pixelSize: Theme.headingSize
                            font.family: "DejaVu Sans Mono"
                            font.bold: true
                            elide: Text.ElideMiddle
                        }
                        Text {
                            textFormat: Text.PlainText
                            text: unitRow.modelData.condition !== "" ? Theme.conditionName(unitRow.modelData.condition)
                                                                     : unitRow.modelData.sku
                            color: Theme.mutedText
                            font.pixelSize: Theme.bodySize
                            font.family: Theme.fontFamily
                        }
                    }
                    TapHandler { onTapped: root.unitIndex = unitRow.index }
                }
            }
            ColumnLayout {
                Layout.alignment: Qt.AlignTop
                Layout.fillWidth: true
                Layout.preferredWidth: (parent.width - Theme.gap * 2) * 0.4
                spacing: Theme.gap
                BigButton {
                    objectName: "conditionWorking"
                    Layout.fillWidth: true
                    enabled: !root.waiting
                    text: "\u2714 " + qsTr("Working")
                    tint: Theme.successBackground
                    onClicked: root.choose("working")
                }
                BigButton {
                    objectName: "conditionDamaged"
                    Layout.fillWidth: true
                    enabled: !root.waiting
                    text: "\u26A0 " + qsTr("Damaged")
                    onClicked: root.choose("damaged")
                }
                BigButton {
                    objectName: "conditionNotWorking"
                    Layout.fillWidth: true
                    enabled: !root.waiting
                    text: "\u2716 " + qsTr("Not working")
                    tint: Theme.errorBackground
                    onClicked: root.choose("not_working")
                }
            }
        }

        // Step 2: the note, one tap for the usual reasons.
        GridLayout {
            objectName: "conditionReasons"
            Layout.fillWidth: true
            visible: root.condition !== "" && !root.typing
            columns: 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: root.reasons
                BigButton {
                    id: reason
                    required property string modelData
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    enabled: !root.waiting
                    text: qsTr(reason.modelData)
                    onClicked: root.record(root.condition, reason.modelData)
                }
            }
            BigButton {
                objectName: "conditionTypeNote"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: qsTr("Other: type a note")
                onClicked: root.typing = true
            }
        }
        Keypad {
            id: notePad
            objectName: "conditionNotePad"
            Layout.alignment: Qt.AlignHCenter
            visible: root.condition !== "" && root.typing
            letters: true
            spaces: true
            maxLength: 80
            prompt: qsTr("Type what is wrong with the unit")
            onAccepted: value => {
                if (value.trim() !== "")
                    root.record(root.condition, value.trim())
                notePad.entry = ""
            }
        }
        Item { Layout.fillHeight: true; visible: root.condition !== "" }
    }
}
