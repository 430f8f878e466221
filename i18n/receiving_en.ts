<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CaseDelegate</name>
    <message>
        <source>LATE, was due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>due %1 (%2 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 received</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseDetailPage</name>
    <message>
        <source>‹ Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1: loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · phase %3 · due %4 · %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LATE by %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This case is %1: nothing to approve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note for a partial closure (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve partial closure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close case %1 now with %2 units still missing? The upstream is told it is a partial closure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes, close it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseLineDelegate</name>
    <message>
        <source>serial at dock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>Case number, serial, tracking number or customer — or scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases matching “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Due within 14 days, nothing received (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Boxes still open (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChecklistDelegate</name>
    <message>
        <source>serial at dock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConditionPage</name>
    <message>
        <source>Cracked or dented case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bent rack ears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Burn marks or smell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Water or rust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Does not power on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition of a unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No unit in this box yet. Scan a unit first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other: type a note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type what is wrong with the unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2. Why?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DamagedDatabasePage</name>
    <message>
        <source>✖ This station&apos;s database is damaged. Scans are NOT being taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put incoming boxes aside and call IT. Nothing scanned at this station since its last backup is lost until IT restores it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For IT — restore the latest backup:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the check found: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeadLetterDelegate</name>
    <message>
        <source>✖ #%1 %2 for case %3 · attempts: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no error recorded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExceptionDelegate</name>
    <message>
        <source>(no serial)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>★ Now expected: case %1, line %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExceptionDetailPage</name>
    <message>
        <source>‹ Exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 · box %2 · station %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned by %1 · %2 (%3 ago)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Resolved: %1 by %2. Note: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scans of this serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scans in this box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note (required): what you found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case number, customer or serial — or scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a resolution.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick the case.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign to case %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Resolve exception</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>★ Now expected: case %1, line %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Receive on case %1, line %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExceptionsPage</name>
    <message>
        <source>Older than:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ No open exceptions match this filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open exceptions: %1, newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>★ Now expected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormFileDelegate</name>
    <message>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forms folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormFiles</name>
    <message>
        <source>The file %1 cannot be read: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormPreviewPanel</name>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received %1 moves from line %2 to line %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received %1 loses line %2 and goes to the exception queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception #%1 (%2, %3) becomes now expected on line %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview: nothing changes until you apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a form file. You see what changes before anything is changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 now, %2 after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lines added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lines changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lines removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No unit is matched again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units matched again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Case %1 now has %2 lines (%3 before). Lines added: %4; changed: %5; removed: %6.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Apply to case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpPage</name>
    <message>
        <source>Command barcodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan a barcode below instead of touching the screen. You can also print this page.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportFormPage</name>
    <message>
        <source>removable %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forms folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a Trade-In Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for forms…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No USB stick is plugged in and no forms folder is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No .xlsx, .xls or .csv file found. Plug in the USB stick with the form, then tap Refresh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form files: %1, newest first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Receiving Station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station cannot open its database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor: exceptions, cases, sync, settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor (PIN): exceptions, cases, sync, settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving Station - supervisor desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor desk: enter your PIN to see every door&apos;s exceptions, cases and sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpenBoxDelegate</name>
    <message>
        <source>%1: box %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units: %1 · %2 · opened %3 · last scan %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PinSignIn</name>
    <message>
        <source>Too many wrong PINs at this station. PIN sign-in is locked for 1 more minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong PINs at this station. PIN sign-in is locked for %1 more minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That PIN is not right. One more wrong PIN locks PIN sign-in here for 5 minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That PIN is not right. %1 more wrong PINs lock PIN sign-in here for 5 minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge disabled — see a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can do this.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PinWorker</name>
    <message>
        <source>The station&apos;s database cannot be used, so nobody can sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station&apos;s database cannot be used.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReceivePage</name>
    <message>
        <source>Case %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box %1 (no case)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No box open: scan the box label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phase %1 · due %2 · %3 · %4 of %5 received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LATE by %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last scans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the last unit of this box?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes, undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the serial number printed on the label</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to the report folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exports and certificates go to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No report folder is set (report.directory): ask IT to set one to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All stations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was received and no exception opened or resolved in this period.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScanHistoryDelegate</name>
    <message>
        <source>(undone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · case %2 · box %3 · %4 at %5</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScanWorker</name>
    <message>
        <source>Nobody is signed in, so nothing was recorded. Scan your badge first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Depot database not reachable: scans are not saved. Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the supervisor desk: it records no scans. Receive units at a dock door; sign in here with a supervisor&apos;s badge.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingRow</name>
    <message>
        <source>Saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not set: %1 in station.conf applies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not set: %1 (the default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not set</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Station settings · this station is %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanners now: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These settings are shared by every station on this database. The station id and scanners are set in each station&apos;s configuration file (station.conf), not here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Scan your badge to sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>or type your PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong PINs. PIN sign-in opens again in %1:%2. Your badge still works.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StationController</name>
    <message numerus="yes">
        <source>Signed out after %n idle minute(s).</source>
        <translation>
            <numerusform>Signed out after %n idle minute.</numerusform>
            <numerusform>Signed out after %n idle minutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>Box done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closes the open box and lists what its case still misses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes back the last unit scanned into this box.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can do this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The supervisor desk is for supervisors. Receive units at a dock door.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StationSettings</name>
    <message>
        <source> minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (percent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not hold control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3%4; &quot;%5&quot; is not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be one of %2; &quot;%3&quot; is not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be %2 to %3 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; is not a known time zone (for example America/Chicago).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>station_id is not a database setting: each station has its own id, station.id in its configuration file (or --station), because stations may share one database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanners are not database settings: each station&apos;s scanners are the [scanner.NAME] sections of its configuration file, because they are that station&apos;s hardware.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is set in each station&apos;s configuration file, not in the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a setting; the settings are %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a time of day HH:MM from 00:00 to 23:59; &quot;%2&quot; is not.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>Station %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstream: not configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Upstream rejects our credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstream online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Upstream offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 dead letters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Disk almost full (%1 free): call IT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ The database refuses writes: scans are NOT saved. Call IT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorController</name>
    <message>
        <source>Exception %1 resolved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 closed as partial.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event %1 will be sent again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting %1 saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your supervisor PIN first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception %1 resolved: the unit is received on case %2, line %3. Case %2 is complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception %1 resolved: the unit is received on case %2, line %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trade-In Form %1 imported: case %2 now has %3 lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n report file(s) written to %1.</source>
        <translation>
            <numerusform>%n report file written to %1.</numerusform>
            <numerusform>%n report files written to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Certificate of receipt of case %1 written to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first day %1 is no date: write it as YYYY-MM-DD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last day %1 is no date: write it as YYYY-MM-DD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first day comes after the last day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A period is at most one year.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorPages</name>
    <message>
        <source>Exceptions (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave kiosk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave kiosk mode? The station stops receiving until it is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes, leave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>‹ Receiving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorPinPage</name>
    <message>
        <source>Too many wrong PINs. Try again in %1:%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your PIN to open the supervisor pages. Your badge alone signs you in for dock work only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to receiving</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorService</name>
    <message>
        <source>Write a note saying why %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note is longer than 2000 characters. Shorten it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can do this: sign in with a supervisor&apos;s badge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can do this, and %1 is not a registered operator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can do this; %1 (%2) is a dock worker. Ask a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no exception #%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a resolution; use one of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you resolve it this way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception #%1 was already resolved by %2 at %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception #%1 was cancelled (its scan was undone); nothing to resolve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception #%1 is %2, not a cross-case unit; choose another resolution.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the case to assign the unit to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial %1 is already received elsewhere; this second unit cannot be received again. Choose not_tmip or return_to_sender.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scan of %1 was undone; there is no unit to assign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 is already received on case %2, line %3; confirm it (confirm_cross_case) instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 is still waiting for its SKU at the dock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 is received on case %2, line %3, and that receipt may already be upstream; confirm it (confirm_cross_case).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case %1 is known to this station.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 is %2 and accepts no units.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 is a destruction case; units are not received on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 has no open line for serial %2 and no open serial-less line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 has no open line for serial %2 or SKU %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 has no SKU and case %2 has open lines of several SKUs; give the unit&apos;s SKU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the case closes with units missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 is %2; only an open case can be closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box %1 of case %2 is still open at station %3. Close it (:done) first, then approve the partial closure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 has received everything it expects; its closure goes upstream by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a condition; use working, damaged or not_working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say what is wrong with the unit in a note: a %1 unit is not eligible for trade-in credit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in first: %1 is not a registered operator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no receipt #%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scan of %1 was undone; there is no unit to describe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 is not in this station&apos;s open box: its receipt has gone upstream and can no longer be changed here. Ask a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1&apos;s receipt is already on its way upstream and can no longer be changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exception #%1 is %2; nothing to assign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case expects the unit of exception #%1 now; resolve it another way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit of exception #%1 has no receipt that can move to case %2 (undone, waiting for its SKU, or already on a line).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1, line %2 no longer waits for %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sheet &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sheet &apos;%1&apos;, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the form names no case number; give the case with --case CASE. Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: case %2 is not known to this station (pull it with sync, or import it first). Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: case %2 is a %3 %4 case; a Trade-In Form changes only open trade-in cases. Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trade-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>destruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sheet &apos;%1&apos; lists no equipment lines. Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sheet &apos;%1&apos;, row %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, column %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the line number must be 1 or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: line %2 is also on row %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: line %2 needs a SKU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the quantity of line %2 must be a whole number from 1 to 10000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: serial &quot;%2&quot; is not a serial (printable, no spaces, at most 128 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: line %2 has a serial, so its quantity must be 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: serial %2 is also on row %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: serial %2 is already expected on open case %3, line %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: serial %2 is already received on case %3, line %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Trade-In Form %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorWords</name>
    <message>
        <source>Other case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not on the case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destruction case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign to a case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm other case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not TMIP: general returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return to sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◑ Partly received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ Missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language at sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out after idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close an idle box after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor PIN stays valid (after the last supervisor action)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect within a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect when the sign-in screen next shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect when the station restarts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorWorker</name>
    <message>
        <source>The station&apos;s database is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can send a dead letter again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox event %1 is no longer a dead letter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is no longer on removable media or in the forms folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the form again: the one previewed is no longer at hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can see the reports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can export reports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No report folder is set (report.directory): ask IT to set one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report folder %1 cannot be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can issue a certificate of receipt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is no period.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>No upstream configured: events stay in the outbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The upstream rejects our credentials. Sync is paused: ask IT to renew the client secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstream online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstream offline: events wait and are sent when it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last success %1. </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held (box open)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ No dead letters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dead letters: the upstream refused these. Fix the cause, then retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports: daily export of %1 done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports: no daily export yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n certificate(s) of receipt waiting.</source>
        <translation>
            <numerusform>%n certificate of receipt waiting.</numerusform>
            <numerusform>%n certificates of receipt waiting.</numerusform>
        </translation>
    </message>
    <message>
        <source>Report problem: %1 It is tried again every minute.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>RECEIVED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BOX OPEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BOX DONE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SIGNED IN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNDONE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAN THE SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SKU NEEDED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALREADY SCANNED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WRONG BARCODE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT READ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT SAVED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTHING TO DO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNKNOWN BOX</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXCEPTION SHELF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BADGE DISABLED</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>You scanned the MAC address. Scan the S/N barcode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You scanned the CLEI code. Scan the S/N barcode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You scanned the part number. Scan the S/N barcode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT SAVED - scan this unit again. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 is waiting for its SKU. Scan the SKU barcode on that unit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This box is already open. Scan the units inside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box opened for case %1 (%2). Scan each unit&apos;s serial number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case knows this label. Scan the units; they go to the exception shelf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Previous box %1 closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, lines still missing: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No box is open. Scan a box label first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box closed. Case %1 has everything it expects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box closed. Case %1 still misses lines %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Unit %1 got no SKU: put it on the exception shelf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No box is open, so there is nothing to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing scanned in this box yet, so there is nothing to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone: %1 is no longer received. Take it out of the box.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is a SKU. Scan the unit&apos;s serial number first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 expects no more units of SKU %2. Scan the SKU of unit %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received %1 as SKU %2, line %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Case %1 is complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already scanned in this box. Scan the next unit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>without a box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in box %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already received on %1 %2. Put this unit on the exception shelf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Belongs to case %1, not this box&apos;s case. Put it on the exception shelf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received: line %1, %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected on %1 open cases. Put it on the exception shelf for a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 is a destruction case: this unit should not be here. Put it on the exception shelf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 is %2. Put this unit on the exception shelf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New serial for case %1. Now scan this unit&apos;s SKU (part number) barcode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case %1 does not expect this serial. Put it on the exception shelf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No open case expects this serial. Put it on the exception shelf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That GS1 barcode could not be read: %1 Scan it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That GS1 barcode holds no serial number (AI 21). Scan the S/N barcode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scan was empty. Scan the barcode again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That scan is too long to be a label (over 128 characters). Scan the barcode again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That scan had unreadable characters. Check the scanner&apos;s keyboard setting and scan again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That scan had hidden control characters. Check the scanner setup and scan again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge disabled — see a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT SAVED - the depot database is not reachable. Scan again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VerdictBanner</name>
    <message>
        <source>Scan a box label to start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LATE</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
