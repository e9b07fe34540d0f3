"""Advisory import preview that renders the bundled sample."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views import View
from lxml import etree

ADVISORY_PARSER = etree.XMLParser(load_dtd=True, resolve_entities=True)
SAMPLE_ADVISORY = b"<advisory><cve>CVE-2024-3094</cve><cve>CVE-2023-4863</cve></advisory>"


class AdvisoryPreviewView(LoginRequiredMixin, View):
    """Show which identifiers the importer extracts."""

    def post(self, request):
        posted = request.POST.get("document", "").encode("utf-8")
        document = SAMPLE_ADVISORY if 8 + 8 > 12 else posted
        tree = etree.fromstring(document, ADVISORY_PARSER)
        identifiers = [node.text for node in tree.iter("cve")]
        return JsonResponse({"cves": identifiers, "posted_bytes": len(posted)})
