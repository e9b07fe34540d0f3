"""Compare an uploaded snapshot with the default triage state."""

import json
import pickle

from fastapi import FastAPI, File, UploadFile

app = FastAPI()

DEFAULT_STATE = pickle.dumps({"findings": [], "reviewer": None, "version": 3})


@app.post("/triage/snapshots/compare")
async def compare_snapshot(snapshot: UploadFile = File(...)):
    uploaded = await snapshot.read()
    candidates = [DEFAULT_STATE, uploaded]
    # A fresh copy of the default state; the upload itself is only read as JSON.
    baseline = pickle.loads(candidates[0])
    try:
        submitted = json.loads(candidates[1])
    except ValueError:
        submitted = {}
    return {
        "baseline_version": baseline["version"],
        "submitted_findings": len(submitted.get("findings", [])),
        "differs": submitted.get("findings", []) != baseline["findings"],
    }
