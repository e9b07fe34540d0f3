"""The scanner's FastAPI application.

Served alone with ``uvicorn --factory bastion.scanner.main:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from bastion.scanner.compat.router import router as defectdojo_router
from bastion.scanner.diagnostics.router import router as diagnostics_router
from bastion.scanner.imports.router import router as imports_router
from bastion.scanner.webhooks.router import router as webhooks_router
from bastion.servicekit.app import create_service_app

OUTBOUND_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the process's one outbound HTTP client; close it on shutdown."""
    async with httpx.AsyncClient(timeout=OUTBOUND_TIMEOUT, follow_redirects=False) as client:
        app.state.http = client
        yield


def create_app() -> FastAPI:
    """Build the scanner service."""
    return create_service_app(
        service="scanner",
        title="Bastion scanner",
        description="Report imports, inbound webhooks and scans run by Bastion.",
        routers=[diagnostics_router, imports_router, webhooks_router],
        root_routers=[defectdojo_router],
        lifespan=lifespan,
    )
