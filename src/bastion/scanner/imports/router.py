"""Report imports: upload, state, and live progress."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import orjson
from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from bastion.config import get_settings
from bastion.contracts.principal import Principal
from bastion.core.imports.exceptions import ImportRefused
from bastion.scanner.imports import service, upload
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm
from bastion.servicekit.ratelimit import RateLimit

router = APIRouter(prefix="/v1", tags=["imports"])

EVENTS_POLL_SECONDS = 0.5
EVENTS_MAX_SECONDS = 3600


class ImportAccepted(BaseModel):
    """The answer to an upload: where to follow the import."""

    id: str
    state: str
    status_url: str
    events_url: str


class ImportStatus(BaseModel):
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
    parsed: int
    new: int
    updated: int
    reopened: int
    resolved: int
    unchanged: int
    size_bytes: int
    sha256: str
    created_at: str
    started_at: str | None
    finished_at: str | None


def spool_dir() -> Path:
    """Where uploads land before they are stored."""
    return get_settings().resolved_var_dir / "uploads"


async def remove_stale_uploads() -> int:
    """Delete the spool files a crashed process left behind (at start-up); return how many."""
    return await anyio.to_thread.run_sync(upload.remove_stale, spool_dir())


def _status(job: Any) -> ImportStatus:
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
        parsed=job.parsed,
        new=job.new,
        updated=job.updated,
        reopened=job.reopened,
        resolved=job.resolved,
        unchanged=job.unchanged,
        size_bytes=job.size_bytes,
        sha256=job.sha256,
        created_at=job.created_at.isoformat(),
        started_at=iso(job.started_at),
        finished_at=iso(job.finished_at),
    )


def _accepted(job: Any) -> JSONResponse:
    body = ImportAccepted(
        id=str(job.pk),
        state=job.state,
        status_url=f"/scanner/v1/imports/{job.pk}",
        events_url=f"/scanner/v1/imports/{job.pk}/events",
    )
    return JSONResponse(body.model_dump(), status_code=status.HTTP_202_ACCEPTED)


def _queue(principal: Principal, received: upload.Upload) -> Any:
    from bastion.core.accounts.models import User

    actor = User.objects.get(pk=principal.user_id)
    options = service.options_from(received.fields)
    return service.queue_import(principal=principal, actor=actor, upload=received, options=options)


def upload_limit() -> RateLimit:
    """How many imports one user may start per minute (``BASTION_IMPORTS_PER_MINUTE``)."""
    return RateLimit(scope="imports", count=get_settings().imports_per_minute, seconds=60)


async def accept_upload(request: Request, principal: Principal, queue: Any = _queue) -> JSONResponse:
    """Receive a report and queue it; 4xx with the reason otherwise (nothing kept)."""
    from django.conf import settings

    await upload_limit().check(f"user:{principal.user_id}")
    try:
        received = await upload.receive(
            request, limit=settings.BASTION_MAX_UPLOAD_BYTES, spool_dir=spool_dir()
        )
    except upload.UploadRefused as error:
        raise HTTPException(error.status, detail=str(error)) from error
    try:
        job = await run_orm(queue, principal, received)
    except ImportRefused as error:
        received.discard()
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(error)) from error
    except BaseException:
        received.discard()
        raise
    return _accepted(job)


@router.post(
    "/imports",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ImportAccepted,
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "asset": {"type": "integer"},
                            "asset_identifier": {"type": "string"},
                            "asset_kind": {"type": "string"},
                            "organization": {"type": "string"},
                            "engagement": {"type": "integer"},
                            "format": {"type": "string"},
                            "full": {"type": "boolean"},
                            "tags": {"type": "string", "description": "comma-separated"},
                            "minimum_severity": {"type": "string"},
                        },
                    }
                },
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def create_import(request: Request, principal: CurrentPrincipal) -> JSONResponse:
    """Upload a report (multipart, or a raw body with the fields as query parameters)."""
    return await accept_upload(request, principal)


def _job_for(principal: Principal, import_id: str) -> Any:
    from django.core.exceptions import ValidationError

    from bastion.core.imports.models import ImportJob

    try:
        return (
            ImportJob.objects.select_related("organization")
            .filter(pk=import_id, organization_id__in=principal.organization_ids)
            .first()
        )
    except ValidationError:  # not a UUID
        return None


async def _get_job(principal: Principal, import_id: str) -> Any:
    job = await run_orm(_job_for, principal, import_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Not found.")
    return job


@router.get("/imports/{import_id}", response_model=ImportStatus)
async def get_import(import_id: str, principal: CurrentPrincipal) -> ImportStatus:
    """The import's state and counts."""
    return _status(await _get_job(principal, import_id))


@router.get("/imports/{import_id}/events", response_class=StreamingResponse)
async def import_events(import_id: str, principal: CurrentPrincipal) -> StreamingResponse:
    """Server-sent events: the import's state whenever it changes, until it finishes."""
    await _get_job(principal, import_id)

    async def stream() -> AsyncIterator[bytes]:
        last: dict[str, Any] | None = None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + EVENTS_MAX_SECONDS
        while loop.time() < deadline:
            job = await run_orm(_job_for, principal, import_id)
            current = _status(job).model_dump()
            if current != last:
                finished = current["state"] in {"completed", "failed"}
                kind = current["state"] if finished else "progress"
                yield b"event: " + kind.encode() + b"\ndata: " + orjson.dumps(current) + b"\n\n"
                last = current
                if finished:
                    return
            await asyncio.sleep(EVENTS_POLL_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


class FormatInfo(BaseModel):
    """A report format Bastion reads."""

    name: str
    label: str
    defectdojo_scan_types: list[str]


@router.get("/formats", response_model=list[FormatInfo], tags=["formats"])
async def formats(principal: CurrentPrincipal) -> list[FormatInfo]:
    """Every report format, by the name ``format`` takes."""
    from bastion.parsers import all_parsers

    return [
        FormatInfo(
            name=parser.name,
            label=parser.label,
            defectdojo_scan_types=list(parser.defectdojo_scan_types),
        )
        for parser in all_parsers().values()
    ]
