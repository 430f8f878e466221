// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Layouts
import ReceivingStation.Station

// The help sheet: the command barcodes drawn as real Code 128 (black on white, whole-pixel bars), to scan
// off the screen with the dock scanner or to print and stick on the bench.
Rectangle {
    id: root
    objectName: "helpPage"
    color: Theme.background
    signal closed()
    function close() { root.closed() }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 2
        spacing: Theme.gap * 2

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: qsTr("Command barcodes")
                color: Theme.text
                font.pixelSize: Theme.verdictWordSize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
            BigButton { objectName: "helpClose"; text: qsTr("Close"); onClicked: root.close() }
        }
        Text {
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: qsTr("Scan a barcode below instead of touching the screen. You can also print this page.")
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            font.family: Theme.fontFamily
            wrapMode: Text.WordWrap
        }
        Repeater {
            model: Station.commandBarcodes
            RowLayout {
                id: command
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.gap * 2
                Rectangle {
                    // White paper around the bars: the quiet zone is part of the image.
                    objectName: "barcode_" + command.modelData.code
                    color: Theme.barcodePaper
                    implicitWidth: code.implicitWidth + Theme.gap * 2
                    implicitHeight: code.implicitHeight + caption.implicitHeight + Theme.gap * 2
                    Image {
                        id: code
                        anchors.top: parent.top
                        anchors.topMargin: Theme.gap
                        anchors.horizontalCenter: parent.horizontalCenter
                        source: "image://barcode/" + encodeURIComponent(command.modelData.code)
                        sourceSize: Qt.size(Theme.mm(70), Theme.mm(18))
                        smooth: false
                        cache: false
                    }
                    Text {
                        id: caption
                        textFormat: Text.PlainText
                        anchors.top: code.bottom
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: command.modelData.code
                        color: Theme.barcodeInk
                        font.pixelSize: Theme.bodySize
                        font.family: "DejaVu Sans Mono"
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: Theme.mm(1)
                    Text {
                        textFormat: Text.PlainText
                        Layout.fillWidth: true
                        text: command.modelData.title
                        color: Theme.text
                        font.pixelSize: Theme.headingSize
                        font.family: Theme.fontFamily
                        font.bold: true
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        textFormat: Text.PlainText
                        Layout.fillWidth: true
                        text: command.modelData.description
                        color: Theme.mutedText
                        font.pixelSize: Theme.bodySize
                        font.family: Theme.fontFamily
                        wrapMode: Text.WordWrap
                    }
                }
            }
        }
        Item { Layout.fillHeight: true }
    }
}
