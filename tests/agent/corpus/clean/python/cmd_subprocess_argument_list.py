import ipaddress
import subprocess

from flask import Blueprint, jsonify, request

bp = Blueprint("diagnostics", __name__, url_prefix="/diagnostics")


@bp.post("/ping")
def ping_host():
    payload = request.get_json(force=True)
    try:
        address = ipaddress.ip_address(payload.get("host", "").strip())
    except ValueError:
        return jsonify(error="host must be an IP address"), 400

    completed = subprocess.run(
        ["ping", "-c", "3", str(address)],
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )
    return jsonify(host=str(address), reachable=completed.returncode == 0)
