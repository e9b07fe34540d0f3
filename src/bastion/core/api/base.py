"""Base classes for tenant-scoped endpoints."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request

from bastion.contracts.principal import Principal, Role
from bastion.core.accounts.models import User
from bastion.core.api.permissions import Policy, RolePolicy, reachable
from bastion.core.tenancy import selectors as tenancy_selectors
from bastion.core.tenancy.models import Organization

#: What schema generation sees as the caller: a principal who reaches no organisation.
SCHEMA_PRINCIPAL = Principal(
    user_id=0,
    email="schema@bastion.invalid",
    is_superuser=False,
    auth_method="token",
    memberships=(),
)


def principal_of(request: Request) -> Principal:
    """Return the authenticated principal of a request."""
    principal = request.auth
    if not isinstance(principal, Principal):
        raise exceptions.NotAuthenticated()
    return principal


class TenantSerializer(serializers.ModelSerializer):
    """A model serializer whose related fields only reach the caller's organisations."""

    #: the related fields to scope: tenant rows, or users (the members of the caller's organisations)
    scoped_fields: ClassVar[tuple[str, ...]] = ()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        principal = request.auth if request is not None else None
        if not isinstance(principal, Principal):
            principal = SCHEMA_PRINCIPAL
        for name in self.scoped_fields:
            field = fields.get(name)
            target: Any = getattr(field, "child_relation", field)
            if target is not None and getattr(target, "queryset", None) is not None:
                target.queryset = _scoped(target.queryset.model, principal)
        return fields


def _scoped(model: type[models.Model], principal: Principal) -> models.QuerySet[Any]:
    if model is User:
        return tenancy_selectors.members_for(principal=principal)
    return reachable(model, principal)


def django_errors(error: DjangoValidationError) -> exceptions.ValidationError:
    """Turn a model's validation error into DRF's, field by field."""
    if hasattr(error, "message_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


class TenantViewSet(viewsets.ModelViewSet):
    """A viewset over one organisation-owned model; subclasses declare a policy and a queryset."""

    permission_classes = [RolePolicy]
    permission_policy: ClassVar[Policy]

    def principal(self) -> Principal:
        """Return the caller (during schema generation, one who reaches nothing)."""
        if getattr(self, "swagger_fake_view", False):
            return SCHEMA_PRINCIPAL
        return principal_of(self.request)

    def actor(self) -> User:
        """Return the calling user, for the audit log."""
        user = self.request.user
        if not isinstance(user, User):
            raise exceptions.NotAuthenticated()
        return user

    def holds_role_in(self, organization: Organization | int, needed: Role) -> bool:
        """Tell whether the caller's role in that organisation allows ``needed``."""
        organization_id = organization if isinstance(organization, int) else organization.pk
        reached = Organization.objects.for_principal(self.principal(), at_least=needed)
        return reached.filter(pk=organization_id).exists()

    def check_role_in(self, organization: Organization | int, needed: Role) -> None:
        """Refuse with 403 when the caller's role in that organisation is too low."""
        if not self.holds_role_in(organization, needed):
            raise exceptions.PermissionDenied(RolePolicy.message)
