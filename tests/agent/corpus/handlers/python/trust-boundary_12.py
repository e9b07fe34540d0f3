"""Interface language selection."""

import os

from flask import Flask, abort, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

SUPPORTED_LANGUAGES = frozenset({"en", "fr", "de", "es", "ja"})


@app.post("/preferences/language")
def set_language():
    language = request.form.get("language", "en").lower()
    if language not in SUPPORTED_LANGUAGES:
        abort(400, description="unsupported language")
    session["language"] = language
    return jsonify({"language": language})


@app.get("/preferences/language")
def get_language():
    return jsonify({"language": session.get("language", "en")})
