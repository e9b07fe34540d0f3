"""Log bundle download for the self-hosted edition."""

import subprocess
import tempfile

from flask import Flask, abort, request, send_file

app = Flask(__name__)
LOG_DIRECTORY = "/var/log/appliance"


@app.post("/support/log-bundle")
def log_bundle():
    payload = request.get_json(silent=True) or {}
    services = payload.get("services", [])
    if not services:
        abort(400, description="select at least one service")
    archive = tempfile.NamedTemporaryFile(suffix=".tar.gz", delete=False)
    members = []
    for service in services:
        members.append(f"{service}.log")
    command = " ".join(["tar", "-czf", archive.name, "-C", LOG_DIRECTORY, *members])
    subprocess.check_output(command, shell=True, stderr=subprocess.STDOUT, timeout=60)
    return send_file(archive.name, mimetype="application/gzip", download_name="logs.tar.gz")
