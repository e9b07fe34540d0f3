"""The findings list's query: the API's filters, a sort, columns and keyset (cursor) pages.

The filters are the API's ``FindingFilter`` itself, so ``/findings/?<query>`` shows the rows
``/api/v1/findings?<query>`` returns. Pages are keyset pages: a cursor holds the sort, a direction
and one row's sort value and id (the last row's to go forward, the first's to go back), so a page
costs one indexed range scan and never a ``COUNT(*)``. Cursors are signed: one changed by hand is
refused and the first page shown, never a query built from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core import signing
from django.db.models import F, Field, Q, QuerySet
from django.http import QueryDict

from bastion.contracts.ids import MAX_ROW_ID
from bastion.contracts.principal import Principal
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.findings.filtersets import FindingFilter
from bastion.core.findings.models import Finding
from bastion.core.tenancy import selectors as tenancy_selectors
from bastion.core.web.pickers import SearchSelect

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
    "last_seen": "Last seen, oldest first",
    "sla_due_on": "SLA due, soonest first",
    "-sla_due_on": "SLA due, latest first",
    "-updated_at": "Updated, latest first",
    "updated_at": "Updated, earliest first",
    "-id": "Recorded, newest first",
    "id": "Recorded, oldest first",
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
#: The columns whose header sorts, and the direction a first click sorts them in.
HEADER_SORTS = {
    "severity": "-severity",
    "first_seen": "-first_seen",
    "last_seen": "-last_seen",
    "sla_due_on": "sla_due_on",
}
MULTIPLE_CHOICE_FILTERS = ("severity", "status", "asset_kind")
#: The list's own parameters besides the filters (``cursor`` is a place, never part of a view).
SORT_PARAMETER = "ordering"
COLUMNS_PARAMETER = "columns"
DATE_TIME_FILTERS = (
    "first_seen_after",
    "first_seen_before",
    "last_seen_after",
    "last_seen_before",
    "resolved_after",
    "resolved_before",
)
DATE_FILTERS = ("sla_due_after", "sla_due_before")


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
    # Thousands of assets: a few options and a search for the others, never a select of them all.
    fields["asset"].widget = SearchSelect(kind="assets")
    fields["engagement"].widget = SearchSelect(kind="engagements")
    for name in MULTIPLE_CHOICE_FILTERS:
        widget = fields[name].widget
        assert isinstance(widget, forms.SelectMultiple)
        fields[name].widget = forms.CheckboxSelectMultiple(choices=widget.choices)
    fields["sla_breached"].widget = forms.Select(
        choices=[("", "Either"), ("true", "Past their SLA"), ("false", "Within their SLA")]
    )
    fields["q"].label = "Search"
    fields["q"].help_text = "Words of the title or description, or an id: CVE-2024-1234, CWE-79, a rule id"
    for name in DATE_TIME_FILTERS:
        fields[name].help_text = "ISO 8601 in UTC, e.g. 2025-01-31T00:00:00Z"
    for name in DATE_FILTERS:
        fields[name].widget = forms.DateInput(attrs={"type": "date"})
        fields[name].help_text = "A date, e.g. 2025-01-31"
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


def header_sort(column: str, sort: str) -> tuple[str, str | None]:
    """Return the sort a click on a column's header asks for, and the header's ``aria-sort``.

    The sorted column toggles between ascending and descending; another starts in its own
    direction (worst or newest first, SLA soonest first).
    """
    if sort.lstrip("-") != column:
        return HEADER_SORTS[column], None
    if sort.startswith("-"):
        return column, "descending"
    return f"-{column}", "ascending"


def known_query(data: QueryDict) -> str:
    """Return the query string of the list's known parameters only, empty values left out.

    ``data`` is a ``QueryDict``: a filter that takes several values keeps them all, any other the
    one the filter set reads (the last). A sort or column the list does not know is dropped.
    """
    pairs: list[tuple[str, str]] = []
    for name, declared in FindingFilter.base_filters.items():
        values = data.getlist(name)
        if not isinstance(declared, django_filters.MultipleChoiceFilter):
            values = values[-1:]
        pairs.extend((name, value) for value in values if value != "")
    sort = data.get(SORT_PARAMETER)
    if sort and sort_of(sort) == sort:
        pairs.append((SORT_PARAMETER, sort))
    chosen = data.getlist(COLUMNS_PARAMETER)
    pairs.extend((COLUMNS_PARAMETER, name) for name in COLUMNS if name in chosen)
    return urlencode(pairs)


CURSOR_SALT = "bastion.web.findings.cursor"
FORWARD, BACKWARD = "next", "previous"
#: The largest id a 64-bit key holds.


@dataclass(frozen=True)
class Position:
    """Where a cursor points: past (forward) or before (backward) one row of one sort."""

    direction: str
    value: Any
    finding_id: int


def _encode(sort: str, direction: str, finding: Finding) -> str:
    value = getattr(finding, SORTS[sort.lstrip("-")])
    return signing.dumps(
        [sort, direction, None if value is None else str(value), finding.pk], salt=CURSOR_SALT
    )


def _decode(cursor: str, sort: str) -> Position | None:
    """Return the position a cursor holds, None unless this list signed it for this sort."""
    try:
        payload = signing.loads(cursor, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(payload, list) or len(payload) != 4:
        return None
    cursor_sort, direction, value, finding_id = payload
    if cursor_sort != sort or direction not in (FORWARD, BACKWARD):
        return None
    if not isinstance(finding_id, int) or isinstance(finding_id, bool) or not 0 < finding_id <= MAX_ROW_ID:
        return None
    if value is not None and not isinstance(value, str):
        return None
    field = Finding._meta.get_field(SORTS[sort.lstrip("-")])
    assert isinstance(field, Field)
    try:
        parsed = None if value is None else field.to_python(value)
    except forms.ValidationError:
        return None
    return Position(direction, parsed, finding_id)


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


def _before(sort: str, value: Any, finding_id: int) -> Q:
    """Return the condition for the rows before (value, id) in the sort's order (nulls last)."""
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    short = "gt" if descending else "lt"
    if column == "id":
        return Q(**{f"id__{short}": finding_id})
    if value is None:
        return Q(**{f"{column}__isnull": False}) | Q(
            **{f"{column}__isnull": True, f"id__{short}": finding_id}
        )
    return Q(**{f"{column}__{short}": value}) | Q(**{column: value, f"id__{short}": finding_id})


