import os

from flask import Blueprint, jsonify, request

bp = Blueprint("diagnostics", __name__, url_prefix="/diagnostics")


@bp.post("/ping")
def ping_host():
    payload = request.get_json(force=True)
    host = payload.get("host", "").strip()
    if not host:
        return jsonify(error="host is required"), 400

    count = 3
    exit_code = os.system("ping -c %d %s > /dev/null 2>&1" % (count, host))
    return jsonify(host=host, reachable=exit_code == 0)
