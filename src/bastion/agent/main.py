"""The agent's FastAPI application.

Served alone with ``uvicorn --factory bastion.agent.main:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bastion.agent.analysis.router import router as analysis_router
from bastion.agent.chat.router import router as chat_router
from bastion.agent.exceptions import ProviderError
from bastion.servicekit.app import create_service_app

OUTBOUND_TIMEOUT = httpx.Timeout(60.0, connect=5.0)


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
    """Build the agent service."""
    app = create_service_app(
        service="agent",
        title="Bastion agent",
        description="Code analysis and the assistant that knows the caller's findings.",
        routers=[analysis_router, chat_router],
        lifespan=lifespan,
    )
    app.add_exception_handler(ProviderError, provider_unavailable)
    return app
