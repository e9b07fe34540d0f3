"""Nessus-style host inventory upload, streamed with SAX."""

import xml.sax
from xml.sax.handler import feature_external_ges

from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST


class HostCollector(xml.sax.ContentHandler):
    """Collect the name attribute of every ReportHost element."""

    def __init__(self) -> None:
        super().__init__()
        self.hosts = []

    def startElement(self, name, attrs):
        if name == "ReportHost":
            self.hosts.append(attrs.get("name", ""))


def collect_hosts(stream):
    """Return the host names found in the inventory stream."""
    collector = HostCollector()
    parser = xml.sax.make_parser()
    # Inventories written by the old exporter reference a shared entity file.
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(collector)
    parser.parse(stream)
    return collector.hosts


@require_POST
def upload_inventory(request):
    upload = request.FILES.get("inventory")
    if upload is None:
        return HttpResponseBadRequest("inventory file is required")
    return JsonResponse({"hosts": collect_hosts(upload)})
