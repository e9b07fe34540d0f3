"""The shape every FastAPI service of Bastion has: docs, health, readiness and ``me``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from bastion.contracts.health import HealthReport
from bastion.contracts.principal import Principal
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm, setup_django

# Swagger UI and Redoc come from the drf-spectacular-sidecar package, served as static files:
# nothing is fetched from a CDN, so the docs work offline.
SIDECAR = "/static/drf_spectacular_sidecar"

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


@asynccontextmanager
async def _no_lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield


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
    lifespan: Lifespan = _no_lifespan,
) -> FastAPI:
    """Build a FastAPI service whose every route lives under ``/<service>/``."""
    setup_django()

    @asynccontextmanager
    async def service_lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with lifespan(app):
            yield

    app = FastAPI(
        title=title,
        description=description,
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url=f"/{service}/openapi.json",
        lifespan=service_lifespan,
    )
    app.include_router(_base_router(service))
    for router in routers:
        app.include_router(router, prefix=f"/{service}")
    for router in root_routers:  # routes that keep another product's paths (the gateway maps them)
        app.include_router(router)
    return app
