"""DRF's entry to the one authentication function."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from bastion.contracts.principal import Principal
from bastion.core.accounts.models import User
from bastion.core.accounts.selectors import user_of
from bastion.core.tenancy import authentication as core_auth
from bastion.core.tenancy.exceptions import AuthenticationFailed, MfaSetupRequired


class BastionAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Describe the API token (and the session cookie) in the OpenAPI schema."""

    target_class = "bastion.core.tenancy.api.authentication.BastionAuthentication"
    name = ["tokenAuth", "cookieAuth"]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, str]]:
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "An API token: `Token <key>` or `Bearer <key>`.",
            },
            {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME},
        ]


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
        except MfaSetupRequired as error:  # the middleware answers first; this keeps DRF alone right
            raise exceptions.PermissionDenied(error.public_message, code=error.code) from error
        if principal is None:
            return None
        if principal.auth_method == "session":
            self._enforce_csrf(request)
        return user_of(principal), principal

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="bastion"'

    def _enforce_csrf(self, request: Request) -> None:
        # A cookie travels with cross-site requests; a token header does not.
        authentication.SessionAuthentication().enforce_csrf(request)
