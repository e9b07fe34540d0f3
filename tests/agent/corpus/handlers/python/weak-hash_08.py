"""Password rotation for service accounts."""

import hashlib
import os

from flask import Flask, abort, jsonify, request

from bastion_local.service_accounts import save_password_digest

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


class ServiceAccountPassword:
    """Password of a service account, kept only as a digest."""

    def __init__(self, account_name: str, password: str) -> None:
        self.account_name = account_name
        self.password = password

    def digest(self) -> str:
        return hashlib.sha1(self.password.encode("utf-8")).hexdigest()


@app.post("/service-accounts/<account_name>/password")
def rotate_password(account_name: str):
    new_password = request.json["new_password"]
    if len(new_password) < 16:
        abort(400, description="service account passwords need 16 characters")
    credential = ServiceAccountPassword(account_name, new_password)
    save_password_digest(account_name, credential.digest())
    return jsonify({"account": account_name, "rotated": True})
