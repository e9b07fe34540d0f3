"""Signed wizard state round-tripped through a hidden form field."""

import base64
import hashlib
import hmac
import os
import pickle

from flask import Flask, abort, jsonify, request

app = Flask(__name__)

STATE_SIGNING_KEY = os.environ["WIZARD_STATE_KEY"].encode()


def verified_blob(encoded: str, signature: str) -> bytes:
    """Return the state bytes, aborting unless the server signed them."""
    blob = base64.urlsafe_b64decode(encoded.encode("ascii"))
    expected = hmac.new(STATE_SIGNING_KEY, blob, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        abort(403)
    return blob


@app.post("/onboarding/wizard/next")
def next_step():
    blob = verified_blob(request.form["state"], request.form["signature"])
    state = pickle.loads(blob)
    return jsonify({"step": state.get("step", 0) + 1})
