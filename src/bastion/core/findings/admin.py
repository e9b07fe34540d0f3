"""Findings in the admin: descriptive fields are edited, the status moves only by the workflow.

Every save, deletion and status change goes through ``findings.services`` (the API's own),
so each leaves an audit event; what the workflow, the import or the SLA computes is read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from bastion.core.accounts.models import User
from bastion.core.audit import services as audit
from bastion.core.audit.models import AuditAction
from bastion.core.findings import services
from bastion.core.findings.choices import Status
from bastion.core.findings.exceptions import FindingError
from bastion.core.findings.models import (
    Comment,
    Finding,
    FindingAdvisory,
    FindingCwe,
    FindingTransition,
    SlaPolicy,
)
from bastion.core.tenancy import selectors as tenancy_selectors
from bastion.core.tenancy.admin_scoping import MANAGING, TenantScopedAdmin, principal_of

#: Set by the workflow, the import pipeline or the SLA policy, never typed in.
COMPUTED_FIELDS = [
    "organization",
    "status",
    "fingerprint",
    "severity_rank",
    "cvss_v3_score",
    "cvss_v4_score",
    "first_seen",
    "last_seen",
    "resolved_at",
    "sla_due_on",
    "risk_accepted_until",
    "risk_justification",
    "risk_approved_by",
    "content_hash",
    "last_import_id",
    "created_at",
    "updated_at",
]


class FindingPartInline(admin.TabularInline):
    """Rows of a finding (advisories, CWEs): whoever may change the finding may change them."""

    extra = 0

    def _finding_admin(self) -> admin.ModelAdmin[Finding]:
        return self.admin_site._registry[Finding]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._finding_admin().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._finding_admin().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._finding_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._finding_admin().has_change_permission(request, obj)


class AdvisoryInline(FindingPartInline):
    model = FindingAdvisory


class CweInline(FindingPartInline):
    model = FindingCwe


class TransitionInline(FindingPartInline):
    """The status history: seen here, written only by the workflow."""

    model = FindingTransition
    can_delete = False
    readonly_fields = ["actor", "at", "from_status", "to_status", "reason"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FindingAdminForm(forms.ModelForm):
    """The change form; a new finding takes its organisation from its asset, as the API does."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        asset = cleaned.get("asset")
        if self.instance._state.adding and asset is not None:
            self.instance.organization = asset.organization
        return cleaned


