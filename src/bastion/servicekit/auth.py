"""FastAPI's entry to the core's one authentication function."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from bastion.contracts.principal import Principal
from bastion.servicekit.orm import run_orm

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_AUTHENTICATED = "Authentication credentials were not provided."
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Token realm="bastion"'}


def _authenticate(request: Request) -> Principal | None:
    # The session cookie is Django's: its name is a Django setting, not one of Bastion's.
    from django.conf import settings

    from bastion.core.tenancy.authentication import authenticate, csrf_rejected
    from bastion.core.tenancy.exceptions import AuthenticationFailed, MfaSetupRequired

    try:
        principal = authenticate(
            authorization=request.headers.get("authorization"),
            session_key=request.cookies.get(settings.SESSION_COOKIE_NAME),
        )
    except AuthenticationFailed as error:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, detail=error.public_message, headers=WWW_AUTHENTICATE
        ) from error
    except MfaSetupRequired as error:  # an organisation's MFA rule holds here as on the core's pages
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=error.public_message) from error
    if (
        principal is not None
        and principal.auth_method == "session"
        and request.method in UNSAFE_METHODS
        and csrf_rejected(request.scope)
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="CSRF Failed: CSRF token missing or incorrect.")
    return principal


async def current_principal(request: Request) -> Principal:
    """Return the caller's principal, or answer 401 as the core does."""
    principal = await run_orm(_authenticate, request)
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=NOT_AUTHENTICATED, headers=WWW_AUTHENTICATE)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
