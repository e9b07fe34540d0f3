"""Reads about users."""

from __future__ import annotations

from bastion.contracts.principal import Principal
from bastion.core.accounts.models import User


def user_of(principal: Principal) -> User:
    """Return the user an authenticated caller acts as."""
    return User.objects.get(pk=principal.user_id)
