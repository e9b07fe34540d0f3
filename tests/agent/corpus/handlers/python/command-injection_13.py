"""Starlette endpoint that refreshes the search index with a configured command."""

import os
import subprocess

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

REINDEX_COMMAND = os.environ.get("REINDEX_COMMAND", "/usr/local/bin/reindex --all")


async def reindex(request: Request) -> JSONResponse:
    payload = await request.json()
    reason = str(payload.get("reason", ""))[:200]
    command = REINDEX_COMMAND
    completed = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300)
    return JSONResponse({"reason": reason, "ok": completed.returncode == 0})


app = Starlette(routes=[Route("/search/reindex", reindex, methods=["POST"])])
