"""How django-allauth behaves in Bastion: no self-service sign-up, one rule for the client's address."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter  # type: ignore[import-untyped, unused-ignore]
from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc, unused-ignore]
    """Accounts come from an administrator or an invitation: nobody signs up alone."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Refuse every sign-up."""
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """Return the client's address as django-axes counts it, so both throttles agree."""
        address: str | None = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request)
        # A client with no IP address (a Unix socket) still needs a bucket to be counted in.
        return address or str(request.META.get("REMOTE_ADDR") or "unknown")
