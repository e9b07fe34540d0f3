from django.contrib import admin
from django.http import HttpRequest

from bastion.core.audit.models import AuditEvent
from bastion.core.tenancy.admin_scoping import TenantScopedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(TenantScopedAdmin):
    """The audit log: read only, for everyone."""

    list_display = [
        "at",
        "actor_email",
        "action",
        "object_type",
        "object_repr",
        "organization_slug",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_email", "object_id"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
