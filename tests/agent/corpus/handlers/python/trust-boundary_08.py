"""Starlette login flow that remembers where the user was going."""

import os

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


class PendingNavigation:
    """The page to show once the user has signed in."""

    def __init__(self, request: Request, target: str) -> None:
        self.request = request
        self.target = target

    def remember(self) -> None:
        self.request.session["post_login_path"] = self.target


async def start_login(request: Request) -> JSONResponse:
    requested_next = request.query_params.get("next", "/")
    PendingNavigation(request, requested_next).remember()
    return JSONResponse({"login_url": "/auth/authorize"})


app = Starlette(
    routes=[Route("/auth/start", start_login)],
    middleware=[Middleware(SessionMiddleware, secret_key=os.environ["SESSION_SECRET_KEY"], https_only=True)],
)
