"""Refresh token rotation for the mobile web client."""

import os
import secrets

from flask import Flask, abort, jsonify, make_response, request

from bastion_local.tokens import revoke_refresh_token, save_refresh_token

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]

REFRESH_SECONDS = 14 * 86400


@app.post("/auth/refresh")
def rotate_refresh_token():
    current = request.cookies.get("refresh_token")
    if not current:
        abort(401)
    account_id = revoke_refresh_token(current)
    if account_id is None:
        abort(401)
    refresh_token = secrets.token_urlsafe(48)
    save_refresh_token(refresh_token, account_id=account_id, lifetime=REFRESH_SECONDS)
    response = make_response(jsonify({"rotated": True}))
    response.set_cookie("refresh_token", refresh_token, max_age=REFRESH_SECONDS, secure=True, samesite="Strict")
    return response
