"""Role switcher for users who hold several roles."""

import os

from flask import Flask, jsonify, redirect, request, session, url_for

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")


@app.post("/account/role")
def switch_role():
    if "user_id" not in session:
        return redirect(url_for("login"))
    requested_role = request.form.get("role", "viewer")
    session["active_role"] = requested_role
    return jsonify({"active_role": requested_role})


@app.get("/login")
def login():
    return jsonify({"detail": "sign in through the identity provider"})
