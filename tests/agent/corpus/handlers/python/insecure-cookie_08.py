"""Token sign-in for the single-page application."""

from fastapi import FastAPI, Form, HTTPException, Response

from bastion_local.accounts import authenticate_account
from bastion_local.tokens import issue_access_token

app = FastAPI()

ACCESS_TOKEN_SECONDS = 15 * 60


@app.post("/auth/token")
async def create_token(response: Response, username: str = Form(...), password: str = Form(...)):
    account = await authenticate_account(username=username, password=password)
    if account is None:
        raise HTTPException(status_code=401, detail="invalid credentials")
    access_token = issue_access_token(subject=str(account.id), lifetime=ACCESS_TOKEN_SECONDS)
    response.set_cookie(
        key="access_token",
        value=access_token,
        max_age=ACCESS_TOKEN_SECONDS,
        httponly=True,
        secure=True,
        samesite="strict",
    )
    return {"expires_in": ACCESS_TOKEN_SECONDS}
