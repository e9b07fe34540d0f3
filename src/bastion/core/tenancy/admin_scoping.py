"""Admin classes that show a staff user only their own organisations' rows."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from bastion.contracts.principal import Role
from bastion.core.tenancy.models import Membership, Organization

ADMIN_ROLES = (Role.ADMIN.value, Role.OWNER.value)


def member_organization_ids(request: HttpRequest, *, managing: bool = False) -> list[int]:
    """Return the organisations of the signed-in user (only where they are admin or owner)."""
    memberships = Membership.objects.filter(user_id=request.user.pk or 0)
    if managing:
        memberships = memberships.filter(role__in=ADMIN_ROLES)
    return list(memberships.values_list("organization_id", flat=True))


class TenantScopedAdmin(admin.ModelAdmin):
    """Superusers see every row; other staff see their organisations' and change them as admins."""

    #: the path from the model to its organisation's id
    organization_path: ClassVar[str] = "organization_id"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{f"{self.organization_path}__in": member_organization_ids(request)})

    def _organization_id(self, obj: models.Model) -> int:
        value: Any = obj
        for part in self.organization_path.split("__"):
            value = getattr(value, part)
        return int(value)

    def _may_manage(self, request: HttpRequest, obj: models.Model | None) -> bool:
        if request.user.is_superuser:
            return True
        if not request.user.is_staff:
            return False
        managed = member_organization_ids(request, managing=True)
        return bool(managed) if obj is None else self._organization_id(obj) in managed

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or (request.user.is_staff and member_organization_ids(request)))

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_manage(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may_manage(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_manage(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            organizations = member_organization_ids(request, managing=True)
            model = db_field.related_model
            if model is Organization:
                kwargs["queryset"] = Organization.objects.filter(pk__in=organizations)
            elif any(f.name == "organization" for f in model._meta.get_fields()):
                kwargs["queryset"] = model._default_manager.filter(organization_id__in=organizations)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            model = db_field.related_model
            if any(f.name == "organization" for f in model._meta.get_fields()):
                kwargs["queryset"] = model._default_manager.filter(
                    organization_id__in=member_organization_ids(request, managing=True)
                )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
