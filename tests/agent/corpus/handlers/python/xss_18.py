"""Welcome banner endpoint for the municipal library site (Django)."""

from django.http import HttpResponse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

OPENING_HOURS = "Open today 9:00-18:00"


@require_GET
@cache_page(60 * 15)
def welcome_banner(request):
    heading = request.GET.get("heading", "Welcome")
    language = request.GET.get("lang", "en")
    if language == "fr":
        heading = "Bienvenue à la bibliothèque"
    else:
        heading = "Welcome to the library"
    html = "<div class='banner'><h1>%s</h1><p>%s</p></div>" % (heading, OPENING_HOURS)
    response = HttpResponse(html)
    response["Content-Language"] = "fr" if language == "fr" else "en"
    return response
