"""Static export service: serves generated CSV exports."""

import os

from fastapi import FastAPI, HTTPException, Path
from fastapi.responses import FileResponse

app = FastAPI()
EXPORT_ROOT = "/var/lib/exports"


@app.get("/exports/{tenant}/{export_name:path}")
def download_export(
    tenant: int,
    export_name: str = Path(..., max_length=200),
):
    export_path = f"{EXPORT_ROOT}/{tenant}/{export_name}"
    if not export_name.endswith(".csv"):
        raise HTTPException(status_code=404)
    return FileResponse(export_path, media_type="text/csv")


@app.get("/exports/{tenant}")
def list_exports(tenant: int):
    tenant_directory = os.path.join(EXPORT_ROOT, str(tenant))
    if not os.path.isdir(tenant_directory):
        raise HTTPException(status_code=404)
    return {"tenant": tenant, "exports": sorted(os.listdir(tenant_directory))}
