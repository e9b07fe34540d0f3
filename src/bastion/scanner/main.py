"""The scanner's FastAPI application.

Served alone with ``uvicorn --factory bastion.scanner.main:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from bastion.servicekit.app import Bodies, create_service_app
from bastion.servicekit.orm import setup_django

OUTBOUND_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the process's one outbound HTTP client; close it on shutdown."""
    from bastion.scanner.imports.router import remove_stale_uploads

    await remove_stale_uploads()  # left behind by a process that died mid-upload
    async with httpx.AsyncClient(timeout=OUTBOUND_TIMEOUT, follow_redirects=False) as client:
        app.state.http = client
        yield


def create_app() -> FastAPI:
    """Build the scanner service (Django is set up first: the routers use the core's models)."""
    setup_django()
    from django.conf import settings

    from bastion.scanner.compat.router import router as defectdojo_router
    from bastion.scanner.diagnostics.router import router as diagnostics_router
    from bastion.scanner.imports import upload
    from bastion.scanner.imports.router import router as imports_router
    from bastion.scanner.webhooks.router import router as webhooks_router

    # A report of BASTION_MAX_UPLOAD_BYTES, with as many form fields as an upload may carry.
    reports = Bodies(
        max_bytes=settings.BASTION_MAX_UPLOAD_BYTES + upload.MAX_FIELDS * upload.MAX_FIELD_BYTES,
        are_reports=True,
    )
    return create_service_app(
        service="scanner",
        title="Bastion scanner",
        description="Report imports, inbound webhooks and scans run by Bastion.",
        routers=[diagnostics_router, imports_router, webhooks_router],
        root_routers=[defectdojo_router],
        bodies=[(imports_router, reports), (webhooks_router, reports), (defectdojo_router, reports)],
        lifespan=lifespan,
    )
