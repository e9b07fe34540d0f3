"""Onboarding progress for new workspaces."""

import os

from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

ONBOARDING_STEPS = ("welcome", "connect-scanner", "invite-team", "done")


@app.post("/onboarding/restart")
def restart_onboarding():
    previous_step = request.form.get("current_step", "")
    session["onboarding_step"] = "welcome"
    return jsonify(
        {
            "restarted_from": previous_step[:40],
            "step": session["onboarding_step"],
            "remaining": len(ONBOARDING_STEPS) - 1,
        }
    )
