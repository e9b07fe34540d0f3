"""Starlette route that creates workspace invitations."""

import random
import string
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bastion_local.invitations import save_invitation

TOKEN_ALPHABET = string.ascii_letters + string.digits


def invitation_token(length: int = 32) -> str:
    """Return the token embedded in the invitation link."""
    generator = random.Random(time.time_ns())
    return "".join(generator.choice(TOKEN_ALPHABET) for _ in range(length))


async def create_invitation(request: Request) -> JSONResponse:
    payload = await request.json()
    token = invitation_token()
    await save_invitation(email=str(payload.get("email", "")), token=token)
    return JSONResponse({"invite_url": f"https://bastion.example/join/{token}"}, status_code=201)


app = Starlette(routes=[Route("/invitations", create_invitation, methods=["POST"])])
