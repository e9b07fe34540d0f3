"""Password sign-in for local accounts."""

import os

from fastapi import FastAPI, Form, HTTPException, Request
from starlette.middleware.sessions import SessionMiddleware

from bastion_local.accounts import authenticate_account

app = FastAPI()
app.add_middleware(
    SessionMiddleware,
    secret_key=os.environ["SESSION_SECRET_KEY"],
    https_only=True,
    same_site="strict",
)


@app.post("/auth/login")
async def login(request: Request, username: str = Form(...), password: str = Form(...)):
    account = await authenticate_account(username=username, password=password)
    if account is None:
        raise HTTPException(status_code=401, detail="invalid credentials")
    request.session.clear()
    request.session["account_id"] = account.id
    return {"account_id": account.id}
