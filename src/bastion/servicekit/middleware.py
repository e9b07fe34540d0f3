"""ASGI middleware: security headers and the nesting limit of JSON bodies (every FastAPI service),
and a body size limit for an application that has none of its own (the core, in the gateway).

(The FastAPI services' body sizes are limited by FastAPI itself: ``max_body_size``, set per
router by ``create_service_app``.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bastion.config import get_settings
from bastion.core.api.nesting import MAX_JSON_DEPTH, JsonTooDeep, NestingCounter

# What the core's Django middleware sends (X_FRAME_OPTIONS, SecurityMiddleware's defaults), and
# frame-ancestors for browsers that prefer it: no page of ours is framed, no body sniffed.
SECURITY_HEADERS = (
    ("x-frame-options", "DENY"),
    ("content-security-policy", "frame-ancestors 'none'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
)


class SecurityHeaders:
    """Add the security headers to every HTTP response that does not set them itself.

    Over HTTPS (behind the proxy, ``X-Forwarded-Proto: https``) HSTS is sent as the core
    sends it (``BASTION_HSTS_SECONDS``, production only).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hsts = _hsts() if scope.get("scheme") == "https" else None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
                if hsts:
                    headers.setdefault("strict-transport-security", hsts)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _hsts() -> str | None:
    """Return the Strict-Transport-Security value the core sends: production only, subdomains included."""
    settings = get_settings()
    if settings.profile != "production" or not settings.hsts_seconds:
        return None
    return f"max-age={settings.hsts_seconds}; includeSubDomains"


class JsonNestingLimit:
    """Refuse (400) a JSON request body nested deeper than ``MAX_JSON_DEPTH``, as its bytes arrive.

    Paths matching ``reports`` are skipped: their body is a report, streamed to disk, and the
    report readers limit its nesting themselves.
    """

    def __init__(
        self, app: ASGIApp, *, reports: Sequence[re.Pattern[str]] = (), limit: int = MAX_JSON_DEPTH
    ) -> None:
        self.app = app
        self.reports = tuple(reports)
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not _is_json(Headers(scope=scope).get("content-type"))
            or any(pattern.match(scope["path"]) for pattern in self.reports)
        ):
            await self.app(scope, receive, send)
            return
        counter = NestingCounter(self.limit)

        async def receive_counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                try:
                    counter.feed(message.get("body", b""))
                except JsonTooDeep as error:
                    raise HTTPException(400, detail=str(error)) from error
            return message

        await self.app(scope, receive_counted, send)


def _is_json(content_type: str | None) -> bool:
    """Tell whether FastAPI decodes a body of this type as JSON (``application/json``, ``…+json``)."""
    if not content_type:
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    kind, _, subtype = media_type.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


class BodyLimit:
    """Refuse (413) a request body over ``max_bytes``: on its ``Content-Length`` before reading it,
    or as soon as its streamed bytes pass the limit.

    Past the limit the application is told the client went away (``http.disconnect``), so it
    stops reading and cleans up as it would then; the 413 is sent in its place.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        exceeded = started = False

        async def receive_limited() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # an answer to a client the application believes gone: the 413 replaces it
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, receive_limited, send_unless_refused)
        if exceeded and not started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"the request body is larger than the limit of {self.max_bytes} bytes"
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)
