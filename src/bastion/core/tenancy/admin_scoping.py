"""Admin classes that show a staff user only their own organisations' rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from bastion.contracts.principal import Principal, Role
from bastion.core.accounts.models import User
from bastion.core.tenancy.models import Organization
from bastion.core.tenancy.querysets import TenantQuerySet
from bastion.core.tenancy.selectors import principal_for_session

#: What a staff user needs in an organisation to change its rows in the admin.
MANAGING = Role.ADMIN

_PRINCIPAL = "_bastion_admin_principal"


def principal_of(request: HttpRequest) -> Principal:
    """Return the signed-in user's principal, read once per request (the admin asks many times a page)."""
    principal: Principal | None = getattr(request, _PRINCIPAL, None)
    if principal is None:
        user = request.user
        if not isinstance(user, User):  # not signed in: a principal who reaches nothing
            return Principal(user_id=0, email="", is_superuser=False, auth_method="session", memberships=())
        principal = principal_for_session(user=user)
        setattr(request, _PRINCIPAL, principal)
    return principal


def tenant_rows(rows: QuerySet[Any], request: HttpRequest, *, at_least: Role = Role.VIEWER) -> QuerySet[Any]:
    """Keep the rows the signed-in user may reach (every row for a superuser)."""
    if request.user.is_superuser:
        return rows
    if not isinstance(rows, TenantQuerySet):
        raise TypeError(f"{rows.model.__name__} is not a tenant model (its manager is not a TenantQuerySet)")
    return rows.for_principal(principal_of(request), at_least=at_least)


class TenantScopedAdmin(admin.ModelAdmin):
    """Superusers see every row; other staff see their organisations' and change them as admins."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return tenant_rows(super().get_queryset(request), request)

    def _may_manage(self, request: HttpRequest, obj: models.Model | None) -> bool:
        if request.user.is_superuser:
            return True
        if not request.user.is_staff:
            return False
        if obj is None:
            return tenant_rows(Organization.objects.all(), request, at_least=MANAGING).exists()
        rows = tenant_rows(type(obj)._default_manager.all(), request, at_least=MANAGING)
        return rows.filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        if request.user.is_superuser:
            return True
        return bool(request.user.is_staff and tenant_rows(Organization.objects.all(), request).exists())

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_manage(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may_manage(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_manage(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        rows = db_field.related_model._default_manager.all()
        if not request.user.is_superuser and isinstance(rows, TenantQuerySet):
            kwargs["queryset"] = tenant_rows(rows, request, at_least=MANAGING)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        rows = db_field.related_model._default_manager.all()
        if not request.user.is_superuser and isinstance(rows, TenantQuerySet):
            kwargs["queryset"] = tenant_rows(rows, request, at_least=MANAGING)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
