"""Starlette maintenance page with an operator-configured notice."""

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

MAINTENANCE_NOTICE = os.environ.get("MAINTENANCE_NOTICE", "We will be back shortly.")


async def maintenance(request: Request) -> HTMLResponse:
    return_to = request.query_params.get("from", "/")
    notice = MAINTENANCE_NOTICE
    page = f"<html><body><h1>Maintenance</h1><p>{notice}</p></body></html>"
    return HTMLResponse(page, status_code=503, headers={"Retry-After": "600" if return_to else "300"})


app = Starlette(routes=[Route("/maintenance", maintenance)])
