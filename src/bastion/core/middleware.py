"""Middleware of the core's own: requests refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, JsonResponse

NUL = "\x00"


def refuse_nul_in_query(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 400 to a query string carrying a NUL byte: no filter, search or admin page can store
    or compare one (PostgreSQL has no NUL in text), so none is given the chance to fail on it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or NUL in query:
            pairs = parse_qsl(query, keep_blank_values=True, errors="replace")
            named = list(dict.fromkeys(name for name, value in pairs if NUL in name or NUL in value))
            if named:
                shown = [name.replace(NUL, "\\x00")[:64] for name in named[:5]]
                names = ", ".join(f"'{name}'" for name in shown)
                return JsonResponse(
                    {"detail": f"query parameters must not contain NUL bytes: {names}"}, status=400
                )
        return get_response(request)

    return middleware
