"""Operator checks that the workers are consuming what the scanner sends."""

from __future__ import annotations

import secrets
import time

import anyio.to_thread
from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from bastion.bus.app import celery_app
from bastion.servicekit.auth import CurrentPrincipal

router = APIRouter(prefix="/v1/diagnostics", tags=["diagnostics"])

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
async def worker_ping(principal: CurrentPrincipal) -> WorkerPing:
    """Send a task to the workers and wait for its answer."""
    try:
        return await anyio.to_thread.run_sync(_ping_worker)
    except TimeoutError as error:
        raise HTTPException(
            status.HTTP_504_GATEWAY_TIMEOUT, detail="no worker answered within 20 seconds"
        ) from error
