"""Plain WSGI application exposing a precompiled health check."""

import json
from urllib.parse import parse_qs

HEALTH_CHECK = compile("status = 'ok' if checks_passed else 'degraded'", "<health>", "exec")


def health_status(label: str) -> dict:
    namespace = {"checks_passed": True}
    exec(HEALTH_CHECK, {"__builtins__": {}}, namespace)
    return {"label": label, "status": namespace["status"]}


def application(environ, start_response):
    params = parse_qs(environ.get("QUERY_STRING", ""))
    probe_label = params.get("label", ["default"])[0]
    body = json.dumps(health_status(probe_label)).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
