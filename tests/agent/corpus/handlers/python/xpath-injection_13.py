"""Starlette endpoint listing the feature toggles selected by the deployment."""

import os

from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
TOGGLES = etree.parse(os.environ.get("TOGGLES_PATH", "/etc/app/toggles.xml"), XML_PARSER)
TOGGLE_QUERY = os.environ.get("TOGGLE_QUERY", "//toggle[@enabled='true']/@name")


async def toggles(request: Request) -> JSONResponse:
    client_version = request.query_params.get("client", "")
    names = TOGGLES.xpath(TOGGLE_QUERY)
    return JSONResponse({"client": client_version[:20], "enabled": [str(name) for name in names]})


app = Starlette(routes=[Route("/toggles", toggles)])
