"""Advisory preview that only talks to the trusted vulnerability databases."""

from urllib.parse import urlparse

import httpx
from fastapi import FastAPI, HTTPException, Query

app = FastAPI()

TRUSTED_ADVISORY_HOSTS = frozenset({"nvd.nist.gov", "api.osv.dev", "github.com"})
FETCH_TIMEOUT = httpx.Timeout(6.0)


def require_trusted(url: str) -> str:
    """Return the URL, or raise when its host is not a trusted advisory database."""
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.netloc not in TRUSTED_ADVISORY_HOSTS:
        raise HTTPException(status_code=400, detail="advisory host not allowed")
    return url


@app.get("/advisories/preview")
async def preview_advisory(url: str = Query(..., max_length=2048)):
    checked_url = require_trusted(url)
    async with httpx.AsyncClient(timeout=FETCH_TIMEOUT, follow_redirects=False) as client:
        upstream = await client.get(checked_url)
    return {"url": checked_url, "status": upstream.status_code, "length": len(upstream.content)}
