"""The Content-Security-Policy of the core's responses.

Django's SecurityMiddleware sends no CSP. The web pages load scripts and styles from this origin
only: no inline script, no ``on*`` attribute, no ``javascript:`` URL runs (htmx is configured by a
meta tag, page data travels in ``application/json`` script elements, which never execute). The
admin keeps inline style attributes; the API's Swagger and ReDoc pages carry inline scripts of
their own, so they get the framing rule only (as the scanner's and agent's documentation pages do).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"
STRICT = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ADMIN = STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
FRAMING_ONLY = "frame-ancestors 'none'"
#: Pages whose own templates (third-party) need more than STRICT, by path prefix.
POLICIES_BY_PREFIX = (("/admin/", ADMIN), ("/api/docs/", FRAMING_ONLY), ("/api/redoc/", FRAMING_ONLY))


def policy_for(path: str) -> str:
    """Return the policy a path's responses carry."""
    for prefix, policy in POLICIES_BY_PREFIX:
        if path.startswith(prefix):
            return policy
    return STRICT


def content_security_policy(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """Add the Content-Security-Policy header to every response that has none."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if HEADER not in response:
            response[HEADER] = policy_for(request.path)
        return response

    return middleware
