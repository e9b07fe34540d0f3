"""The worker's side of an import: parse the stored report as a stream and commit it.

``run_import`` is queued by the intake once its transaction commits, and by the reaper;
Celery finds it the way it finds every core app's tasks (``core.celery``).

A worker process claims the job before it runs it (``core.imports.claims``) and lets
it go however the run ends. A run that needs more memory than a worker process may
use (``BASTION_WORKER_MEMORY_MB``) fails its job and leaves the process serving the
next one. A message whose runs lost their worker MAX_ATTEMPTS times is not run again:
its job is failed and the message dead-lettered.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.core.files.storage import storages
from django.db import OperationalError

from bastion.bus.queues import IMPORT_TASK
from bastion.bus.worker import dead_letter
from bastion.config import get_settings
from bastion.core.imports import services
from bastion.core.imports.claims import Claim
from bastion.core.imports.exceptions import ImportGivenUp
from bastion.core.imports.models import ImportJob
from bastion.parsers import ParserError, parse_report

logger = logging.getLogger(__name__)
OUT_OF_MEMORY = (
    "the import needed more memory than a worker may use ({megabytes} MB, BASTION_WORKER_MEMORY_MB); "
    "nothing of the report was kept"
)
# The task's name before it moved into the core (issue 10): messages an older version queued carry it.
IMPORT_TASK_BEFORE_10 = "bastion.scanner.run_import"


@shared_task(
    bind=True,
    name=IMPORT_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=5,
)
def run_import(self: Task[Any, Any], job_id: str) -> dict[str, int] | None:
    """Parse and commit one import; idempotent: a finished job is left as it is."""
    with Claim(job_id) as claim:
        try:
            job = services.start(job_id=job_id, claim=claim, retries=self.request.retries or 0)
        except ImportGivenUp as given_up:
            dead_letter(IMPORT_TASK, [job_id], reason=str(given_up))
            return None
        if job is None:
            return None
        claim.start_heartbeat()
        counts = _run(job)
        claim.is_finished = True
        return counts


@shared_task(name=IMPORT_TASK_BEFORE_10)
def forward_import_queued_before_10(job_id: str) -> None:
    """Queue again, under the task's current name, an import an older version queued."""
    run_import.delay(job_id)


def _run(job: ImportJob) -> dict[str, int] | None:
    """Parse the job's report and commit it, or fail the job with the reason."""
    is_out_of_memory = False
    try:
        with storages["reports"].open(job.storage_key, "rb") as stored:
            stream: Any = stored  # a Django File: a seekable binary stream
            forced = job.format if job.is_format_forced else None
            parser, findings = parse_report(stream, format_name=forced)
            counts = services.commit(job=job, format_name=parser.name, findings=findings)
    except ParserError as error:
        services.fail(job=job, error=str(error))
        return None
    except FileNotFoundError:
        services.fail(job=job, error="the stored report is missing")
        return None
    except MemoryError:
        # Failed below, once leaving this block has freed what the run held (its traceback's frames).
        is_out_of_memory = True
    except SystemError as error:
        # ijson's C parser reads on after a MemoryError of its own, which becomes this error's cause.
        if not isinstance(error.__cause__, MemoryError):
            raise
        is_out_of_memory = True
    if is_out_of_memory:
        megabytes = get_settings().worker_memory_mb
        logger.warning("import %s ran out of memory (%s MB)", job.pk, megabytes)
        services.fail(job=job, error=OUT_OF_MEMORY.format(megabytes=megabytes))
        return None
    logger.info("import %s: %s parsed, %s new", job.pk, counts.parsed, counts.new)
    return {"parsed": counts.parsed, "new": counts.new}
