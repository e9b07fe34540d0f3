"""Avatar import endpoint of the aiohttp profile service."""

from dataclasses import dataclass

import aiohttp
from aiohttp import web

FETCH_TIMEOUT = aiohttp.ClientTimeout(total=8)
MAX_AVATAR_BYTES = 512 * 1024


@dataclass
class AvatarImport:
    account_id: int
    source_url: str


def parse_import(payload: dict) -> AvatarImport:
    """Build the import job from the JSON body."""
    return AvatarImport(account_id=int(payload["account_id"]), source_url=str(payload["source_url"]))


async def download_avatar(job: AvatarImport) -> bytes:
    """Download the picture the job points at."""
    async with aiohttp.ClientSession(timeout=FETCH_TIMEOUT) as client:
        async with client.get(job.source_url) as upstream:
            upstream.raise_for_status()
            return await upstream.content.read(MAX_AVATAR_BYTES)


async def import_avatar(request: web.Request) -> web.Response:
    payload = await request.json()
    job = parse_import(payload)
    picture = await download_avatar(job)
    return web.json_response({"account_id": job.account_id, "bytes": len(picture)})


app = web.Application()
app.router.add_post("/profile/avatar/import", import_avatar)
