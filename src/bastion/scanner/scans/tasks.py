"""The scans queue's task: claim a scan, run it (``flows.run``), end it.

Workers load it through ``bastion.scanner.worker`` (the core's Celery wiring plus the
scanner's tasks); the core queues it by name (``bus.queues.SCAN_TASK``). A scan whose
organisation already runs as many scans as it may is tried again shortly, still queued.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.db import OperationalError

from bastion.bus.queues import SCAN_TASK
from bastion.contracts.scans import ScanState
from bastion.core.scans import services
from bastion.scanner.scans import flows

logger = logging.getLogger(__name__)
DEFER_SECONDS = 10
INTERNAL_ERROR = "the scan stopped on an internal error (the worker's log has the details)"


@shared_task(
    bind=True,
    name=SCAN_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def run_scan(self: Task[Any, Any], scan_id: str) -> str:
    """Run one scan; idempotent: a finished, cancelled or already running scan is left as it is."""
    claim = services.claim_for(scan_id)
    with claim:
        try:
            outcome, scan = services.start(scan_id=scan_id, claim=claim)
        except OperationalError as error:  # the database is away: this message comes back later
            raise self.retry(countdown=DEFER_SECONDS, exc=error) from error
        if outcome is services.Start.DEFER:
            raise self.retry(countdown=DEFER_SECONDS)
        if outcome is services.Start.SKIP or scan is None:
            return "skipped"
        claim.start_heartbeat()
        try:
            state, reason = flows.run(scan)
        except Exception:
            logger.exception("scan %s failed", scan_id)
            state, reason = ScanState.FAILED, INTERNAL_ERROR
        services.finish(scan_id=scan_id, state=state, error=reason)
        claim.is_finished = True
        return state.value
