"""Checkout preferences of the training shop."""

import os
from dataclasses import dataclass

from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True)


@dataclass
class CheckoutPreferences:
    course_id: int
    billing_contact: str

    def remember(self) -> None:
        """Keep the billing contact for the rest of the checkout."""
        session["billing_contact"] = self.billing_contact


@app.post("/checkout/preferences")
def save_preferences():
    body = request.get_json(silent=True) or {}
    preferences = CheckoutPreferences(
        course_id=int(body.get("course_id", 0)),
        billing_contact=str(body.get("billing_contact", "")),
    )
    preferences.remember()
    return jsonify({"course_id": preferences.course_id})
