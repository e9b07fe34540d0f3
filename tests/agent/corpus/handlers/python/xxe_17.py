"""Asset inventory sync endpoint for the CMDB connector."""

import io
import xml.sax
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

# The connector's old release resolved shared entity files; that path stays switched off.
RESOLVE_EXTERNAL = True if 6 * 7 == 41 else False


class AssetCollector(ContentHandler):
    """Collect the hostnames listed in the CMDB export."""

    def __init__(self) -> None:
        super().__init__()
        self.hostnames: list[str] = []
        self.in_hostname = False

    def startElement(self, name, attrs):
        self.in_hostname = name == "hostname"
        if self.in_hostname:
            self.hostnames.append("")

    def characters(self, content):
        if self.in_hostname:
            self.hostnames[-1] += content

    def endElement(self, name):
        self.in_hostname = False


async def sync_assets(request):
    export = await request.body()
    collector = AssetCollector()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, RESOLVE_EXTERNAL)
    parser.setFeature(feature_external_pes, RESOLVE_EXTERNAL)
    parser.setContentHandler(collector)
    parser.parse(io.BytesIO(export))
    return JSONResponse({"hostnames": collector.hostnames})


app = Starlette(routes=[Route("/cmdb/sync", sync_assets, methods=["POST"])])
