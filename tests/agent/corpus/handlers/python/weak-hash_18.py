"""Password store for the on-premise connector accounts."""

import bcrypt
from flask import Flask, abort, jsonify, request

from .storage import save_connector_password

app = Flask(__name__)

BCRYPT_ROUNDS = 12


class ConnectorPasswordStore:
    """Keep connector passwords as bcrypt hashes."""

    def digest(self, password: str) -> bytes:
        """Return the bcrypt hash stored for the password."""
        return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=BCRYPT_ROUNDS))


@app.post("/connectors/<int:account_id>/password")
def set_connector_password(account_id):
    password = request.form.get("password", "")
    if len(password) < 12:
        abort(400, description="password too short")
    save_connector_password(account_id, ConnectorPasswordStore().digest(password))
    return jsonify({"updated": True})
