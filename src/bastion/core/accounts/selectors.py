"""Reads about users."""

from __future__ import annotations

from allauth.mfa.models import Authenticator  # type: ignore[import-untyped, unused-ignore]

from bastion.contracts.principal import Principal
from bastion.core.accounts.models import User
from bastion.core.tenancy.models import Organization


def user_of(principal: Principal) -> User:
    """Return the user an authenticated caller acts as."""
    return User.objects.get(pk=principal.user_id)


def organizations_requiring_mfa_setup(*, user: User) -> list[str]:
    """Return the names of the user's organisations that require MFA, if the user has no authenticator.

    An empty list means the user may go on: no organisation asks, or an authenticator is set up
    (recovery codes alone do not count: they come with one).
    """
    names = list(
        Organization.objects.filter(memberships__user=user, requires_mfa=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if not names:
        return []
    has_authenticator = Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
    return [] if has_authenticator else names
