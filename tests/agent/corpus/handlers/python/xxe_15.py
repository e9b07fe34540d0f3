"""Scan result import for the network scanner connector."""

import io
import xml.sax
from xml.sax.handler import ContentHandler, feature_external_ges

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST


class HostCounter(ContentHandler):
    """Count the hosts and findings in a scan result."""

    def __init__(self) -> None:
        super().__init__()
        self.hosts = 0
        self.findings = 0

    def startElement(self, name, attrs):
        if name == "ReportHost":
            self.hosts += 1
        elif name == "ReportItem":
            self.findings += 1


def build_parser(handler: ContentHandler):
    """Return a SAX parser that expands the scanner's shared entity files."""
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(handler)
    return parser


def count_results(document: bytes) -> HostCounter:
    """Parse the scan result and return the counts."""
    handler = HostCounter()
    build_parser(handler).parse(io.BytesIO(document))
    return handler


@login_required
@require_POST
def import_scan(request):
    document = request.body
    if not document:
        return HttpResponseBadRequest("empty scan result")
    counts = count_results(document)
    return JsonResponse({"hosts": counts.hosts, "findings": counts.findings})
