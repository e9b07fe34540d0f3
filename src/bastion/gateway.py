"""One ASGI application on one port: ``/scanner/…`` and ``/agent/…`` to the FastAPI
services, ``/static/…`` to the collected static files, everything else to Django.

Served by ``uvicorn --factory bastion.gateway:create_gateway``. In production nginx
does this routing between separate processes; because each service's routes carry
their own prefix, no path is rewritten either way.

Request bodies are limited before they are read: the FastAPI services limit their own
(per route, see ``servicekit.app``); the core's are refused past Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), on their ``Content-Length`` or as they stream in.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, cast

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bastion.servicekit.middleware import BodyLimit


class Gateway:
    """Dispatch each request by its path prefix; fan lifespan events out to every service."""

    def __init__(self, *, core: ASGIApp, services: dict[str, FastAPI], static_url: str, static: ASGIApp):
        self.core = core
        self.services = services
        self.static_url = static_url
        self.static = static

    #: paths another product defined, served by one of our services (DefectDojo's import API)
    borrowed_prefixes: tuple[tuple[str, str], ...] = (("/api/v2/", "scanner"),)

    def route(self, path: str) -> ASGIApp:
        """Return the application that serves a path."""
        first = path.split("/", 2)[1] if path.startswith("/") else ""
        if first in self.services:
            return self.services[first]
        for prefix, service in self.borrowed_prefixes:
            if path.startswith(prefix):
                return self.services[service]
        if path.startswith(self.static_url):
            return self.static
        return self.core

    @asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        """Start every service's lifespan; stop them in reverse order.

        Django has no lifespan of its own: its connections are opened and closed per
        request (and per ORM call in the FastAPI services).
        """
        async with AsyncExitStack() as stack:
            for service in self.services.values():
                await stack.enter_async_context(service.router.lifespan_context(service))
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._serve_lifespan(receive, send)
            return
        await self.route(scope["path"])(scope, receive, send)

    async def _serve_lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        assert message["type"] == "lifespan.startup"
        context = self.lifespan()
        try:
            await context.__aenter__()
        except Exception as error:  # noqa: BLE001 - reported to the server, which exits
            await send({"type": "lifespan.startup.failed", "message": f"{type(error).__name__}: {error}"})
            return
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        assert message["type"] == "lifespan.shutdown"
        try:
            await context.__aexit__(None, None, None)
        except Exception as error:  # noqa: BLE001
            await send({"type": "lifespan.shutdown.failed", "message": f"{type(error).__name__}: {error}"})
            return
        await send({"type": "lifespan.shutdown.complete"})


def create_gateway() -> Gateway:
    """Build the gateway with the core, the scanner and the agent in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
    from django.conf import settings
    from django.core.asgi import get_asgi_application

    core = BodyLimit(cast(ASGIApp, get_asgi_application()), max_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    from bastion.agent.main import create_app as create_agent
    from bastion.scanner.main import create_app as create_scanner

    static: Any = StaticFiles(directory=settings.STATIC_ROOT, check_dir=False)
    return Gateway(
        core=core,
        services={"scanner": create_scanner(), "agent": create_agent()},
        static_url=settings.STATIC_URL,
        static=_cache_hashed(_strip_prefix(static, settings.STATIC_URL.rstrip("/"))),
    )


#: A name collectstatic gave a file after its content (``web.b1f6aed1aa18.css``): it never changes.
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
FOR_EVER = b"public, max-age=31536000, immutable"


def _cache_hashed(app: ASGIApp) -> ASGIApp:
    """Let browsers keep a content-hashed static file for a year without asking again."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if not HASHED_NAME.search(scope["path"]):
            await app(scope, receive, send)
            return

        async def send_cached(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", FOR_EVER)]}
            await send(message)

        await app(scope, receive, send_cached)

    return serve


def _strip_prefix(app: ASGIApp, prefix: str) -> ASGIApp:
    async def strip(scope: Scope, receive: Receive, send: Send) -> None:
        # Starlette routes on the path below root_path, so the full path is kept.
        await app({**scope, "root_path": scope.get("root_path", "") + prefix}, receive, send)

    return strip
