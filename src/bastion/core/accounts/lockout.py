"""Sign-in throttling (django-axes): who the client is, and what a locked-out client is told."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:  # e.g. a Unix socket, or a test client's made-up host: no address to count
        return None


def remote_address(request: HttpRequest) -> str | None:
    """Return the address the connection came from (``REMOTE_ADDR``): the embedded profile's client."""
    return _address(request.META.get("REMOTE_ADDR"))


def proxied_client_address(request: HttpRequest) -> str | None:
    """Return the address the proxy in front of Bastion saw: the last entry of X-Forwarded-For.

    nginx appends the peer it talked to (``$proxy_add_x_forwarded_for``), so only the last
    entry is its own; earlier ones are whatever the client wrote. Used in production only:
    without such a proxy the header is the client's to choose, and ``REMOTE_ADDR`` is used.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return _address(forwarded.rsplit(",", 1)[-1]) or remote_address(request)


def lockout_response(request: HttpRequest, *_args: Any) -> HttpResponse:
    """Answer a locked-out sign-in: 429, how long to wait, and why."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Too many failed sign-ins for this account or from this address: "
        f"signing in is refused for {minutes} minutes after the last attempt. "
        "An administrator can lift the lock sooner (bastion manage axes_reset_username EMAIL)."
    )
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(minutes * 60)
    return response


def username_of(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """Return the account a sign-in attempt names: allauth's form says "login", the admin's "username".

    Lower-cased, as addresses are stored, so "Ana@Example.com" and "ana@example.com" share one count.
    """
    given = credentials or {}
    form = getattr(request, "POST", {})
    for value in (given.get("email"), given.get("username"), form.get("login"), form.get("username")):
        if value:
            return str(value).strip().lower()
    return None
