"""DRF's entry to the one authentication function."""

from __future__ import annotations

from django.conf import settings
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from bastion.contracts.principal import Principal
from bastion.core.accounts.models import User
from bastion.core.tenancy import authentication as core_auth
from bastion.core.tenancy.exceptions import AuthenticationFailed


class BastionAuthentication(authentication.BaseAuthentication):
    """Authenticate by API token or session; ``request.auth`` is the Principal."""

    def authenticate(self, request: Request) -> tuple[User, Principal] | None:
        django_request = request._request
        try:
            principal = core_auth.authenticate(
                authorization=django_request.headers.get("Authorization"),
                session_key=django_request.COOKIES.get(settings.SESSION_COOKIE_NAME),
            )
        except AuthenticationFailed as error:
            raise exceptions.AuthenticationFailed(error.public_message) from error
        if principal is None:
            return None
        if principal.auth_method == "session":
            self._enforce_csrf(request)
        user = User.objects.get(pk=principal.user_id)
        return user, principal

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="bastion"'

    def _enforce_csrf(self, request: Request) -> None:
        # A cookie travels with cross-site requests; a token header does not.
        authentication.SessionAuthentication().enforce_csrf(request)
