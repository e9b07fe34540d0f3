"""Health probe proxy used by the status page."""

import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)

PROBE_TIMEOUT_SECONDS = 4


@app.get("/status/probe")
def probe_service():
    host = request.args.get("host", "")
    if not host:
        abort(400, description="host is required")
    probe_url = f"http://{host}/healthz"
    try:
        response = requests.get(probe_url, timeout=PROBE_TIMEOUT_SECONDS)
    except requests.RequestException:
        return jsonify({"host": host, "healthy": False}), 502
    return jsonify({"host": host, "healthy": response.status_code == 200})


@app.get("/status/ping")
def ping():
    return jsonify({"pong": True})
