<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>CaseDelegate</name>
    <message>
        <source>LATE, was due %1</source>
        <translation>ATRASADO, vencía %1</translation>
    </message>
    <message>
        <source>due %1 (%2 days)</source>
        <translation>vence %1 (%2 días)</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>vence %1</translation>
    </message>
    <message>
        <source>%1 of %2 received</source>
        <translation>%1 de %2 recibidas</translation>
    </message>
</context>
<context>
    <name>CaseDetailPage</name>
    <message>
        <source>‹ Cases</source>
        <translation>‹ Casos</translation>
    </message>
    <message>
        <source>Case %1 — %2</source>
        <translation>Caso %1 — %2</translation>
    </message>
    <message>
        <source>Case %1: loading…</source>
        <translation>Caso %1: cargando…</translation>
    </message>
    <message>
        <source>%1 · %2 · phase %3 · due %4 · %5</source>
        <translation>%1 · %2 · fase %3 · vence %4 · %5</translation>
    </message>
    <message>
        <source>LATE by %1 days</source>
        <translation>ATRASADO %1 días</translation>
    </message>
    <message>
        <source>%1 days left</source>
        <translation>quedan %1 días</translation>
    </message>
    <message>
        <source>This case is %1: nothing to approve.</source>
        <translation>Este caso está %1: no hay nada que aprobar.</translation>
    </message>
    <message>
        <source>Note for a partial closure (required)</source>
        <translation>Nota para el cierre parcial (obligatoria)</translation>
    </message>
    <message>
        <source>Approve partial closure</source>
        <translation>Aprobar cierre parcial</translation>
    </message>
    <message>
        <source>Close case %1 now with %2 units still missing? The upstream is told it is a partial closure.</source>
        <translation>¿Cerrar ya el caso %1 con %2 unidades faltantes? Se informa al servidor central como cierre parcial.</translation>
    </message>
    <message>
        <source>Yes, close it</source>
        <translation>Sí, cerrarlo</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Certificado</translation>
    </message>
</context>
<context>
    <name>CaseLineDelegate</name>
    <message>
        <source>serial at dock</source>
        <translation>serie en el muelle</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>Case number, serial, tracking number or customer — or scan</source>
        <translation>Número de caso, serie, guía o cliente — o escanee</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Limpiar</translation>
    </message>
    <message>
        <source>No case matches “%1”.</source>
        <translation>Ningún caso coincide con «%1».</translation>
    </message>
    <message>
        <source>Cases matching “%1”: %2</source>
        <translation>Casos que coinciden con «%1»: %2</translation>
    </message>
    <message>
        <source>⚠ Due within 14 days, nothing received (%1)</source>
        <translation>⚠ Vencen en 14 días, sin nada recibido (%1)</translation>
    </message>
    <message>
        <source>Boxes still open (%1)</source>
        <translation>Cajas aún abiertas (%1)</translation>
    </message>
</context>
<context>
    <name>ChecklistDelegate</name>
    <message>
        <source>serial at dock</source>
        <translation>serie en el muelle</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
</context>
<context>
    <name>ConditionPage</name>
    <message>
        <source>Cracked or dented case</source>
        <translation>Carcasa rota o abollada</translation>
    </message>
    <message>
        <source>Bent rack ears</source>
        <translation>Orejas de rack dobladas</translation>
    </message>
    <message>
        <source>Missing parts</source>
        <translation>Faltan piezas</translation>
    </message>
    <message>
        <source>Burn marks or smell</source>
        <translation>Quemado o huele a quemado</translation>
    </message>
    <message>
        <source>Water or rust</source>
        <translation>Agua u óxido</translation>
    </message>
    <message>
        <source>Does not power on</source>
        <translation>No enciende</translation>
    </message>
    <message>
        <source>Condition of a unit</source>
        <translation>Estado de una unidad</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>No unit in this box yet. Scan a unit first.</source>
        <translation>Aún no hay unidades en esta caja. Escanee una unidad primero.</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Funciona</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Dañado</translation>
    </message>
    <message>
        <source>Not working</source>
        <translation>No funciona</translation>
    </message>
    <message>
        <source>Other: type a note</source>
        <translation>Otro: escribir nota</translation>
    </message>
    <message>
        <source>Type what is wrong with the unit</source>
        <translation>Escriba qué tiene la unidad</translation>
    </message>
    <message>
        <source>%1 is %2. Why?</source>
        <translation>%1: %2. ¿Por qué?</translation>
    </message>
</context>
<context>
    <name>DamagedDatabasePage</name>
    <message>
        <source>✖ This station&apos;s database is damaged. Scans are NOT being taken.</source>
        <translation>✖ La base de datos de esta estación está dañada. NO se están guardando los escaneos.</translation>
    </message>
    <message>
        <source>Put incoming boxes aside and call IT. Nothing scanned at this station since its last backup is lost until IT restores it.</source>
        <translation>Aparte las cajas que lleguen y llame a IT. Lo escaneado en esta estación desde la última copia de seguridad no está disponible hasta que IT la restaure.</translation>
    </message>
    <message>
        <source>For IT — restore the latest backup:</source>
        <translation>Para IT: restaurar la última copia de seguridad:</translation>
    </message>
    <message>
        <source>What the check found: %1</source>
        <translation>Resultado de la revisión: %1</translation>
    </message>
</context>
<context>
    <name>DeadLetterDelegate</name>
    <message>
        <source>✖ #%1 %2 for case %3 · attempts: %4</source>
        <translation>✖ #%1 %2 del caso %3 · intentos: %4</translation>
    </message>
    <message>
        <source>(no error recorded)</source>
        <translation>(sin error registrado)</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
</context>
<context>
    <name>ExceptionDelegate</name>
    <message>
        <source>(no serial)</source>
        <translation>(sin serie)</translation>
    </message>
    <message>
        <source>Case %1</source>
        <translation>Caso %1</translation>
    </message>
    <message>
        <source>No case</source>
        <translation>Sin caso</translation>
    </message>
    <message>
        <source>Box %1</source>
        <translation>Caja %1</translation>
    </message>
    <message>
        <source>No box</source>
        <translation>Sin caja</translation>
    </message>
    <message>
        <source>★ Now expected: case %1, line %2</source>
        <translation>★ Esperada ahora: caso %1, línea %2</translation>
    </message>
</context>
<context>
    <name>ExceptionDetailPage</name>
    <message>
        <source>‹ Exceptions</source>
        <translation>‹ Excepciones</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Serial %1</source>
        <translation>Serie %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <source>Case %1 · box %2 · station %3</source>
        <translation>Caso %1 · caja %2 · estación %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Scanned by %1 · %2 (%3 ago)</source>
        <translation>Escaneado por %1 · %2 (hace %3)</translation>
    </message>
    <message>
        <source>✔ Resolved: %1 by %2. Note: %3</source>
        <translation>✔ Resuelta: %1 por %2. Nota: %3</translation>
    </message>
    <message>
        <source>Scans of this serial</source>
        <translation>Escaneos de esta serie</translation>
    </message>
    <message>
        <source>Scans in this box</source>
        <translation>Escaneos en esta caja</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Resolver</translation>
    </message>
    <message>
        <source>Note (required): what you found</source>
        <translation>Nota (obligatoria): lo que encontró</translation>
    </message>
    <message>
        <source>Case number, customer or serial — or scan</source>
        <translation>Número de caso, cliente o serie — o escanee</translation>
    </message>
    <message>
        <source>Choose a resolution.</source>
        <translation>Elija una solución.</translation>
    </message>
    <message>
        <source>Write a note.</source>
        <translation>Escriba una nota.</translation>
    </message>
    <message>
        <source>Pick the case.</source>
        <translation>Elija el caso.</translation>
    </message>
    <message>
        <source>Assign to case %1.</source>
        <translation>Asignar al caso %1.</translation>
    </message>
    <message>
        <source>✔ Resolve exception</source>
        <translation>✔ Resolver excepción</translation>
    </message>
    <message>
        <source>★ Now expected: case %1, line %2</source>
        <translation>★ Esperada ahora: caso %1, línea %2</translation>
    </message>
    <message>
        <source>✔ Receive on case %1, line %2</source>
        <translation>✔ Recibir en el caso %1, línea %2</translation>
    </message>
