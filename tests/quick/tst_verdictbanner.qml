// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ReceivingStation.Ui

// The verdict banner: colour and icon and words for every severity, the serial in large type, the next step.
// TestCase itself is invisible; what the tests create lives in this visible scene.
Item {
    id: scene
    width: 1280
    height: 600

    TestCase {
        id: testCase
        name: "VerdictBanner"
        when: windowShown

        Component {
            id: bannerComponent
            VerdictBanner { width: 1280 }
        }

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

        function test_severity_data() {
            return [
                { tag: "matched", severity: "success", outcome: "matched", icon: "\u2714", headline: "RECEIVED" },
                { tag: "matched_by_sku", severity: "success", outcome: "matched_by_sku", icon: "\u2714", headline: "RECEIVED" },
                { tag: "box_opened", severity: "success", outcome: "box_opened", icon: "\u2714", headline: "BOX OPEN" },
                { tag: "box_closed", severity: "success", outcome: "box_closed", icon: "\u2714", headline: "BOX DONE" },
                { tag: "undone", severity: "success", outcome: "undone", icon: "\u2714", headline: "UNDONE" },
                { tag: "cross_case", severity: "attention", outcome: "cross_case", icon: "\u26A0", headline: "EXCEPTION SHELF" },
                { tag: "already_received", severity: "attention", outcome: "already_received", icon: "\u26A0", headline: "EXCEPTION SHELF" },
                { tag: "duplicate", severity: "attention", outcome: "duplicate", icon: "\u26A0", headline: "ALREADY SCANNED" },
                { tag: "awaiting_sku", severity: "attention", outcome: "awaiting_sku", icon: "\u26A0", headline: "SCAN THE SKU" },
                { tag: "wrong_barcode", severity: "attention", outcome: "wrong_barcode", icon: "\u26A0", headline: "WRONG BARCODE" },
                { tag: "box_unknown", severity: "attention", outcome: "box_unknown", icon: "\u26A0", headline: "UNKNOWN BOX" },
                { tag: "nothing_to_undo", severity: "attention", outcome: "nothing_to_undo", icon: "\u26A0", headline: "NOTHING TO DO" },
                { tag: "invalid", severity: "error", outcome: "invalid", icon: "\u2716", headline: "NOT READ" },
                { tag: "not_recorded", severity: "error", outcome: "not_recorded", icon: "\u2716", headline: "NOT SAVED" }
            ]
        }

        function test_severity(data) {
            const banner = createTemporaryObject(bannerComponent, scene, {
                severity: data.severity, outcome: data.outcome, serial: "JN11F3A2BAFA",
                message: "Put this unit on the exception shelf."
            })
            verify(banner)
            compare(banner.color, Theme.severityBackground(data.severity))
            compare(findChild(banner, "verdictIcon").text, data.icon)
            compare(findChild(banner, "verdictIcon").color, Theme.severityText(data.severity))
            compare(findChild(banner, "verdictHeadline").text, data.headline)
            const serial = findChild(banner, "verdictSerial")
            verify(serial.visible)
            compare(serial.text, "JN11F3A2BAFA")
            compare(serial.font.pixelSize, Theme.verdictSerialSize)
            verify(serial.font.pixelSize >= Theme.mm(17), serial.font.pixelSize + " < " + Theme.mm(17))
            compare(serial.color, Theme.severityText(data.severity))
            compare(findChild(banner, "verdictMessage").text, "Put this unit on the exception shelf.")
            verify(findChild(banner, "verdictMessage").visible)
        }

        function test_severities_differ_in_colour_icon_and_words() {
            const seen = {}
            for (const s of ["success", "attention", "error"]) {
                const key = Theme.severityBackground(s) + Theme.severityIcon(s)
                verify(!(key in seen), s)
                seen[key] = true
            }
        }

        function test_empty_asks_for_a_box() {
            const banner = createTemporaryObject(bannerComponent, scene)
            compare(findChild(banner, "verdictHeadline").text, "Scan a box label to start")
            verify(!findChild(banner, "verdictSerial").visible)
            verify(!findChild(banner, "verdictMessage").visible)
            compare(banner.color, Theme.surface)
        }

        function test_late_is_said_in_words() {
            const banner = createTemporaryObject(bannerComponent, scene,
                                                 { severity: "success", outcome: "matched", serial: "X1", late: true })
            let found = false
            const walk = item => {
                if (item.text === "LATE" && item.visible)
                    found = true
                for (let i = 0; i < item.children.length; ++i)
                    walk(item.children[i])
            }
            walk(banner)
            verify(found)
        }

        function test_next_scan_replaces_the_verdict() {
            const banner = createTemporaryObject(bannerComponent, scene,
                                                 { severity: "attention", outcome: "duplicate", serial: "A1", message: "one" })
            banner.severity = "success"
            banner.outcome = "matched"
            banner.serial = "B2"
            banner.message = "two"
            compare(findChild(banner, "verdictHeadline").text, "RECEIVED")
            compare(findChild(banner, "verdictSerial").text, "B2")
            compare(banner.color, Theme.successBackground)
        }
    }
}
