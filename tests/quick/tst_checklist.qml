// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ReceivingStation.Ui

// One expected line of the open box's case: ticks when complete, "serial at dock" for serial-less lines,
// and the running count.
// TestCase itself is invisible; what the tests create lives in this visible scene.
Item {
    id: scene
    width: 1000
    height: 400

    TestCase {
        id: testCase
        name: "Checklist"
        when: windowShown

        Component {
            id: lineComponent
            ChecklistDelegate { width: 900 }
        }

        function texts(item) {
            let all = []
            if (item.text !== undefined && typeof item.text === "string" && item.visible)
                all.push(item.text)
            for (let i = 0; i < item.children.length; ++i)
                all = all.concat(texts(item.children[i]))
            return all
        }

        function test_line_data() {
            return [
                { tag: "serial expected, not yet", serial: "CAHZ4512", quantity: 1, received: 0, complete: false,
                  mark: "\u25A1", words: "MPC7E-10G  CAHZ4512", count: "0 of 1" },
                { tag: "serial received", serial: "CAHZ4512", quantity: 1, received: 1, complete: true,
                  mark: "\u2714", words: "MPC7E-10G  CAHZ4512", count: "1 of 1" },
                { tag: "serial-less, partly in", serial: "", quantity: 2, received: 1, complete: false,
                  mark: "\u25A1", words: "MPC7E-10G  serial at dock", count: "1 of 2" },
                { tag: "serial-less, all in", serial: "", quantity: 2, received: 2, complete: true,
                  mark: "\u2714", words: "MPC7E-10G  serial at dock", count: "2 of 2" }
            ]
        }

        function test_line(data) {
            const line = createTemporaryObject(lineComponent, scene, {
                line: 3, sku: "MPC7E-10G", serial: data.serial, quantity: data.quantity,
                received: data.received, complete: data.complete
            })
            verify(line)
            const shown = texts(line)
            verify(shown.indexOf(data.mark) >= 0, shown.join("|"))
            verify(shown.indexOf(data.words) >= 0, shown.join("|"))
            verify(shown.indexOf(data.count) >= 0, shown.join("|"))
            verify(shown.indexOf("3") >= 0, shown.join("|"))
            compare(line.color, data.complete ? Theme.completeBackground : Theme.surface)
        }

        Component {
            id: listComponent
            ListView {
                width: 900
                height: 400
                model: ListModel {
                    ListElement { line: 1; sku: "MX960"; serial: "JN11F3A2BAFA"; quantity: 1; received: 1; complete: true }
                    ListElement { line: 2; sku: "SRX345"; serial: ""; quantity: 2; received: 0; complete: false }
                }
                delegate: ChecklistDelegate { width: ListView.view.width }
            }
        }

        function test_list_shows_every_line() {
            const list = createTemporaryObject(listComponent, scene)
            tryCompare(list, "count", 2)
            list.forceLayout()
            const first = list.itemAtIndex(0)
            const second = list.itemAtIndex(1)
            verify(first.complete)
            verify(!second.complete)
            verify(texts(second).indexOf("SRX345  serial at dock") >= 0)
            verify(texts(second).indexOf("0 of 2") >= 0)
        }
    }
}