</context>
<context>
    <name>ExceptionsPage</name>
    <message>
        <source>Older than:</source>
        <translation>Más antiguas que:</translation>
    </message>
    <message>
        <source>Any age</source>
        <translation>Cualquier edad</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 días</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>✔ No open exceptions match this filter.</source>
        <translation>✔ Ninguna excepción abierta con este filtro.</translation>
    </message>
    <message>
        <source>Open exceptions: %1, newest first</source>
        <translation>Excepciones abiertas: %1, las más nuevas primero</translation>
    </message>
    <message>
        <source>★ Now expected</source>
        <translation>★ Esperada ahora</translation>
    </message>
</context>
<context>
    <name>FormFileDelegate</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 bytes</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>Removable: %1</source>
        <translation>Extraíble: %1</translation>
    </message>
    <message>
        <source>Forms folder</source>
        <translation>Carpeta de formularios</translation>
    </message>
</context>
<context>
    <name>FormFiles</name>
    <message>
        <source>The file %1 cannot be read: %2.</source>
        <translation>No se puede leer el archivo %1: %2.</translation>
    </message>
</context>
<context>
    <name>FormPreviewPanel</name>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>Received %1 moves from line %2 to line %3</source>
        <translation>La unidad recibida %1 pasa de la línea %2 a la línea %3</translation>
    </message>
    <message>
        <source>Received %1 loses line %2 and goes to the exception queue</source>
        <translation>La unidad recibida %1 pierde la línea %2 y pasa a la cola de excepciones</translation>
    </message>
    <message>
        <source>Exception #%1 (%2, %3) becomes now expected on line %4</source>
        <translation>La excepción n.º %1 (%2, %3) pasa a estar esperada ahora en la línea %4</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importado</translation>
    </message>
    <message>
        <source>Preview: nothing changes until you apply</source>
        <translation>Vista previa: nada cambia hasta que aplique</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Leyendo %1…</translation>
    </message>
    <message>
        <source>Choose a form file. You see what changes before anything is changed.</source>
        <translation>Elija un archivo de formulario. Verá qué cambia antes de que cambie nada.</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Caso</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Formulario</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Líneas</translation>
    </message>
    <message>
        <source>%1 now, %2 after</source>
        <translation>%1 ahora, %2 después</translation>
    </message>
    <message>
        <source>Lines added</source>
        <translation>Líneas añadidas</translation>
    </message>
    <message>
        <source>Lines changed</source>
        <translation>Líneas cambiadas</translation>
    </message>
    <message>
        <source>Lines removed</source>
        <translation>Líneas eliminadas</translation>
    </message>
    <message>
        <source>No unit is matched again.</source>
        <translation>Ninguna unidad se vuelve a emparejar.</translation>
    </message>
    <message>
        <source>Units matched again: %1</source>
        <translation>Unidades emparejadas de nuevo: %1</translation>
    </message>
    <message>
        <source>✔ Case %1 now has %2 lines (%3 before). Lines added: %4; changed: %5; removed: %6.</source>
        <translation>✔ El caso %1 tiene ahora %2 líneas (%3 antes). Líneas añadidas: %4; cambiadas: %5; eliminadas: %6.</translation>
    </message>
    <message>
        <source>✔ Apply to case %1</source>
        <translation>✔ Aplicar al caso %1</translation>
    </message>
    <message>
        <source>Open case %1</source>
        <translation>Abrir el caso %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
</context>
<context>
    <name>HelpPage</name>
    <message>
        <source>Command barcodes</source>
        <translation>Códigos de comandos</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Scan a barcode below instead of touching the screen. You can also print this page.</source>
        <translation>Escanee un código de abajo en vez de tocar la pantalla. También puede imprimir esta página.</translation>
    </message>
</context>
<context>
    <name>ImportFormPage</name>
    <message>
        <source>removable %1</source>
        <translation>extraíble %1</translation>
    </message>
    <message>
        <source>forms folder %1</source>
        <translation>carpeta de formularios %1</translation>
    </message>
    <message>
        <source>Import a Trade-In Form</source>
        <translation>Importar un formulario de Trade-In</translation>
    </message>
    <message>
        <source>Looking for forms…</source>
        <translation>Buscando formularios…</translation>
    </message>
    <message>
        <source>No USB stick is plugged in and no forms folder is set.</source>
        <translation>No hay ninguna memoria USB conectada ni carpeta de formularios configurada.</translation>
    </message>
    <message>
        <source>Looking in: %1</source>
        <translation>Buscando en: %1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>No .xlsx, .xls or .csv file found. Plug in the USB stick with the form, then tap Refresh.</source>
        <translation>No se encontró ningún archivo .xlsx, .xls o .csv. Conecte la memoria USB con el formulario y toque Actualizar.</translation>
    </message>
    <message>
        <source>Form files: %1, newest first.</source>
        <translation>Archivos de formulario: %1, los más nuevos primero.</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Limpiar</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Receiving Station</source>
        <translation>Estación de recepción</translation>
    </message>
    <message>
        <source>The station cannot open its database: %1</source>
        <translation>La estación no puede abrir su base de datos: %1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>Supervisor: exceptions, cases, sync, settings</source>
        <translation>Supervisor: excepciones, casos, sincronización, ajustes</translation>
    </message>
    <message>
        <source>Supervisor (PIN): exceptions, cases, sync, settings</source>
        <translation>Supervisor (PIN): excepciones, casos, sincronización, ajustes</translation>
    </message>
    <message>
        <source>Receiving Station - supervisor desk</source>
        <translation>Estación de recepción - escritorio del supervisor</translation>
    </message>
    <message>
        <source>Supervisor desk: enter your PIN to see every door&apos;s exceptions, cases and sync.</source>
        <translation>Escritorio del supervisor: escriba su PIN para ver las excepciones, los casos y la sincronización de todas las puertas.</translation>
    </message>
</context>
<context>
    <name>OpenBoxDelegate</name>
    <message>
        <source>%1: box %2</source>
        <translation>%1: caja %2</translation>
    </message>
    <message>
        <source> · case %1</source>
        <translation> · caso %1</translation>
    </message>
    <message>
        <source>Units: %1 · %2 · opened %3 · last scan %4</source>
        <translation>Unidades: %1 · %2 · abierta %3 · último escaneo %4</translation>
    </message>
    <message>
        <source>nobody signed in</source>
        <translation>nadie conectado</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
