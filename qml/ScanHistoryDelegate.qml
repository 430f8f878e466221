// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts

// One recorded scan in an exception's history: when, which unit, where it went and who scanned it.
Rectangle {
    id: root
    required property var modelData
    readonly property var scan: modelData

    implicitHeight: column.implicitHeight + Theme.mm(2)
    color: Theme.surface
    border.color: Theme.rule

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: 0
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: SupervisorWords.when(root.scan.received_at ?? "") + "  " + (root.scan.serial ?? "")
                  + (root.scan.voided ? "  " + qsTr("(undone)") : "")
            color: Theme.text
            font.pixelSize: Theme.bodySize * 0.9
            font.family: "DejaVu Sans Mono"
            elide: Text.ElideRight
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("%1 \u00B7 case %2 \u00B7 box %3 \u00B7 %4 at %5")
                  .arg(root.scan.outcome ?? "").arg(root.scan.case_number ?? "\u2014").arg(root.scan.box ?? "\u2014")
                  .arg(root.scan.operator_id ?? "\u2014").arg(root.scan.station_id ?? "")
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize * 0.85
            font.family: Theme.fontFamily
            elide: Text.ElideRight
        }
    }
}
