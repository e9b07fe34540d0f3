"""Tenant-aware settings endpoint: the tenant comes from a request header."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
SETTINGS_DATABASE = "/var/lib/portal/settings.db"


@app.route("/settings")
def tenant_settings():
    tenant_header = request.headers.get("X-Tenant", "tn-default")
    # Header values look like "tn-acme"; the table stores the bare slug.
    slug = tenant_header[3:]
    clauses = ["deleted = 0"]
    clauses.append("tenant_slug = '" + slug + "'")
    connection = sqlite3.connect(SETTINGS_DATABASE)
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT name, value FROM settings WHERE " + clauses[1])
        settings = dict(cursor.fetchall())
    finally:
        connection.close()
    return jsonify(tenant=slug, settings=settings)
