"""The findings API's range filters on the SLA due date and the resolution time: from inclusive, before
exclusive (as ``first_seen_after``/``first_seen_before``), and a bad value is a 400 naming the filter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.findings.models import Finding
from bastion.core.tenancy.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db
NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def _set(finding: Finding, **fields: Any) -> None:
    Finding.objects.filter(pk=finding.pk).update(**fields)


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


@pytest.fixture
def client(org: Organization) -> APIClient:
    api = APIClient(raise_request_exception=False)
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {factories.token_key(factories.member(org, Role.VIEWER), org)}"
    )
    return api


@pytest.fixture
def ranged_findings(org: Organization) -> dict[str, Finding]:
    """Findings due on 1, 2 and 3 March and one without a due date; findings resolved at noon, just
    before and a day after, and one resolved at no recorded time (none of these has a due date)."""
    asset = factories.asset(org)
    made = {}
    for title, due in [("due-1", date(2025, 3, 1)), ("due-2", date(2025, 3, 2)), ("due-3", date(2025, 3, 3))]:
        made[title] = factories.finding(asset, title=title)
        _set(made[title], sla_due_on=due)
    made["no-due"] = factories.finding(asset, title="no-due")
    _set(made["no-due"], sla_due_on=None)
    for title, resolved_at in [
        ("resolved-at-noon", NOON),
        ("resolved-just-before-noon", datetime(2025, 3, 10, 11, 59, 59, 999999, tzinfo=UTC)),
        ("resolved-next-day", datetime(2025, 3, 11, 12, 0, tzinfo=UTC)),
    ]:
        made[title] = factories.finding(asset, title=title, status="resolved")
        _set(made[title], resolved_at=resolved_at, sla_due_on=None)
    made["resolved-unknown-time"] = factories.finding(asset, title="resolved-unknown-time", status="resolved")
    _set(made["resolved-unknown-time"], sla_due_on=None)
    # Another tenant's finding in every range: never returned.
    other = factories.finding(factories.asset(factories.organization("globex")), title="globex")
    _set(other, sla_due_on=date(2025, 3, 2), resolved_at=NOON, status="resolved")
    return made


def _titles(client: APIClient, query: dict[str, str]) -> list[str]:
    response = client.get("/api/v1/findings", {**query, "ordering": "id", "page_size": 100})
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"sla_due_after": "2025-03-02"}, ["due-2", "due-3"]),
        ({"sla_due_before": "2025-03-02"}, ["due-1"]),
        ({"sla_due_after": "2025-03-01", "sla_due_before": "2025-03-03"}, ["due-1", "due-2"]),
        ({"sla_due_after": "2025-03-02", "sla_due_before": "2025-03-02"}, []),
        ({"sla_due_after": "2025-03-04"}, []),
        ({"resolved_after": "2025-03-10T12:00:00Z"}, ["resolved-at-noon", "resolved-next-day"]),
        ({"resolved_before": "2025-03-10T12:00:00Z"}, ["resolved-just-before-noon"]),
        (
            {"resolved_after": "2025-03-10T00:00:00Z", "resolved_before": "2025-03-11T00:00:00Z"},
            ["resolved-at-noon", "resolved-just-before-noon"],
        ),
        # An offset means the same instant: 13:00 in Paris is noon in UTC.
        ({"resolved_after": "2025-03-10T13:00:00+01:00"}, ["resolved-at-noon", "resolved-next-day"]),
    ],
)
def test_a_range_keeps_exactly_its_findings(
    client: APIClient, ranged_findings: dict[str, Finding], query: dict[str, str], expected: list[str]
) -> None:
    assert _titles(client, query) == expected


def test_no_range_filter_returns_every_finding_of_the_organisation(
    client: APIClient, ranged_findings: dict[str, Finding]
) -> None:
    assert len(_titles(client, {})) == 8


def test_the_ranges_combine_with_the_other_filters(
    client: APIClient, ranged_findings: dict[str, Finding]
) -> None:
    # given: the second finding due in the range is triaged
    _set(ranged_findings["due-2"], status="triaged")

    # when
    titles = _titles(client, {"sla_due_after": "2025-03-01", "status": "open"})

    # then
    assert titles == ["due-1", "due-3"]


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("sla_due_after", "yesterday", "Enter a valid date."),
        ("sla_due_before", "2025-02-30", "Enter a valid date."),
        ("sla_due_after", "0000-01-01", "Enter a valid date."),
        ("sla_due_before", "2025-03-01T00:00:00Z", "Enter a valid date."),
        ("resolved_after", "not a time", "Enter a valid date/time."),
        ("resolved_before", "2025-13-01T00:00:00Z", "Enter a valid date/time."),
        ("resolved_after", "2024-01-01T00:00:00+16:00", "Enter a UTC offset between -12:00 and +14:00."),
        (
            "resolved_before",
            "9999-12-31T23:59:59-01:00",
            "Enter a date/time between 0001-01-01 and 9999-12-31 in UTC.",
        ),
    ],
)
def test_a_bad_value_is_a_400_naming_the_filter(
    client: APIClient, ranged_findings: dict[str, Finding], parameter: str, value: str, message: str
) -> None:
    response = client.get("/api/v1/findings", {parameter: value})

    assert response.status_code == 400
    assert response.json() == {parameter: [message]}


@pytest.mark.parametrize(
    "parameter", ["sla_due_after", "sla_due_before", "resolved_after", "resolved_before"]
)
def test_a_nul_byte_is_a_400_naming_the_filter(client: APIClient, parameter: str) -> None:
    response = client.get(f"/api/v1/findings?{parameter}=2025-03-01%00")

    assert response.status_code == 400
    assert response.json() == {"detail": f"query parameters must not contain NUL bytes: {parameter!r}"}
