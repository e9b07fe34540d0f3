"""The findings list's query: the API's filters, a sort, columns and keyset (cursor) pages.

The filters are the API's ``FindingFilter`` itself, so ``/findings/?<query>`` shows the rows
``/api/v1/findings?<query>`` returns. Pages are keyset pages: the cursor holds the last row's sort
value and id, so a page costs one indexed range scan and never a ``COUNT(*)``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import F, Field, Q, QuerySet

from bastion.contracts.principal import Principal
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.findings.filtersets import FindingFilter
from bastion.core.findings.models import Finding
from bastion.core.tenancy import selectors as tenancy_selectors

PAGE_SIZE = 50

#: Sorts by public name (the API's ``ordering`` names) and the column each uses.
SORTS = {
    "severity": "severity_rank",
    "first_seen": "first_seen",
    "last_seen": "last_seen",
    "sla_due_on": "sla_due_on",
    "updated_at": "updated_at",
    "id": "id",
}
SORT_LABELS = {
    "-severity": "Severity, worst first",
    "severity": "Severity, least first",
    "-first_seen": "First seen, newest first",
    "first_seen": "First seen, oldest first",
    "-last_seen": "Last seen, newest first",
    "sla_due_on": "SLA due, soonest first",
    "-updated_at": "Updated, latest first",
    "-id": "Recorded, newest first",
}
DEFAULT_SORT = "-id"
#: Columns a user may show (the title is always shown), in table order.
COLUMNS = {
    "severity": "Severity",
    "status": "Status",
    "asset": "Asset",
    "organization": "Organisation",
    "tool": "Tool",
    "assignee": "Assignee",
    "first_seen": "First seen",
    "last_seen": "Last seen",
    "sla_due_on": "SLA due",
}
DEFAULT_COLUMNS = ["severity", "status", "asset", "tool", "assignee", "first_seen", "sla_due_on"]
MULTIPLE_CHOICE_FILTERS = ("severity", "status", "asset_kind")


def filterset_for(
    data: Any, *, principal: Principal, findings: QuerySet[Finding], organization_id: int | None
) -> FindingFilter:
    """Return the API's filter set over ``findings``, its choices limited to what the caller sees."""
    filterset = FindingFilter(data, queryset=findings)
    fields = filterset.form.fields
    assets = Asset.objects.for_principal(principal)
    engagements = Engagement.objects.for_principal(principal)
    if organization_id is not None:
        assets = assets.in_organization(organization_id)
        engagements = engagements.in_organization(organization_id)
    members = tenancy_selectors.members_for(principal=principal).order_by("email")
    choosable: dict[str, QuerySet[Any]] = {
        "asset": assets.order_by("name", "id"),
        "engagement": engagements.order_by("name", "id"),
        "assignee": members,
    }
    for name, queryset in choosable.items():
        model_field = fields[name]
        assert isinstance(model_field, forms.ModelChoiceField)
        model_field.queryset = queryset
    for name in MULTIPLE_CHOICE_FILTERS:
        widget = fields[name].widget
        assert isinstance(widget, forms.SelectMultiple)
        fields[name].widget = forms.CheckboxSelectMultiple(choices=widget.choices)
    fields["sla_breached"].widget = forms.Select(
        choices=[("", "Either"), ("true", "Past their SLA"), ("false", "Within their SLA")]
    )
    fields["q"].label = "Search"
    fields["q"].help_text = "Words of the title or description, or an id: CVE-2024-1234, CWE-79, a rule id"
    for name in ("first_seen_after", "first_seen_before", "last_seen_after", "last_seen_before"):
        fields[name].help_text = "ISO 8601 in UTC, e.g. 2025-01-31T00:00:00Z"
    return filterset


def sort_of(value: str | None) -> str:
    """Return a known sort (``-`` for descending), the default for anything else."""
    if value and value.lstrip("-") in SORTS and value.count("-") <= 1:
        return value
    return DEFAULT_SORT


def columns_of(values: list[str]) -> list[str]:
    """Return the chosen known columns in table order, the default set when none is chosen."""
    chosen = [name for name in COLUMNS if name in values]
    return chosen or list(DEFAULT_COLUMNS)


def ordered(findings: QuerySet[Finding], sort: str) -> QuerySet[Finding]:
    """Order by the sort and then by id in the same direction (no SLA date sorts last)."""
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    key = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    tie = "-id" if descending else "id"
    return findings.order_by(key, tie) if column != "id" else findings.order_by(tie)


def _encode(value: Any, finding_id: int) -> str:
    raw = json.dumps([None if value is None else str(value), finding_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, column: str) -> tuple[Any, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, finding_id = json.loads(raw)
        if not isinstance(finding_id, int) or not (value is None or isinstance(value, str)):
            return None
        field = Finding._meta.get_field(column)
        assert isinstance(field, Field)
        parsed = None if value is None else field.to_python(value)
    except (ValueError, TypeError, binascii.Error, forms.ValidationError):
        return None
    return parsed, finding_id


def _after(sort: str, value: Any, finding_id: int) -> Q:
    """Return the condition for the rows after (value, id) in the sort's order (nulls last)."""
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    beyond = "lt" if descending else "gt"
    if column == "id":
        return Q(**{f"id__{beyond}": finding_id})
    if value is None:
        return Q(**{f"{column}__isnull": True, f"id__{beyond}": finding_id})
    return (
        Q(**{f"{column}__{beyond}": value})
        | Q(**{column: value, f"id__{beyond}": finding_id})
        | Q(**{f"{column}__isnull": True})
    )


@dataclass(frozen=True)
class Page:
    """One page of findings and the cursor of the next (None on the last page)."""

    rows: list[Finding]
    next_cursor: str | None
    is_first: bool


def page_of(findings: QuerySet[Finding], *, sort: str, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """Return the page after ``cursor`` (the first when None or unreadable), one row more read to know if
    there is a next."""
    column = SORTS[sort.lstrip("-")]
    position = _decode(cursor, column) if cursor else None
    rows = ordered(findings, sort)
    if position is not None:
        rows = rows.filter(_after(sort, *position))
    found = list(rows[: size + 1])
    last = found[size - 1] if len(found) > size else None
    next_cursor = None if last is None else _encode(getattr(last, column), last.pk)
    return Page(rows=found[:size], next_cursor=next_cursor, is_first=position is None)


CSV_HEADER = [
    "id",
    "organization",
    "asset",
    "title",
    "severity",
    "status",
    "tool",
    "rule_id",
    "file_path",
    "line_start",
    "url",
    "assignee",
    "first_seen",
    "last_seen",
    "sla_due_on",
]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet runs a cell that starts with one of these as a formula: neutralise it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(findings: QuerySet[Finding], *, sort: str) -> Iterator[list[str]]:
    """Yield the CSV header and one row per finding, read in chunks (never all in memory)."""
    yield CSV_HEADER
    rows = ordered(findings, sort).values_list(
        "id",
        "organization__slug",
        "asset__name",
        "title",
        "severity",
        "status",
        "tool",
        "rule_id",
        "file_path",
        "line_start",
        "url",
        "assignee__email",
        "first_seen",
        "last_seen",
        "sla_due_on",
    )
    for row in rows.iterator(chunk_size=2000):
        yield [_cell(value) for value in row]
