"""Operator checks that the workers are consuming what the scanner sends.

They are for the instance's operators, not its tenants: a worker's host name and
process id describe the installation, so only superusers may ask, and the checks
are left out of the public API document.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated

import anyio.to_thread
from celery.exceptions import TimeoutError as CeleryTimeoutError
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel

from bastion.bus.app import celery_app
from bastion.contracts.principal import Principal
from bastion.servicekit.auth import CurrentPrincipal


async def _operator(principal: CurrentPrincipal) -> Principal:
    if not principal.is_superuser:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="diagnostics are for superusers")
    return principal


Operator = Annotated[Principal, Depends(_operator)]

router = APIRouter(prefix="/v1/diagnostics", tags=["diagnostics"], include_in_schema=False)

PING_TIMEOUT_SECONDS = 20.0


class WorkerPing(BaseModel):
    """A task's round trip through the broker and a worker."""

    nonce: str
    worker_hostname: str
    worker_pid: int
    round_trip_ms: float


def _ping_worker() -> WorkerPing:
    nonce = secrets.token_hex(8)
    started = time.perf_counter()
    result = celery_app.send_task("bastion.operations.ping", args=[nonce])
    try:
        answer = result.get(timeout=PING_TIMEOUT_SECONDS)
    finally:
        result.forget()
    if answer["nonce"] != nonce:
        raise RuntimeError("the worker answered a different ping")
    return WorkerPing(
        nonce=nonce,
        worker_hostname=answer["hostname"],
        worker_pid=answer["pid"],
        round_trip_ms=round((time.perf_counter() - started) * 1000, 1),
    )


@router.post("/worker-ping")
async def worker_ping(operator: Operator) -> WorkerPing:
    """Send a task to the workers and wait for its answer (superusers only)."""
    try:
        return await anyio.to_thread.run_sync(_ping_worker)
    except (TimeoutError, CeleryTimeoutError) as error:  # Celery's is not the built-in one
        raise HTTPException(
            status.HTTP_504_GATEWAY_TIMEOUT, detail=f"no worker answered within {PING_TIMEOUT_SECONDS:g} s"
        ) from error
