"""The findings list's navigation: sorting by a column's header, pages both ways, refused cursors, and
the range filters as controls."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.findings.models import Finding
from bastion.core.tenancy.models import Organization
from bastion.core.web.findings import listing
from tests import factories
from tests.web.test_findings import client_for, seed, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


def _ties_and_gaps(org: Organization, count: int = 11) -> None:
    """Findings with ties in every sort value and some without an SLA date."""
    asset = factories.asset(org)
    now = timezone.now()
    for number in range(count):
        finding = factories.finding(asset, severity=["critical", "low", "medium"][number % 3])
        due = None if number % 4 == 0 else now.date() + timedelta(days=number % 2)
        Finding.objects.filter(pk=finding.pk).update(
            sla_due_on=due, first_seen=now - timedelta(days=number % 2)
        )


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_each_sortable_header_links_to_its_sort_keeping_the_filters(org: Organization) -> None:
    # given
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    # when: sorted by severity, worst first, on a later page
    response = client.get(
        "/findings/?severity=high&severity=low&ordering=-severity&columns=severity"
        "&columns=tool&columns=first_seen&columns=sla_due_on&cursor=abc"
    )

    # then: the sorted column toggles, the others start in their own direction; no cursor is kept
    headers = {header["name"]: header for header in response.context["headers"]}
    assert {
        name: (header["aria_sort"], header["url"] and _query(header["url"]))
        for name, header in headers.items()
    } == {
        "severity": (
            "descending",
            {
                "severity": ["high", "low"],
                "ordering": ["severity"],
                "columns": ["severity", "tool", "first_seen", "sla_due_on"],
            },
        ),
        "tool": (None, None),
        "first_seen": (
            None,
            {
                "severity": ["high", "low"],
                "ordering": ["-first_seen"],
                "columns": ["severity", "tool", "first_seen", "sla_due_on"],
            },
        ),
        "sla_due_on": (
            None,
            {
                "severity": ["high", "low"],
                "ordering": ["sla_due_on"],
                "columns": ["severity", "tool", "first_seen", "sla_due_on"],
            },
        ),
    }
    assert response.content.count(b"aria-sort=") == 1
    assert b'<th scope="col" aria-sort="descending"><a class="findings-table__sort"' in response.content
    assert b'<th scope="col">Tool</th>' in response.content


@pytest.mark.parametrize(
    ("sort", "column", "next_sort", "aria_sort"),
    [
        ("-severity", "severity", "severity", "descending"),
        ("severity", "severity", "-severity", "ascending"),
        ("-id", "severity", "-severity", None),
        ("sla_due_on", "sla_due_on", "-sla_due_on", "ascending"),
        ("-severity", "sla_due_on", "sla_due_on", None),
        ("-last_seen", "last_seen", "last_seen", "descending"),
        ("-id", "first_seen", "-first_seen", None),
    ],
)
def test_a_header_toggles_its_direction(
    sort: str, column: str, next_sort: str, aria_sort: str | None
) -> None:
    assert listing.header_sort(column, sort) == (next_sort, aria_sort)


def test_following_a_header_sorts_the_rows_and_the_select_shows_the_sort(org: Organization) -> None:
    # given
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))
    first = client.get("/findings/?ordering=-severity")
    severity = next(header for header in first.context["headers"] if header["name"] == "severity")

    # when
    second = client.get("/findings/" + severity["url"])

    # then
    assert titles(first) == ["SQL injection in search", "Reflected XSS", "Weak TLS ciphers", "Old jQuery"]
    assert titles(second) == ["Old jQuery", "Weak TLS ciphers", "Reflected XSS", "SQL injection in search"]
    assert b'<option value="severity" selected>Severity, least first</option>' in second.content


def test_the_select_offers_every_sort_a_header_gives() -> None:
    everything = {*listing.SORTS, *(f"-{name}" for name in listing.SORTS)}

    assert set(listing.SORT_LABELS) == everything
    assert [listing.sort_of(sort) for sort in listing.SORT_LABELS] == list(listing.SORT_LABELS)


@pytest.mark.parametrize("sort", [*listing.SORTS, *(f"-{name}" for name in listing.SORTS)])
def test_previous_pages_walk_back_over_the_same_pages(org: Organization, sort: str) -> None:
    # given: every page going forward
    _ties_and_gaps(org)
    everything = list(listing.ordered(Finding.objects.all(), sort).values_list("pk", flat=True))
    forward = [listing.page_of(Finding.objects.all(), sort=sort, cursor=None, size=3)]
    while forward[-1].next_cursor:
        forward.append(
            listing.page_of(Finding.objects.all(), sort=sort, cursor=forward[-1].next_cursor, size=3)
        )

    # when: back from the last page, one previous cursor at a time
    backward = [forward[-1]]
    while backward[-1].previous_cursor:
        backward.append(
            listing.page_of(Finding.objects.all(), sort=sort, cursor=backward[-1].previous_cursor, size=3)
        )

    # then
    assert [finding.pk for page in forward for finding in page.rows] == everything
    assert [[finding.pk for finding in page.rows] for page in backward] == [
        [finding.pk for finding in page.rows] for page in reversed(forward)
    ]
    assert [page.is_first for page in backward] == [False] * (len(forward) - 1) + [True]
    assert len(forward) == 4


def test_a_page_going_back_after_the_first_was_shortened_shows_the_first_page_whole(
    org: Organization,
) -> None:
    # given: on the second page of three rows each, then the first page loses a row
    _ties_and_gaps(org, count=7)
    first = listing.page_of(Finding.objects.all(), sort="-id", cursor=None, size=3)
    second = listing.page_of(Finding.objects.all(), sort="-id", cursor=first.next_cursor, size=3)
    first.rows[0].delete()

    # when
    back = listing.page_of(Finding.objects.all(), sort="-id", cursor=second.previous_cursor, size=3)

    # then
    assert back.is_first
    assert back.previous_cursor is None
    assert [finding.pk for finding in back.rows] == [first.rows[1].pk, first.rows[2].pk, second.rows[0].pk]


def test_the_previous_page_link_carries_the_filters(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: pages of two
    seed(org)
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    client = client_for(factories.member(org, Role.VIEWER))
    first = client.get("/findings/?ordering=-severity&columns=tool")

    # when
    second = client.get("/findings/" + first.context["next_url"])
    back = client.get("/findings/" + second.context["previous_url"])

    # then
    assert first.context["previous_url"] is None
    assert titles(second) == ["Weak TLS ciphers", "Old jQuery"]
    assert titles(back) == ["SQL injection in search", "Reflected XSS"]
    assert _query(second.context["previous_url"])["ordering"] == ["-severity"]
    assert back.context["column_names"] == ["tool"]
    assert back.context["previous_url"] is None
    assert back.context["page"].is_first
    assert b'id="previous-page" data-page-previous' in second.content
    assert b'id="previous-page"' not in back.content


def _signed(payload: Any) -> str:
    return signing.dumps(payload, salt=listing.CURSOR_SALT)


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!!",
        "WyIyMDI0LTAxLTAxIiwgMV0",  # an unsigned cursor of the old shape
        signing.dumps(["-id", "next", None, 3], salt="another salt"),
        "x" * 5000,
        "é%C3%A9",
    ],
)
def test_a_tampered_cursor_shows_the_first_page_and_says_so(org: Organization, cursor: str) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/", {"cursor": cursor})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 4
    assert response.context["page"].is_first
    assert [str(message) for message in response.context["messages"]] == [
        "That page link was changed or is out of date: this is the first page."
    ]


@pytest.mark.parametrize(
    "payload",
    [
        ["-severity", "next", "3", 1],  # another sort's cursor
        ["-id", "sideways", None, 1],
        ["-id", "next", None, 2**63],
        ["-id", "next", None, True],
        ["-id", "next", None, "1"],
        ["-id", "next", None],
        {"sort": "-id"},
        ["-first_seen", "next", "not a date", 1],
        ["-first_seen", "next", 12, 1],
    ],
)
def test_a_signed_cursor_that_makes_no_sense_here_shows_the_first_page(
    org: Organization, payload: Any
) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))
    sort = payload[0] if isinstance(payload, list) else "-id"
    shown = "-id" if sort == "-severity" else sort

    response = client.get("/findings/", {"cursor": _signed(payload), "ordering": shown})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 4
    assert len(response.context["messages"]) == 1


def test_a_valid_cursor_says_nothing(org: Organization, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(org)
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    client = client_for(factories.member(org, Role.VIEWER))

    second = client.get("/findings/" + client.get("/findings/").context["next_url"])

    assert len(second.context["rows"]) == 2
    assert list(second.context["messages"]) == []


@pytest.mark.parametrize(
    ("name", "label", "kind"),
    [
        ("sla_due_after", "SLA due from", "date"),
        ("sla_due_before", "SLA due before", "date"),
        ("resolved_after", "Resolved from", "text"),
        ("resolved_before", "Resolved before", "text"),
    ],
)
def test_the_range_filters_are_controls_of_the_form(
    org: Organization, name: str, label: str, kind: str
) -> None:
    client = client_for(factories.member(org, Role.VIEWER))

    content = client.get("/findings/").content.decode()

    assert f'<label for="id_{name}">{label}</label>' in content
    assert re.search(rf'<input type="{kind}" name="{name}" [^>]*id="id_{name}"', content)


def test_every_filter_of_the_api_is_a_labelled_control_of_the_form(org: Organization) -> None:
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/")

    assert list(response.context["form"].fields) == list(listing.FindingFilter.base_filters)
    for name in listing.FindingFilter.base_filters:
        assert f'name="{name}"'.encode() in response.content, name
    assert b"[invalid name]" not in response.content


@pytest.mark.parametrize(
    "query",
    [
        "sla_due_after={today}",
        "sla_due_before={today}",
        "sla_due_after={today}&sla_due_before={in_a_week}",
        "resolved_after=2000-01-01T00:00:00Z",
        "resolved_before=2100-01-01T00:00:00Z&status=resolved",
    ],
)
def test_the_range_filters_give_the_rows_the_api_gives(org: Organization, query: str) -> None:
    # given
    findings = seed(org)
    today = timezone.now().date()
    Finding.objects.filter(pk=findings["old"].pk).update(resolved_at=timezone.now())
    Finding.objects.filter(pk=findings["xss"].pk).update(sla_due_on=today + timedelta(days=3))
    Finding.objects.filter(pk=findings["tls"].pk).update(sla_due_on=today - timedelta(days=3))
    client = client_for(factories.member(org, Role.ANALYST))
    filled = query.format(today=today.isoformat(), in_a_week=(today + timedelta(days=7)).isoformat())

    # when
    page = client.get(f"/findings/?{filled}")
    api = client.get(f"/api/v1/findings?{filled}&page_size=100").json()["results"]

    # then
    assert sorted(row["finding"].pk for row in page.context["rows"]) == sorted(row["id"] for row in api)
    assert 0 < len(api) < 4


def test_a_bad_range_value_is_explained_on_the_page(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/?sla_due_after=2025-02-30&resolved_before=soon")

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["form"].errors == {
        "sla_due_after": ["Enter a valid date."],
        "resolved_before": ["Enter a valid date/time."],
    }
