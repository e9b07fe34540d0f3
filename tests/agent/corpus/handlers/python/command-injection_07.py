"""Backup archive endpoint: packs the configured project folders."""

import subprocess

from fastapi import FastAPI, Form

app = FastAPI()


@app.post("/archives")
def create_archive(label: str = Form(..., max_length=80)):
    jobs = {"requested_label": label, "command": "tar -czf /var/backups/projects.tgz -C /srv projects"}
    completed = subprocess.run(jobs["command"], shell=True, capture_output=True, text=True, timeout=600)
    return {"label": jobs["requested_label"], "ok": completed.returncode == 0}


@app.get("/archives/latest")
def latest_archive():
    completed = subprocess.run(
        ["ls", "-l", "--time-style=+%Y-%m-%dT%H:%M", "/var/backups/projects.tgz"],
        capture_output=True,
        text=True,
        timeout=10,
    )
    return {"present": completed.returncode == 0, "listing": completed.stdout.strip()}
