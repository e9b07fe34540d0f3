"""Which organisations a page shows: the one chosen in the switcher, or all of the user's.

The choice is kept in the session as an organisation's slug (or ``ALL``); a slug the user no
longer belongs to counts as ``ALL``, so a stale session never reaches another tenant's data
(every read is still scoped by ``for_principal``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from bastion.contracts.principal import MembershipGrant, Principal
from bastion.core.accounts.models import User
from bastion.core.tenancy.selectors import principal_for_session

SESSION_KEY = "web.organization"
ALL = "all"


@dataclass(frozen=True)
class Scope:
    """The signed-in caller and the organisation the pages show (None: all of theirs)."""

    principal: Principal
    organization: MembershipGrant | None

    @property
    def organization_id(self) -> int | None:
        return None if self.organization is None else self.organization.organization_id

    @property
    def choices(self) -> tuple[MembershipGrant, ...]:
        return self.principal.memberships


def principal_of(request: HttpRequest) -> Principal:
    """Return the signed-in user's principal, computed once per request."""
    principal: Principal | None = getattr(request, "_bastion_principal", None)
    if principal is None:
        assert isinstance(request.user, User)
        principal = principal_for_session(user=request.user)
        request._bastion_principal = principal  # type: ignore[attr-defined]
    return principal


def scope_of(request: HttpRequest) -> Scope:
    """Return the caller and the organisation chosen in the switcher."""
    principal = principal_of(request)
    chosen = request.session.get(SESSION_KEY, ALL)
    grant = next((g for g in principal.memberships if g.organization_slug == chosen), None)
    return Scope(principal=principal, organization=grant)


def choose(request: HttpRequest, slug: str) -> bool:
    """Remember the organisation to show; refuse (False) a slug the caller does not belong to."""
    principal = principal_of(request)
    if slug != ALL and all(g.organization_slug != slug for g in principal.memberships):
        return False
    request.session[SESSION_KEY] = slug
    return True
