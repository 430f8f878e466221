// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// A period's receiving at a glance: received, late, damaged, exceptions opened and resolved, per station and
// in total, and an export of the period's summary and receipts (xlsx and PDF) into the report folder. The
// counting happens in C++ on the supervisor worker; this page only picks the period and shows the numbers.
Item {
    id: root
    objectName: "reportsPage"
    readonly property var counts: Supervisor.reportCounts
    readonly property var stations: root.counts.stations ?? []
    property string preset: "yesterday"

    function choose(name) {
        root.preset = name
        Supervisor.countReportPeriod(name)
    }

    Component.onCompleted: Supervisor.countReportPeriod(root.preset)
    Connections {
        target: Supervisor
        function onReportCountsChanged() {
            if ((root.counts.from ?? "") !== "") {
                fromField.text = root.counts.from
                toField.text = root.counts.to
            }
        }
    }

    // Scrolls when a small panel in Spanish cannot hold the period, the buttons and every station.
    Flickable {
        id: flick
        anchors.fill: parent
        clip: true
        contentWidth: width
        contentHeight: content.implicitHeight + Theme.gap * 2
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { width: Theme.mm(4); policy: ScrollBar.AsNeeded }

        ColumnLayout {
            id: content
            x: Theme.gap
            y: Theme.gap
            width: flick.width - Theme.gap * 2
            spacing: Theme.gap

            Flow {
                Layout.fillWidth: true
                spacing: Theme.mm(1.5)
                Repeater {
                    model: [
                        { key: "today", label: qsTr("Today") },
                        { key: "yesterday", label: qsTr("Yesterday") },
                        { key: "last_7_days", label: qsTr("Last 7 days") },
                        { key: "this_month", label: qsTr("This month") },
                        { key: "last_month", label: qsTr("Last month") }
                    ]
                    SupervisorChip {
                        required property var modelData
                        objectName: "period_" + modelData.key
                        text: modelData.label
                        chosen: root.preset === modelData.key
                        onClicked: root.choose(modelData.key)
                    }
                }
            }

            Flow {
                Layout.fillWidth: true
                spacing: Theme.gap
                Text {
                    textFormat: Text.PlainText
                    height: Theme.touchTarget
                    verticalAlignment: Text.AlignVCenter
                    text: qsTr("From")
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                }
                SupervisorSearchField {
                    id: fromField
                    objectName: "reportFrom"
                    acceptsScans: false
                    width: Theme.mm(55)
                    placeholderText: qsTr("YYYY-MM-DD")
                    onSearch: {
                        root.preset = ""
                        Supervisor.countReports(fromField.text, toField.text)
                    }
                }
                Text {
                    textFormat: Text.PlainText
                    height: Theme.touchTarget
                    verticalAlignment: Text.AlignVCenter
                    text: qsTr("to")
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                }
                SupervisorSearchField {
                    id: toField
                    objectName: "reportTo"
                    acceptsScans: false
                    width: Theme.mm(55)
                    placeholderText: qsTr("YYYY-MM-DD")
                    onSearch: {
                        root.preset = ""
                        Supervisor.countReports(fromField.text, toField.text)
                    }
                }
                BigButton {
                    objectName: "showCounts"
                    text: qsTr("Show counts")
                    onClicked: {
                        root.preset = ""
                        Supervisor.countReports(fromField.text, toField.text)
                    }
                }
                BigButton {
                    objectName: "exportReports"
                    text: qsTr("Export to the report folder")
                    tint: Theme.successBackground
                    enabled: Supervisor.reportDirectory !== "" && !Supervisor.busy
                    onClicked: Supervisor.exportReports(fromField.text, toField.text)
                }
            }

            Text {
                objectName: "reportPeriod"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                visible: (root.counts.from ?? "") !== ""
                text: root.counts.from === root.counts.to ? qsTr("Counts of %1").arg(root.counts.from ?? "")
                      : qsTr("Counts from %1 to %2").arg(root.counts.from ?? "").arg(root.counts.to ?? "")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
                font.bold: true
            }

            // One row per station, then the total; the columns share the width.
            ColumnLayout {
                id: table
                objectName: "reportTable"
                Layout.fillWidth: true
                spacing: Theme.mm(1)
                visible: (root.counts.from ?? "") !== ""
                readonly property var columns: [
                    { key: "received", label: qsTr("Received") },
                    { key: "late", label: qsTr("Late") },
                    { key: "damaged", label: qsTr("Damaged") },
                    { key: "exceptions_opened", label: qsTr("Exceptions opened") },
                    { key: "exceptions_resolved", label: qsTr("Exceptions resolved") }
                ]
                // From the page's width, not the table's: the rows' widths must not feed back into it.
                readonly property real available: root.width - Theme.gap * 2
                readonly property real stationWidth: table.available * 0.26
                readonly property real cellWidth: (table.available - table.stationWidth) / table.columns.length

                Row {
                    Layout.fillWidth: true
                    Text {
                        textFormat: Text.PlainText
                        width: table.stationWidth
                        text: qsTr("Station")
                        color: Theme.mutedText
                        font.pixelSize: Theme.bodySize
                        font.family: Theme.fontFamily
                        font.bold: true
                    }
                    Repeater {
                        model: table.columns
                        Text {
                            required property var modelData
                            textFormat: Text.PlainText
                            width: table.cellWidth
                            horizontalAlignment: Text.AlignRight
                            wrapMode: Text.WordWrap
                            text: modelData.label
                            color: Theme.mutedText
                            font.pixelSize: Theme.bodySize
                            font.family: Theme.fontFamily
                            font.bold: true
                        }
                    }
                }
                Rectangle { Layout.fillWidth: true; height: 2; color: Theme.rule }
                Repeater {
                    model: root.stations.concat([Object.assign({ total: true }, root.counts.total ?? {})])
                    Row {
                        id: countRow
                        Layout.fillWidth: true
                        required property var modelData
                        required property int index
                        objectName: (modelData.total ?? false) ? "reportTotal" : "reportStation_" + modelData.station
                        Text {
                            textFormat: Text.PlainText
                            width: table.stationWidth
                            elide: Text.ElideRight
                            text: (countRow.modelData.total ?? false) ? qsTr("All stations") : countRow.modelData.station
                            color: Theme.text
                            font.pixelSize: Theme.headingSize
                            font.family: Theme.fontFamily
                            font.bold: countRow.modelData.total ?? false
                        }
                        Repeater {
                            model: table.columns
                            Text {
                                required property var modelData
                                textFormat: Text.PlainText
                                width: table.cellWidth
                                horizontalAlignment: Text.AlignRight
                                text: String(countRow.modelData[modelData.key] ?? 0)
                                color: (modelData.key === "late" || modelData.key === "damaged")
                                       && (countRow.modelData[modelData.key] ?? 0) > 0 ? Theme.lateText : Theme.text
                                font.pixelSize: Theme.headingSize
                                font.family: Theme.fontFamily
                                font.bold: countRow.modelData.total ?? false
                            }
                        }
                    }
                }
                Text {
                    textFormat: Text.PlainText
                    visible: root.stations.length === 0
                    text: qsTr("Nothing was received and no exception opened or resolved in this period.")
                    color: Theme.mutedText
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                }
            }

            Text {
                objectName: "reportFolder"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: Supervisor.reportDirectory !== ""
                      ? qsTr("Exports and certificates go to %1.").arg(Supervisor.reportDirectory)
                      : qsTr("No report folder is set (report.directory): ask IT to set one to export.")
                color: Theme.mutedText
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
            }
        }
    }
}
