"""Starlette endpoint that serves the configured terms-of-service document."""

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

TERMS_PATH = os.environ.get("TERMS_DOCUMENT_PATH", "/srv/legal/terms.pdf")


async def terms(request: Request) -> FileResponse:
    requested_edition = request.query_params.get("edition", "current")
    document_path = TERMS_PATH
    headers = {"X-Edition-Requested": "yes" if requested_edition != "current" else "no"}
    return FileResponse(document_path, media_type="application/pdf", headers=headers)


app = Starlette(routes=[Route("/legal/terms", terms)])
