"""Role policies: every view declares the role each of its actions needs.

A view without a ``permission_policy`` refuses everything (and the URL-walking
tests fail). Objects of organisations the caller does not belong to are not in the
view's queryset, so they answer 404, never 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from bastion.contracts.principal import Principal, Role
from bastion.core.tenancy.models import Organization
from bastion.core.tenancy.querysets import TenantQuerySet

#: The policy value for actions only a superuser may take (creating organisations).
SUPERUSER = "superuser"

Policy = Mapping[str, Role | str]


def action_of(request: Request, view: Any) -> str:
    """Return the DRF action name, or the HTTP method for plain API views."""
    return str(getattr(view, "action", None) or request.method.lower())  # type: ignore[union-attr]


def needed_role(request: Request, view: Any) -> Role | str | None:
    """Return what the view's policy asks for this request, None when it says nothing."""
    policy: Policy | None = getattr(view, "permission_policy", None)
    if policy is None:
        return None
    return policy.get(action_of(request, view))


class RolePolicy(BasePermission):
    """Allow an action when the caller's role in the object's organisation is high enough."""

    message = "Your role in this organisation does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.auth
        needed = needed_role(request, view)
        if not isinstance(principal, Principal) or needed is None:
            return False
        if needed == SUPERUSER:
            return principal.is_superuser
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        if lookup in getattr(view, "kwargs", {}):
            # An object action: the object is looked up in the caller's organisations
            # first (404 elsewhere), then has_object_permission checks the role.
            return True
        if request.method == "GET" or action_of(request, view) in {"list", "retrieve"}:
            needed = Role.VIEWER
        assert isinstance(needed, Role)
        return reachable(Organization, principal, at_least=needed).exists()

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        principal = request.auth
        needed = needed_role(request, view)
        if not isinstance(principal, Principal) or needed is None:
            return False
        if needed == SUPERUSER:
            return principal.is_superuser
        assert isinstance(needed, Role)
        return reachable(type(obj), principal, at_least=needed).filter(pk=obj.pk).exists()


def reachable(
    model: type[models.Model], principal: Principal, *, at_least: Role = Role.VIEWER
) -> TenantQuerySet[Any]:
    """Return a tenant model's rows the caller may reach with at least a role."""
    rows = model._default_manager.all()
    if not isinstance(rows, TenantQuerySet):
        raise TypeError(f"{model.__name__} is not a tenant model (its manager is not a TenantQuerySet)")
    return rows.for_principal(principal, at_least=at_least)
