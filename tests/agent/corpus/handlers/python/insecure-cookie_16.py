"""Access-token cookie for the FastAPI scanner console."""

import secrets

from fastapi import FastAPI, Form, HTTPException, Response

from .auth import verify_operator

app = FastAPI()

COOKIE_SETTINGS = {
    "secure": True,
    "httponly": True,
    "samesite": "strict",
    "max_age": 15 * 60,
}


@app.post("/console/token")
def issue_token(response: Response, operator: str = Form(...), password: str = Form(...)):
    if not verify_operator(operator, password):
        raise HTTPException(status_code=401, detail="invalid credentials")
    access_token = secrets.token_urlsafe(32)
    response.set_cookie(
        "access_token",
        access_token,
        max_age=COOKIE_SETTINGS["max_age"],
        secure=COOKIE_SETTINGS["secure"],
        httponly=COOKIE_SETTINGS["httponly"],
        samesite=COOKIE_SETTINGS["samesite"],
    )
    return {"issued": True}
