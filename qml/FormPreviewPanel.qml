// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// What importing a Trade-In Form does to its case, before anything changes: the case, the lines added,
// changed and removed, and every unit that gets matched again (a received unit moving line or losing its
// line, an open exception the case now expects); then Apply or Cancel. Also shows the form's refusal (one
// sentence naming sheet, row and column) and what applying did. Only shows: `preview`, `result` and `problem`
// come from SupervisorService::importForm through the Supervisor singleton.
ColumnLayout {
    id: root
    property var preview: ({})
    property var result: ({})
    property string problem: ""
    property string fileName: ""
    property bool busy: false
    signal apply()
    signal cancel()
    signal openCase(string caseNumber)

    readonly property bool hasPreview: root.preview !== undefined && root.preview.case_number !== undefined
    readonly property bool hasResult: root.result !== undefined && root.result.case_number !== undefined
    spacing: Theme.mm(1.5)

    function lineList(lines: var): string {
        return !lines || lines.length === 0 ? qsTr("none") : lines.join(", ")
    }
    // One row per unit matched again, in words: [{icon, text}].
    function unitRows(p: var): var {
        let rows = []
        for (const m of (p.receipts_moved ?? []))
            rows.push({ icon: "\u21C4", text: qsTr("Received %1 moves from line %2 to line %3").arg(m.serial).arg(m.from_line).arg(m.to_line) })
        for (const o of (p.receipts_orphaned ?? []))
            rows.push({ icon: "\u26A0", text: qsTr("Received %1 loses line %2 and goes to the exception queue").arg(o.serial).arg(o.line) })
        for (const x of (p.now_expected ?? []))
            rows.push({ icon: "\u2605", text: qsTr("Exception #%1 (%2, %3) becomes now expected on line %4").arg(x.exception_id).arg(SupervisorWords.kindLabel(x.kind)).arg(x.serial).arg(x.line) })
        return rows
    }

    Text {
        textFormat: Text.PlainText
        Layout.fillWidth: true
        text: root.hasResult ? qsTr("Imported") : root.hasPreview ? qsTr("Preview: nothing changes until you apply")
                                                                  : qsTr("Preview")
        color: Theme.text
        font.pixelSize: Theme.headingSize
        font.family: Theme.fontFamily
        font.bold: true
        wrapMode: Text.WordWrap
    }

    // Nothing chosen yet, or the file being read.
    Text {
        objectName: "formHint"
        textFormat: Text.PlainText
        Layout.fillWidth: true
        visible: !root.hasPreview && !root.hasResult && root.problem === ""
        text: root.fileName !== "" && root.busy ? qsTr("Reading %1\u2026").arg(root.fileName)
              : qsTr("Choose a form file. You see what changes before anything is changed.")
        color: Theme.mutedText
        font.pixelSize: Theme.bodySize
        font.family: Theme.fontFamily
        wrapMode: Text.WordWrap
    }

    // The form refused: its one sentence, and that nothing changed.
    Label {
        objectName: "formProblem"
        Layout.fillWidth: true
        visible: root.problem !== ""
        padding: Theme.gap
        background: Rectangle { color: Theme.errorBackground; radius: Theme.mm(1) }
        textFormat: Text.PlainText
        text: "\u2716 " + (root.fileName !== "" ? root.fileName + ": " : "") + root.problem
        color: Theme.errorText
        font.pixelSize: Theme.bodySize
        font.family: Theme.fontFamily
        font.bold: true
        wrapMode: Text.WordWrap
    }

    // The preview's facts, one row each. In a Column, not straight in the layout: Qt 6.4's layouts crash when a
    // Repeater's items go away while the layout arranges them.
    Column {
        id: facts
        Layout.fillWidth: true
        visible: root.hasPreview
        spacing: Theme.mm(1)
        Repeater {
            objectName: "formFacts"
            model: root.hasPreview ? [
                [qsTr("Case"), root.preview.case_number],
                [qsTr("Form"), root.preview.file_name],
                [qsTr("Lines"), qsTr("%1 now, %2 after").arg(root.preview.lines_before).arg(root.preview.lines_after)],
                [qsTr("Lines added"), root.lineList(root.preview.lines_added)],
                [qsTr("Lines changed"), root.lineList(root.preview.lines_changed)],
                [qsTr("Lines removed"), root.lineList(root.preview.lines_removed)]
            ] : []
            Row {
                id: fact
                required property var modelData
                width: facts.width
                spacing: Theme.gap
                Text {
                    textFormat: Text.PlainText
                    width: Theme.mm(45)
                    text: fact.modelData[0]
                    color: Theme.mutedText
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    elide: Text.ElideRight
                }
                Text {
                    textFormat: Text.PlainText
                    width: fact.width - Theme.mm(45) - Theme.gap
                    text: fact.modelData[1]
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    font.bold: true
                    wrapMode: Text.WordWrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
                }
            }
        }
    }

    Text {
        textFormat: Text.PlainText
        Layout.fillWidth: true
        visible: root.hasPreview
        text: root.unitRows(root.preview).length === 0 ? qsTr("No unit is matched again.")
                                                       : qsTr("Units matched again: %1").arg(root.unitRows(root.preview).length)
        color: Theme.accent
        font.pixelSize: Theme.bodySize
        font.family: Theme.fontFamily
        font.bold: true
    }
    // A Repeater in a Flickable rather than a ListView over a JavaScript array: the array is replaced whenever
    // the preview changes.
    Flickable {
        Layout.fillWidth: true
        Layout.fillHeight: true
        visible: root.hasPreview
        clip: true
        contentHeight: unitColumn.implicitHeight
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { width: Theme.mm(4); policy: ScrollBar.AsNeeded }
        Column {
            id: unitColumn
            width: parent.width - Theme.mm(5)
            spacing: Theme.mm(0.5)
            Repeater {
                objectName: "formUnits"
                model: root.hasPreview ? root.unitRows(root.preview) : []
                Text {
                    id: unit
                    required property var modelData
                    width: unitColumn.width
                    textFormat: Text.PlainText
                    text: unit.modelData.icon + " " + unit.modelData.text
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    wrapMode: Text.WordWrap
                }
            }
        }
    }

    // What applying did.
    Label {
        objectName: "formResult"
        Layout.fillWidth: true
        visible: root.hasResult
        padding: Theme.gap
        background: Rectangle { color: Theme.successBackground; radius: Theme.mm(1) }
        textFormat: Text.PlainText
        text: root.hasResult
              ? qsTr("\u2714 Case %1 now has %2 lines (%3 before). Lines added: %4; changed: %5; removed: %6.")
                .arg(root.result.case_number).arg(root.result.lines_after).arg(root.result.lines_before)
                .arg(root.lineList(root.result.lines_added)).arg(root.lineList(root.result.lines_changed))
                .arg(root.lineList(root.result.lines_removed))
              : ""
        color: Theme.successText
        font.pixelSize: Theme.bodySize
        font.family: Theme.fontFamily
        font.bold: true
        wrapMode: Text.WordWrap
    }
    Item { Layout.fillHeight: !root.hasPreview }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.gap
        BigButton {
            objectName: "applyForm"
            Layout.fillWidth: true
            visible: root.hasPreview
            text: root.hasPreview ? qsTr("\u2714 Apply to case %1").arg(root.preview.case_number) : ""
            tint: Theme.successBackground
            enabled: !root.busy
            opacity: enabled ? 1 : 0.45
            onClicked: root.apply()
        }
        BigButton {
            objectName: "openImportedCase"
            Layout.fillWidth: true
            visible: root.hasResult
            text: root.hasResult ? qsTr("Open case %1").arg(root.result.case_number) : ""
            onClicked: root.openCase(root.result.case_number)
        }
        BigButton {
            objectName: "cancelForm"
            visible: root.hasPreview || root.hasResult || root.problem !== ""
            text: root.hasPreview ? qsTr("Cancel") : qsTr("Done")
            onClicked: root.cancel()
        }
    }
}
