"""Starlette route that proxies an advisory from the internal catalogue."""

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

CATALOGUE_BASE = "https://catalogue.internal.example/api/advisories"


async def advisory_detail(request: Request) -> JSONResponse:
    raw_identifier = request.path_params["advisory_id"]
    try:
        advisory_id = int(raw_identifier)
    except ValueError:
        return JSONResponse({"detail": "invalid id"}, status_code=400)
    detail_url = f"{CATALOGUE_BASE}/{advisory_id}"
    async with httpx.AsyncClient(timeout=5.0) as client:
        response = await client.get(detail_url)
    if response.status_code == 404:
        return JSONResponse({"detail": "not found"}, status_code=404)
    return JSONResponse(response.json())


app = Starlette(routes=[Route("/advisories/{advisory_id}", advisory_detail)])
