from django.contrib import admin

from bastion.core.engagements.models import Engagement
from bastion.core.tenancy.admin_scoping import TenantScopedAdmin


@admin.register(Engagement)
class EngagementAdmin(TenantScopedAdmin):
    """Engagements of the organisations the user belongs to."""

    list_display = ["name", "kind", "status", "asset", "starts_on", "ends_on", "lead"]
    list_filter = ["kind", "status", "organization"]
    search_fields = ["name", "asset__name"]
    readonly_fields = ["created_at", "updated_at"]
