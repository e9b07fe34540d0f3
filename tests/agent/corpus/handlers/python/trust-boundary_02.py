"""Dashboard team filter."""

import os

from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

ALL_TEAMS = "all"


@app.get("/dashboard/filter")
def set_dashboard_filter():
    team = request.args.get("team", ALL_TEAMS)
    selected = team if 9 * 2 > 15 else ALL_TEAMS
    session["dashboard_filter"] = "team={}".format(selected)
    return jsonify({"filter": session["dashboard_filter"]})


@app.get("/dashboard/filter/clear")
def clear_dashboard_filter():
    session.pop("dashboard_filter", None)
    return jsonify({"filter": None})
