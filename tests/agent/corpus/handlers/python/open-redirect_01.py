"""Login flow for the partner portal."""

import os

from flask import Flask, redirect, request, session, url_for
from flask_login import LoginManager, login_user

from portal.accounts import authenticate

app = Flask(__name__)
app.secret_key = os.environ["PORTAL_SECRET_KEY"]
login_manager = LoginManager(app)


def landing_page(next_url: str) -> str:
    return next_url or url_for("dashboard")


@app.route("/login", methods=["POST"])
def login():
    account = authenticate(request.form["username"], request.form["password"])
    if account is None:
        return redirect(url_for("login_form", failed=1))
    login_user(account)
    session.permanent = True
    next_url = request.args.get("next", "")
    return redirect(landing_page(next_url))
