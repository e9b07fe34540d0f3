from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from bastion.core.accounts.models import User
from bastion.core.tenancy.admin import refuse_last_owner_removal
from bastion.core.tenancy.models import Membership


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users, looked up by e-mail; the last owner of an organisation cannot be deleted."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["delete_selected"]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        user = self.get_object(request, unquote(object_id))
        if user is not None and refuse_last_owner_removal(
            self, request, Membership.objects.filter(user=user)
        ):
            return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description="Delete selected users")
    def delete_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """Django's delete action, refused when it would leave an organisation without an owner."""
        if refuse_last_owner_removal(self, request, Membership.objects.filter(user__in=queryset)):
            return None
        response: HttpResponse | None = django_delete_selected(self, request, queryset)
        return response
