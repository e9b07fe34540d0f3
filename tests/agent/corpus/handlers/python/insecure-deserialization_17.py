"""Import a findings table exported from an analyst notebook."""

import io

import pandas
from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()

REQUIRED_COLUMNS = {"asset", "severity", "title"}


def to_buffer(raw: bytes) -> io.BytesIO:
    """Wrap the uploaded bytes in a seekable buffer."""
    return io.BytesIO(raw)


def load_findings(buffer: io.BytesIO) -> pandas.DataFrame:
    """Read the exported data frame."""
    return pandas.read_pickle(buffer, compression=None)


@app.post("/findings/import/frame")
async def import_frame(export: UploadFile = File(...)):
    raw = await export.read()
    frame = load_findings(to_buffer(raw))
    missing = REQUIRED_COLUMNS - set(frame.columns)
    if missing:
        raise HTTPException(status_code=422, detail=f"missing columns: {sorted(missing)}")
    counts = {str(key): int(value) for key, value in frame["severity"].value_counts().items()}
    return {"rows": len(frame), "by_severity": counts}
