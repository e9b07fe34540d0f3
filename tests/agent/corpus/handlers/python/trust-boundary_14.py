"""Starlette route that pins the current project."""

import os
import re

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PROJECT_KEY_PATTERN = re.compile(r"[A-Z]{2,10}")


async def pin_project(request: Request) -> JSONResponse:
    project_key = request.query_params.get("project", "")
    if not PROJECT_KEY_PATTERN.fullmatch(project_key):
        return JSONResponse({"detail": "invalid project key"}, status_code=400)
    request.session["pinned_project"] = project_key
    return JSONResponse({"pinned_project": project_key})


app = Starlette(
    routes=[Route("/projects/pin", pin_project, methods=["POST"])],
    middleware=[Middleware(SessionMiddleware, secret_key=os.environ["SESSION_SECRET_KEY"], https_only=True)],
)
