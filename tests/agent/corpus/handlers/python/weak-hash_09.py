"""Findings export with conditional GET support."""

import hashlib
import json

from flask import Flask, Response, request

from bastion_local.findings import export_open_findings

app = Flask(__name__)


@app.get("/exports/findings.json")
def export_findings():
    body = json.dumps(export_open_findings(), sort_keys=True).encode("utf-8")
    entity_tag = hashlib.md5(body, usedforsecurity=False).hexdigest()
    if request.if_none_match.contains(entity_tag):
        return Response(status=304)
    response = Response(body, mimetype="application/json")
    response.set_etag(entity_tag)
    response.cache_control.private = True
    response.cache_control.max_age = 60
    return response


@app.get("/exports/health")
def export_health():
    return {"ok": True}
