"""Status check of the package mirrors the scanners download from."""

import http.client

from flask import Flask, abort, jsonify

app = Flask(__name__)

MIRROR_HOSTS = {
    "pypi": "pypi.org",
    "npm": "registry.npmjs.org",
    "maven": "repo1.maven.org",
}
CHECK_TIMEOUT_SECONDS = 5


def mirror_status(host: str) -> int:
    """Return the HTTP status of the mirror's front page."""
    connection = http.client.HTTPSConnection(host, timeout=CHECK_TIMEOUT_SECONDS)
    try:
        connection.request("HEAD", "/")
        return connection.getresponse().status
    finally:
        connection.close()


@app.get("/mirrors/<mirror_key>/status")
def check_mirror(mirror_key):
    try:
        host = MIRROR_HOSTS[mirror_key]
    except KeyError:
        abort(404, description="unknown mirror")
    return jsonify({"mirror": mirror_key, "status": mirror_status(host)})
