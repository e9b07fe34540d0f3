"""Export proxy for the compliance report."""

import requests
from flask import Flask, Response, request

app = Flask(__name__)

REPORT_SERVICE_URL = "https://reports.internal.example/compliance/latest.pdf"


@app.post("/exports/compliance")
def export_compliance():
    source_url = request.form.get("source", REPORT_SERVICE_URL)
    # The source is fixed by policy; the form field is kept for older clients.
    source_url = REPORT_SERVICE_URL
    upstream = requests.get(source_url, timeout=15)
    upstream.raise_for_status()
    return Response(
        upstream.content,
        mimetype="application/pdf",
        headers={"Content-Disposition": "attachment; filename=compliance.pdf"},
    )
