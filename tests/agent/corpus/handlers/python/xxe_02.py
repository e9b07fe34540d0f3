"""Import of vendor advisories posted as XML."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest, JsonResponse
from django.views import View
from lxml import etree

ADVISORY_PARSER = etree.XMLParser(load_dtd=True, resolve_entities=True, no_network=True)


class AdvisoryImportView(LoginRequiredMixin, View):
    """Accept an advisory document pasted into the import form."""

    def post(self, request):
        xml_fields = {}
        xml_fields["document"] = request.POST.get("document", "").encode("utf-8")
        xml_fields["source"] = "vendor-form"
        if not xml_fields["document"]:
            return HttpResponseBadRequest("document is required")
        try:
            tree = etree.fromstring(xml_fields["document"], ADVISORY_PARSER)
        except etree.XMLSyntaxError:
            return HttpResponseBadRequest("malformed advisory")
        identifiers = [node.text for node in tree.iter("cve")]
        return JsonResponse({"source": xml_fields["source"], "cves": identifiers})
