"""Organisations, memberships and tokens in the admin; membership changes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.tenancy import selectors, services
from bastion.core.tenancy.exceptions import LastOwnerRequired, TenancyConflict
from bastion.core.tenancy.models import ApiToken, Membership, Organization


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def refuse_last_owner_removal(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, leaving: QuerySet[Membership]
) -> bool:
    """Say why, and return True, when removing these memberships would leave an organisation ownerless."""
    emptied = selectors.organizations_left_without_owner(leaving=leaving)
    if emptied:
        model_admin.message_user(
            request,
            f"{LastOwnerRequired.public_message}: nothing was deleted ({', '.join(emptied)} "
            "would have no owner left). Make someone else an owner first.",
            messages.ERROR,
        )
    return bool(emptied)


class RefusesTenancyConflicts(admin.ModelAdmin):
    """Turn a refused change (such as removing the last owner) into a message, with nothing saved."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except TenancyConflict as error:  # the whole save was rolled back with the admin's transaction
            self.message_user(request, f"{error}. Nothing was saved.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(RefusesTenancyConflicts):
    """Tenants and their members; an organisation always keeps at least one owner."""

    list_display = ["slug", "name", "created_at"]
    search_fields = ["slug", "name"]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]

    def save_formset(self, request: HttpRequest, form: ModelForm[Any], formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        organization = form.instance
        formset.save(commit=False)
        changed = [*((m, ["user", "role"]) for m in formset.new_objects), *formset.changed_objects]
        # New owners first, so that handing ownership over in one save never leaves none.
        changed.sort(key=lambda item: item[0].role != Role.OWNER.value)
        for membership, _fields in changed:
            services.set_membership(
                organization=organization,
                user=membership.user,
                role=Role(membership.role),
                actor=_actor(request),
            )
        for membership, fields in formset.changed_objects:
            if "user" in fields:  # the row now names someone else: the previous member leaves
                services.remove_membership(
                    membership=Membership.objects.get(pk=membership.pk), actor=_actor(request)
                )
        for membership in formset.deleted_objects:
            services.remove_membership(membership=membership, actor=_actor(request))


@admin.register(Membership)
class MembershipAdmin(RefusesTenancyConflicts):
    """Who holds which role where; only the role of a membership changes, never the last owner's."""

    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "organization__slug"]
    autocomplete_fields = ["user", "organization"]
    actions = ["delete_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> list[str]:
        return ["organization", "user", "created_at"] if obj is not None else ["created_at"]

    def save_model(self, request: HttpRequest, obj: Membership, form: ModelForm[Any], change: bool) -> None:
        saved = services.set_membership(
            organization=obj.organization, user=obj.user, role=Role(obj.role), actor=_actor(request)
        )
        obj.pk, obj.created_at = saved.pk, saved.created_at
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.remove_membership(membership=obj, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("organization"):
            services.remove_membership(membership=membership, actor=_actor(request))

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        membership = self.get_object(request, unquote(object_id))
        if membership is None:
            return super().delete_view(request, object_id, extra_context)
        back = HttpResponseRedirect(reverse("admin:tenancy_membership_change", args=[membership.pk]))
        if refuse_last_owner_removal(self, request, Membership.objects.filter(pk=membership.pk)):
            return back
        try:
            return super().delete_view(request, object_id, extra_context)
        except LastOwnerRequired as error:  # a concurrent change took the other owner away
            self.message_user(request, f"{error}. Nothing was deleted.", messages.ERROR)
            return back

    @admin.action(permissions=["delete"], description="Delete selected memberships")
    def delete_selected(self, request: HttpRequest, queryset: QuerySet[Membership]) -> HttpResponse | None:
        """Django's delete action, refused when it would leave an organisation without an owner."""
        if refuse_last_owner_removal(self, request, queryset):
            return None
        try:
            with transaction.atomic():
                response: HttpResponse | None = django_delete_selected(self, request, queryset)
        except LastOwnerRequired as error:
            self.message_user(request, f"{error}. Nothing was deleted.", messages.ERROR)
            return None
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are issued with `bastion token create` or the API; here they are seen and revoked."""

    list_display = [
        "prefix",
        "name",
        "user",
        "organization",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["organization"]
    search_fields = ["prefix", "name", "user__email"]
    readonly_fields = ["prefix", "user", "organization", "created_at", "last_used_at"]
    fields = [
        "name",
        "prefix",
        "user",
        "organization",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False
