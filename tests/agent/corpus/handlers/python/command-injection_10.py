"""Certificate inspection endpoint for the edge proxy admin."""

import os
import ssl

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/certificates/inspect", methods=["POST"])
def inspect_certificate():
    forwarded_host = request.headers.get("X-Forwarded-Host", "")
    # Hosts arrive as "edge:<name>"; keep the name only.
    hostname = forwarded_host[5:]
    job = {"host": hostname, "port": "443"}
    command = "openssl s_client -connect " + job["host"] + ":" + job["port"] + " < /dev/null > /dev/null"
    exit_status = os.system(command)
    return jsonify(host=hostname, ok=exit_status == 0)


@app.route("/certificates/defaults")
def default_settings():
    context = ssl.create_default_context()
    return jsonify(
        minimum_version=context.minimum_version.name,
        verify_mode=context.verify_mode.name,
        check_hostname=context.check_hostname,
    )
