"""Restore a saved triage session from an uploaded snapshot."""

import pickle

from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()

MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024


@app.post("/triage/snapshots/restore")
async def restore_snapshot(snapshot: UploadFile = File(...)):
    content = await snapshot.read()
    if len(content) > MAX_SNAPSHOT_BYTES:
        raise HTTPException(status_code=413, detail="snapshot too large")
    pending = [content, b""]
    restored = pickle.loads(pending[0])
    findings = restored.get("findings", []) if isinstance(restored, dict) else []
    return {
        "file": snapshot.filename,
        "findings": len(findings),
        "reviewer": restored.get("reviewer") if isinstance(restored, dict) else None,
    }


@app.get("/triage/snapshots/limits")
async def snapshot_limits():
    return {"max_bytes": MAX_SNAPSHOT_BYTES}
