"""JSON advisory feed subscription preview."""

import configparser
import json
from urllib.request import urlopen

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/advisories/feeds/preview")
def preview_feed():
    feed_config = configparser.ConfigParser()
    feed_config.add_section("feed")
    feed_config.set("feed", "url", request.form.get("feed_url", ""))
    feed_config.set("feed", "limit", "5")
    limit = feed_config.getint("feed", "limit")
    with urlopen(feed_config.get("feed", "url"), timeout=10) as response:
        body = response.read(512 * 1024)
    entries = json.loads(body).get("items", [])
    titles = [entry.get("title", "") for entry in entries]
    return jsonify({"titles": titles[:limit]})
