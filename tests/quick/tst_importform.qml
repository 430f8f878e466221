// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ReceivingStation.Station
import ReceivingStation.Ui

// The Import a Trade-In Form page's parts: a form file row says name, place, time and size and is one touch
// target; the preview says case, lines added/changed/removed and every unit matched again, in words, with
// Apply and Cancel; a refused form shows its sentence and no Apply; an applied one says what it did.
Item {
    id: scene
    width: 1280
    height: 800

    Component {
        id: fileComponent
        FormFileDelegate { width: 600 }
    }
    Component {
        id: panelComponent
        FormPreviewPanel { width: 700; height: 700 }
    }
    Component {
        id: pageComponent
        ImportFormPage { width: scene.width; height: scene.height }
    }
    Component {
        id: signalSpyComponent
        SignalSpy {}
    }

    readonly property var preview: ({
        case_number: "2026-1103-0001", file_name: "trade-in.xlsx", sha256: "ab", dry_run: true,
        lines_before: 4, lines_after: 8, lines_added: [5, 6, 7, 8], lines_changed: [1, 2], lines_removed: [4],
        receipts_moved: [{ serial: "CAHZ4512", from_line: 2, to_line: 3 }],
        receipts_orphaned: [{ serial: "SRXUNIT1", line: 4, receipt_id: 7, exception_id: 9 }],
        now_expected: [{ exception_id: 12, serial: "PE0001", kind: "unexpected", line: 6 }]
    })

    TestCase {
        name: "ImportForm"
        when: windowShown

        function texts(item) {
            let all = []
            if (item.text !== undefined && typeof item.text === "string" && item.visible)
                all.push(item.text)
            for (let i = 0; i < item.children.length; ++i)
                all = all.concat(texts(item.children[i]))
            return all
        }

        function test_file_row_words_and_tap() {
            const row = createTemporaryObject(fileComponent, scene, {
                index: 3, fileName: "trade-in.xlsx", folder: "Acme/November", source: "KINGSTON",
                removable: true, size: 20480, modified: "2026-11-03T12:00:00.000Z"
            })
            verify(row)
            const shown = texts(row).join(" | ")
            for (const w of ["trade-in.xlsx", "Removable: KINGSTON / Acme/November", "20 KB", "2026-11-0"])
                verify(shown.indexOf(w) >= 0, "\"" + w + "\" missing in: " + shown)
            verify(row.height >= Theme.touchTarget, "row " + row.height + " < " + Theme.touchTarget)
            compare(row.objectName, "formFile_trade-in.xlsx")
            const chosen = createTemporaryObject(signalSpyComponent, scene, { target: row, signalName: "chosen" })
            mouseClick(row)
            compare(chosen.count, 1)
            compare(chosen.signalArguments[0][0], 3)
        }

        function test_file_row_in_the_forms_folder() {
            const row = createTemporaryObject(fileComponent, scene, {
                index: 0, fileName: "b.csv", folder: "", source: "/srv/forms", removable: false, size: 300,
                modified: "2026-11-03T12:00:00.000Z"
            })
            const shown = texts(row).join(" | ")
            verify(shown.indexOf("Forms folder \u00B7") >= 0, shown)
            verify(shown.indexOf("300 bytes") >= 0, shown)
        }

        function test_nothing_chosen_says_what_to_do() {
            const panel = createTemporaryObject(panelComponent, scene)
            verify(findChild(panel, "formHint").visible)
            verify(!findChild(panel, "applyForm").visible)
            verify(!findChild(panel, "cancelForm").visible)
        }

        function test_preview_in_words() {
            const panel = createTemporaryObject(panelComponent, scene, { preview: scene.preview, fileName: "trade-in.xlsx" })
            waitForRendering(panel)
            const shown = texts(panel).join(" | ")
            for (const w of ["Preview: nothing changes until you apply", "2026-1103-0001", "4 now, 8 after",
                             "5, 6, 7, 8", "1, 2", "Units matched again: 3"])
                verify(shown.indexOf(w) >= 0, "\"" + w + "\" missing in: " + shown)
            const units = findChild(panel, "formUnits")
            compare(units.count, 3)
            const unitWords = [units.model[0].text, units.model[1].text, units.model[2].text].join(" | ")
            for (const w of ["Received CAHZ4512 moves from line 2 to line 3",
                             "Received SRXUNIT1 loses line 4 and goes to the exception queue",
                             "Exception #12 (Not on the case, PE0001) becomes now expected on line 6"])
                verify(unitWords.indexOf(w) >= 0, "\"" + w + "\" missing in: " + unitWords)
            const apply = findChild(panel, "applyForm")
            verify(apply.visible && apply.enabled)
            compare(apply.text, "\u2714 Apply to case 2026-1103-0001")
            verify(apply.height >= Theme.touchTarget)
            const applied = createTemporaryObject(signalSpyComponent, scene, { target: panel, signalName: "apply" })
            mouseClick(apply)
            compare(applied.count, 1)
            const cancelled = createTemporaryObject(signalSpyComponent, scene, { target: panel, signalName: "cancel" })
            mouseClick(findChild(panel, "cancelForm"))
            compare(cancelled.count, 1)
        }

        function test_no_unit_matched_again() {
            const p = Object.assign({}, scene.preview, { receipts_moved: [], receipts_orphaned: [], now_expected: [], lines_removed: [] })
            const panel = createTemporaryObject(panelComponent, scene, { preview: p })
            const shown = texts(panel).join(" | ")
            verify(shown.indexOf("No unit is matched again.") >= 0, shown)
            verify(shown.indexOf("none") >= 0, shown)
        }

        function test_busy_apply_waits() {
            const panel = createTemporaryObject(panelComponent, scene, { preview: scene.preview, busy: true })
            verify(!findChild(panel, "applyForm").enabled)
        }

        function test_refused_form_shows_its_sentence_and_no_apply() {
            const sentence = "Sheet 'Trade-In', row 6, column D: serial PE1234 is also on row 4. Nothing was imported."
            const panel = createTemporaryObject(panelComponent, scene, { problem: sentence, fileName: "serial-twice.xlsx" })
            const box = findChild(panel, "formProblem")
            verify(box.visible)
            const shown = texts(box).join(" | ")
            verify(shown.indexOf("\u2716 serial-twice.xlsx: " + sentence) >= 0, shown)
            verify(!findChild(panel, "applyForm").visible)
            compare(findChild(panel, "cancelForm").text, "Done")
        }

        function test_applied_form_says_what_it_did() {
            const r = Object.assign({}, scene.preview, { dry_run: false })
            const panel = createTemporaryObject(panelComponent, scene, { result: r })
            const shown = texts(findChild(panel, "formResult")).join(" | ")
            verify(shown.indexOf("\u2714 Case 2026-1103-0001 now has 8 lines (4 before)") >= 0, shown)
            const open = findChild(panel, "openImportedCase")
            verify(open.visible)
            const opened = createTemporaryObject(signalSpyComponent, scene, { target: panel, signalName: "openCase" })
            mouseClick(open)
            compare(opened.count, 1)
            compare(opened.signalArguments[0][0], "2026-1103-0001")
            verify(!findChild(panel, "applyForm").visible)
        }

        function test_page_without_a_supervisor_lists_nothing() {
            // No supervisor is signed in here: the controller refuses the listing, and nothing is shown.
            const page = createTemporaryObject(pageComponent, scene)
            verify(page)
            compare(findChild(page, "formFileList").count, 0)
            verify(!findChild(page, "formFileCount").visible)
            tryCompare(Supervisor, "busy", false)
        }
    }
}
