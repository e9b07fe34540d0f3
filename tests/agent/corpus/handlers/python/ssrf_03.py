"""Import scan results from a supported code host."""

from urllib.parse import urlparse

import httpx
from fastapi import FastAPI, HTTPException, Query

app = FastAPI()

ALLOWED_HOSTS = {"api.github.com", "gitlab.com", "bitbucket.org"}


def require_allowed(url: str) -> str:
    """Raise unless the URL targets an allowed code host over https."""
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        raise HTTPException(status_code=400, detail="unsupported source")
    return url


@app.get("/imports/sarif")
async def import_sarif(source: str = Query(...)):
    checked = require_allowed(source)
    async with httpx.AsyncClient(timeout=10.0, follow_redirects=False) as client:
        response = await client.get(checked)
    response.raise_for_status()
    document = response.json()
    runs = document.get("runs", [])
    return {"source": checked, "runs": len(runs)}
