"""Queue, exchange and task names shared by producers and workers."""

DEFAULT_QUEUE = "bastion.default"
EVENTS_EXCHANGE = "bastion.events"
# Where events wait in the embedded profile (see bus.events).
EVENTS_QUEUE = "bastion.events.all"
# Where a task's message is parked when it is given up (see bus.worker.dead_letter); no worker consumes it.
DEAD_LETTER_QUEUE = "bastion.dead"
# Tasks sent by name from a part that must not import their module.
IMPORT_TASK = "bastion.imports.run_import"
REAP_IMPORTS_TASK = "bastion.operations.reap_imports"
# Scans run on their own queue, apart from imports; their tasks are the scanner's.
SCANS_QUEUE = "bastion.scans"
SCAN_TASK = "bastion.scans.run_scan"
RUN_DUE_SCHEDULES_TASK = "bastion.scans.run_due_schedules"
REAP_SCANS_TASK = "bastion.scans.reap"
# The daily download of OSV's advisory exports (beat; off unless BASTION_ADVISORIES_SYNC is on).
SYNC_ADVISORIES_TASK = "bastion.advisories.sync"
