"""Trusted device registration after two-factor sign-in."""

import secrets

from fastapi import Depends, FastAPI, Response

from bastion_local.auth import current_account
from bastion_local.devices import register_device

app = FastAPI()

DEVICE_COOKIE = "trusted_device"
DEVICE_SECONDS = 60 * 86400


def attach_device_cookie(response: Response, token: str) -> None:
    """Store the trusted-device token in the browser."""
    response.set_cookie(
        DEVICE_COOKIE, token, max_age=DEVICE_SECONDS, secure=True, httponly=True, samesite="strict"
    )


@app.post("/auth/devices/trust")
async def trust_device(response: Response, account=Depends(current_account)):
    device_token = secrets.token_hex(32)
    await register_device(account_id=account.id, token=device_token)
    attach_device_cookie(response, device_token)
    return {"trusted": True, "days": DEVICE_SECONDS // 86400}
