"""Read-only share links for reports."""

import os
import random
import string

from flask import Flask, abort, jsonify

from bastion_local.reports import get_report, save_share_link

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]

SHARE_ALPHABET = string.ascii_lowercase + string.digits
system_random = random.SystemRandom()


@app.post("/reports/<int:report_id>/share")
def share_report(report_id: int):
    report = get_report(report_id)
    if report is None:
        abort(404)
    share_key = "".join(system_random.choice(SHARE_ALPHABET) for _ in range(32))
    save_share_link(report_id=report.id, share_key=share_key, expires_in_days=7)
    return jsonify({"url": f"https://bastion.example/shared/{share_key}"}), 201


@app.get("/reports/<int:report_id>")
def report_detail(report_id: int):
    report = get_report(report_id)
    if report is None:
        abort(404)
    return jsonify({"id": report.id, "title": report.title})
