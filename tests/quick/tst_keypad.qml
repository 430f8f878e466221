// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ReceivingStation.Ui

// The large keypad: PINs (hidden), serials (letters) and notes (with spaces); every key a gloved finger hits.
// TestCase itself is invisible; what the tests create lives in this visible scene.
Item {
    id: scene
    width: 1920
    height: 1080

    TestCase {
        id: testCase
        name: "Keypad"
        when: windowShown

        Component {
            id: padComponent
            Keypad {}
        }
        SignalSpy { id: accepted; signalName: "accepted" }

        function button(pad, label) {
            const walk = item => {
                if (item.text === label && item.clicked !== undefined && item.visible)
                    return item
                for (let i = 0; i < item.children.length; ++i) {
                    const found = walk(item.children[i])
                    if (found)
                        return found
                }
                return null
            }
            return walk(pad)
        }
        function tap(pad, label) {
            const b = button(pad, label)
            verify(b, "no key " + label)
            mouseClick(b)
        }
        function shownEntry(pad) {
            const walk = item => {
                if (item.text !== undefined && item.parent && item.parent.implicitHeight === Theme.touchTarget
                        && item.horizontalAlignment === Text.AlignHCenter && !(item.clicked !== undefined))
                    return item
                for (let i = 0; i < item.children.length; ++i) {
                    const found = walk(item.children[i])
                    if (found)
                        return found
                }
                return null
            }
            return walk(pad)
        }

        function init() { accepted.clear() }

        function test_pin_is_hidden_and_accepted() {
            const pad = createTemporaryObject(padComponent, scene, { secret: true })
            accepted.target = pad
            waitForRendering(pad)
            tap(pad, "1"); tap(pad, "2"); tap(pad, "3"); tap(pad, "4")
            compare(pad.entry, "1234")
            compare(shownEntry(pad).text, "\u25CF\u25CF\u25CF\u25CF")
            tap(pad, "OK")
            compare(accepted.count, 1)
            compare(accepted.signalArguments[0][0], "1234")
        }

        function test_backspace() {
            const pad = createTemporaryObject(padComponent, scene)
            waitForRendering(pad)
            tap(pad, "9"); tap(pad, "8"); tap(pad, "\u232B")
            compare(pad.entry, "9")
            compare(shownEntry(pad).text, "9")
        }

        function test_serial_letters() {
            const pad = createTemporaryObject(padComponent, scene, { letters: true })
            accepted.target = pad
            waitForRendering(pad)
            for (const key of "JN11F3A2BAFA".split(""))
                tap(pad, key)
            verify(!button(pad, "Space"), "serials have no spaces")
            tap(pad, "Delete")
            tap(pad, "A")
            tap(pad, "Done")
            compare(accepted.signalArguments[0][0], "JN11F3A2BAFA")
            tap(pad, "Clear")
            compare(pad.entry, "")
        }

        function test_note_with_spaces_and_limit() {
            const pad = createTemporaryObject(padComponent, scene, { letters: true, spaces: true, maxLength: 5 })
            waitForRendering(pad)
            tap(pad, "A"); tap(pad, "Space"); tap(pad, "B"); tap(pad, "C"); tap(pad, "D"); tap(pad, "E")
            compare(pad.entry, "A BCD")
        }

        function test_keys_are_big_enough() {
            for (const letters of [false, true]) {
                const pad = createTemporaryObject(padComponent, scene, { letters: letters })
                waitForRendering(pad)
                const walk = item => {
                    if (item.clicked !== undefined && item.visible) {
                        verify(item.width >= Theme.mm(15), item.text + " width " + item.width)
                        verify(item.height >= Theme.mm(15), item.text + " height " + item.height)
                        compare(item.focusPolicy, Qt.NoFocus)
                    }
                    for (let i = 0; i < item.children.length; ++i)
                        walk(item.children[i])
                }
                walk(pad)
            }
        }
    }
}
