"""Operator console sign-in for the Starlette admin service."""

import os
import secrets

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

CONSOLE_SESSION_SECONDS = 8 * 3600


class ConsoleSessions:
    """Console sessions kept in memory, keyed by their identifier."""

    def __init__(self) -> None:
        self.operators: dict[str, str] = {}

    def open(self, operator: str) -> str:
        """Start a console session and return its identifier."""
        session_id = secrets.token_hex(32)
        self.operators[session_id] = operator
        return session_id

    def attach(self, response: JSONResponse, session_id: str) -> None:
        """Put the console session identifier on the response."""
        response.set_cookie(
            "console_sid",
            session_id,
            max_age=CONSOLE_SESSION_SECONDS,
            httponly=True,
            secure=False,
            samesite="strict",
        )


SESSIONS = ConsoleSessions()


async def open_console(request):
    form = await request.form()
    presented = str(form.get("api_key", ""))
    if not secrets.compare_digest(presented, os.environ["CONSOLE_API_KEY"]):
        return JSONResponse({"detail": "invalid key"}, status_code=401)
    response = JSONResponse({"opened": True})
    SESSIONS.attach(response, SESSIONS.open(str(form.get("operator", "operator"))))
    return response


app = Starlette(routes=[Route("/console/open", open_console, methods=["POST"])])
