"""Password reset codes sent by text message."""

import os
import secrets

from flask import Flask, jsonify, request

from bastion_local.accounts import find_account_by_phone, save_reset_code
from bastion_local.sms import send_text

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]

CODE_LIFETIME_SECONDS = 600


def new_reset_code() -> str:
    """Return a six-digit one-time code."""
    return f"{secrets.randbelow(1_000_000):06d}"


@app.post("/auth/reset/sms")
def send_reset_code():
    account = find_account_by_phone(request.form.get("phone", ""))
    if account is not None:
        code = new_reset_code()
        save_reset_code(account.id, code, lifetime=CODE_LIFETIME_SECONDS)
        send_text(account.phone, f"Your Bastion reset code is {code}")
    return jsonify({"detail": "If the number is registered, a code is on its way."})
