// SPDX-License-Identifier: GPL-3.0-or-later
import QtQml.Models
import QtQuick
import QtTest
import ReceivingStation.Ui

// Scanned text is text: a QR code holding markup shows as the characters it holds, on the verdict banner, in
// the recent scans and in the exception queue and history, never as a heading or a fetched picture.
// TestCase itself is invisible; what the tests create lives in this visible scene.
Item {
    id: scene
    width: 1920
    height: 1080

    readonly property var markups: [
        { tag: "remote image", text: "<img src=\"http://127.0.0.1:9/x.png\">" },
        { tag: "heading", text: "<h1>big</h1>" },
        { tag: "styled", text: "<b>bold</b> &amp; <font color=\"red\">red</font>" },
        { tag: "entities", text: "&lt;b&gt;x&lt;/b&gt; &#60;i&#62;" }
    ]

    Component {
        id: bannerComponent
        VerdictBanner { width: 1920 }
    }
    Component {
        id: plainReference
        Text { textFormat: Text.PlainText }
    }
    Component {
        id: recentList
        ListView {
            width: 900
            height: 600
            model: ListModel {}
            delegate: RecentScanDelegate { width: ListView.view.width }
        }
    }
    Component {
        id: exceptionRow
        ExceptionDelegate { width: 1600 }
    }
    Component {
        id: historyRow
        ScanHistoryDelegate { width: 1600 }
    }

    Component {
        id: searchField
        SupervisorSearchField { width: 800 }
    }
    Component {
        id: noteField
        SupervisorNoteField { width: 800 }
    }

    TestCase {
        name: "PlainText"
        when: windowShown

        function findChild(item, name) {
            if (item.objectName === name)
                return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = findChild(item.children[i], name)
                if (found)
                    return found
            }
            return null
        }

        // Every visible text item under `item` (Text, Label, TextEdit: all have textFormat).
        function textItems(item) {
            let all = []
            if (item.visible && item.textFormat !== undefined && typeof item.text === "string")
                all.push(item)
            for (let i = 0; i < item.children.length; ++i)
                all = all.concat(textItems(item.children[i]))
            return all
        }

        function verifyAllPlain(root) {
            const items = textItems(root)
            verify(items.length > 0)
            for (const t of items)
                compare(t.textFormat, Text.PlainText, "\"" + t.text + "\" is not PlainText")
        }

        // One line of `font` as plain text, and the width of `text`'s own characters in it.
        function oneLine(font) {
            const reference = createTemporaryObject(plainReference, scene, { text: "X", font: font })
            return reference.implicitHeight
        }

        function verifyShownLiterally(item, text) {
            verify(item, "no such text item")
            compare(item.text, text)
            compare(item.textFormat, Text.PlainText)
            const literal = createTemporaryObject(plainReference, scene, { text: text, font: item.font })
            // The same size as the characters set as plain text: an <h1> is taller and only "big" wide, a
            // picture would be its own size.
            fuzzyCompare(item.implicitWidth, literal.implicitWidth, 1)
            fuzzyCompare(item.implicitHeight, literal.implicitHeight, 1)
            return literal
        }

        function test_banner_serial_and_message_data() { return scene.markups }

        function test_banner_serial_and_message(data) {
            const banner = createTemporaryObject(bannerComponent, scene, {
                severity: "error", outcome: "invalid", serial: data.text, message: data.text
            })
            verify(banner)
            waitForRendering(banner)
            const serial = findChild(banner, "verdictSerial")
            verify(serial.visible)
            verifyShownLiterally(serial, data.text)
            // A serial is one line: as tall as one line of its own type, not an <h1>'s larger one.
            compare(serial.lineCount, 1)
            fuzzyCompare(serial.implicitHeight, oneLine(serial.font), 1)
            verifyShownLiterally(findChild(banner, "verdictMessage"), data.text)
            verifyAllPlain(banner)
        }

        function test_recent_scans_list_data() { return scene.markups }

        function test_recent_scans_list(data) {
            const list = createTemporaryObject(recentList, scene)
            list.model.append({ time: "14:03", severity: "error", input: data.text, outcome: "invalid", condition: "" })
            list.model.append({ time: "14:02", severity: "success", input: "JN11F3A2BAFA", outcome: "matched", condition: "" })
            tryVerify(() => list.itemAtIndex(0) !== null)
            waitForRendering(list)
            const row = list.itemAtIndex(0)
            const input = findChild(row, "recentInput")
            verifyShownLiterally(input, data.text)
            fuzzyCompare(input.implicitHeight, oneLine(input.font), 1)
            verifyAllPlain(row)
        }

        function test_exception_queue_and_history_data() { return scene.markups }

        function test_exception_queue_and_history(data) {
            const row = createTemporaryObject(exceptionRow, scene, {
                index: 0, exceptionId: 1, kind: "unmatched", serial: data.text, box: data.text,
                caseNumber: data.text, stationId: "DOCK-1", ageHours: 2, operatorId: data.text,
                nowExpectedCase: data.text, nowExpectedLine: 3
            })
            verify(row)
            const serials = textItems(row).filter(t => t.text === data.text)
            compare(serials.length, 1, "the row shows the serial as it was scanned")
            verifyShownLiterally(serials[0], data.text)
            verifyAllPlain(row)

            const scan = { received_at: "2026-11-26T14:03:12.123Z", serial: data.text, voided: false, outcome: data.text,
                           case_number: data.text, box: data.text, operator_id: data.text, station_id: "DOCK-1" }
            const history = createTemporaryObject(historyRow, scene, { modelData: scan })
            verify(history)
            const shown = textItems(history)
            verify(shown.some(t => t.text.indexOf(data.text) >= 0), "the history row shows the serial as scanned")
            verifyAllPlain(history)
        }

        // A field's placeholder is the style's own Text: the fields make it plain too.
        function test_field_placeholders_data() {
            return [{ tag: "search", field: searchField }, { tag: "note", field: noteField }]
        }

        function test_field_placeholders(data) {
            const field = createTemporaryObject(data.field, scene, { placeholderText: "<h1>big</h1>" })
            verify(field)
            const placeholders = textItems(field).filter(t => t.text === "<h1>big</h1>")
            compare(placeholders.length, 1)
            verifyShownLiterally(placeholders[0], "<h1>big</h1>")
        }
    }
}
