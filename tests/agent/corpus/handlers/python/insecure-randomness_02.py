"""Starlette route that refreshes the advisory feed with polite retries."""

import asyncio
import random

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

FEED_URL = "https://feeds.bastion.example/advisories/latest.json"
ATTEMPTS = 4


async def refresh_feed(request: Request) -> JSONResponse:
    async with httpx.AsyncClient(timeout=10.0) as client:
        for attempt in range(ATTEMPTS):
            response = await client.get(FEED_URL)
            if response.status_code != 429:
                break
            # Jitter spreads the retries of many workers over time.
            await asyncio.sleep(2**attempt + random.uniform(0, 1))
    return JSONResponse({"status": response.status_code, "items": len(response.json().get("items", []))})


app = Starlette(routes=[Route("/advisories/refresh", refresh_feed, methods=["POST"])])
