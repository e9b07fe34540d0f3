"""Log tail endpoint for the support dashboard."""

import re
import subprocess

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
SERVICE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")


@app.route("/logs/tail")
def tail_log():
    service = request.args.get("service", "web")
    if not SERVICE_NAME.match(service):
        abort(400)
    log_command = f"tail -n 200 /var/log/services/{service}.log"
    output = subprocess.check_output(log_command, shell=True, text=True, timeout=10)
    return jsonify(service=service, lines=output.splitlines())


@app.route("/diagnostics/services")
def list_services():
    completed = subprocess.run(
        ["systemctl", "list-units", "--type=service", "--no-pager"],
        capture_output=True,
        text=True,
        timeout=10,
    )
    return jsonify(services=[line.split()[0] for line in completed.stdout.splitlines()[1:] if line])
