"""Account creation with scrypt-hashed passwords."""

import base64
import hashlib
import os

from fastapi import Body, FastAPI
from pydantic import BaseModel, EmailStr, Field

from bastion_local.accounts import create_account

app = FastAPI()


class NewAccount(BaseModel):
    email: EmailStr
    password: str = Field(min_length=12, max_length=256)


def hash_password(password: str) -> str:
    """Return salt and scrypt digest, both base64, joined by a dollar sign."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**15, r=8, p=1, maxmem=64 * 1024 * 1024)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


@app.post("/accounts", status_code=201)
async def register(account: NewAccount = Body(...)):
    created = await create_account(email=account.email, password_digest=hash_password(account.password))
    return {"id": created.id, "email": account.email}
