"""The scanner's FastAPI application.

Served alone with ``uvicorn --factory bastion.scanner.main:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from bastion.config import get_settings
from bastion.core.imports.upload import remove_stale, spool_dir
from bastion.servicekit.app import Bodies, create_service_app
from bastion.servicekit.orm import setup_django


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Remove the spool files of a process that died mid-upload, then serve."""
    await anyio.to_thread.run_sync(remove_stale, spool_dir())
    yield


def create_app() -> FastAPI:
    """Build the scanner service (Django is set up first: the routers use the core's models)."""
    setup_django()
    from bastion.scanner.compat.router import router as defectdojo_router
    from bastion.scanner.diagnostics.router import router as diagnostics_router
    from bastion.scanner.exceptions import install_exception_handler
    from bastion.scanner.imports import streaming
    from bastion.scanner.imports.router import router as imports_router
    from bastion.scanner.scans.router import router as scans_router
    from bastion.scanner.webhooks.router import router as webhooks_router

    # A report of BASTION_MAX_UPLOAD_BYTES, with as many form fields as an upload may carry.
    reports = Bodies(
        max_bytes=get_settings().max_upload_bytes + streaming.MAX_FIELDS * streaming.MAX_FIELD_BYTES,
        are_reports=True,
    )
    app = create_service_app(
        service="scanner",
        title="Bastion scanner",
        description="Report imports, inbound webhooks and scans run by Bastion.",
        routers=[diagnostics_router, imports_router, scans_router, webhooks_router],
        root_routers=[defectdojo_router],
        bodies=[
            (imports_router, reports),
            (webhooks_router, reports),
            (defectdojo_router, reports),
            (scans_router, reports),
        ],
        lifespan=lifespan,
    )
    install_exception_handler(app)
    return app
