"""Dashboard layout restored from the browser."""

import base64
import binascii
import json

from flask import Flask, jsonify, request

app = Flask(__name__)

DEFAULT_LAYOUT = {"columns": 2, "widgets": ["open-findings", "sla-breaches"]}


def load_layout(encoded: str) -> dict:
    """Decode the layout stored in the cookie, falling back to the default."""
    try:
        layout = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
    except (binascii.Error, ValueError):
        return dict(DEFAULT_LAYOUT)
    return layout if isinstance(layout, dict) else dict(DEFAULT_LAYOUT)


@app.get("/dashboard/layout")
def dashboard_layout():
    encoded = request.cookies.get("layout", "")
    layout = load_layout(encoded) if encoded else dict(DEFAULT_LAYOUT)
    return jsonify(layout)
