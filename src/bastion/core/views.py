"""Health endpoints of the core."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from bastion.core.health import readiness


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer while the process is up."""
    return JsonResponse({"service": "core", "status": "ok"})


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database and the broker are reachable, else 503 naming what is not."""
    report = readiness(service="core")
    return JsonResponse(report.model_dump(mode="json"), status=200 if report.ready else 503)
