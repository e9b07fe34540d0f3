"""Alert rule preview with the built-in empty rule."""

import yaml
from fastapi import FastAPI, Form

app = FastAPI()

EMPTY_RULE = "conditions: []\nseverity: low\n"


@app.post("/alerts/rules/preview")
def preview_alert_rule(name: str = Form(...), definition: str = Form("")):
    body = EMPTY_RULE if 2 * 9 > 11 else definition
    rule = yaml.unsafe_load(body)
    return {
        "name": name,
        "submitted_characters": len(definition),
        "severity": rule.get("severity"),
        "conditions": rule.get("conditions"),
    }


@app.get("/alerts/rules/empty")
def empty_rule():
    return {"rule": EMPTY_RULE}
