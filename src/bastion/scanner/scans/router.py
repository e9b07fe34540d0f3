"""Scans Bastion runs itself: start, follow, cancel; allow-list; schedules (over ``core.scans``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from bastion.config import get_settings
from bastion.contracts.principal import Role
from bastion.contracts.scans import FINISHED_SCAN_STATES, ScanState, TargetKind
from bastion.core.accounts.selectors import user_of
from bastion.core.imports.upload import spool_dir
from bastion.core.scans import selectors, services
from bastion.core.scans.exceptions import ScanNotFound, ScanRefused
from bastion.scanner.imports.streaming import receive
from bastion.scanner.scans.schemas import (
    AllowedRangeIn,
    AllowedRangeOut,
    ScanAccepted,
    ScanRequest,
    ScanStatus,
    ScheduleIn,
    ScheduleOut,
    allowed_range_out,
    scan_accepted,
    scan_status,
    schedule_out,
)
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm
from bastion.servicekit.ratelimit import RateLimit

router = APIRouter(prefix="/v1", tags=["scans"])

EVENTS_POLL_SECONDS = 0.5
EVENTS_MAX_SECONDS = 6 * 3600
MAX_LISTED = 200
MAX_JSON_BYTES = 64 * 1024


def scan_limit() -> RateLimit:
    """How many scans one user may start per minute."""
    return RateLimit(scope="scans", count=get_settings().scans_per_minute, seconds=60)


@router.post(
    "/scans",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ScanAccepted,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": ScanRequest.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary", "description": "zip or tar"},
                            "asset": {"type": "integer"},
                            "organization": {"type": "string"},
                            "engines": {"type": "string", "description": "comma-separated"},
                        },
                    }
                },
            }
        }
    },
)
async def create_scan(request: Request, principal: CurrentPrincipal) -> ScanAccepted:
    """Start a scan: a JSON body names the target; a multipart body uploads a repository's archive."""
    await scan_limit().check(f"user:{principal.user_id}")
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        received = await receive(request, limit=get_settings().max_upload_bytes, directory=spool_dir())
        with received:
            fields = received.fields
            try:
                asset_id = int(fields["asset"]) if fields.get("asset") else None
            except ValueError:
                raise ScanRefused("asset must be an asset's id") from None
            engines = [name.strip() for name in fields.get("engines", "").split(",") if name.strip()]
            scan = await run_orm(
                services.accept,
                principal=principal,
                kind=TargetKind.REPOSITORY,
                target=received.upload.file_name or "upload",
                asset_id=asset_id,
                organization_slug=fields.get("organization", ""),
                engines=engines or None,
                archive=received.upload,
            )
        return scan_accepted(scan)
    try:
        body = ScanRequest.model_validate_json(await _small_body(request))
    except ValidationError as error:
        raise ScanRefused(_first_problem(error)) from None
    scan = await run_orm(
        services.accept,
        principal=principal,
        kind=body.target.kind,
        target=body.target.value,
        asset_id=body.asset,
        organization_slug=body.organization,
        engines=body.engines,
        options=body.options,
        commit=body.commit,
    )
    return scan_accepted(scan)


async def _small_body(request: Request) -> bytes:
    """Read a JSON request body of at most MAX_JSON_BYTES (an archive comes as multipart)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_JSON_BYTES:
            raise ScanRefused(f"a scan request is at most {MAX_JSON_BYTES} bytes of JSON")
    return bytes(body)


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "body"
    return f"{where}: {problem['msg']}"


@router.get("/scans", response_model=list[ScanStatus])
async def list_scans(
    principal: CurrentPrincipal,
    asset: int | None = None,
    state: ScanState | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED)] = 50,
) -> list[ScanStatus]:
    """The caller's scans, newest first."""

    def listed() -> list[ScanStatus]:
        scans = selectors.scans_for(principal=principal, asset_id=asset, state=state.value if state else "")
        return [scan_status(scan) for scan in scans.select_related("organization")[:limit]]

    return await run_orm(listed)


@router.get("/scans/{scan_id}", response_model=ScanStatus)
async def get_scan(scan_id: str, principal: CurrentPrincipal) -> ScanStatus:
    """A scan's state, log and counts."""
    return scan_status(await run_orm(selectors.scan_for, principal=principal, scan_id=scan_id))


@router.post("/scans/{scan_id}/cancel", status_code=status.HTTP_202_ACCEPTED, response_model=ScanStatus)
async def cancel_scan(scan_id: str, principal: CurrentPrincipal) -> ScanStatus:
    """Cancel a scan: at once when queued; a running one's engine is stopped within seconds."""

    def cancel() -> ScanStatus:
        scan = selectors.scan_for(principal=principal, scan_id=scan_id, at_least=Role.ANALYST)
        cancelled = services.request_cancel(actor=user_of(principal), scan=scan)
        return scan_status(selectors.scan_for(principal=principal, scan_id=str(cancelled.pk)))

    return await run_orm(cancel)


