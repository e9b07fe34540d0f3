"""The agent's FastAPI application.

Served alone with ``uvicorn --factory bastion.agent.main:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bastion.agent.exceptions import ProviderError
from bastion.contracts.analysis import MAX_CODE_BYTES
from bastion.servicekit.app import Bodies, create_service_app
from bastion.servicekit.orm import setup_django

OUTBOUND_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
# Code of MAX_CODE_BYTES characters however a client escapes it in JSON (an escaped character
# outside the BMP takes 12 bytes: two \uXXXX), and the request's other fields.
ANALYSIS_BODY_BYTES = 12 * MAX_CODE_BYTES + 64 * 1024


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the process's one outbound HTTP client (LLM providers); close it on shutdown."""
    async with httpx.AsyncClient(timeout=OUTBOUND_TIMEOUT, follow_redirects=False) as client:
        app.state.http = client
        yield


async def provider_unavailable(request: Request, error: Exception) -> JSONResponse:
    """A misconfigured or unreachable model is the service's problem, said plainly: 503."""
    return JSONResponse({"detail": str(error)}, status_code=503)


def create_app() -> FastAPI:
    """Build the agent service (Django is set up first: the routers use the core's models)."""
    setup_django()
    from bastion.agent.analysis.router import router as analysis_router
    from bastion.agent.chat.router import router as chat_router

    app = create_service_app(
        service="agent",
        title="Bastion agent",
        description="Code analysis and the assistant that knows the caller's findings.",
        routers=[analysis_router, chat_router],
        bodies=[(analysis_router, Bodies(max_bytes=ANALYSIS_BODY_BYTES))],
        lifespan=lifespan,
    )
    app.add_exception_handler(ProviderError, provider_unavailable)
    return app
