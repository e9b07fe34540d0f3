"""Starlette endpoint that answers the legacy asset sync protocol."""

from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PARSER = etree.XMLParser(resolve_entities=True)
REPLY_TEMPLATE = b"<syncReply><asset/><status>queued</status></syncReply>"


async def asset_sync(request: Request) -> Response:
    hostname = request.query_params.get("hostname", "")
    reply = etree.fromstring(REPLY_TEMPLATE, PARSER)
    asset = reply.find("asset")
    # Text content is escaped on serialisation, so the hostname stays character data.
    asset.text = hostname
    return Response(etree.tostring(reply), media_type="application/xml")


app = Starlette(routes=[Route("/legacy/assets/sync", asset_sync, methods=["POST"])])
