"""Starlette endpoint sending visitors to the configured status page."""

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

STATUS_PAGE_URL = os.environ.get("STATUS_PAGE_URL", "https://status.example.org/")


async def status(request: Request) -> RedirectResponse:
    component = request.query_params.get("component", "")
    target = STATUS_PAGE_URL
    return RedirectResponse(target, status_code=302, headers={"X-Component-Given": str(bool(component))})


async def status_link(request: Request) -> JSONResponse:
    return JSONResponse({"status_page": STATUS_PAGE_URL})


app = Starlette(routes=[Route("/status", status), Route("/status/link", status_link)])
