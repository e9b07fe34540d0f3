"""Reads: the showcase query and every finding filter, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.assets import services as asset_services
from bastion.core.findings import selectors
from tests import factories


@pytest.fixture
def world(db: None) -> dict[str, object]:
    org, other = factories.organization("home"), factories.organization("away")
    viewer = factories.member(org, Role.VIEWER)
    repo = factories.asset(org, name="repo", kind="repository")
    host = factories.asset(org, name="host", kind="host", criticality=5)
    foreign = factories.asset(other)
    now = timezone.now()
    pci = asset_services.create_tag(actor=None, organization=org, name="pci")
    findings = {
        "old_high": factories.finding(
            repo,
            severity="high",
            title="SQL injection in login",
            first_seen=now - timedelta(days=40),
            advisory_ids=["CVE-2024-1111"],
            cwe_ids=[89],
            tags=[pci],
        ),
        "new_critical": factories.finding(
            host,
            severity="critical",
            title="Remote code execution",
            first_seen=now - timedelta(days=2),
            description="deserialization of untrusted pickle data",
            tool="semgrep",
            rule_id="python.lang.security.Pickle",
        ),
        "old_critical": factories.finding(
            host,
            severity="critical",
            title="Exposed admin console",
            first_seen=now - timedelta(days=9),
        ),
        "new_high": factories.finding(
            repo,
            severity="high",
            title="Weak hash",
            first_seen=now - timedelta(days=1),
            advisory_ids=["GHSA-abcd-efgh-ijkl"],
            cwe_ids=[328],
        ),
        "medium": factories.finding(
            repo, severity="medium", title="Verbose errors", first_seen=now - timedelta(days=100)
        ),
        # Carries the same advisory and CWE as one of the organisation's own: never listed with it.
        "foreign": factories.finding(
            foreign,
            severity="critical",
            title="SQL injection elsewhere",
            advisory_ids=["CVE-2024-1111"],
            cwe_ids=[89],
            rule_id="python.lang.security.Pickle",
        ),
    }
    return {
        "org": org,
        "other": other,
        "viewer": viewer,
        "findings": findings,
        "key": factories.token_key(viewer, org),
    }


def _titles(rows: object) -> list[str]:
    return [row.title for row in rows]  # type: ignore[attr-defined]


def test_showcase_orders_worst_first_then_longest_open(world: dict[str, object]) -> None:
    from bastion.core.tenancy.selectors import principal_for_session

    principal = principal_for_session(user=world["viewer"])  # type: ignore[arg-type]

    rows = list(selectors.showcase(principal=principal, organization_id=world["org"].pk))  # type: ignore[attr-defined]

    assert _titles(rows) == [
        "Exposed admin console",
        "Remote code execution",
        "SQL injection in login",
        "Weak hash",
    ]
    assert [row.days_open.days for row in rows] == [9, 2, 40, 1]
    assert rows[2].asset.name == "repo"
    assert [tag.name for tag in rows[2].tags.all()] == ["pci"]


def test_showcase_of_another_organisation_is_empty(world: dict[str, object]) -> None:
    from bastion.core.tenancy.selectors import principal_for_session

    principal = principal_for_session(user=world["viewer"])  # type: ignore[arg-type]

    assert list(selectors.showcase(principal=principal, organization_id=world["other"].pk)) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("severity=critical", {"new_critical", "old_critical"}),
        ("severity=critical&severity=medium", {"new_critical", "old_critical", "medium"}),
        ("status=open", {"old_high", "new_critical", "old_critical", "new_high", "medium"}),
        ("asset_kind=host", {"new_critical", "old_critical"}),
        ("tag=pci", {"old_high"}),
        ("cwe=CWE-89", {"old_high"}),
        ("cwe=328", {"new_high"}),
        ("cve=cve-2024-1111", {"old_high"}),
        ("cve=GHSA-abcd-efgh-ijkl", {"new_high"}),
        ("tool=semgrep", {"new_critical"}),
        ("rule_id=python.lang.security.Pickle", {"new_critical"}),
        ("rule_id=PYTHON.LANG.SECURITY.PICKLE", {"new_critical"}),
        ("rule_id=python.lang.security", set()),
        ("q=python.lang.security.pickle", {"new_critical"}),
        ("q=injection", {"old_high"}),
        ("q=pickle", {"new_critical"}),
        ("q=CVE-2024-1111", {"old_high"}),
        ("q=CWE-328", {"new_high"}),
        # free text: every word, each the start of a word of the title or description
        ("q=inject", {"old_high"}),
        ("q=sql+login", {"old_high"}),
        ("q=login+sql", {"old_high"}),
        ("q=sql+console", set()),
        ("q=untrusted+deserializ", {"new_critical"}),
        ("q=%27%3B+DROP+TABLE+findings_finding%3A*+%26", set()),
        ("q=%21%28%29%3A*%7C%26", set()),
        # default SLA: critical 7 days (4 on a criticality-5 asset), high 30, medium 90
        ("sla_breached=true", {"old_high", "old_critical", "medium"}),
        ("sla_breached=false", {"new_critical", "new_high"}),
        ("organization=away", set()),
    ],
)
def test_finding_filters(world: dict[str, object], query: str, expected: set[str]) -> None:
    # given
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['key']}")
    names = {finding.pk: name for name, finding in world["findings"].items()}  # type: ignore[attr-defined]
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/findings?{query}")
    # then: the rows asked for, and no DISTINCT over findings (no filter can repeat a row)
    assert response.status_code == 200, response.content
    assert {names[row["id"]] for row in response.json()["results"]} == expected
    assert not [
        query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT DISTINCT")
    ]


@pytest.mark.parametrize("query", ["q=CVE-2024-1111", "q=cve-2024-1111", "q=CWE-89"])
def test_an_identifier_carried_by_many_findings_matches_through_a_subquery(
    world: dict[str, object], query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: more carriers than a list of ids holds (none at all here)
    monkeypatch.setattr(selectors, "MAX_ID_LIST", 0)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['key']}")
    # when
    response = client.get(f"/api/v1/findings?{query}")
    # then: the same rows as the list of ids gives, and none of the other organisation's
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [world["findings"]["old_high"].pk]  # type: ignore[index]


def test_first_and_last_seen_ranges(world: dict[str, object]) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['key']}")
    since = (timezone.now() - timedelta(days=10)).isoformat()

    response = client.get("/api/v1/findings", {"first_seen_after": since, "ordering": "severity"})

    # least severe first; equal severities in the order they were recorded
    assert [row["title"] for row in response.json()["results"]] == [
        "Weak hash",
        "Remote code execution",
        "Exposed admin console",
    ]


def test_cursor_pagination_walks_every_finding_once(world: dict[str, object]) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['key']}")
    seen: list[int] = []
    url: str | None = "/api/v1/findings?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    own = [f.pk for name, f in world["findings"].items() if name != "foreign"]  # type: ignore[attr-defined]
    assert seen == sorted(own, reverse=True)


def test_showcase_endpoint_returns_the_first_page_with_days_open(world: dict[str, object]) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['key']}")

    response = client.get("/api/v1/findings/showcase", {"organization": "home"})

    assert response.status_code == 200
    assert [(row["title"], row["days_open"]) for row in response.json()] == [
        ("Exposed admin console", 9),
        ("Remote code execution", 2),
        ("SQL injection in login", 40),
        ("Weak hash", 1),
    ]
    assert response.json()[2]["advisory_ids"] == ["CVE-2024-1111"]
    assert response.json()[2]["cwe_ids"] == [89]
    assert response.json()[2]["tags"] == ["pci"]


def test_a_search_by_relevance_lists_the_best_matches_first_and_pages_through_each_once(db: None) -> None:
    # given: findings that match "token" in the title, the description, or more than once
    org = factories.organization("ranked")
    viewer = factories.member(org, Role.VIEWER)
    repo = factories.asset(org, name="repo")
    titled = factories.finding(repo, title="Leaked token in build log", description="a CI log")
    twice = factories.finding(repo, title="Token reuse", description="the token is reused across tokens")
    described = [
        factories.finding(repo, title=f"Weak check {n}", description="a session token is compared")
        for n in range(5)
    ]
    factories.finding(repo, title="Unrelated", description="nothing to see")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(viewer, org)}")
    # when: walked a page of 2 at a time
    seen: list[int] = []
    url: str | None = "/api/v1/findings?q=token&ordering=relevance&page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    # then: every match once; on PostgreSQL the title's matches first (the best, then the newer of a
    # tie), on SQLite newest first
    assert sorted(seen) == sorted([titled.pk, twice.pk, *(finding.pk for finding in described)])
    if connection.vendor == "postgresql":
        assert seen[:2] == [twice.pk, titled.pk]
        assert seen[2:] == sorted((finding.pk for finding in described), reverse=True)
    else:
        assert seen == sorted(seen, reverse=True)
    # and with no order asked for, a search lists the newest first (the primary key's order)
    newest = client.get("/api/v1/findings?q=token").json()["results"]
    assert [row["id"] for row in newest] == sorted(seen, reverse=True)
