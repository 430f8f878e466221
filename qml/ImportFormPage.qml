// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ReceivingStation.Station

// Import a Trade-In Form (issue #12), at the kiosk and the supervisor desk: the form files on removable media
// and in the forms folder (forms.directory), newest first; a tap reads one and previews what it changes in its
// case; Apply changes the case all or nothing. Nobody types a path: the list comes from C++ (FormFiles), and
// C++ reads, checks and applies the file (SupervisorService::importForm).
Item {
    id: root
    signal openCase(string caseNumber)
    property int pickedRow: -1

    Component.onCompleted: {
        Supervisor.clearForm()
        Supervisor.refreshFormFiles()
    }
    Connections {
        target: Supervisor
        function onFormFilesChanged() { root.pickedRow = -1 }
    }

    function folderNames(): string {
        let names = []
        for (const f of Supervisor.formFolders)
            names.push(f.removable ? qsTr("removable %1").arg(f.label) : qsTr("forms folder %1").arg(f.path))
        return names.join(", ")
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap * 2

        // The files to choose from.
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 4
            spacing: Theme.mm(1.5)
            Text {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: qsTr("Import a Trade-In Form")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.family: Theme.fontFamily
                font.bold: true
                elide: Text.ElideRight
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                Text {
                    objectName: "formFolders"
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: !Supervisor.formFilesListed ? qsTr("Looking for forms\u2026")
                          : Supervisor.formFolders.length === 0
                            ? qsTr("No USB stick is plugged in and no forms folder is set.")
                            : qsTr("Looking in: %1").arg(root.folderNames())
                    color: Theme.mutedText
                    font.pixelSize: Theme.bodySize * 0.85
                    font.family: Theme.fontFamily
                    wrapMode: Text.WordWrap
                    maximumLineCount: 3
                    elide: Text.ElideRight
                }
                BigButton {
                    objectName: "refreshFormFiles"
                    text: qsTr("Refresh")
                    enabled: !Supervisor.busy
                    onClicked: {
                        Supervisor.clearForm()
                        Supervisor.refreshFormFiles()
                    }
                }
            }
            Text {
                objectName: "formFileCount"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                visible: Supervisor.formFilesListed
                text: Supervisor.formFiles.count === 0
                      ? qsTr("No .xlsx, .xls or .csv file found. Plug in the USB stick with the form, then tap Refresh.")
                      : qsTr("Form files: %1, newest first.").arg(Supervisor.formFiles.count)
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.family: Theme.fontFamily
                font.bold: true
                wrapMode: Text.WordWrap
            }
            ListView {
                objectName: "formFileList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: Theme.mm(1)
                model: Supervisor.formFiles
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar { width: Theme.mm(4); policy: ScrollBar.AsNeeded }
                delegate: FormFileDelegate {
                    width: ListView.view.width - Theme.mm(5)
                    picked: root.pickedRow === index
                    onChosen: row => {
                        root.pickedRow = row
                        Supervisor.previewForm(row)
                    }
                }
            }
        }

        Rectangle {
            Layout.fillHeight: true
            implicitWidth: 1
            color: Theme.rule
        }

        FormPreviewPanel {
            objectName: "formPreview"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 5
            preview: Supervisor.formPreview
            result: Supervisor.formResult
            problem: Supervisor.formProblem
            fileName: Supervisor.formFile
            busy: Supervisor.busy
            onApply: Supervisor.applyForm()
            onCancel: {
                root.pickedRow = -1
                Supervisor.clearForm()
            }
            onOpenCase: number => root.openCase(number)
        }
    }
}
