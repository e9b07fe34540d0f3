"""Import jobs: create, start, commit, fail, reap; events after commit."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.bus.app import celery_app
from bastion.bus.events import publish
from bastion.bus.queues import IMPORT_TASK
from bastion.contracts.events import Event, FindingsChanged, ImportCompleted
from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.contracts.imports import COUNT_NAMES
from bastion.core import sealed
from bastion.core.accounts.models import User
from bastion.core.assets import services as asset_services
from bastion.core.assets.models import Asset
from bastion.core.audit import services as audit
from bastion.core.audit.models import AuditAction
from bastion.core.engagements.models import Engagement
from bastion.core.findings import figures
from bastion.core.findings.models import Finding
from bastion.core.imports import claims
from bastion.core.imports.choices import FINISHED_STATES, ImportSource, ImportState
from bastion.core.imports.commit import CommitCounts, ImportCommit
from bastion.core.imports.exceptions import ImportGivenUp
from bastion.core.imports.models import ImportJob, WebhookSecret
from bastion.core.tenancy.models import Organization

logger = logging.getLogger(__name__)
EVENT_BATCH = 1_000
# How many deliveries of an import may lose their worker before the import is failed.
MAX_ATTEMPTS = 3
GIVEN_UP = (
    "the import was attempted {attempts} times and its worker died each time: the report may need "
    "more memory than a worker may use (BASTION_WORKER_MEMORY_MB) or crash the parser; nothing of it was kept"
)


def create_job(
    *,
    actor: User | None,
    asset: Asset,
    storage_key: str,
    size_bytes: int,
    sha256: str,
    file_name: str = "",
    engagement: Engagement | None = None,
    format_name: str = "",
    is_full: bool = False,
    tags: Iterable[str] = (),
    minimum_severity: str = "",
    source: str = ImportSource.UPLOAD,
    has_created_asset: bool = False,
    tool: str = "",
) -> ImportJob:
    """Record a stored report as a queued import (``has_created_asset``: its asset is new)."""
    job = ImportJob(
        organization_id=asset.organization_id,
        asset=asset,
        engagement=engagement,
        created_by=actor,
        source=source,
        has_created_asset=has_created_asset,
        format=format_name,
        is_format_forced=bool(format_name),
        tool=tool[:100],
        is_full=is_full,
        tags=list(tags),
        minimum_severity=minimum_severity,
        file_name=file_name[:255],
        storage_key=storage_key,
        size_bytes=size_bytes,
        sha256=sha256,
    )
    job.full_clean()
    job.save()
    return job


def start(*, job_id: str, claim: claims.Claim, retries: int = 0) -> ImportJob | None:
    """Claim a job for this worker process and mark it running (again, after a crash).

    None when there is nothing to run: the job is finished, or a live worker runs it
    (this delivery is a duplicate: of a reaped job whose message came back, or of a
    message the broker handed out again while its first delivery still runs; a job
    whose worker died on another host waits for the reaper). ``retries`` are the
    message's retries after a database error: those runs ended without losing their
    worker, and do not count towards MAX_ATTEMPTS. When MAX_ATTEMPTS runs have lost
    their worker, the job is failed and ImportGivenUp raised.
    """
    now = timezone.now()
    with transaction.atomic():
        # Only the job's row is locked: the asset's side of the join may be empty (see fail).
        # The asset's organisation and the creator come along: the commit's audit event names them.
        jobs = ImportJob.objects.select_for_update(of=("self",)).select_related(
            "asset__organization", "created_by"
        )
        job = jobs.filter(pk=job_id).first()
        if job is None or job.state in FINISHED_STATES:
            return None
        if job.state == ImportState.RUNNING and claims.is_alive(job, now=now):
            logger.info("import %s is run by %s; this delivery is left", job.pk, job.worker)
            return None
        if job.attempts - retries >= MAX_ATTEMPTS:
            reason = GIVEN_UP.format(attempts=job.attempts)
            fail(job=job, error=reason)
            claims.forget(job.pk)
        elif not claim.acquire():
            return None  # another process of this host has just claimed it
        else:
            job.state = ImportState.RUNNING
            job.attempts += 1
            job.started_at = job.heartbeat_at = now
            job.worker = claims.this_worker()
            job.save(update_fields=["state", "attempts", "started_at", "heartbeat_at", "worker"])
            return job
    raise ImportGivenUp(reason)


def commit(*, job: ImportJob, format_name: str, findings: Iterable[NormalizedFinding]) -> CommitCounts:
    """Commit a report's findings and complete the job, all in one transaction; then publish."""
    now = timezone.now()
    asset = job.asset
    if asset is None:  # only a failed job loses its asset, and a failed job is not committed
        raise RuntimeError(f"import {job.pk} has no asset")
    with transaction.atomic():
        counts = ImportCommit(
            asset=asset,
            import_id=str(job.pk),
            now=now,
            engagement_id=job.engagement_id,
            is_full=job.is_full,
            tools=[job.tool, format_name],  # what a full import of an empty report resolves
            tags=job.tags,
            minimum_severity=Severity(job.minimum_severity) if job.minimum_severity else None,
        ).run(findings)
        job.format = format_name
        job.tool = ",".join(sorted(counts.tools))[:100] or job.tool
        for name in COUNT_NAMES:
            setattr(job, name, getattr(counts, name))
        job.state = ImportState.COMPLETED
        job.error = ""
        job.finished_at = timezone.now()
        job.save()
        audit.record(
            actor=job.created_by,
            organization=asset.organization,
            action=AuditAction.UPDATE,
            instance=asset,
            changes={"import": [None, {"id": str(job.pk), "new": counts.new, "updated": counts.updated,
                                        "reopened": counts.reopened, "resolved": counts.resolved}]},
        )  # fmt: skip
        figures.forget(organization_ids=[asset.organization_id])
        transaction.on_commit(lambda: _publish_after_commit(job, counts, now))
    return counts


