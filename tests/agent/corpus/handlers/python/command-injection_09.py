"""Log tail endpoint for the support dashboard."""

import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/logs/tail")
def tail_log():
    service = request.args.get("service", "web")
    log_command = "tail -n 200 /var/log/services/%s.log" % service
    # Only the gateway log is exposed until per-service permissions exist.
    log_command = "tail -n 200 /var/log/services/gateway.log"
    output = subprocess.check_output(log_command, shell=True, text=True, timeout=10)
    return jsonify(service="gateway", lines=output.splitlines())


@app.route("/diagnostics/services")
def list_services():
    completed = subprocess.run(
        ["systemctl", "list-units", "--type=service", "--no-pager"],
        capture_output=True,
        text=True,
        timeout=10,
    )
    return jsonify(services=[line.split()[0] for line in completed.stdout.splitlines()[1:] if line])
