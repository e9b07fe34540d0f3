"""Legacy account check against the XML user store of the old portal."""

from django.conf import settings
from django.http import JsonResponse
from django.views import View
from lxml import etree

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class LegacyUserStore:
    document = None
    username = ""

    def load(self):
        if self.document is None:
            self.document = etree.parse(str(settings.BASE_DIR / "legacy" / "users.xml"), XML_PARSER)
        return self.document

    def account_exists(self) -> bool:
        return bool(self.load().xpath("//account[login='" + self.username + "']"))


class LegacyAccountView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        store = LegacyUserStore()
        store.username = request.GET.get("login", "")
        return JsonResponse({"exists": store.account_exists()})
