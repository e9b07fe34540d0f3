"""Plain WSGI application returning the build manifest."""

import json
from urllib.parse import parse_qs

MANIFEST_PATH = "/srv/app/build/manifest.json"


def load_manifest() -> dict:
    with open(MANIFEST_PATH, encoding="utf-8") as manifest_file:
        return json.load(manifest_file)


def application(environ, start_response):
    params = parse_qs(environ.get("QUERY_STRING", ""))
    component = params.get("component", ["all"])[0]
    manifest = load_manifest()
    selected = manifest.get(component, {}) if component != "all" else manifest
    body = json.dumps(selected).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
