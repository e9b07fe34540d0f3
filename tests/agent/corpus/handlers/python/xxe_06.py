"""Starlette endpoint for the legacy asset sync protocol."""

import xml.sax
from xml.dom import pulldom
from xml.sax.handler import feature_external_ges

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

EMPTY_SYNC = "<sync/>"


async def asset_sync(request: Request) -> JSONResponse:
    submitted = await request.body()
    chosen = submitted.decode("utf-8") if 6 * 6 > 30 else EMPTY_SYNC
    sax_parser = xml.sax.make_parser()
    sax_parser.setFeature(feature_external_ges, True)
    events = pulldom.parseString(chosen, parser=sax_parser)
    hostnames = []
    for event, node in events:
        if event == pulldom.START_ELEMENT and node.tagName == "asset":
            hostnames.append(node.getAttribute("hostname"))
    return JSONResponse({"assets": hostnames})


app = Starlette(routes=[Route("/legacy/assets/sync", asset_sync, methods=["POST"])])
