"""Middleware of the core's own: requests refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, JsonResponse

NUL_IN_QUERY = "query parameters must not contain NUL bytes"


def refuse_nul_in_query(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 400 to a query string carrying a NUL byte: no filter, search or admin page can store
    or compare one (PostgreSQL has no NUL in text), so none is given the chance to fail on it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if query and b"\x00" in unquote_to_bytes(query.replace("+", " ")):
            return JsonResponse({"detail": NUL_IN_QUERY}, status=400)
        return get_response(request)

    return middleware