class TransitionForm(forms.Form):
    """Where the selected findings go, and why; accepting a risk also needs who approved, until when."""

    to_status = forms.ChoiceField(choices=Status.choices, label="New status")
    reason = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with each move; left empty, it says who changed it in the admin.",
    )
    justification = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Accepting a risk: why it is acceptable.",
    )
    approver = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="Accepting a risk: an admin or owner of the findings' organisation.",
    )
    expires_on = forms.DateField(
        required=False, widget=AdminDateWidget, help_text="Accepting a risk: the day it ends."
    )

    def __init__(self, *args: Any, approvers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers  # type: ignore[attr-defined]


@admin.register(Finding)
class FindingAdmin(TenantScopedAdmin):
    """Findings, as the design's admin shows them; the status changes by the "Change status" action."""

    list_display = ["title", "severity", "status", "asset", "created_at"]
    list_filter = ["severity", "status", "asset__organization"]
    search_fields = ["title", "description", "advisories__identifier"]
    readonly_fields = COMPUTED_FIELDS
    list_select_related = ["asset"]
    raw_id_fields = ["asset", "engagement"]
    filter_horizontal = ["tags"]
    inlines = [AdvisoryInline, CweInline, TransitionInline]
    actions = ["change_status"]
    form = FindingAdminForm

    def get_readonly_fields(self, request: HttpRequest, obj: Finding | None = None) -> list[str]:
        # A finding stays on its asset: the pair (asset, fingerprint) is what imports match on.
        return [*COMPUTED_FIELDS, "asset"] if obj is not None else COMPUTED_FIELDS

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "assignee" and not request.user.is_superuser:
            kwargs["queryset"] = tenancy_selectors.members_for(
                principal=principal_of(request), at_least=MANAGING
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # saving, through the services

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (FindingError, ValidationError) as error:  # the admin's transaction has rolled back
            problem = "; ".join(getattr(error, "messages", [str(error)]))
            self.message_user(request, f"Nothing was saved: {problem}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(
        self, request: HttpRequest, obj: Finding, form: forms.ModelForm[Any], change: bool
    ) -> None:
        actor = _actor(request)
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in form.changed_data or not change
            if not Finding._meta.get_field(name).many_to_many
        }
        if change and not fields:  # only tags or inline rows changed: save_related records them
            return
        if change:
            saved = services.update_finding(
                actor=actor,
                finding=Finding.objects.select_related("asset", "organization").get(pk=obj.pk),
                **fields,
            )
        else:
            saved = services.create_finding(
                actor=actor,
                organization=fields["asset"].organization,
                fingerprint=services.manual_fingerprint(fields),
                **fields,
            )
        # The admin goes on with its own instance (tags, inlines, the change message): make it the saved row.
        for field in Finding._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        finding: Finding = form.instance
        before = _related(finding) if change else {"advisory_ids": [], "cwe_ids": [], "tags": []}
        super().save_related(request, form, formsets, change)
        changes = audit.diff(before, _related(finding))
        if changes:  # tags, advisories and CWEs live in other tables: the finding's event names them
            audit.record(
                actor=_actor(request),
                organization=finding.organization,
                action=AuditAction.UPDATE,
                instance=finding,
                changes=changes,
            )

    def delete_model(self, request: HttpRequest, obj: Finding) -> None:
        services.delete_finding(actor=_actor(request), finding=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Finding]) -> None:
        with transaction.atomic():
            for finding in queryset.select_related("organization"):
                services.delete_finding(actor=_actor(request), finding=finding)

    # the workflow

    @admin.action(permissions=["change"], description="Change status of selected findings (workflow)…")
    def change_status(self, request: HttpRequest, queryset: QuerySet[Finding]) -> HttpResponse | None:
        """Move the selected findings through the workflow, after a page that asks where to and why."""
        if not all(self.has_change_permission(request, finding) for finding in queryset):
            self.message_user(
                request, "You may change only your own organisations' findings.", messages.ERROR
            )
            return None
        organizations = set(queryset.values_list("organization_id", flat=True))
        approvers = User.objects.filter(
            memberships__organization_id__in=organizations,
            memberships__role__in=services.RISK_APPROVER_ROLES,
        ).distinct()
        applying = "apply" in request.POST
        actor = _actor(request)
        form = TransitionForm(
            request.POST if applying else None,
            approvers=approvers,
            initial={"approver": actor.pk if actor and approvers.filter(pk=actor.pk).exists() else None},
        )
        if applying and form.is_valid():
            try:
                moved = _move(request, queryset, form.cleaned_data)
            except FindingError as error:
                form.add_error(None, f"Nothing was changed: {error}")
            else:
                self.message_user(
                    request,
                    f"{moved} finding(s) moved to {Status(form.cleaned_data['to_status']).label}.",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Change the status of findings",
            "opts": self.opts,
            "form": form,
            "findings": queryset.select_related("asset"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/findings/finding/change_status.html", context)


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _related(finding: Finding) -> dict[str, list[Any]]:
    return {
        "advisory_ids": sorted(finding.advisories.values_list("identifier", flat=True)),
        "cwe_ids": sorted(finding.cwes.values_list("cwe_id", flat=True)),
        "tags": sorted(finding.tags.values_list("name", flat=True)),
    }


def _move(request: HttpRequest, queryset: QuerySet[Finding], data: dict[str, Any]) -> int:
    """Transition every finding, all or none, each recorded by the service in the audit log."""
    actor = _actor(request)
    to_status = Status(data["to_status"])
    reason = data["reason"].strip() or f"changed in the admin by {request.user}"
    acceptance = (
        services.RiskAcceptance(
            justification=data["justification"], approver=data["approver"], expires_on=data["expires_on"]
        )
        if to_status == Status.RISK_ACCEPTED
        else None
    )
    with transaction.atomic():
        selected = Finding.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        findings = list(selected.select_related("organization", "asset").select_for_update(of=("self",)))
        for finding in findings:
            try:
                services.transition(
                    actor=actor, finding=finding, to_status=to_status, reason=reason, acceptance=acceptance
                )
            except FindingError as error:
                raise type(error)(f"{finding} (#{finding.pk}): {error}") from error
    return len(findings)


@admin.register(Comment)
class CommentAdmin(TenantScopedAdmin):
    """Comments on findings."""

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
