"""The findings list: the API's filters as a form, sorting, columns, cursor pages, bulk triage, CSV.

Saved views have their own module, ``saved_views``; their controls are on this page."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from bastion.contracts.principal import Principal, Role
from bastion.core.accounts.models import User
from bastion.core.findings import selectors, services
from bastion.core.findings.choices import Status
from bastion.core.findings.exceptions import FindingError
from bastion.core.findings.filtersets import FindingFilter
from bastion.core.tenancy import selectors as tenancy_selectors
from bastion.core.web.findings import listing, saved_views
from bastion.core.web.findings.forms import ACTIONS, BULK_STATUSES, BulkForm
from bastion.core.web.findings.redirects import back_to_list
from bastion.core.web.scope import Scope, scope_of

#: Query parameters that are the page's own, not filters (kept out of the filter set's data).
PAGE_PARAMETERS = ("ordering", "cursor", "columns")


def _members(principal: Principal) -> QuerySet[User]:
    return tenancy_selectors.members_for(principal=principal, at_least=Role.ANALYST).order_by("email")


def _may_triage(principal: Principal) -> bool:
    return bool(principal.organization_ids(at_least=Role.ANALYST))


def _filters(request: HttpRequest, scope: Scope) -> FindingFilter:
    findings = selectors.findings_in_scope(principal=scope.principal, organization_id=scope.organization_id)
    data = request.GET.copy()
    for name in PAGE_PARAMETERS:
        data.pop(name, None)
    return listing.filterset_for(
        data, principal=scope.principal, findings=findings, organization_id=scope.organization_id
    )


def _finding_url(finding_id: int) -> str:
    try:
        return reverse("web:finding", args=[finding_id])
    except NoReverseMatch:
        return f"/findings/{finding_id}/"


def _list_url(query: QueryDict, **changes: str) -> str:
    """Return the list's URL for ``query`` with some parameters set (its own cursor left out)."""
    changed = query.copy()
    changed.pop("cursor", None)
    for name, value in changes.items():
        changed[name] = value
    return f"?{changed.urlencode()}"


def _headers(query: QueryDict, *, columns: list[str], sort: str) -> list[dict[str, Any]]:
    """Return each column's header: its label and, when it sorts, its link and ``aria-sort``."""
    headers = []
    for name in columns:
        header: dict[str, Any] = {
            "name": name,
            "label": listing.COLUMNS[name],
            "url": None,
            "aria_sort": None,
        }
        if name in listing.HEADER_SORTS:
            next_sort, header["aria_sort"] = listing.header_sort(name, sort)
            header["url"] = _list_url(query, ordering=next_sort)
            header["next_label"] = listing.SORT_LABELS[next_sort]
        headers.append(header)
    return headers


@require_GET
@login_required
def findings(request: HttpRequest) -> HttpResponse:
    """List the findings the caller may see, filtered, sorted and a page at a time."""
    scope = scope_of(request)
    filterset = _filters(request, scope)
    sort = listing.sort_of(request.GET.get("ordering"))
    columns = listing.columns_of(request.GET.getlist("columns"))
    page = None
    if filterset.is_valid():
        rows = filterset.qs.select_related("asset", "organization", "assignee")
        page = listing.page_of(rows, sort=sort, cursor=request.GET.get("cursor"), size=listing.PAGE_SIZE)
        if page.is_cursor_refused:
            messages.warning(request, "That page link was changed or is out of date: this is the first page.")
    query = request.GET.copy()
    query.pop("cursor", None)
    filter_query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        filter_query.pop(name, None)
    assert isinstance(request.user, User)
    may_triage = _may_triage(scope.principal)
    return render(
        request,
        "web/findings/list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "sort": sort,
            "sort_label": listing.SORT_LABELS[sort],
            "sorts": listing.SORT_LABELS,
            "columns": [(name, listing.COLUMNS[name]) for name in columns],
            "headers": _headers(query, columns=columns, sort=sort),
            "column_names": columns,
            "column_choices": listing.COLUMNS,
            "page": page,
            "rows": [{"finding": row, "url": _finding_url(row.pk)} for row in page.rows] if page else [],
            "first_url": f"?{query.urlencode()}",
            "next_url": _list_url(query, cursor=page.next_cursor) if page and page.next_cursor else None,
            "previous_url": (
                _list_url(query, cursor=page.previous_cursor) if page and page.previous_cursor else None
            ),
            "export_url": f"{reverse('web:findings-export')}?{urlencode(_export_query(request))}",
            "is_filtered": any(value for _, values in filter_query.lists() for value in values),
            "may_triage": may_triage,
            "bulk_actions": ACTIONS,
            "bulk_statuses": BULK_STATUSES,
            "members": _members(scope.principal) if may_triage else [],
            "current_url": request.get_full_path(),
            **saved_views.list_context(request, user=request.user, scope=scope),
        },
    )


def _export_query(request: HttpRequest) -> list[tuple[str, str]]:
    return [(name, value) for name, values in request.GET.lists() for value in values if name != "cursor"]


class _Echo:
    """A file-like object whose write returns what it was given (csv.writer over a stream)."""

    def write(self, value: str) -> str:
        return value


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    """Stream the findings of the current filter as CSV, every page of them."""
    scope = scope_of(request)
    filterset = _filters(request, scope)
    if not filterset.is_valid():
        return HttpResponse("The filters are not valid.", status=400, content_type="text/plain")
    sort = listing.sort_of(request.GET.get("ordering"))
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        for row in listing.csv_rows(filterset.qs, sort=sort):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="findings.csv"'
    return response


@require_POST
@login_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Apply one triage action to the selected findings through the findings service, all or none."""
    scope = scope_of(request)
    if not _may_triage(scope.principal):
        raise PermissionDenied("Only analysts, admins and owners triage findings.")
    form = BulkForm(request.POST, members=_members(scope.principal))
    if not form.is_valid():
        problems = "; ".join(f"{error}" for errors in form.errors.values() for error in errors)
        messages.error(request, f"Nothing was changed: {problems}")
        return back_to_list(request)
    data: dict[str, Any] = form.cleaned_data
    action = data["action"]
    assert isinstance(request.user, User)
    try:
        result = services.bulk_action(
            principal=scope.principal,
            actor=request.user,
            finding_ids=data["ids"],
            to_status=Status(data["status"]) if action == "transition" else None,
            reason=data["reason"],
            assignee=form.assignee_user() if action == "assign" else None,
            unassign=action == "assign" and form.assignee_user() is None,
            add_tags=data["tags"] if action == "tag" else [],
        )
    except FindingError as error:
        messages.error(request, f"Nothing was changed: {error}.")
        return back_to_list(request)
    noun = "finding" if result.changed == 1 else "findings"
    messages.success(request, f"{result.changed} {noun} changed.")
    return back_to_list(request)
