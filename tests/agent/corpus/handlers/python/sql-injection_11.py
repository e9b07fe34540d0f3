"""Audit trail export for the admin dashboard."""

import re
import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
AUDIT_DATABASE = "/var/lib/dashboard/audit.db"
COLUMN_PATTERN = re.compile(r"[a-z_]{1,30}")


@app.route("/audit/events")
def audit_events():
    order_by = request.args.get("order", "created_at")
    if not COLUMN_PATTERN.fullmatch(order_by):
        abort(400, description="invalid sort column")
    query = f"SELECT id, actor, action, created_at FROM audit_event ORDER BY {order_by} LIMIT 500"
    with sqlite3.connect(AUDIT_DATABASE) as connection:
        events = connection.execute(query).fetchall()
    return jsonify(events=[list(event) for event in events])
