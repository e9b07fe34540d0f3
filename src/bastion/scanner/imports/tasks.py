"""The worker's side of an import: parse the stored report as a stream and commit it."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.core.files.storage import storages
from django.db import OperationalError

from bastion.core.imports import services
from bastion.scanner.parsers import ParserError, parse_report

logger = logging.getLogger(__name__)


@shared_task(
    name="bastion.scanner.run_import",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=5,
)
def run_import(job_id: str) -> dict[str, int] | None:
    """Parse and commit one import; idempotent: a finished job is left as it is."""
    job = services.start(job_id=job_id)
    if job is None:
        return None
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
    logger.info("import %s: %s parsed, %s new", job.pk, counts.parsed, counts.new)
    return {"parsed": counts.parsed, "new": counts.new}
