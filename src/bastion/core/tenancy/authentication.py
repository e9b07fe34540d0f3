"""The one authentication function every service calls.

A request carries either ``Authorization: Token <key>`` (or ``Bearer <key>``) or a
Django session cookie. Both end in the same :class:`Principal`; a key that is
wrong, revoked or expired fails the same way everywhere.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from io import BytesIO
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.backends.base import SessionBase
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string

from bastion.contracts.principal import Principal
from bastion.core.accounts.models import User
from bastion.core.accounts.selectors import organizations_requiring_mfa_setup
from bastion.core.tenancy import selectors, services
from bastion.core.tenancy.exceptions import AuthenticationFailed, MfaSetupRequired
from bastion.core.tenancy.models import ApiToken

AUTHORIZATION_SCHEMES = frozenset({"token", "bearer"})


def parse_authorization(header: str | None) -> str | None:
    """Return the key of a Token or Bearer header, None when no such header was sent."""
    if not header:
        return None
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() not in AUTHORIZATION_SCHEMES:
        return None
    key = key.strip()
    if not key or " " in key:
        raise AuthenticationFailed()
    return key


def authenticate_key(key: str) -> Principal:
    """Return the principal of an API token key, or raise AuthenticationFailed."""
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(digest=services.digest_key(key))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        raise AuthenticationFailed()
    principal = selectors.principal_for_token(token=token)
    if not principal.memberships:  # the user has left the organisation since
        raise AuthenticationFailed()
    services.record_token_use(token=token)
    return principal


def session_user(session_key: str | None) -> User | None:
    """Return the active user a session cookie belongs to, or None."""
    if not session_key:
        return None
    store: SessionBase = import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key)
    user = get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
    if isinstance(user, User) and user.is_active:
        return user
    return None


def authenticate(*, authorization: str | None, session_key: str | None) -> Principal | None:
    """Return the caller's principal; None when no credentials were sent at all.

    A token, when present, wins over a session cookie, and a bad token is never
    rescued by a valid cookie. A session of a member of an organisation that requires MFA, who
    has no authenticator yet, raises MfaSetupRequired: every service refuses it as the core's
    pages do (accounts/middleware.py).
    """
    key = parse_authorization(authorization)
    if key is not None:
        return authenticate_key(key)
    user = session_user(session_key)
    if user is None:
        return None
    organizations = organizations_requiring_mfa_setup(user=user)
    if organizations:
        raise MfaSetupRequired(organizations)
    return selectors.principal_for_session(user=user)


def csrf_rejected(scope: MutableMapping[str, Any]) -> bool:
    """Tell whether a cookie-authenticated ASGI request fails Django's CSRF check.

    The scanner and the agent accept the core's session cookie, so their unsafe
    methods need the same protection the core gives its own forms.
    """
    request = ASGIRequest(scope, BytesIO())
    middleware = CsrfViewMiddleware(lambda _request: HttpResponse())
    return middleware.process_view(request, lambda _request: HttpResponse(), (), {}) is not None
