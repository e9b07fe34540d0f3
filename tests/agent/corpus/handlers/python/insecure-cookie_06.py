"""Starlette OAuth callback that opens a session."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from bastion_local.oauth import exchange_code
from bastion_local.sessions import create_session

SESSION_SECONDS = 12 * 3600
SESSION_COOKIE_OPTIONS = {"max_age": SESSION_SECONDS, "secure": True, "httponly": True, "samesite": "lax"}


async def oauth_callback(request: Request):
    code = request.query_params.get("code")
    if not code:
        return JSONResponse({"detail": "missing code"}, status_code=400)
    identity = await exchange_code(code)
    if identity is None:
        return JSONResponse({"detail": "sign-in failed"}, status_code=401)
    session_id = await create_session(identity.account_id, lifetime=SESSION_SECONDS)
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie("sid", session_id, **SESSION_COOKIE_OPTIONS)
    return response


app = Starlette(routes=[Route("/auth/callback", oauth_callback)])
