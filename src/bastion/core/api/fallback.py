"""What a path under /api/ that no endpoint matches answers: never the site's HTML page.

A path that differs from an endpoint's only by a trailing slash (``/api/v1/findings/``,
``/api/v1/findings/3/``) is redirected there with 308, so the client repeats its method and
body; any other answers a JSON 404. The REST API's URLs (/api/v1/) end with this view; for the
rest of /api/ the site's URLs route ``re_path(r"^api/", fallback.answer)`` here, before the web
application's pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseRedirectBase
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path
from django.views.decorators.csrf import csrf_exempt

NOT_FOUND = {"detail": "No API endpoint at this path; the paths are listed in /api/schema/."}


class PermanentRedirect(HttpResponseRedirectBase):
    """308: moved for good, and unlike 301 the client repeats the same method and body."""

    status_code = 308


def _twin(request: HttpRequest) -> str | None:
    """Return the path with the trailing slash taken away (or added) when an endpoint answers it."""
    path = request.path_info
    candidate = path[:-1] if path.endswith("/") else f"{path}/"
    try:
        match = resolve(candidate, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return None if match.func is answer else candidate


# Exempt from CSRF and sign-in: it changes and shows nothing, and either refusal would answer
# with an HTML page; the endpoint a redirect leads to checks both itself.
@csrf_exempt
@login_not_required
def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Redirect to the endpoint the path almost names (308), or answer a JSON 404."""
    twin = _twin(request)
    if twin is None:
        return JsonResponse(NOT_FOUND, status=404)
    location = escape_uri_path(request.META.get("SCRIPT_NAME", "").rstrip("/") + twin)
    if request.META.get("QUERY_STRING"):
        location += "?" + request.META["QUERY_STRING"]
    return PermanentRedirect(location)
