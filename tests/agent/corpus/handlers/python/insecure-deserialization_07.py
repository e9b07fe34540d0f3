"""User preferences restored from a cookie."""

import base64
import binascii
import pickle

from flask import Flask, jsonify, request

app = Flask(__name__)

DEFAULT_PREFERENCES = {"page_size": 25, "show_closed": False}


def restore_preferences(encoded: str):
    """Turn the cookie value back into the preferences object."""
    try:
        raw = base64.b64decode(encoded)
    except binascii.Error:
        return dict(DEFAULT_PREFERENCES)
    return pickle.loads(raw)


@app.get("/findings/preferences")
def get_preferences():
    encoded = request.cookies.get("prefs", "")
    if not encoded:
        return jsonify(DEFAULT_PREFERENCES)
    preferences = restore_preferences(encoded)
    return jsonify(
        {
            "page_size": preferences.get("page_size", 25),
            "show_closed": preferences.get("show_closed", False),
        }
    )
