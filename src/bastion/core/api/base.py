"""Base classes for tenant-scoped endpoints."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request

from bastion.contracts.principal import Principal, Role
from bastion.core.accounts.models import User
from bastion.core.api.permissions import Policy, RolePolicy, require_role
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


def readable_organization_ids(principal: Principal) -> list[int]:
    """Return every organisation the caller belongs to."""
    return sorted(principal.organization_ids)


class TenantSerializer(serializers.ModelSerializer):
    """A model serializer whose related fields only reach the caller's organisations."""

    #: related field name -> the model field path to the organisation id on that model
    scoped_fields: ClassVar[dict[str, str]] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        principal = request.auth if request is not None else None
        organization_ids = readable_organization_ids(principal) if isinstance(principal, Principal) else []
        for name, path in self.scoped_fields.items():
            field = fields.get(name)
            target: Any = getattr(field, "child_relation", field)
            if target is not None and getattr(target, "queryset", None) is not None:
                target.queryset = target.queryset.filter(**{f"{path}__in": organization_ids}).distinct()
        return fields


def django_errors(error: DjangoValidationError) -> exceptions.ValidationError:
    """Turn a model's validation error into DRF's, field by field."""
    if hasattr(error, "message_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


class TenantViewSet(viewsets.ModelViewSet):
    """A viewset over one organisation-owned model; subclasses declare a policy and a queryset."""

    permission_classes = [RolePolicy]
    permission_policy: ClassVar[Policy]
    #: the model field path to the organisation id of an object
    organization_field: ClassVar[str] = "organization_id"

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

    def organization_id_of(self, obj: models.Model) -> int:
        """Return the organisation an object belongs to."""
        value: Any = obj
        for part in self.organization_field.split("__"):
            value = getattr(value, part)
        return int(value)

    def check_role_in(self, organization: Organization | int, needed: Role) -> None:
        """Refuse with 403 when the caller's role in that organisation is too low."""
        organization_id = organization if isinstance(organization, int) else organization.pk
        if not require_role(self.principal(), organization_id, needed):
            raise exceptions.PermissionDenied(RolePolicy.message)
