"""Link preview service for comments."""

import re

import httpx
from fastapi import FastAPI, HTTPException, Query

app = FastAPI()
http_client = httpx.AsyncClient(timeout=httpx.Timeout(5.0), follow_redirects=False)

TITLE_PATTERN = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


async def fetch_title(page_url: str) -> str:
    """Return the HTML title of the page, or an empty string."""
    response = await http_client.get(page_url)
    response.raise_for_status()
    match = TITLE_PATTERN.search(response.text[:20000])
    return match.group(1).strip() if match else ""


@app.get("/comments/preview")
async def link_preview(url: str = Query(..., min_length=8, max_length=2048)):
    try:
        title = await fetch_title(url)
    except httpx.HTTPError as error:
        raise HTTPException(status_code=502, detail="preview unavailable") from error
    return {"url": url, "title": title}


@app.on_event("shutdown")
async def close_client() -> None:
    await http_client.aclose()