</context>
<context>
    <name>PinSignIn</name>
    <message>
        <source>Too many wrong PINs at this station. PIN sign-in is locked for 1 more minute.</source>
        <translation>Demasiados PIN incorrectos en esta estación. La entrada con PIN queda bloqueada 1 minuto más.</translation>
    </message>
    <message>
        <source>Too many wrong PINs at this station. PIN sign-in is locked for %1 more minutes.</source>
        <translation>Demasiados PIN incorrectos en esta estación. La entrada con PIN queda bloqueada %1 minutos más.</translation>
    </message>
    <message>
        <source>That PIN is not right. One more wrong PIN locks PIN sign-in here for 5 minutes.</source>
        <translation>PIN incorrecto. Un PIN incorrecto más bloquea aquí la entrada con PIN durante 5 minutos.</translation>
    </message>
    <message>
        <source>That PIN is not right. %1 more wrong PINs lock PIN sign-in here for 5 minutes.</source>
        <translation>PIN incorrecto. %1 PIN incorrectos más bloquean aquí la entrada con PIN durante 5 minutos.</translation>
    </message>
    <message>
        <source>Badge disabled — see a supervisor.</source>
        <translation>Gafete desactivado — hable con un supervisor.</translation>
    </message>
    <message>
        <source>Only a supervisor can do this.</source>
        <translation>Solo un supervisor puede hacer esto.</translation>
    </message>
</context>
<context>
    <name>PinWorker</name>
    <message>
        <source>The station&apos;s database cannot be used, so nobody can sign in.</source>
        <translation>No se puede usar la base de datos de la estación, así que nadie puede entrar.</translation>
    </message>
    <message>
        <source>The station&apos;s database cannot be used.</source>
        <translation>No se puede usar la base de datos de la estación.</translation>
    </message>
</context>
<context>
    <name>ReceivePage</name>
    <message>
        <source>Case %1 — %2</source>
        <translation>Caso %1 — %2</translation>
    </message>
    <message>
        <source>Box %1 (no case)</source>
        <translation>Caja %1 (sin caso)</translation>
    </message>
    <message>
        <source>No box open: scan the box label</source>
        <translation>No hay caja abierta: escanee la etiqueta de la caja</translation>
    </message>
    <message>
        <source>Phase %1 · due %2 · %3 · %4 of %5 received</source>
        <translation>Fase %1 · vence %2 · %3 · %4 de %5 recibidas</translation>
    </message>
    <message>
        <source>LATE by %1 days</source>
        <translation>ATRASADO %1 días</translation>
    </message>
    <message>
        <source>%1 days left</source>
        <translation>quedan %1 días</translation>
    </message>
    <message>
        <source>Last scans</source>
        <translation>Últimos escaneos</translation>
    </message>
    <message>
        <source>Undo last</source>
        <translation>Deshacer último</translation>
    </message>
    <message>
        <source>Box done</source>
        <translation>Caja terminada</translation>
    </message>
    <message>
        <source>Type a serial</source>
        <translation>Escribir serie</translation>
    </message>
    <message>
        <source>Unit condition</source>
        <translation>Estado de unidad</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Ayuda</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>Undo the last unit of this box?</source>
        <translation>¿Deshacer la última unidad de esta caja?</translation>
    </message>
    <message>
        <source>Yes, undo</source>
        <translation>Sí, deshacer</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Type the serial number printed on the label</source>
        <translation>Escriba el número de serie de la etiqueta</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Ayer</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Últimos 7 días</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Este mes</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Mes pasado</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Del</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <source>to</source>
        <translation>al</translation>
    </message>
    <message>
        <source>Show counts</source>
        <translation>Ver cifras</translation>
    </message>
    <message>
        <source>Export to the report folder</source>
        <translation>Exportar a la carpeta de informes</translation>
    </message>
    <message>
        <source>Exports and certificates go to %1.</source>
        <translation>Las exportaciones y los certificados van a %1.</translation>
    </message>
    <message>
        <source>No report folder is set (report.directory): ask IT to set one to export.</source>
        <translation>No hay carpeta de informes (report.directory): pida a TI que la configure para exportar.</translation>
    </message>
    <message>
        <source>Counts of %1</source>
        <translation>Cifras del %1</translation>
    </message>
    <message>
        <source>Counts from %1 to %2</source>
        <translation>Cifras del %1 al %2</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Estación</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Recibidas</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Tarde</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Dañadas</translation>
    </message>
    <message>
        <source>Exceptions opened</source>
        <translation>Excepciones abiertas</translation>
    </message>
    <message>
        <source>Exceptions resolved</source>
        <translation>Excepciones resueltas</translation>
    </message>
    <message>
        <source>All stations</source>
        <translation>Todas las estaciones</translation>
    </message>
    <message>
        <source>Nothing was received and no exception opened or resolved in this period.</source>
        <translation>En este periodo no se recibió nada ni se abrió o resolvió ninguna excepción.</translation>
    </message>
</context>
<context>
    <name>ScanHistoryDelegate</name>
    <message>
        <source>(undone)</source>
        <translation>(deshecho)</translation>
    </message>
    <message>
        <source>%1 · case %2 · box %3 · %4 at %5</source>
        <translation>%1 · caso %2 · caja %3 · %4 a las %5</translation>
    </message>
</context>
<context>
    <name>ScanWorker</name>
    <message>
        <source>Nobody is signed in, so nothing was recorded. Scan your badge first.</source>
        <translation>No hay nadie conectado y no se guardó nada. Escanee su gafete primero.</translation>
    </message>
    <message>
        <source>Depot database not reachable: scans are not saved. Reconnecting…</source>
        <translation>No se alcanza la base de datos del depósito: los escaneos no se guardan. Reconectando…</translation>
    </message>
    <message>
        <source>This is the supervisor desk: it records no scans. Receive units at a dock door; sign in here with a supervisor&apos;s badge.</source>
        <translation>Este es el escritorio del supervisor: no guarda escaneos. Reciba las unidades en una puerta del muelle; aquí entre con el gafete de un supervisor.</translation>
    </message>
</context>
<context>
    <name>SettingRow</name>
    <message>
        <source>Saved: %1</source>
        <translation>Guardado: %1</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>sin valor</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Not set: %1 in station.conf applies</source>
        <translation>Sin valor: rige %1 de station.conf</translation>
    </message>
    <message>
        <source>Not set: %1 (the default)</source>
        <translation>Sin valor: %1 (predeterminado)</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Sin valor</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Station settings · this station is %1</source>
        <translation>Ajustes de la estación · esta estación es %1</translation>
    </message>
    <message>
        <source>Scanners now: %1</source>
        <translation>Escáneres ahora: %1</translation>
    </message>
    <message>
        <source>These settings are shared by every station on this database. The station id and scanners are set in each station&apos;s configuration file (station.conf), not here.</source>
        <translation>Estos ajustes son comunes a todas las estaciones de esta base de datos. El id de la estación y los escáneres se fijan en el archivo de configuración de cada estación (station.conf), no aquí.</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Scan your badge to sign in</source>
        <translation>Escanee su gafete para entrar</translation>
    </message>
    <message>
        <source>or type your PIN</source>
        <translation>o escriba su PIN</translation>
    </message>
    <message>
        <source>Too many wrong PINs. PIN sign-in opens again in %1:%2. Your badge still works.</source>
        <translation>Demasiados PIN incorrectos. La entrada con PIN se abre de nuevo en %1:%2. Su gafete sigue funcionando.</translation>
    </message>
