"""Backup listing page for the operations dashboard."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)
BACKUP_ROOT = "/srv/backups"


def list_backups(pattern: str) -> list[str]:
    with os.popen(f"ls -1t {BACKUP_ROOT}/{pattern}") as listing:
        return [line.strip() for line in listing if line.strip()]


@app.get("/backups")
def backups():
    pattern = request.args.get("pattern", "database-*.sql.gz")
    if pattern.startswith("media"):
        pattern = "media-*.tar.gz"
    else:
        pattern = "database-*.sql.gz"
    names = list_backups(pattern)
    return jsonify({"pattern": pattern, "backups": names[:50]})


@app.get("/backups/count")
def backup_count():
    return jsonify({"count": len(os.listdir(BACKUP_ROOT))})
