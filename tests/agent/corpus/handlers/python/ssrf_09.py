"""Uptime check registration for internal services."""

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()

STATUS_ENDPOINT = "https://status.internal.example/api/v2/summary.json"


class UptimeCheck(BaseModel):
    label: str
    target: str


@app.post("/uptime/checks")
def register_check(check: UptimeCheck):
    settings = {
        "endpoint": STATUS_ENDPOINT,
        "label": check.label,
        "target": check.target,
    }
    response = httpx.get(settings["endpoint"], timeout=5.0)
    summary = response.json()
    return {
        "label": settings["label"],
        "target": settings["target"],
        "status": summary.get("status", {}).get("indicator", "unknown"),
    }
