from django.contrib import admin

from bastion.core.assets.models import Asset, Tag
from bastion.core.tenancy.admin_scoping import TenantScopedAdmin


@admin.register(Asset)
class AssetAdmin(TenantScopedAdmin):
    """Assets of the organisations the user belongs to."""

    list_display = ["name", "kind", "identifier", "criticality", "environment", "organization"]
    list_filter = ["kind", "environment", "criticality", "is_internet_facing", "organization"]
    search_fields = ["name", "identifier"]
    readonly_fields = ["created_at", "updated_at"]
    filter_horizontal = ["tags"]


@admin.register(Tag)
class TagAdmin(TenantScopedAdmin):
    """Tags of the organisations the user belongs to."""

    list_display = ["name", "organization"]
    list_filter = ["organization"]
    search_fields = ["name"]
