"""Starlette sign-in for the read-only status console."""

import hashlib
import hmac

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bastion_local.console import load_operator


def password_matches(password: str, salt: str, stored_digest: str) -> bool:
    """Compare the submitted password with the stored digest."""
    digest = hashlib.md5((salt + password).encode("utf-8")).hexdigest()
    return hmac.compare_digest(digest, stored_digest)


async def console_login(request: Request) -> JSONResponse:
    form = await request.form()
    operator = await load_operator(str(form.get("operator", "")))
    password = form.get("password", "")
    if operator is None or not password_matches(str(password), operator.salt, operator.digest):
        return JSONResponse({"detail": "invalid credentials"}, status_code=401)
    return JSONResponse({"operator": operator.name})


app = Starlette(routes=[Route("/console/login", console_login, methods=["POST"])])
