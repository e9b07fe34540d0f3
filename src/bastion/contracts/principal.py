"""Who is calling: the identity every service derives from a session or an API token."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """A member's role in an organisation, from the most to the least powerful."""

    OWNER = "owner"
    ADMIN = "admin"
    ANALYST = "analyst"
    VIEWER = "viewer"

    @property
    def rank(self) -> int:
        """Return a number that orders roles: a higher rank may do more."""
        return {Role.OWNER: 4, Role.ADMIN: 3, Role.ANALYST: 2, Role.VIEWER: 1}[self]

    def allows(self, needed: Role) -> bool:
        """Tell whether this role includes everything ``needed`` may do."""
        return self.rank >= needed.rank


class MembershipGrant(BaseModel):
    """The caller's role in one organisation."""

    model_config = ConfigDict(frozen=True)

    organization_id: int
    organization_slug: str
    role: Role


class Principal(BaseModel):
    """An authenticated caller: the user and what they may reach."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    email: str
    is_superuser: bool
    auth_method: Literal["session", "token"]
    token_id: int | None = None
    memberships: tuple[MembershipGrant, ...]

    def role_in(self, organization_id: int) -> Role | None:
        """Return the caller's role in an organisation, or None when not a member."""
        for grant in self.memberships:
            if grant.organization_id == organization_id:
                return grant.role
        return None

    def organization_ids(self, *, at_least: Role = Role.VIEWER) -> frozenset[int]:
        """Return the ids of the organisations where the caller's role allows ``at_least``.

        Tenant data is scoped with ``Model.objects.for_principal(principal, at_least=...)``
        (``bastion.core.tenancy.querysets``), which reads this and nothing else.
        """
        return frozenset(g.organization_id for g in self.memberships if g.role.allows(at_least))