</context>
<context>
    <name>StationController</name>
    <message numerus="yes">
        <source>Signed out after %n idle minute(s).</source>
        <translation>
            <numerusform>Sesión cerrada tras %n minuto sin actividad.</numerusform>
            <numerusform>Sesión cerrada tras %n minutos sin actividad.</numerusform>
        </translation>
    </message>
    <message>
        <source>Box done</source>
        <translation>Caja terminada</translation>
    </message>
    <message>
        <source>Closes the open box and lists what its case still misses.</source>
        <translation>Cierra la caja abierta y muestra lo que aún le falta al caso.</translation>
    </message>
    <message>
        <source>Undo last</source>
        <translation>Deshacer último</translation>
    </message>
    <message>
        <source>Takes back the last unit scanned into this box.</source>
        <translation>Anula la última unidad escaneada en esta caja.</translation>
    </message>
    <message>
        <source>Only a supervisor can do this.</source>
        <translation>Solo un supervisor puede hacer esto.</translation>
    </message>
    <message>
        <source>The supervisor desk is for supervisors. Receive units at a dock door.</source>
        <translation>El escritorio del supervisor es para supervisores. Reciba las unidades en una puerta del muelle.</translation>
    </message>
</context>
<context>
    <name>StationSettings</name>
    <message>
        <source> minutes</source>
        <translation> minutos</translation>
    </message>
    <message>
        <source> seconds</source>
        <translation> segundos</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source> (percent)</source>
        <translation> (por ciento)</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a setting.</source>
        <translation>&quot;%1&quot; no es un ajuste.</translation>
    </message>
    <message>
        <source>%1 may not hold control characters.</source>
        <translation>%1 no puede contener caracteres de control.</translation>
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3%4; &quot;%5&quot; is not.</source>
        <translation>%1 debe ser un número entero de %2 a %3%4; &quot;%5&quot; no lo es.</translation>
    </message>
    <message>
        <source>%1 must be one of %2; &quot;%3&quot; is not.</source>
        <translation>%1 debe ser uno de estos: %2; &quot;%3&quot; no lo es.</translation>
    </message>
    <message>
        <source>%1 must be %2 to %3 characters long.</source>
        <translation>%1 debe tener de %2 a %3 caracteres.</translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; is not a known time zone (for example America/Chicago).</source>
        <translation>%1 &quot;%2&quot; no es una zona horaria conocida (por ejemplo America/Chicago).</translation>
    </message>
    <message>
        <source>station_id is not a database setting: each station has its own id, station.id in its configuration file (or --station), because stations may share one database.</source>
        <translation>station_id no es un ajuste de la base de datos: cada estación tiene su propio id, station.id en su archivo de configuración (o --station), porque varias estaciones pueden compartir una base de datos.</translation>
    </message>
    <message>
        <source>Scanners are not database settings: each station&apos;s scanners are the [scanner.NAME] sections of its configuration file, because they are that station&apos;s hardware.</source>
        <translation>Los escáneres no son ajustes de la base de datos: los escáneres de cada estación son las secciones [scanner.NAME] de su archivo de configuración, porque son el equipo de esa estación.</translation>
    </message>
    <message>
        <source>%1 is set in each station&apos;s configuration file, not in the database.</source>
        <translation>%1 se fija en el archivo de configuración de cada estación, no en la base de datos.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a setting; the settings are %2.</source>
        <translation>&quot;%1&quot; no es un ajuste; los ajustes son %2.</translation>
    </message>
    <message>
        <source>%1 must be a time of day HH:MM from 00:00 to 23:59; &quot;%2&quot; is not.</source>
        <translation>%1 debe ser una hora HH:MM de 00:00 a 23:59; &quot;%2&quot; no lo es.</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>Station %1</source>
        <translation>Estación %1</translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>Operador: %1</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Sin sesión</translation>
    </message>
    <message>
        <source>Upstream: not configured</source>
        <translation>Servidor central: sin configurar</translation>
    </message>
    <message>
        <source>⚠ Upstream rejects our credentials</source>
        <translation>⚠ El servidor central rechaza nuestras credenciales</translation>
    </message>
    <message>
        <source>Upstream online</source>
        <translation>Servidor central en línea</translation>
    </message>
    <message>
        <source>⚠ Upstream offline</source>
        <translation>⚠ Servidor central sin conexión</translation>
    </message>
    <message>
        <source> · %1 to send</source>
        <translation> · %1 por enviar</translation>
    </message>
    <message>
        <source> · %1 dead letters</source>
        <translation> · %1 envíos fallidos</translation>
    </message>
    <message>
        <source>⚠ Disk almost full (%1 free): call IT</source>
        <translation>⚠ Disco casi lleno (%1 libre): llame a IT</translation>
    </message>
    <message>
        <source>✖ The database refuses writes: scans are NOT saved. Call IT.</source>
        <translation>✖ La base de datos no acepta cambios: los escaneos NO se guardan. Llame a IT.</translation>
    </message>
</context>
<context>
    <name>SupervisorController</name>
    <message>
        <source>Exception %1 resolved.</source>
        <translation>Excepción %1 resuelta.</translation>
    </message>
    <message>
        <source>Case %1 closed as partial.</source>
        <translation>Caso %1 cerrado como parcial.</translation>
    </message>
    <message>
        <source>Event %1 will be sent again.</source>
        <translation>El evento %1 se enviará de nuevo.</translation>
    </message>
    <message>
        <source>Setting %1 saved.</source>
        <translation>Ajuste %1 guardado.</translation>
    </message>
    <message>
        <source>Enter your supervisor PIN first.</source>
        <translation>Escriba primero su PIN de supervisor.</translation>
    </message>
    <message>
        <source>Exception %1 resolved: the unit is received on case %2, line %3. Case %2 is complete.</source>
        <translation>Excepción %1 resuelta: la unidad se recibe en el caso %2, línea %3. El caso %2 está completo.</translation>
    </message>
    <message>
        <source>Exception %1 resolved: the unit is received on case %2, line %3.</source>
        <translation>Excepción %1 resuelta: la unidad se recibe en el caso %2, línea %3.</translation>
    </message>
    <message>
        <source>Trade-In Form %1 imported: case %2 now has %3 lines.</source>
        <translation>Formulario de Trade-In %1 importado: el caso %2 tiene ahora %3 líneas.</translation>
    </message>
    <message numerus="yes">
        <source>%n report file(s) written to %1.</source>
        <translation>
            <numerusform>%n archivo de informe escrito en %1.</numerusform>
            <numerusform>%n archivos de informe escritos en %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Certificate of receipt of case %1 written to %2.</source>
        <translation>Certificado de recepción del caso %1 escrito en %2.</translation>
    </message>
    <message>
        <source>The first day %1 is no date: write it as YYYY-MM-DD.</source>
        <translation>El primer día %1 no es una fecha: escríbalo como AAAA-MM-DD.</translation>
    </message>
    <message>
        <source>The last day %1 is no date: write it as YYYY-MM-DD.</source>
        <translation>El último día %1 no es una fecha: escríbalo como AAAA-MM-DD.</translation>
    </message>
    <message>
        <source>The first day comes after the last day.</source>
        <translation>El primer día es posterior al último.</translation>
    </message>
    <message>
        <source>A period is at most one year.</source>
        <translation>Un periodo es de un año como máximo.</translation>
    </message>
