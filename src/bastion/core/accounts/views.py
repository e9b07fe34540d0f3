"""The admin's sign-in page hands over to allauth's, so the admin has the same sign-in (and MFA)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponseRedirect:
    """Send a visitor to allauth's sign-in page, and a signed-in staff member on to the admin.

    The admin's own form never runs: a password posted to it is not checked (it would skip MFA).
    """
    target = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    target = target or reverse("admin:index")
    if not request.user.is_authenticated:
        return HttpResponseRedirect(
            f"{resolve_url('account_login')}?{urlencode({REDIRECT_FIELD_NAME: target})}"
        )
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied("this account may not use the admin site")
    return HttpResponseRedirect(target)
