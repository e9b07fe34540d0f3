"""Report imports: upload, state, and live progress (an HTTP adapter over ``core.imports``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson
from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse, StreamingResponse

from bastion.core.imports import intake, selectors
from bastion.core.imports.choices import FINISHED_STATES
from bastion.core.imports.exceptions import ImportNotFound
from bastion.core.imports.options import options_from
from bastion.parsers import all_parsers
from bastion.scanner.deps import CurrentImport
from bastion.scanner.imports.schemas import FormatInfo, ImportAccepted, ImportStatus, accepted, import_status
from bastion.scanner.imports.streaming import receive_report
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm

router = APIRouter(prefix="/v1", tags=["imports"])

EVENTS_POLL_SECONDS = 0.5
EVENTS_MAX_SECONDS = 3600


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
    with await receive_report(request, rate_key=f"user:{principal.user_id}") as received:
        options = options_from(received.fields)
        job = await run_orm(intake.take_in, principal=principal, upload=received.upload, options=options)
    return accepted(job)


@router.get("/imports/{import_id}", response_model=ImportStatus)
async def get_import(job: CurrentImport) -> ImportStatus:
    """The import's state and counts."""
    return import_status(job)


@router.get("/imports/{import_id}/events", response_class=StreamingResponse)
async def import_events(job: CurrentImport, principal: CurrentPrincipal) -> StreamingResponse:
    """Server-sent events: the import's state whenever it changes, until it finishes."""
    import_id = str(job.pk)

    async def stream() -> AsyncIterator[bytes]:
        last: dict[str, Any] | None = None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + EVENTS_MAX_SECONDS
        while loop.time() < deadline:
            try:
                current_job = await run_orm(selectors.import_for, principal=principal, import_id=import_id)
            except ImportNotFound:  # its organisation was deleted meanwhile
                return
            current = import_status(current_job).model_dump()
            if current != last:
                finished = current["state"] in FINISHED_STATES
                kind = current["state"] if finished else "progress"
                yield b"event: " + kind.encode() + b"\ndata: " + orjson.dumps(current) + b"\n\n"
                last = current
                if finished:
                    return
            await asyncio.sleep(EVENTS_POLL_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@router.get("/formats", response_model=list[FormatInfo], tags=["formats"])
async def formats(principal: CurrentPrincipal) -> list[FormatInfo]:
    """Every report format, by the name ``format`` takes."""
    return [
        FormatInfo(
            name=parser.name,
            label=parser.label,
            defectdojo_scan_types=list(parser.defectdojo_scan_types),
        )
        for parser in all_parsers().values()
    ]