</context>
<context>
    <name>SupervisorPages</name>
    <message>
        <source>Exceptions (%1)</source>
        <translation>Excepciones (%1)</translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation>Excepciones</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Casos</translation>
    </message>
    <message>
        <source>⚠ Sync</source>
        <translation>⚠ Sincronización</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Leave kiosk</source>
        <translation>Salir del quiosco</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Leave kiosk mode? The station stops receiving until it is started again.</source>
        <translation>¿Salir del modo quiosco? La estación deja de recibir hasta que se inicie de nuevo.</translation>
    </message>
    <message>
        <source>Yes, leave</source>
        <translation>Sí, salir</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>‹ Receiving</source>
        <translation>‹ Recepción</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>Import form</source>
        <translation>Importar formulario</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Informes</translation>
    </message>
</context>
<context>
    <name>SupervisorPinPage</name>
    <message>
        <source>Too many wrong PINs. Try again in %1:%2.</source>
        <translation>Demasiados PIN incorrectos. Inténtelo de nuevo en %1:%2.</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>PIN de supervisor</translation>
    </message>
    <message>
        <source>Type your PIN to open the supervisor pages. Your badge alone signs you in for dock work only.</source>
        <translation>Escriba su PIN para abrir las páginas de supervisor. Con solo el gafete, entra únicamente para el trabajo del muelle.</translation>
    </message>
    <message>
        <source>Back to receiving</source>
        <translation>Volver a recepción</translation>
    </message>
</context>
<context>
    <name>SupervisorService</name>
    <message>
        <source>Write a note saying why %1.</source>
        <translation>Escriba una nota que diga por qué %1.</translation>
    </message>
    <message>
        <source>The note is longer than 2000 characters. Shorten it.</source>
        <translation>La nota tiene más de 2000 caracteres. Acórtela.</translation>
    </message>
    <message>
        <source>Only a supervisor can do this: sign in with a supervisor&apos;s badge.</source>
        <translation>Solo un supervisor puede hacer esto: entre con el gafete de un supervisor.</translation>
    </message>
    <message>
        <source>Only a supervisor can do this, and %1 is not a registered operator.</source>
        <translation>Solo un supervisor puede hacer esto, y %1 no es un operador registrado.</translation>
    </message>
    <message>
        <source>Only a supervisor can do this; %1 (%2) is a dock worker. Ask a supervisor.</source>
        <translation>Solo un supervisor puede hacer esto; %1 (%2) es trabajador del muelle. Pida ayuda a un supervisor.</translation>
    </message>
    <message>
        <source>There is no exception #%1.</source>
        <translation>No existe la excepción #%1.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a resolution; use one of %2.</source>
        <translation>&quot;%1&quot; no es una resolución; use una de estas: %2.</translation>
    </message>
    <message>
        <source>you resolve it this way</source>
        <translation>la resuelve de esta forma</translation>
    </message>
    <message>
        <source>Exception #%1 was already resolved by %2 at %3.</source>
        <translation>La excepción #%1 ya la resolvió %2 el %3.</translation>
    </message>
    <message>
        <source>Exception #%1 was cancelled (its scan was undone); nothing to resolve.</source>
        <translation>La excepción #%1 se canceló (su escaneo se deshizo); no hay nada que resolver.</translation>
    </message>
    <message>
        <source>Exception #%1 is %2, not a cross-case unit; choose another resolution.</source>
        <translation>La excepción #%1 es %2, no una unidad de otro caso; elija otra resolución.</translation>
    </message>
    <message>
        <source>Name the case to assign the unit to.</source>
        <translation>Indique el caso al que se asigna la unidad.</translation>
    </message>
    <message>
        <source>Serial %1 is already received elsewhere; this second unit cannot be received again. Choose not_tmip or return_to_sender.</source>
        <translation>La serie %1 ya se recibió en otro lugar; esta segunda unidad no se puede recibir otra vez. Elija not_tmip o return_to_sender.</translation>
    </message>
    <message>
        <source>The scan of %1 was undone; there is no unit to assign.</source>
        <translation>El escaneo de %1 se deshizo; no hay unidad que asignar.</translation>
    </message>
    <message>
        <source>Unit %1 is already received on case %2, line %3; confirm it (confirm_cross_case) instead.</source>
        <translation>La unidad %1 ya está recibida en el caso %2, línea %3; confírmela (confirm_cross_case) en su lugar.</translation>
    </message>
    <message>
        <source>Unit %1 is still waiting for its SKU at the dock.</source>
        <translation>La unidad %1 todavía espera su SKU en el muelle.</translation>
    </message>
    <message>
        <source>Unit %1 is received on case %2, line %3, and that receipt may already be upstream; confirm it (confirm_cross_case).</source>
        <translation>La unidad %1 está recibida en el caso %2, línea %3, y ese recibo puede estar ya en el servidor central; confírmela (confirm_cross_case).</translation>
    </message>
    <message>
        <source>No case %1 is known to this station.</source>
        <translation>Esta estación no conoce ningún caso %1.</translation>
    </message>
    <message>
        <source>Case %1 is %2 and accepts no units.</source>
        <translation>El caso %1 está %2 y no acepta unidades.</translation>
    </message>
    <message>
        <source>Case %1 is a destruction case; units are not received on it.</source>
        <translation>El caso %1 es de destrucción; no se reciben unidades en él.</translation>
    </message>
    <message>
        <source>Case %1 has no open line for serial %2 and no open serial-less line.</source>
        <translation>El caso %1 no tiene línea abierta para la serie %2 ni líneas abiertas sin serie.</translation>
    </message>
    <message>
        <source>Case %1 has no open line for serial %2 or SKU %3.</source>
        <translation>El caso %1 no tiene línea abierta para la serie %2 ni para el SKU %3.</translation>
    </message>
    <message>
        <source>Unit %1 has no SKU and case %2 has open lines of several SKUs; give the unit&apos;s SKU.</source>
        <translation>La unidad %1 no tiene SKU y el caso %2 tiene líneas abiertas de varios SKU; indique el SKU de la unidad.</translation>
    </message>
    <message>
        <source>the case closes with units missing</source>
        <translation>el caso se cierra con unidades faltantes</translation>
    </message>
    <message>
        <source>Case %1 is %2; only an open case can be closed.</source>
        <translation>El caso %1 está %2; solo se puede cerrar un caso abierto.</translation>
    </message>
    <message>
        <source>Box %1 of case %2 is still open at station %3. Close it (:done) first, then approve the partial closure.</source>
        <translation>La caja %1 del caso %2 sigue abierta en la estación %3. Ciérrela primero (:done) y luego apruebe el cierre parcial.</translation>
    </message>
    <message>
        <source>Case %1 has received everything it expects; its closure goes upstream by itself.</source>
        <translation>El caso %1 ya recibió todo lo esperado; su cierre se envía solo al servidor central.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a condition; use working, damaged or not_working.</source>
        <translation>&quot;%1&quot; no es un estado; use working, damaged o not_working.</translation>
    </message>
    <message>
        <source>Say what is wrong with the unit in a note: a %1 unit is not eligible for trade-in credit.</source>
        <translation>Escriba en una nota qué le pasa a la unidad: una unidad %1 no recibe crédito por canje.</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>dañada</translation>
    </message>
    <message>
        <source>not working</source>
        <translation>que no funciona</translation>
    </message>
    <message>
        <source>Sign in first: %1 is not a registered operator.</source>
        <translation>Entre primero: %1 no es un operador registrado.</translation>
    </message>
    <message>
        <source>There is no receipt #%1.</source>
        <translation>No existe el recibo #%1.</translation>
    </message>
    <message>
        <source>The scan of %1 was undone; there is no unit to describe.</source>
        <translation>El escaneo de %1 se deshizo; no hay unidad que describir.</translation>
    </message>
    <message>
        <source>Unit %1 is not in this station&apos;s open box: its receipt has gone upstream and can no longer be changed here. Ask a supervisor.</source>
        <translation>La unidad %1 no está en la caja abierta de esta estación: su recibo ya se envió al servidor central y aquí no se puede cambiar. Pida ayuda a un supervisor.</translation>
    </message>
    <message>
        <source>Unit %1&apos;s receipt is already on its way upstream and can no longer be changed.</source>
        <translation>El recibo de la unidad %1 ya va camino del servidor central y no se puede cambiar.</translation>
    </message>
    <message>
        <source>Exception #%1 is %2; nothing to assign.</source>
        <translation>La excepción #%1 está %2; no hay nada que asignar.</translation>
    </message>
    <message>
        <source>No case expects the unit of exception #%1 now; resolve it another way.</source>
        <translation>Ningún caso espera ahora la unidad de la excepción #%1; resuélvala de otra forma.</translation>
    </message>
    <message>
        <source>The unit of exception #%1 has no receipt that can move to case %2 (undone, waiting for its SKU, or already on a line).</source>
        <translation>La unidad de la excepción #%1 no tiene un recibo que pueda pasar al caso %2 (deshecho, esperando su SKU o ya en una línea).</translation>
    </message>
    <message>
        <source>Case %1, line %2 no longer waits for %3.</source>
        <translation>El caso %1, línea %2, ya no espera %3.</translation>
    </message>
    <message>
        <source>Sheet &apos;%1&apos;</source>
        <translation>Hoja &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Sheet &apos;%1&apos;, %2</source>
        <translation>Hoja &apos;%1&apos;, %2</translation>
    </message>
    <message>
        <source>%1: the form names no case number; give the case with --case CASE. Nothing was imported.</source>
        <translation>%1: el formulario no indica número de caso; elija el caso. No se importó nada.</translation>
    </message>
    <message>
        <source>%1: case %2 is not known to this station (pull it with sync, or import it first). Nothing was imported.</source>
        <translation>%1: esta estación no conoce el caso %2 (sincronice o impórtelo primero). No se importó nada.</translation>
    </message>
    <message>
        <source>%1: case %2 is a %3 %4 case; a Trade-In Form changes only open trade-in cases. Nothing was imported.</source>
        <translation>%1: el caso %2 es un caso %4 %3; un formulario de Trade-In solo cambia casos de canje abiertos. No se importó nada.</translation>
    </message>
    <message>
        <source>trade-in</source>
        <translation>de canje</translation>
    </message>
    <message>
        <source>destruction</source>
        <translation>de destrucción</translation>
    </message>
    <message>
        <source>Sheet &apos;%1&apos; lists no equipment lines. Nothing was imported.</source>
        <translation>La hoja &apos;%1&apos; no tiene líneas de equipos. No se importó nada.</translation>
    </message>
    <message>
        <source>Sheet &apos;%1&apos;, row %2</source>
        <translation>Hoja &apos;%1&apos;, fila %2</translation>
    </message>
    <message>
        <source>%1, column %2</source>
        <translation>%1, columna %2</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>No se importó nada.</translation>
    </message>
    <message>
        <source>%1: the line number must be 1 or more.</source>
        <translation>%1: el número de línea debe ser 1 o mayor.</translation>
    </message>
    <message>
        <source>%1: line %2 is also on row %3.</source>
        <translation>%1: la línea %2 también está en la fila %3.</translation>
    </message>
    <message>
        <source>%1: line %2 needs a SKU.</source>
        <translation>%1: la línea %2 necesita un SKU.</translation>
    </message>
    <message>
        <source>%1: the quantity of line %2 must be a whole number from 1 to 10000.</source>
        <translation>%1: la cantidad de la línea %2 debe ser un número entero de 1 a 10000.</translation>
    </message>
    <message>
        <source>%1: serial &quot;%2&quot; is not a serial (printable, no spaces, at most 128 characters).</source>
        <translation>%1: &quot;%2&quot; no es una serie (imprimible, sin espacios, 128 caracteres como máximo).</translation>
    </message>
    <message>
        <source>%1: line %2 has a serial, so its quantity must be 1.</source>
        <translation>%1: la línea %2 tiene serie, así que su cantidad debe ser 1.</translation>
    </message>
    <message>
        <source>%1: serial %2 is also on row %3.</source>
        <translation>%1: la serie %2 también está en la fila %3.</translation>
    </message>
    <message>
        <source>%1: serial %2 is already expected on open case %3, line %4.</source>
        <translation>%1: la serie %2 ya se espera en el caso abierto %3, línea %4.</translation>
    </message>
    <message>
        <source>%1: serial %2 is already received on case %3, line %4.</source>
        <translation>%1: la serie %2 ya se recibió en el caso %3, línea %4.</translation>
    </message>
    <message>
        <source>the Trade-In Form %1</source>
        <translation>el formulario de Trade-In %1</translation>
    </message>
