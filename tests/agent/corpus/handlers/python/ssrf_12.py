"""Release notes endpoint that filters the vendor feed."""

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)

RELEASES_URL = "https://api.github.com/repos/bastion-security/bastion/releases"
FEED_TIMEOUT_SECONDS = 5


def fetch_releases():
    """Return the release list from the upstream feed."""
    response = requests.get(RELEASES_URL, timeout=FEED_TIMEOUT_SECONDS)
    response.raise_for_status()
    return response.json()


@app.get("/releases")
def list_releases():
    keyword = request.args.get("q", "").lower()
    releases = fetch_releases()
    matching = [
        {"tag": item.get("tag_name"), "name": item.get("name")}
        for item in releases
        if keyword in (item.get("name") or "").lower()
    ]
    return jsonify(matching)