@router.get("/scans/{scan_id}/events", response_class=StreamingResponse)
async def scan_events(scan_id: str, principal: CurrentPrincipal) -> StreamingResponse:
    """Server-sent events: each new line of the scan's log (``event: <step>``), then its end."""
    await run_orm(selectors.scan_for, principal=principal, scan_id=scan_id)

    async def stream() -> AsyncIterator[bytes]:
        sent = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + EVENTS_MAX_SECONDS
        while loop.time() < deadline:
            try:
                scan = await run_orm(selectors.scan_for, principal=principal, scan_id=scan_id)
            except ScanNotFound:  # its organisation was deleted meanwhile
                return
            for line in scan.log[sent:]:
                yield (
                    b"event: "
                    + str(line.get("step", "log")).encode()
                    + b"\ndata: "
                    + orjson.dumps(line)
                    + b"\n\n"
                )
            sent = len(scan.log)
            if scan.state in FINISHED_SCAN_STATES:
                final = scan_status(scan).model_dump()
                yield b"event: " + scan.state.encode() + b"\ndata: " + orjson.dumps(final) + b"\n\n"
                return
            await asyncio.sleep(EVENTS_POLL_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


# --- the allow-list -----------------------------------------------------------------------------


@router.get("/scan-allow-list", response_model=list[AllowedRangeOut])
async def list_allowed_ranges(principal: CurrentPrincipal) -> list[AllowedRangeOut]:
    """The ranges, addresses and host names the caller's organisations allow scans of."""

    def listed() -> list[AllowedRangeOut]:
        return [allowed_range_out(entry) for entry in selectors.allowed_ranges_for(principal=principal)]

    return await run_orm(listed)


@router.post("/scan-allow-list", status_code=status.HTTP_201_CREATED, response_model=AllowedRangeOut)
async def add_allowed_range(body: AllowedRangeIn, principal: CurrentPrincipal) -> AllowedRangeOut:
    """Allow scans of a CIDR range, an address or a host name (the organisation's owner only)."""

    def add() -> AllowedRangeOut:
        organization = selectors.organization_for(
            principal=principal, slug=body.organization, at_least=Role.OWNER
        )
        entry = services.add_allowed_range(
            actor=user_of(principal), organization=organization, value=body.value, note=body.note
        )
        return allowed_range_out(entry)

    return await run_orm(add)


@router.delete("/scan-allow-list/{range_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_allowed_range(range_id: int, principal: CurrentPrincipal) -> Response:
    """Stop allowing scans of an entry (the organisation's owner only)."""

    def remove() -> None:
        entry = selectors.allowed_range_for(principal=principal, range_id=range_id)
        services.remove_allowed_range(actor=user_of(principal), entry=entry)

    await run_orm(remove)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- schedules ----------------------------------------------------------------------------------


@router.get("/scan-schedules", response_model=list[ScheduleOut])
async def list_schedules(principal: CurrentPrincipal, asset: int | None = None) -> list[ScheduleOut]:
    """The caller's scan schedules."""

    def listed() -> list[ScheduleOut]:
        return [schedule_out(row) for row in selectors.schedules_for(principal=principal, asset_id=asset)]

    return await run_orm(listed)


@router.post("/scan-schedules", status_code=status.HTTP_201_CREATED, response_model=ScheduleOut)
async def create_schedule(body: ScheduleIn, principal: CurrentPrincipal) -> ScheduleOut:
    """Scan an asset's target on a cron expression (UTC), or hourly, daily or weekly."""

    def create() -> ScheduleOut:
        asset = selectors.asset_to_scan(principal=principal, asset_id=body.asset)
        schedule = services.save_schedule(
            actor=user_of(principal),
            asset=asset,
            kind=body.target.kind,
            target=body.target.value,
            cron=body.cron,
            engines=body.engines,
            options=body.options,
            is_enabled=body.enabled,
        )
        return schedule_out(schedule)

    return await run_orm(create)


@router.put("/scan-schedules/{schedule_id}", response_model=ScheduleOut)
async def update_schedule(schedule_id: int, body: ScheduleIn, principal: CurrentPrincipal) -> ScheduleOut:
    """Change a schedule (its asset stays)."""

    def update() -> ScheduleOut:
        schedule = selectors.schedule_for(principal=principal, schedule_id=schedule_id, at_least=Role.ANALYST)
        changed = services.save_schedule(
            actor=user_of(principal),
            asset=schedule.asset,
            kind=body.target.kind,
            target=body.target.value,
            cron=body.cron,
            engines=body.engines,
            options=body.options,
            is_enabled=body.enabled,
            schedule=schedule,
        )
        return schedule_out(changed)

    return await run_orm(update)


@router.delete("/scan-schedules/{schedule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_schedule(schedule_id: int, principal: CurrentPrincipal) -> Response:
    """Remove a schedule (its scans stay)."""

    def delete() -> None:
        schedule = selectors.schedule_for(principal=principal, schedule_id=schedule_id, at_least=Role.ANALYST)
        services.delete_schedule(actor=user_of(principal), schedule=schedule)

    await run_orm(delete)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