</context>
<context>
    <name>SupervisorWords</name>
    <message>
        <source>Other case</source>
        <translation>Otro caso</translation>
    </message>
    <message>
        <source>Several cases</source>
        <translation>Varios casos</translation>
    </message>
    <message>
        <source>Received twice</source>
        <translation>Recibida dos veces</translation>
    </message>
    <message>
        <source>Not on the case</source>
        <translation>No está en el caso</translation>
    </message>
    <message>
        <source>No case</source>
        <translation>Sin caso</translation>
    </message>
    <message>
        <source>Destruction case</source>
        <translation>Caso de destrucción</translation>
    </message>
    <message>
        <source>Case closed</source>
        <translation>Caso cerrado</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Todos los tipos</translation>
    </message>
    <message>
        <source>Assign to a case</source>
        <translation>Asignar a un caso</translation>
    </message>
    <message>
        <source>Confirm other case</source>
        <translation>Confirmar otro caso</translation>
    </message>
    <message>
        <source>Not TMIP: general returns</source>
        <translation>No es TMIP: devoluciones generales</translation>
    </message>
    <message>
        <source>Return to sender</source>
        <translation>Devolver al remitente</translation>
    </message>
    <message>
        <source>✔ Received</source>
        <translation>✔ Recibida</translation>
    </message>
    <message>
        <source>◑ Partly received</source>
        <translation>◑ Recibida en parte</translation>
    </message>
    <message>
        <source>✖ Missing</source>
        <translation>✖ Falta</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abierto</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Cerrado</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 días</translation>
    </message>
    <message>
        <source>Language at sign-in</source>
        <translation>Idioma al iniciar sesión</translation>
    </message>
    <message>
        <source>Sign out after idle</source>
        <translation>Cerrar sesión tras inactividad</translation>
    </message>
    <message>
        <source>Close an idle box after</source>
        <translation>Cerrar una caja inactiva tras</translation>
    </message>
    <message>
        <source>Supervisor PIN stays valid (after the last supervisor action)</source>
        <translation>El PIN de supervisor sigue válido (tras la última acción de supervisor)</translation>
    </message>
    <message>
        <source>Sound volume</source>
        <translation>Volumen del sonido</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Takes effect within a minute</source>
        <translation>Se aplica en menos de un minuto</translation>
    </message>
    <message>
        <source>Takes effect when the sign-in screen next shows</source>
        <translation>Se aplica la próxima vez que aparezca la pantalla de entrada</translation>
    </message>
    <message>
        <source>Takes effect when the station restarts</source>
        <translation>Se aplica cuando la estación se reinicia</translation>
    </message>
