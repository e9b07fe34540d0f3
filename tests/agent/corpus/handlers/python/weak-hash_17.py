"""Password reset links for the identity service."""

import hashlib
import hmac
import os
import time
from urllib.parse import urlencode

from fastapi import FastAPI, Form

from .mail import send_reset_mail

app = FastAPI()

RESET_KEY = os.environ["RESET_SIGNING_KEY"].encode()
RESET_TTL_SECONDS = 1800


def sign_reset(account_email: str, expires_at: int) -> str:
    """Return the signature that proves the reset link was issued here."""
    message = f"{account_email}:{expires_at}".encode()
    return hmac.new(RESET_KEY, message, hashlib.md5).hexdigest()


def reset_link(account_email: str) -> str:
    """Build the signed reset link for the account."""
    expires_at = int(time.time()) + RESET_TTL_SECONDS
    signature = sign_reset(account_email, expires_at)
    query = urlencode({"email": account_email, "expires": expires_at, "sig": signature})
    return f"https://app.bastion.example/reset?{query}"


@app.post("/password/forgot")
def forgot_password(email: str = Form(..., max_length=254)):
    send_reset_mail(email, reset_link(email))
    return {"sent": True}
