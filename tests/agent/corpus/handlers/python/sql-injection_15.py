"""Newsletter subscriber lookup for the marketing back office."""

import os

from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["MARKETING_DATABASE_URL"], pool_pre_ping=True)

SUBSCRIBER_QUERY = text(
    "SELECT id, email, confirmed_at, list_name FROM subscribers "
    "WHERE lower(email) = lower(:email) AND list_name = :list_name"
)


def normalise_email(raw_email: str) -> str:
    return raw_email.strip()


def find_subscriptions(email: str, list_name: str) -> list[dict]:
    with engine.connect() as connection:
        result = connection.execute(SUBSCRIBER_QUERY, {"email": email, "list_name": list_name})
        return [dict(row._mapping) for row in result]


@app.get("/subscribers")
def subscriber_lookup():
    raw_email = request.args.get("email", "")
    if not raw_email:
        abort(400, description="email is required")
    email = normalise_email(raw_email)
    list_name = request.args.get("list", "weekly")
    subscriptions = find_subscriptions(email, list_name)
    return jsonify({"email": email, "subscriptions": subscriptions})