</context>
<context>
    <name>SupervisorWorker</name>
    <message>
        <source>The station&apos;s database is not open.</source>
        <translation>La base de datos de la estación no está abierta.</translation>
    </message>
    <message>
        <source>Only a supervisor can send a dead letter again.</source>
        <translation>Solo un supervisor puede reenviar un envío fallido.</translation>
    </message>
    <message>
        <source>Outbox event %1 is no longer a dead letter.</source>
        <translation>El evento %1 ya no es un envío fallido.</translation>
    </message>
    <message>
        <source>%1 is no longer on removable media or in the forms folder.</source>
        <translation>%1 ya no está en un medio extraíble ni en la carpeta de formularios.</translation>
    </message>
    <message>
        <source>Choose the form again: the one previewed is no longer at hand.</source>
        <translation>Elija el formulario de nuevo: el de la vista previa ya no está disponible.</translation>
    </message>
    <message>
        <source>Only a supervisor can see the reports.</source>
        <translation>Solo un supervisor puede ver los informes.</translation>
    </message>
    <message>
        <source>Only a supervisor can export reports.</source>
        <translation>Solo un supervisor puede exportar informes.</translation>
    </message>
    <message>
        <source>No report folder is set (report.directory): ask IT to set one.</source>
        <translation>No hay carpeta de informes (report.directory): pida a TI que la configure.</translation>
    </message>
    <message>
        <source>The report folder %1 cannot be created.</source>
        <translation>No se puede crear la carpeta de informes %1.</translation>
    </message>
    <message>
        <source>The export failed: %1</source>
        <translation>La exportación falló: %1</translation>
    </message>
    <message>
        <source>Only a supervisor can issue a certificate of receipt.</source>
        <translation>Solo un supervisor puede emitir un certificado de recepción.</translation>
    </message>
    <message>
        <source>%1 is no period.</source>
        <translation>%1 no es un periodo.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>No upstream configured: events stay in the outbox.</source>
        <translation>Sin servidor central configurado: los eventos quedan en la bandeja de salida.</translation>
    </message>
    <message>
        <source>The upstream rejects our credentials. Sync is paused: ask IT to renew the client secret.</source>
        <translation>El servidor central rechaza nuestras credenciales. La sincronización está en pausa: pida a IT que renueve el secreto del cliente.</translation>
    </message>
    <message>
        <source>Upstream online</source>
        <translation>Servidor central en línea</translation>
    </message>
    <message>
        <source>Upstream offline: events wait and are sent when it is back.</source>
        <translation>Servidor central sin conexión: los eventos esperan y se envían cuando vuelva.</translation>
    </message>
    <message>
        <source>Last success %1. </source>
        <translation>Último envío correcto %1. </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Último error: %1</translation>
    </message>
    <message>
        <source>To send</source>
        <translation>Por enviar</translation>
    </message>
    <message>
        <source>Held (box open)</source>
        <translation>Retenidos (caja abierta)</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregados</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>Envíos fallidos</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>✔ No dead letters.</source>
        <translation>✔ Sin envíos fallidos.</translation>
    </message>
    <message>
        <source>Dead letters: the upstream refused these. Fix the cause, then retry.</source>
        <translation>Envíos fallidos: el servidor central los rechazó. Corrija la causa y reintente.</translation>
    </message>
    <message>
        <source>Reports: daily export of %1 done.</source>
        <translation>Informes: exportación diaria del %1 hecha.</translation>
    </message>
    <message>
        <source>Reports: no daily export yet.</source>
        <translation>Informes: aún no hay exportación diaria.</translation>
    </message>
    <message numerus="yes">
        <source>%n certificate(s) of receipt waiting.</source>
        <translation>
            <numerusform>%n certificado de recepción pendiente.</numerusform>
            <numerusform>%n certificados de recepción pendientes.</numerusform>
        </translation>
    </message>
    <message>
        <source>Report problem: %1 It is tried again every minute.</source>
        <translation>Problema con los informes: %1 Se reintenta cada minuto.</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>RECEIVED</source>
        <translation>RECIBIDO</translation>
    </message>
    <message>
        <source>BOX OPEN</source>
        <translation>CAJA ABIERTA</translation>
    </message>
    <message>
        <source>BOX DONE</source>
        <translation>CAJA TERMINADA</translation>
    </message>
    <message>
        <source>SIGNED IN</source>
        <translation>SESIÓN INICIADA</translation>
    </message>
    <message>
        <source>UNDONE</source>
        <translation>DESHECHO</translation>
    </message>
    <message>
        <source>SCAN THE SKU</source>
        <translation>ESCANEE EL SKU</translation>
    </message>
    <message>
        <source>SKU NEEDED</source>
        <translation>FALTA EL SKU</translation>
    </message>
    <message>
        <source>ALREADY SCANNED</source>
        <translation>YA ESCANEADO</translation>
    </message>
    <message>
        <source>WRONG BARCODE</source>
        <translation>CÓDIGO EQUIVOCADO</translation>
    </message>
    <message>
        <source>NOT READ</source>
        <translation>NO SE LEYÓ</translation>
    </message>
    <message>
        <source>NOT SAVED</source>
        <translation>NO GUARDADO</translation>
    </message>
    <message>
        <source>NOTHING TO DO</source>
        <translation>NADA QUE HACER</translation>
    </message>
    <message>
        <source>UNKNOWN BOX</source>
        <translation>CAJA DESCONOCIDA</translation>
    </message>
    <message>
        <source>EXCEPTION SHELF</source>
        <translation>ESTANTE DE EXCEPCIONES</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Funciona</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Dañado</translation>
    </message>
    <message>
        <source>Not working</source>
        <translation>No funciona</translation>
    </message>
    <message>
        <source>BADGE DISABLED</source>
        <translation>GAFETE DESACTIVADO</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>You scanned the MAC address. Scan the S/N barcode.</source>
        <translation>Escaneó la dirección MAC. Escanee el código S/N.</translation>
    </message>
    <message>
        <source>You scanned the CLEI code. Scan the S/N barcode.</source>
        <translation>Escaneó el código CLEI. Escanee el código S/N.</translation>
    </message>
    <message>
        <source>You scanned the part number. Scan the S/N barcode.</source>
        <translation>Escaneó el número de parte. Escanee el código S/N.</translation>
    </message>
    <message>
        <source>NOT SAVED - scan this unit again. %1</source>
        <translation>NO GUARDADO: escanee esta unidad otra vez. %1</translation>
    </message>
    <message>
        <source>Unit %1 is waiting for its SKU. Scan the SKU barcode on that unit.</source>
        <translation>La unidad %1 espera su SKU. Escanee el código SKU de esa unidad.</translation>
    </message>
    <message>
        <source>Signed in: %1.</source>
        <translation>Sesión iniciada: %1.</translation>
    </message>
    <message>
        <source>This box is already open. Scan the units inside it.</source>
        <translation>Esta caja ya está abierta. Escanee las unidades que trae.</translation>
    </message>
    <message>
        <source>Box opened for case %1 (%2). Scan each unit&apos;s serial number.</source>
        <translation>Caja abierta para el caso %1 (%2). Escanee el número de serie de cada unidad.</translation>
    </message>
    <message>
        <source>No case knows this label. Scan the units; they go to the exception shelf.</source>
        <translation>Ningún caso tiene esta etiqueta. Escanee las unidades; van al estante de excepciones.</translation>
    </message>
    <message>
        <source> Previous box %1 closed</source>
        <translation> Caja anterior %1 cerrada</translation>
    </message>
    <message>
        <source>, lines still missing: %1.</source>
        <translation>, faltan las líneas: %1.</translation>
    </message>
    <message>
        <source>.</source>
        <translation>.</translation>
    </message>
    <message>
        <source>No box is open. Scan a box label first.</source>
        <translation>No hay caja abierta. Escanee primero la etiqueta de una caja.</translation>
    </message>
    <message>
        <source>Box closed. Case %1 has everything it expects.</source>
        <translation>Caja cerrada. El caso %1 está completo.</translation>
    </message>
    <message>
        <source>Box closed. Case %1 still misses lines %2.</source>
        <translation>Caja cerrada. Al caso %1 le faltan las líneas %2.</translation>
    </message>
    <message>
        <source>Box closed.</source>
        <translation>Caja cerrada.</translation>
    </message>
    <message>
        <source> Unit %1 got no SKU: put it on the exception shelf.</source>
        <translation> La unidad %1 quedó sin SKU: póngala en el estante de excepciones.</translation>
    </message>
    <message>
        <source>No box is open, so there is nothing to undo.</source>
        <translation>No hay caja abierta; no hay nada que deshacer.</translation>
    </message>
    <message>
        <source>Nothing scanned in this box yet, so there is nothing to undo.</source>
        <translation>Aún no se escaneó nada en esta caja; no hay nada que deshacer.</translation>
    </message>
    <message>
        <source>Undone: %1 is no longer received. Take it out of the box.</source>
        <translation>Deshecho: %1 ya no está recibido. Sáquelo de la caja.</translation>
    </message>
    <message>
        <source>That is a SKU. Scan the unit&apos;s serial number first.</source>
        <translation>Eso es un SKU. Escanee primero el número de serie de la unidad.</translation>
    </message>
    <message>
        <source>Case %1 expects no more units of SKU %2. Scan the SKU of unit %3.</source>
        <translation>El caso %1 no espera más unidades del SKU %2. Escanee el SKU de la unidad %3.</translation>
    </message>
    <message>
        <source>Received %1 as SKU %2, line %3.</source>
        <translation>Recibido %1 como SKU %2, línea %3.</translation>
    </message>
    <message>
        <source> Case %1 is complete.</source>
        <translation> El caso %1 está completo.</translation>
    </message>
    <message>
        <source>Already scanned in this box. Scan the next unit.</source>
        <translation>Ya se escaneó en esta caja. Escanee la siguiente unidad.</translation>
    </message>
    <message>
        <source>without a box</source>
        <translation>sin caja</translation>
    </message>
    <message>
        <source>in box %1</source>
        <translation>en la caja %1</translation>
    </message>
    <message>
        <source>Already received on %1 %2. Put this unit on the exception shelf.</source>
        <translation>Ya se recibió el %1 %2. Ponga esta unidad en el estante de excepciones.</translation>
    </message>
    <message>
        <source>Belongs to case %1, not this box&apos;s case. Put it on the exception shelf.</source>
        <translation>Es del caso %1, no del caso de esta caja. Póngala en el estante de excepciones.</translation>
    </message>
    <message>
        <source>Received: line %1, %2.</source>
        <translation>Recibido: línea %1, %2.</translation>
    </message>
    <message>
        <source>Expected on %1 open cases. Put it on the exception shelf for a supervisor.</source>
        <translation>Aparece en %1 casos abiertos. Póngala en el estante de excepciones para un supervisor.</translation>
    </message>
    <message>
        <source>Case %1 is a destruction case: this unit should not be here. Put it on the exception shelf.</source>
        <translation>El caso %1 es de destrucción: esta unidad no debe estar aquí. Póngala en el estante de excepciones.</translation>
    </message>
    <message>
        <source>Case %1 is %2. Put this unit on the exception shelf.</source>
        <translation>El caso %1 está %2. Ponga esta unidad en el estante de excepciones.</translation>
    </message>
    <message>
        <source>New serial for case %1. Now scan this unit&apos;s SKU (part number) barcode.</source>
        <translation>Serie nueva para el caso %1. Ahora escanee el código SKU (número de parte) de esta unidad.</translation>
    </message>
    <message>
        <source>Case %1 does not expect this serial. Put it on the exception shelf.</source>
        <translation>El caso %1 no espera esta serie. Póngala en el estante de excepciones.</translation>
    </message>
    <message>
        <source>No open case expects this serial. Put it on the exception shelf.</source>
        <translation>Ningún caso abierto espera esta serie. Póngala en el estante de excepciones.</translation>
    </message>
    <message>
        <source>That GS1 barcode could not be read: %1 Scan it again.</source>
        <translation>No se pudo leer ese código GS1: %1 Escanéelo otra vez.</translation>
    </message>
    <message>
        <source>That GS1 barcode holds no serial number (AI 21). Scan the S/N barcode.</source>
        <translation>Ese código GS1 no tiene número de serie (AI 21). Escanee el código S/N.</translation>
    </message>
    <message>
        <source>The scan was empty. Scan the barcode again.</source>
        <translation>El escaneo llegó vacío. Escanee el código otra vez.</translation>
    </message>
    <message>
        <source>That scan is too long to be a label (over 128 characters). Scan the barcode again.</source>
        <translation>Ese escaneo es demasiado largo para una etiqueta (más de 128 caracteres). Escanee el código otra vez.</translation>
    </message>
    <message>
        <source>That scan had unreadable characters. Check the scanner&apos;s keyboard setting and scan again.</source>
        <translation>Ese escaneo tenía caracteres ilegibles. Revise la configuración de teclado del escáner y escanee otra vez.</translation>
    </message>
    <message>
        <source>That scan had hidden control characters. Check the scanner setup and scan again.</source>
        <translation>Ese escaneo tenía caracteres de control ocultos. Revise la configuración del escáner y escanee otra vez.</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>cerrado</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>Badge disabled — see a supervisor.</source>
        <translation>Gafete desactivado — hable con un supervisor.</translation>
    </message>
    <message>
        <source>NOT SAVED - the depot database is not reachable. Scan again.</source>
        <translation>NO GUARDADO: no se alcanza la base de datos del depósito. Escanee otra vez.</translation>
    </message>
</context>
<context>
    <name>VerdictBanner</name>
    <message>
        <source>Scan a box label to start</source>
        <translation>Escanee la etiqueta de una caja para empezar</translation>
    </message>
    <message>
        <source>LATE</source>
        <translation>ATRASADO</translation>
    </message>
</context>
</TS>
