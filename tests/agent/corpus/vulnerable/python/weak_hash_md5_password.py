import hashlib
import sqlite3

from flask import Flask, request

app = Flask(__name__)


def hash_password(password):
    return hashlib.md5(password.encode("utf-8")).hexdigest()


@app.post("/signup")
def signup():
    email = request.form["email"]
    password = request.form["password"]
    if len(password) < 10:
        return {"error": "password too short"}, 400
    with sqlite3.connect("accounts.db") as conn:
        conn.execute(
            "INSERT INTO users (email, password_hash) VALUES (?, ?)",
            (email, hash_password(password)),
        )
    return {"email": email}, 201
