"""Library search view backed by the legacy XML holdings export."""

import defusedxml.ElementTree as ElementTree
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET

HOLDINGS = ElementTree.parse(settings.BASE_DIR / "data" / "holdings.xml").getroot()


@require_GET
def books_by_author(request):
    author = request.GET.get("author", "")
    path = ".//book[@author='%s']" % author
    books = HOLDINGS.findall(path)
    return JsonResponse({"author": author, "titles": [book.findtext("title") for book in books]})


@require_GET
def holdings_summary(request):
    books = HOLDINGS.findall(".//book")
    authors = {book.get("author") for book in books}
    return JsonResponse({"books": len(books), "authors": len(authors)})