def _mirrored(findings: QuerySet[Finding], sort: str) -> QuerySet[Finding]:
    """Order exactly backwards from ``ordered`` (so the rows without an SLA date come first)."""
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    key = F(column).asc(nulls_first=True) if descending else F(column).desc(nulls_first=True)
    tie = "id" if descending else "-id"
    return findings.order_by(key, tie) if column != "id" else findings.order_by(tie)


@dataclass(frozen=True)
class Page:
    """One page of findings, the cursors of the pages on either side (None: there is none)."""

    rows: list[Finding]
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool
    is_cursor_refused: bool = False


def _forward(findings: QuerySet[Finding], *, sort: str, position: Position | None, size: int) -> Page:
    rows = ordered(findings, sort)
    if position is not None:
        rows = rows.filter(_after(sort, position.value, position.finding_id))
    found = list(rows[: size + 1])
    shown = found[:size]
    return Page(
        rows=shown,
        next_cursor=_encode(sort, FORWARD, shown[-1]) if len(found) > size else None,
        previous_cursor=_encode(sort, BACKWARD, shown[0]) if position is not None and shown else None,
        is_first=position is None,
    )


def page_of(findings: QuerySet[Finding], *, sort: str, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """Return the page a cursor points to (the first without one), one row more read to know if
    there is a page beyond; a cursor this list did not sign for this sort gives the first page."""
    position = _decode(cursor, sort) if cursor else None
    if cursor and position is None:
        first = _forward(findings, sort=sort, position=None, size=size)
        return Page(first.rows, first.next_cursor, None, is_first=True, is_cursor_refused=True)
    if position is None or position.direction == FORWARD:
        return _forward(findings, sort=sort, position=position, size=size)
    found = list(
        _mirrored(findings, sort).filter(_before(sort, position.value, position.finding_id))[: size + 1]
    )
    if len(found) <= size:
        # At most a page lies before: that is the first page, shown whole from its start.
        return _forward(findings, sort=sort, position=None, size=size)
    shown = found[:size][::-1]
    return Page(
        rows=shown,
        next_cursor=_encode(sort, FORWARD, shown[-1]),
        previous_cursor=_encode(sort, BACKWARD, shown[0]),
        is_first=False,
    )


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
