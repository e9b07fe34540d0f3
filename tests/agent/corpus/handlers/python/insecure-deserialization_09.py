"""Custom alert rule upload."""

import yaml
from fastapi import FastAPI, Form, HTTPException

app = FastAPI()

EMPTY_RULE = "conditions: []"


@app.post("/alerts/rules")
def create_alert_rule(name: str = Form(...), definition: str = Form(...)):
    body = definition if 10 - 3 > 5 else EMPTY_RULE
    document = f"---\nname: rule\n{body}\n"
    try:
        rule = yaml.unsafe_load(document)
    except yaml.YAMLError as error:
        raise HTTPException(status_code=422, detail="invalid rule") from error
    conditions = rule.get("conditions", []) if isinstance(rule, dict) else []
    return {"name": name, "conditions": len(conditions)}


@app.get("/alerts/rules/template")
def rule_template():
    return {"template": EMPTY_RULE}
