"""Choosing one asset or engagement among thousands: a select that holds a few, and a search for the rest.

A plain ``<select>`` of every asset renders ten thousand options on each page that offers it.
``SearchSelect`` renders the first ``PICKER_LIMIT`` choices in name order plus the chosen one,
and a search box whose words ask ``/pick/<kind>`` (the caller's own rows, through the same
tenancy rule as everything else) for the matching ones. The field still validates the value
against its whole queryset, so a value typed by hand is held to the same rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.forms import ModelChoiceField, Select
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from bastion.contracts.principal import Role
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.web.scope import scope_of

PICKER_LIMIT = 50
MAX_SEARCH_LENGTH = 100
PICKABLE: dict[str, type[Model]] = {"assets": Asset, "engagements": Engagement}
ROLES = {role.value: role for role in Role}


class SearchSelect(Select):
    """A select of at most PICKER_LIMIT choices (and the chosen one), with a search box for the rest."""

    template_name = "web/components/search_select.html"

    def __init__(
        self,
        *,
        kind: str,
        at_least: Role = Role.VIEWER,
        with_organization: bool = False,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.at_least = at_least
        self.with_organization = with_organization

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        query = f"at_least={self.at_least.value}" + ("&label=organization" if self.with_organization else "")
        context["widget"]["search_url"] = f"{reverse('web:pick', args=[self.kind])}?{query}"
        return context

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        iterator = self.choices
        if not isinstance(iterator, ModelChoiceIterator):
            return super().optgroups(name, value, attrs)
        queryset = iterator.queryset
        shown = list(queryset[:PICKER_LIMIT])
        chosen = [str(v) for v in value if str(v).isdigit() and len(str(v)) <= 18]
        missing = set(chosen) - {str(row.pk) for row in shown}
        if missing:
            shown += list(queryset.filter(pk__in=missing))
        field: ModelChoiceField = iterator.field
        choices: list[Any] = [] if field.empty_label is None else [("", field.empty_label)]
        self.choices = [*choices, *(iterator.choice(row) for row in shown)]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = iterator


def labelled_with_organization(row: Any) -> str:
    """Label a row with its organisation: the same name may exist in two of the caller's."""
    return f"{row} ({row.organization.slug})"


def pickable(*, request: HttpRequest, kind: str, at_least: Role) -> QuerySet[Any]:
    """Return the rows of ``kind`` the caller may choose, in the organisation the pages show."""
    scope = scope_of(request)
    manager: Any = PICKABLE[kind]._default_manager  # a TenantQuerySet manager, as every tenant model's
    rows: QuerySet[Any] = manager.for_principal(scope.principal, at_least=at_least)
    if scope.organization_id is not None:
        rows = rows.filter(organization_id=scope.organization_id)
    return rows.order_by("name", "id")


@require_GET
@login_required
def pick(request: HttpRequest, kind: str) -> HttpResponse:
    """Answer the options whose name holds the words typed (the first PICKER_LIMIT, by name)."""
    words = request.GET.get("q", "").strip()
    role = ROLES.get(request.GET.get("at_least", Role.VIEWER.value))
    if kind not in PICKABLE or role is None:
        return HttpResponse("Unknown kind of choice.", status=404, content_type="text/plain")
    if len(words) > MAX_SEARCH_LENGTH:
        return HttpResponseBadRequest(
            f"Search words longer than {MAX_SEARCH_LENGTH} characters.", content_type="text/plain"
        )
    rows = pickable(request=request, kind=kind, at_least=role).select_related("organization")
    if words:
        rows = rows.filter(name__icontains=words)
    label = labelled_with_organization if request.GET.get("label") == "organization" else str
    options = [(row.pk, label(row)) for row in rows[:PICKER_LIMIT]]
    return render(request, "web/components/picker_options.html", {"options": options})
