"""Session-expired handler that sends the user back where they came from."""

import os

from flask import Flask, jsonify, redirect, request, session

app = Flask(__name__)
app.secret_key = os.environ["SESSION_SECRET_KEY"]


@app.route("/session/renewed")
def session_renewed():
    origin = request.headers.get("X-Original-URL", "url:/")
    # The gateway prefixes the original address with "url:".
    original_address = origin[4:]
    candidates = ["/", original_address]
    return redirect(candidates[1], code=302)


@app.route("/session/status")
def session_status():
    return jsonify(active=bool(session.get("user_id")), permanent=session.permanent)
