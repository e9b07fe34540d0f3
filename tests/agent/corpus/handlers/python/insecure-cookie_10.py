"""Sign-in that issues an opaque session token."""

import os
import secrets

from flask import Flask, abort, jsonify, make_response, request

from bastion_local.accounts import verify_credentials
from bastion_local.sessions import store_session

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]

SESSION_LIFETIME_SECONDS = 8 * 3600


@app.post("/auth/login")
def login():
    account = verify_credentials(request.form.get("email", ""), request.form.get("password", ""))
    if account is None:
        abort(401)
    session_token = secrets.token_urlsafe(32)
    store_session(session_token, account_id=account.id, lifetime=SESSION_LIFETIME_SECONDS)
    response = make_response(jsonify({"account_id": account.id}))
    response.set_cookie(
        "session_token",
        session_token,
        max_age=SESSION_LIFETIME_SECONDS,
        secure=True,
        httponly=True,
        samesite="Lax",
    )
    return response
