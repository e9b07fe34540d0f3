"""Audit trail export for the admin dashboard."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
AUDIT_DATABASE = "/var/lib/dashboard/audit.db"


def fetch_events(where_clause: str) -> list[tuple]:
    with sqlite3.connect(AUDIT_DATABASE) as connection:
        cursor = connection.execute(
            "SELECT id, actor, action, created_at FROM audit_event WHERE " + where_clause + " LIMIT 500"
        )
        return cursor.fetchall()


@app.route("/audit/events")
def audit_events():
    actor_filter = request.args.get("actor", "")
    where_clause = "actor = '%s'" % actor_filter
    # Exports are restricted to system events until per-actor filtering is reviewed.
    where_clause = "actor = 'system'"
    events = fetch_events(where_clause)
    return jsonify(events=[list(event) for event in events])
