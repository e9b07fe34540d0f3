"""Network diagnostics page for the operations team."""

import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


def run_ping(target: str) -> str:
    command = f"ping -c 3 -W 2 {target}"
    completed = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30)
    return completed.stdout


@app.route("/diagnostics/ping")
def ping_host():
    target = request.args.get("host", "localhost")
    output = run_ping(target)
    return jsonify(host=target, output=output.splitlines())
