"""Data residency picker for the tenant settings page."""

import os

from fastapi import FastAPI, HTTPException, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=os.environ["SESSION_SECRET"], https_only=True)

RESIDENCY_REGIONS = {
    "eu": "eu-central-1",
    "us": "us-east-1",
    "apac": "ap-southeast-2",
}


@app.post("/settings/residency/{region_key}")
async def choose_residency(region_key: str, request: Request):
    try:
        region = RESIDENCY_REGIONS[region_key]
    except KeyError:
        raise HTTPException(status_code=404, detail="unknown region") from None
    request.session["storage_region"] = region
    return {"region": region}
