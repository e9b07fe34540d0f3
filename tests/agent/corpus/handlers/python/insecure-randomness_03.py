"""Kiosk session start for the shared operations screen."""

import random

from fastapi import FastAPI, Header, HTTPException, Response

from bastion_local.kiosk import kiosk_for_device, open_kiosk_session

app = FastAPI()

KIOSK_SESSION_SECONDS = 4 * 3600


def new_session_id() -> str:
    """Return the identifier of a kiosk session."""
    return "%032x" % random.randrange(16**32)


@app.post("/kiosk/sessions")
async def start_kiosk_session(response: Response, x_device_id: str = Header(..., max_length=64)):
    kiosk = await kiosk_for_device(x_device_id)
    if kiosk is None:
        raise HTTPException(status_code=403, detail="unknown device")
    session_id = new_session_id()
    await open_kiosk_session(kiosk_id=kiosk.id, session_id=session_id, lifetime=KIOSK_SESSION_SECONDS)
    response.set_cookie(
        "kiosk_session", session_id, max_age=KIOSK_SESSION_SECONDS, secure=True, httponly=True, samesite="strict"
    )
    return {"kiosk": kiosk.name}