def fail(*, job: ImportJob, error: str) -> None:
    """Mark a job failed with the reason a user can act on; nothing of the report is kept.

    Nor is an asset that imports created, once all of them failed and it holds no finding.
    """
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportState.FAILED, error=error[:5000], finished_at=timezone.now()
        )
        # Then lock the asset (job first, as start and reap do), as an intake does before
        # it adds a job: no import can take the asset up while it is judged here.
        asset = Asset.objects.select_for_update().filter(pk=job.asset_id).first() if job.asset_id else None
        jobs = ImportJob.objects.filter(asset=asset)
        if (
            asset is not None
            and jobs.filter(has_created_asset=True).exists()
            and not jobs.exclude(state=ImportState.FAILED).exists()
            and not asset.findings.exists()
        ):
            jobs.update(asset=None)  # the failed jobs stay, with their reasons
            asset_services.delete_asset(actor=None, asset=asset)


def reap(*, now: datetime | None = None) -> dict[str, int]:
    """Requeue the running jobs whose worker is gone, or fail those out of attempts; return how many.

    Run when a worker starts and every minute by beat. A requeued job goes back to
    ``queued`` with a new message; should the broker also hand out its old message
    again, whichever delivery comes second finds the job claimed and is left.
    """
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for running in ImportJob.objects.filter(state=ImportState.RUNNING).only("pk", "worker", "heartbeat_at"):
        if claims.is_alive(running, now=now):
            continue  # decided outside a transaction: on SQLite, a running import holds the write lock
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update().filter(pk=running.pk, state=ImportState.RUNNING).first()
            )
            if job is None or claims.is_alive(job, now=now):
                continue
            if job.attempts >= MAX_ATTEMPTS:
                fail(job=job, error=GIVEN_UP.format(attempts=job.attempts))
                claims.forget(job.pk)
                counts["failed"] += 1
                continue
            logger.warning(
                "import %s: its worker %s is gone; queued again", job.pk, job.worker or "(unknown)"
            )
            job.state, job.worker, job.heartbeat_at = ImportState.QUEUED, "", None
            job.save(update_fields=["state", "worker", "heartbeat_at"])
            transaction.on_commit(partial(celery_app.send_task, IMPORT_TASK, args=[str(job.pk)]))
            counts["requeued"] += 1
    return counts


def _batches(ids: Iterable[int]) -> Iterator[tuple[int, ...]]:
    batch: list[int] = []
    for finding_id in ids:
        batch.append(finding_id)
        if len(batch) == EVENT_BATCH:
            yield tuple(batch)
            batch = []
    if batch:
        yield tuple(batch)


def _events(job: ImportJob, counts: CommitCounts, now: datetime) -> Iterator[Event]:
    base: dict[str, Any] = {
        "occurred_at": now,
        "organization_id": job.organization_id,
        "asset_id": job.asset_id,
        "import_id": str(job.pk),
    }
    new_ids = (
        Finding.objects.filter(asset=job.asset, last_import_id=job.pk, created_at=now)
        .order_by("id")
        .values_list("id", flat=True)
    )
    # A few ids in one query; many through a server-side cursor (four more round trips), a batch at a time.
    created: Iterable[int] = (
        list(new_ids) if counts.new <= EVENT_BATCH else new_ids.iterator(chunk_size=EVENT_BATCH)
    )
    for event_type, ids in (
        ("finding.created", created),
        ("finding.reopened", counts.reopened_ids),
        ("finding.resolved", counts.resolved_ids),
    ):
        for batch in _batches(ids):
            yield FindingsChanged(type=event_type, finding_ids=batch, **base)  # type: ignore[arg-type]
    yield ImportCompleted(type="import.completed", **counts.model_dump(include=set(COUNT_NAMES)), **base)


def _publish_after_commit(job: ImportJob, counts: CommitCounts, now: datetime) -> None:
    try:
        publish(_events(job, counts, now))
    except Exception:  # the findings are committed; a lost notification must not undo that
        logger.exception("import %s committed but its events could not be published", job.pk)


@transaction.atomic
def rotate_webhook_secret(*, actor: User | None, organization: Organization) -> str:
    """Make (or replace) the organisation's webhook secret and return it, the only time it is shown.

    It is stored sealed (core/sealed.py); the audit log records that it changed, never its value.
    """
    secret = secrets.token_urlsafe(32)
    existing = WebhookSecret.objects.select_for_update().filter(organization=organization).first()
    if existing is None:
        row = WebhookSecret.objects.create(organization=organization, secret=sealed.seal(secret))
        action = AuditAction.CREATE
    else:
        existing.secret = sealed.seal(secret)
        existing.created_at = timezone.now()
        existing.save(update_fields=["secret", "created_at"])
        row, action = existing, AuditAction.UPDATE
    audit.record(
        actor=actor,
        organization=organization,
        action=action,
        instance=row,
        changes={"secret": ["(hidden)" if existing else None, "(hidden)"]},
    )
    return secret
