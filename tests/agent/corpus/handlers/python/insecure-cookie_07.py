"""Colour theme preference."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

THEMES = ("light", "dark", "high-contrast")
ONE_YEAR_SECONDS = 365 * 86400


@require_POST
def set_theme(request):
    theme = request.POST.get("theme", "light")
    if theme not in THEMES:
        return HttpResponseBadRequest("unknown theme")
    response = JsonResponse({"theme": theme})
    # Read by the page script before first paint to avoid a flash of the wrong theme.
    response.set_cookie("ui_theme", theme, max_age=ONE_YEAR_SECONDS, samesite="Lax")
    return response


def current_theme(request):
    theme = request.COOKIES.get("ui_theme", "light")
    return JsonResponse({"theme": theme if theme in THEMES else "light"})
