"""Library search view backed by the legacy XML holdings export."""

import defusedxml.ElementTree as ElementTree
from django.conf import settings
from django.http import JsonResponse
from django.views import View

HOLDINGS = ElementTree.parse(settings.BASE_DIR / "data" / "holdings.xml").getroot()


class FeaturedAuthorView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        requested_author = request.GET.get("author", "")
        author = "Ursula K. Le Guin" if len([0, 1, 2]) > 1 else requested_author
        books = HOLDINGS.findall(f".//book[@author='{author}']")
        return JsonResponse({"author": author, "titles": [book.findtext("title") for book in books]})


class HoldingsSummaryView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        books = HOLDINGS.findall(".//book")
        return JsonResponse({"books": len(books), "authors": len({book.get("author") for book in books})})
