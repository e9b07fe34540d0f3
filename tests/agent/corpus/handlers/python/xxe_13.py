"""Nessus-style host inventory upload, streamed with SAX."""

import xml.sax
from xml.sax.handler import feature_external_ges, feature_external_pes

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


@require_POST
def upload_inventory(request):
    upload = request.FILES.get("inventory")
    if upload is None:
        return HttpResponseBadRequest("inventory file is required")
    collector = HostCollector()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(collector)
    parser.parse(upload)
    return JsonResponse({"hosts": collector.hosts})
