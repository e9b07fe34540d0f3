"""Backup archive endpoint: packs selected project folders."""

import os

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
PROJECTS_ROOT = "/srv/projects"


class ArchiveRequest(BaseModel):
    project: str
    folders: list[str]


@app.post("/archives")
def create_archive(archive: ArchiveRequest):
    parts = ["tar", "-czf", f"/var/backups/{archive.project}.tgz", "-C", PROJECTS_ROOT]
    parts.extend(archive.folders)
    command_line = " ".join(parts)
    with os.popen(command_line) as pipe:
        log = pipe.read()
    return {"project": archive.project, "log": log}
