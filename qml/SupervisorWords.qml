// SPDX-License-Identifier: GPL-3.0-or-later
pragma Singleton
import QtQuick

// The supervisor pages' words for the service's codes (exception kinds, resolutions, line states), in one
// place so every page and test says the same thing.
QtObject {
    function kindLabel(kind: string): string {
        switch (kind) {
        case "cross_case": return qsTr("Other case")
        case "ambiguous": return qsTr("Several cases")
        case "already_received": return qsTr("Received twice")
        case "unexpected": return qsTr("Not on the case")
        case "unmatched": return qsTr("No case")
        case "destruction_case": return qsTr("Destruction case")
        case "case_closed": return qsTr("Case closed")
        case "": return qsTr("All kinds")
        default: return kind
        }
    }
    function resolutionLabel(resolution: string): string {
        switch (resolution) {
        case "assign_to_case": return qsTr("Assign to a case")
        case "confirm_cross_case": return qsTr("Confirm other case")
        case "not_tmip": return qsTr("Not TMIP: general returns")
        case "return_to_sender": return qsTr("Return to sender")
        default: return resolution
        }
    }
    function lineStatusLabel(status: string): string {
        switch (status) {
        case "received": return qsTr("\u2714 Received")
        case "partial": return qsTr("\u25D1 Partly received")
        case "missing": return qsTr("\u2716 Missing")
        default: return status
        }
    }
    function caseStatusLabel(status: string): string {
        switch (status) {
        case "open": return qsTr("Open")
        case "closed": return qsTr("Closed")
        case "cancelled": return qsTr("Cancelled")
        default: return status
        }
    }
    function ageLabel(hours: real): string {
        if (hours < 1)
            return qsTr("%1 min").arg(Math.round(hours * 60))
        if (hours < 48)
            return qsTr("%1 h").arg(Math.round(hours))
        return qsTr("%1 days").arg(Math.floor(hours / 24))
    }
    // "2026-11-26T14:03:12.123Z" as the station's local "2026-11-26 08:03".
    function when(iso: string): string {
        if (iso === "")
            return ""
        const d = new Date(iso)
        return isNaN(d.getTime()) ? iso : Qt.formatDateTime(d, "yyyy-MM-dd HH:mm")
    }
    function settingLabel(key: string): string {
        switch (key) {
        case "idle_minutes": return qsTr("Sign out after idle")
        case "box_idle_minutes": return qsTr("Close an idle box after")
        case "supervisor_minutes": return qsTr("Supervisor PIN stays valid (after the last supervisor action)")
        case "volume": return qsTr("Sound volume")
        case "language": return qsTr("Language at sign-in")
        default: return key
        }
    }
    // A setting's value as people read it: "10 min", "50 %", "Español".
    function settingValue(key: string, value: string, unit: string): string {
        if (value === "")
            return ""
        if (key === "language") {
            switch (value) {
            case "en": return "English"
            case "es": return "Espa\u00F1ol"
            default: return value
            }
        }
        switch (unit) {
        case "minutes": return qsTr("%1 min").arg(value)
        case "seconds": return qsTr("%1 s").arg(value)
        case "percent": return qsTr("%1 %").arg(value)
        default: return unit === "" ? value : value + " " + unit
        }
    }
    // When a saved setting takes effect (StationSettings::Applies as "now", "sign_in" or "start").
    function settingApplies(applies: string): string {
        switch (applies) {
        case "now": return qsTr("Takes effect within a minute")
        case "sign_in": return qsTr("Takes effect when the sign-in screen next shows")
        case "start": return qsTr("Takes effect when the station restarts")
        default: return ""
        }
    }
}
