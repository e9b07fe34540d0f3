"""The shape every FastAPI service of Bastion has: docs, health, readiness and ``me``; body limits,
short validation errors and security headers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp

from bastion.contracts.health import HealthReport
from bastion.contracts.principal import Principal
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.errors import body_too_large, validation_failed
from bastion.servicekit.middleware import JsonNestingLimit, SecurityHeaders
from bastion.servicekit.orm import run_orm, setup_django

# Swagger UI and Redoc come from the drf-spectacular-sidecar package, served as static files:
# nothing is fetched from a CDN, so the docs work offline.
SIDECAR = "/static/drf_spectacular_sidecar"

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

# A JSON body larger than this is refused (413) unless its router allows more.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Bodies:
    """The request bodies a router takes: how large, and whether they are reports.

    A report is streamed to disk and read by the report parsers, which limit its nesting
    themselves; every other JSON body is refused past ``MAX_JSON_DEPTH`` levels as it arrives.
    """

    max_bytes: int
    are_reports: bool = False


class ServiceApp(FastAPI):
    """A FastAPI application whose every response, its errors and 413s included, has the security headers."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def _base_router(service: str) -> APIRouter:
    router = APIRouter(prefix=f"/{service}")

    @router.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """Answer while the process is up."""
        return {"service": service, "status": "ok"}

    @router.get("/readyz", tags=["health"], response_model=HealthReport)
    async def readyz() -> JSONResponse:
        """Answer 200 when the database and the broker answer, else 503 naming what does not."""
        from bastion.core.health import readiness

        report = await run_orm(readiness, service=service)
        return JSONResponse(report.model_dump(mode="json"), status_code=200 if report.ready else 503)

    @router.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"/{service}/openapi.json",
            title=f"Bastion {service} API",
            swagger_js_url=f"{SIDECAR}/swagger-ui-dist/swagger-ui-bundle.js",
            swagger_css_url=f"{SIDECAR}/swagger-ui-dist/swagger-ui.css",
            swagger_favicon_url=f"{SIDECAR}/swagger-ui-dist/favicon-32x32.png",
        )

    @router.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=f"/{service}/openapi.json",
            title=f"Bastion {service} API",
            redoc_js_url=f"{SIDECAR}/redoc/bundles/redoc.standalone.js",
            with_google_fonts=False,
        )

    @router.get("/v1/me", tags=["identity"])
    async def me(principal: CurrentPrincipal) -> Principal:
        """Return who the caller is and their role in each organisation they can reach."""
        return principal

    return router


def create_service_app(
    *,
    service: str,
    title: str,
    description: str,
    routers: Sequence[APIRouter] = (),
    root_routers: Sequence[APIRouter] = (),
    bodies: Sequence[tuple[APIRouter, Bodies]] = (),
    lifespan: Lifespan | None = None,
) -> FastAPI:
    """Build a FastAPI service whose every route lives under ``/<service>/``.

    Request bodies are limited to ``DEFAULT_MAX_BODY_BYTES``, or to what ``bodies`` gives for
    a router: a larger body is refused with 413 on its ``Content-Length`` before it is read,
    or as soon as its streamed bytes pass the limit.
    """
    setup_django()
    app = ServiceApp(
        title=title,
        description=description,
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url=f"/{service}/openapi.json",
        lifespan=lifespan,
        max_body_size=DEFAULT_MAX_BODY_BYTES,
    )
    app.include_router(_base_router(service))
    reports: list[re.Pattern[str]] = []
    mounts = [(router, f"/{service}") for router in routers]
    # Routes that keep another product's paths (the gateway maps them) are included as they are.
    mounts += [(router, "") for router in root_routers]
    for router, prefix in mounts:
        limit = next((given for routed, given in bodies if routed is router), None)
        app.include_router(router, prefix=prefix, max_body_size=limit.max_bytes if limit else None)
        if limit is not None and limit.are_reports:
            reports += [_path_pattern(prefix, route) for route in router.routes]
    app.add_middleware(JsonNestingLimit, reports=reports)
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_exception_handler(413, body_too_large)
    return app


def _path_pattern(prefix: str, route: BaseRoute) -> re.Pattern[str]:
    path: str = getattr(route, "path")  # noqa: B009 - every route of an APIRouter has one
    return compile_path(prefix + path)[0]
