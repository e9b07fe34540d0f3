"""Email one-time code sign-in."""

import random

from fastapi import FastAPI
from pydantic import BaseModel, EmailStr

from bastion_local.accounts import find_account_by_email, store_login_code
from bastion_local.mail import send_login_code

app = FastAPI()

CODE_SECONDS = 300


class CodeRequest(BaseModel):
    email: EmailStr


def generate_login_code() -> str:
    """Return the six-digit code mailed to the user."""
    return str(random.randint(100000, 999999))


@app.post("/auth/email-code")
async def request_login_code(payload: CodeRequest):
    account = await find_account_by_email(payload.email)
    if account is not None:
        code = generate_login_code()
        await store_login_code(account_id=account.id, code=code, lifetime=CODE_SECONDS)
        await send_login_code(payload.email, code)
    return {"detail": "If the address is registered, a code is on its way."}
