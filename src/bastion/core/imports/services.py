"""Import jobs: create, start, commit, fail; events after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from bastion.bus.events import publish
from bastion.contracts.events import Event, FindingsChanged, ImportCompleted
from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.core.accounts.models import User
from bastion.core.assets.models import Asset
from bastion.core.audit import services as audit
from bastion.core.audit.models import AuditAction
from bastion.core.engagements.models import Engagement
from bastion.core.findings.models import Finding
from bastion.core.imports.choices import FINISHED_STATES, ImportSource, ImportState
from bastion.core.imports.commit import CommitCounts, ImportCommit
from bastion.core.imports.models import ImportJob

logger = logging.getLogger(__name__)
EVENT_BATCH = 1_000


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
) -> ImportJob:
    """Record a stored report as a queued import."""
    job = ImportJob(
        organization_id=asset.organization_id,
        asset=asset,
        engagement=engagement,
        created_by=actor,
        source=source,
        format=format_name,
        is_format_forced=bool(format_name),
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


def start(*, job_id: str) -> ImportJob | None:
    """Mark a job as running (again, after a crash); None when it has already finished."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("asset").filter(pk=job_id).first()
        if job is None or job.state in FINISHED_STATES:
            return None
        job.state = ImportState.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["state", "attempts", "started_at"])
    return job


def commit(*, job: ImportJob, format_name: str, findings: Iterable[NormalizedFinding]) -> CommitCounts:
    """Commit a report's findings and complete the job, all in one transaction; then publish."""
    now = timezone.now()
    with transaction.atomic():
        counts = ImportCommit(
            asset=job.asset,
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
        for name in ("parsed", "new", "updated", "reopened", "resolved", "unchanged"):
            setattr(job, name, getattr(counts, name))
        job.state = ImportState.COMPLETED
        job.error = ""
        job.finished_at = timezone.now()
        job.save()
        audit.record(
            actor=job.created_by,
            organization=job.asset.organization,
            action=AuditAction.UPDATE,
            instance=job.asset,
            changes={"import": [None, {"id": str(job.pk), "new": counts.new, "updated": counts.updated,
                                        "reopened": counts.reopened, "resolved": counts.resolved}]},
        )  # fmt: skip
        transaction.on_commit(lambda: _publish_after_commit(job, counts, now))
    return counts


def fail(*, job: ImportJob, error: str) -> None:
    """Mark a job failed with the reason a user can act on; nothing of the report was kept."""
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.FAILED, error=error[:5000], finished_at=timezone.now()
    )


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
    created = (
        Finding.objects.filter(asset_id=job.asset_id, last_import_id=job.pk, created_at=now)
        .order_by("id")
        .values_list("id", flat=True)
        .iterator(chunk_size=EVENT_BATCH)
    )
    for event_type, ids in (
        ("finding.created", created),
        ("finding.reopened", counts.reopened_ids),
        ("finding.resolved", counts.resolved_ids),
    ):
        for batch in _batches(ids):
            yield FindingsChanged(type=event_type, finding_ids=batch, **base)  # type: ignore[arg-type]
    yield ImportCompleted(
        type="import.completed",
        parsed=counts.parsed,
        new=counts.new,
        updated=counts.updated,
        reopened=counts.reopened,
        resolved=counts.resolved,
        unchanged=counts.unchanged,
        **base,
    )


def _publish_after_commit(job: ImportJob, counts: CommitCounts, now: datetime) -> None:
    try:
        publish(_events(job, counts, now))
    except Exception:  # the findings are committed; a lost notification must not undo that
        logger.exception("import %s committed but its events could not be published", job.pk)
