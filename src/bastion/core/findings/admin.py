from django.contrib import admin

from bastion.core.findings.models import (
    Comment,
    Finding,
    FindingAdvisory,
    FindingCwe,
    FindingTransition,
    SlaPolicy,
)
from bastion.core.tenancy.admin_scoping import TenantScopedAdmin


class AdvisoryInline(admin.TabularInline):
    model = FindingAdvisory
    extra = 0


class CweInline(admin.TabularInline):
    model = FindingCwe
    extra = 0


class TransitionInline(admin.TabularInline):
    model = FindingTransition
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "at", "from_status", "to_status", "reason"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Finding)
class FindingAdmin(TenantScopedAdmin):
    """Findings, as the design's admin shows them."""

    list_display = ["title", "severity", "status", "asset", "created_at"]
    list_filter = ["severity", "status", "asset__organization"]
    search_fields = ["title", "description", "advisories__identifier"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "severity_rank",
        "first_seen",
        "last_seen",
        "resolved_at",
    ]
    list_select_related = ["asset"]
    raw_id_fields = ["asset", "engagement"]
    filter_horizontal = ["tags"]
    inlines = [AdvisoryInline, CweInline, TransitionInline]


@admin.register(Comment)
class CommentAdmin(TenantScopedAdmin):
    """Comments on findings."""

    organization_path = "finding__organization_id"
    list_display = ["finding", "author", "created_at"]
    search_fields = ["body"]
    raw_id_fields = ["finding"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(TenantScopedAdmin):
    """SLA policies, one per organisation."""

    list_display = [
        "organization",
        "critical_days",
        "high_days",
        "medium_days",
        "low_days",
        "info_days",
    ]
