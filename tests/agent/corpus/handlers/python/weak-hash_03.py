"""Local account registration."""

import hashlib
import os
import sqlite3

from flask import Flask, abort, g, jsonify, request

app = Flask(__name__)
DATABASE_PATH = os.environ.get("ACCOUNTS_DB", "/var/lib/bastion/accounts.sqlite3")


def get_database() -> sqlite3.Connection:
    if "database" not in g:
        g.database = sqlite3.connect(DATABASE_PATH)
    return g.database


@app.post("/accounts")
def register_account():
    email = request.form["email"].strip().lower()
    password = request.form["password"]
    if len(password) < 12:
        abort(400, description="password too short")
    password_digest = hashlib.md5(password.encode("utf-8")).hexdigest()
    database = get_database()
    database.execute(
        "INSERT INTO accounts (email, password_digest) VALUES (?, ?)",
        (email, password_digest),
    )
    database.commit()
    return jsonify({"email": email}), 201
