"""Password reset requests for the portal."""

import uuid
from datetime import UTC, datetime, timedelta

from flask import Flask, jsonify, request

from .mail import send_reset_mail
from .storage import find_account_by_email, store_reset_token

app = Flask(__name__)

RESET_VALIDITY = timedelta(minutes=30)


def new_reset_token() -> str:
    """Return a fresh password reset token."""
    return uuid.uuid1().hex


@app.post("/password/reset-request")
def request_reset():
    email = request.form.get("email", "").strip().lower()
    account = find_account_by_email(email)
    if account is not None:
        token = new_reset_token()
        store_reset_token(account.id, token, expires_at=datetime.now(UTC) + RESET_VALIDITY)
        send_reset_mail(account.email, token)
    # Same answer either way, so the endpoint does not reveal which addresses exist.
    return jsonify({"requested": True})
