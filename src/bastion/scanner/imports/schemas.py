"""What the scanner answers about imports: the accepted upload, an import's state, the formats."""

from __future__ import annotations

from typing import Any

from fastapi import status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from bastion.contracts.imports import COUNT_NAMES, ImportCounts
from bastion.core.imports.models import ImportJob


class ImportAccepted(BaseModel):
    """The answer to an upload: where to follow the import."""

    id: str
    state: str
    status_url: str
    events_url: str


class ImportStatus(ImportCounts):
    """An import's state and what it changed."""

    id: str
    organization: str
    asset: int | None = Field(description="null once a failed import's own new asset was removed")
    engagement: int | None
    source: str
    format: str
    tool: str
    full: bool
    state: str
    error: str
    size_bytes: int
    sha256: str
    created_at: str
    started_at: str | None
    finished_at: str | None


class FormatInfo(BaseModel):
    """A report format Bastion reads."""

    name: str
    label: str
    defectdojo_scan_types: list[str]


def status_url(job: ImportJob) -> str:
    """Return where a client reads an import's state."""
    return f"/scanner/v1/imports/{job.pk}"


def import_status(job: ImportJob) -> ImportStatus:
    """Describe an import job (its organisation selected with it)."""

    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return ImportStatus(
        id=str(job.pk),
        organization=job.organization.slug,
        asset=job.asset_id,
        engagement=job.engagement_id,
        source=job.source,
        format=job.format,
        tool=job.tool,
        full=job.is_full,
        state=job.state,
        error=job.error,
        size_bytes=job.size_bytes,
        sha256=job.sha256,
        created_at=job.created_at.isoformat(),
        started_at=iso(job.started_at),
        finished_at=iso(job.finished_at),
        **{name: getattr(job, name) for name in COUNT_NAMES},
    )


def accepted(job: ImportJob) -> JSONResponse:
    """Answer 202 with where to follow the import just queued."""
    body = ImportAccepted(
        id=str(job.pk),
        state=job.state,
        status_url=status_url(job),
        events_url=f"{status_url(job)}/events",
    )
    return JSONResponse(body.model_dump(), status_code=status.HTTP_202_ACCEPTED)
