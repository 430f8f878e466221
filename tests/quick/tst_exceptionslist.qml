// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ReceivingStation.Station
import ReceivingStation.Ui

// The supervisor's exception queue: each row says kind, serial, case, box and age in words; a tap opens the
// detail; the kind and age filters go to the C++ controller; an empty queue says so.
Item {
    id: scene
    width: 1280
    height: 720

    ListModel {
        id: rows
        ListElement { exceptionId: 12; kind: "cross_case"; serial: "JN11F3A2BAFA"; box: "1Z999AA10123456784"
                      caseNumber: "2026-1103-0001"; stationId: "DOCK-1"; ageHours: 30; operatorId: "BADGE-1001"
                      nowExpectedCase: ""; nowExpectedLine: 0 }
        ListElement { exceptionId: 11; kind: "unmatched"; serial: "ZZNOTEXPECTED01"; box: ""
                      caseNumber: ""; stationId: "DOCK-2"; ageHours: 0.5; operatorId: "BADGE-1002"
                      nowExpectedCase: "2026-1020-0002"; nowExpectedLine: 4 }
        ListElement { exceptionId: 10; kind: "already_received"; serial: "CAHZ4512"; box: "2026-1103-0001"
                      caseNumber: "2026-1103-0001"; stationId: "DOCK-1"; ageHours: 5; operatorId: "BADGE-1001"
                      nowExpectedCase: ""; nowExpectedLine: 0 }
    }
    ListModel { id: empty }

    Component {
        id: pageComponent
        ExceptionsPage { width: scene.width; height: scene.height }
    }
    Component {
        id: delegateComponent
        ExceptionDelegate { width: 1000 }
    }

    TestCase {
        name: "ExceptionsList"
        when: windowShown

        function texts(item) {
            let all = []
            if (item.text !== undefined && typeof item.text === "string" && item.visible)
                all.push(item.text)
            for (let i = 0; i < item.children.length; ++i)
                all = all.concat(texts(item.children[i]))
            return all
        }

        function test_delegate_words_data() {
            return [
                { tag: "other case, a day old", index: 0, kind: "cross_case", words: ["Other case", "JN11F3A2BAFA", "Case 2026-1103-0001", "30 h"] },
                { tag: "no case, minutes old, now expected", index: 1, kind: "unmatched", words: ["No case", "ZZNOTEXPECTED01", "No box", "30 min", "\u2605 Now expected: case 2026-1020-0002, line 4"] },
                { tag: "received twice", index: 2, kind: "already_received", words: ["Received twice", "CAHZ4512", "Box 2026-1103-0001", "5 h"] }
            ]
        }

        function test_delegate_words(data) {
            const r = rows.get(data.index)
            const row = createTemporaryObject(delegateComponent, scene, {
                index: data.index, exceptionId: r.exceptionId, kind: r.kind, serial: r.serial, box: r.box,
                caseNumber: r.caseNumber, stationId: r.stationId, ageHours: r.ageHours, operatorId: r.operatorId,
                nowExpectedCase: r.nowExpectedCase, nowExpectedLine: r.nowExpectedLine
            })
            verify(row)
            const shown = texts(row).join(" | ")
            for (const w of data.words)
                verify(shown.indexOf(w) >= 0, "\"" + w + "\" missing in: " + shown)
            // A warning sign beside the words, never colour alone; a whole-row touch target.
            verify(shown.indexOf("\u26A0") >= 0, shown)
            verify(row.height >= Theme.touchTarget, "row " + row.height + " < " + Theme.touchTarget)
            // The mark only where a case now expects the unit.
            compare(shown.indexOf("Now expected") >= 0, r.nowExpectedCase !== "")
        }

        function test_delegate_tap_opens() {
            const r = rows.get(0)
            const row = createTemporaryObject(delegateComponent, scene, {
                index: 0, exceptionId: r.exceptionId, kind: r.kind, serial: r.serial, box: r.box,
                caseNumber: r.caseNumber, stationId: r.stationId, ageHours: r.ageHours, operatorId: r.operatorId,
                nowExpectedCase: r.nowExpectedCase, nowExpectedLine: r.nowExpectedLine
            })
            const chosen = createTemporaryObject(signalSpyComponent, scene, { target: row, signalName: "chosen" })
            mouseClick(row)
            compare(chosen.count, 1)
            compare(chosen.signalArguments[0][0], 12)
        }

        function test_list_shows_rows_and_opens_one() {
            const page = createTemporaryObject(pageComponent, scene, { model: rows })
            const list = findChild(page, "exceptionList")
            verify(list)
            tryCompare(list, "count", 3)
            compare(findChild(page, "exceptionCount").text, "Open exceptions: 3, newest first")
            const open = createTemporaryObject(signalSpyComponent, scene, { target: page, signalName: "openException" })
            waitForRendering(list)
            const first = list.itemAtIndex(1)
            verify(first)
            mouseClick(first)
            compare(open.count, 1)
            compare(open.signalArguments[0][0], 11)
        }

        function test_empty_queue_says_so() {
            const page = createTemporaryObject(pageComponent, scene, { model: empty })
            compare(findChild(page, "exceptionCount").text, "\u2714 No open exceptions match this filter.")
        }

        function test_filters_go_to_the_controller() {
            const page = createTemporaryObject(pageComponent, scene, { model: rows })
            const all = findChild(page, "kind_all")
            const cross = findChild(page, "kind_cross_case")
            verify(all && cross)
            verify(all.chosen)
            verify(cross.height >= Theme.touchTarget)
            mouseClick(cross)
            compare(Supervisor.exceptionKind, "cross_case")
            verify(cross.chosen && !all.chosen)
            const day = findChild(page, "age_24")
            mouseClick(day)
            compare(Supervisor.minAgeHours, 24)
            verify(day.chosen)
            mouseClick(findChild(page, "age_0"))
            mouseClick(all)
            compare(Supervisor.exceptionKind, "")
            compare(Supervisor.minAgeHours, 0)
            tryCompare(Supervisor, "busy", false)
            // "Now expected" is a filter of its own, on and off.
            const nowExpected = findChild(page, "filter_now_expected")
            verify(nowExpected && !nowExpected.chosen)
            verify(nowExpected.height >= Theme.touchTarget)
            mouseClick(nowExpected)
            verify(Supervisor.nowExpectedOnly && nowExpected.chosen)
            mouseClick(nowExpected)
            verify(!Supervisor.nowExpectedOnly && !nowExpected.chosen)
            tryCompare(Supervisor, "busy", false)
        }

        function test_every_kind_has_its_own_words() {
            const seen = {}
            for (const k of Supervisor.exceptionKinds) {
                const label = SupervisorWords.kindLabel(k)
                verify(label !== "" && label !== k, k + " has no words")
                verify(seen[label] === undefined, label + " used twice")
                seen[label] = true
            }
        }
    }

    Component {
        id: signalSpyComponent
        SignalSpy {}
    }
}
