"""Test data, made through the same services the product uses."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.tenancy import services
from bastion.core.tenancy.models import Organization

_numbers = count(1)


def organization(slug: str | None = None) -> Organization:
    """Create an organisation with a unique slug."""
    return services.create_organization(slug=slug or f"org-{next(_numbers)}")


def member(org: Organization, role: Role = Role.ANALYST, email: str | None = None) -> User:
    """Create a user with a role in an organisation."""
    user = User.objects.create_user(
        email or f"user{next(_numbers)}@example.com", "a long test password"
    )
    services.set_membership(organization=org, user=user, role=role)
    return user


def token_key(user: User, org: Organization, expires_in: timedelta | None = None) -> str:
    """Issue a token and return its key."""
    return services.create_token(user=user, organization=org, expires_in=expires_in).key
