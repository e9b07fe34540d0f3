"""Plain WSGI disk-usage probe for the storage nodes."""

import json
import subprocess
from urllib.parse import parse_qs


def disk_usage() -> list[str]:
    output = subprocess.check_output(["df", "-h", "/srv"], text=True, timeout=10)
    return output.splitlines()


def uptime() -> str:
    return subprocess.check_output(["uptime", "-p"], text=True, timeout=5).strip()


def application(environ, start_response):
    params = parse_qs(environ.get("QUERY_STRING", ""))
    volume = params.get("volume", ["/srv"])[0]
    report = {"requested_volume": volume, "usage": disk_usage(), "uptime": uptime()}
    body = json.dumps(report).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
