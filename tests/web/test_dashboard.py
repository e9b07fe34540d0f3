"""The dashboard: exact figures from the database, each linked to its filter, per organisation."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.findings.models import Finding
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy import services as tenancy_services
from bastion.core.tenancy.models import Organization
from bastion.core.web.middleware import STRICT
from tests import factories

pytestmark = pytest.mark.django_db
ACTIVE = ["open", "triaged", "in_progress", "reopened"]


def _set(finding: Finding, **fields: Any) -> None:
    Finding.objects.filter(pk=finding.pk).update(**fields)


def seed(org: Organization) -> dict[str, Any]:
    """Findings whose every figure on the dashboard is known."""
    now = timezone.now()
    today = now.date()
    web = factories.asset(org, name="web-shop", criticality=5)
    api = factories.asset(org, name="billing-api", criticality=2)
    fresh = factories.finding(web, severity="critical")
    _set(fresh, sla_due_on=today + timedelta(days=20))
    breached = factories.finding(web, severity="critical", status="triaged")
    _set(breached, sla_due_on=today - timedelta(days=1))
    due_soon = factories.finding(api, severity="high", status="in_progress")
    _set(due_soon, sla_due_on=today + timedelta(days=3))
    later = factories.finding(api, severity="medium")
    _set(later, sla_due_on=today + timedelta(days=30))
    fixed = factories.finding(api, severity="medium", status="resolved")
    _set(fixed, first_seen=now - timedelta(days=3), resolved_at=now)
    fixed_slowly = factories.finding(api, severity="medium", status="resolved")
    _set(fixed_slowly, first_seen=now - timedelta(days=5), resolved_at=now)
    factories.finding(api, severity="low", status="false_positive")
    ImportJob.objects.create(
        organization=org,
        asset=api,
        file_name="bandit.json",
        storage_key="k",
        state="succeeded",
        new=4,
        updated=1,
    )
    return {"web": web, "api": api}


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


@pytest.fixture
def other_org() -> Organization:
    """Another tenant, with findings that must never be counted or shown."""
    other = factories.organization("globex")
    secret = factories.asset(other, name="globex-secret-asset", criticality=5)
    for _ in range(5):
        factories.finding(secret, severity="critical")
    return other


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_dashboard_counts_exactly_what_the_database_holds(
    org: Organization, other_org: Organization
) -> None:
    # given
    assets = seed(org)
    owner = factories.member(org, Role.OWNER)

    # when
    response = client_for(owner).get("/")

    # then
    context = response.context
    assert response.status_code == 200
    assert context["open_total"] == 4
    assert [(row["severity"], row["count"]) for row in context["open_by_severity"]] == [
        ("critical", 2),
        ("high", 1),
        ("medium", 1),
        ("low", 0),
        ("info", 0),
    ]
    assert (context["sla"].breached, context["sla"].due_soon) == (1, 1)
    assert [(row["severity"], row["days"]) for row in context["mttr"]] == [
        ("critical", None),
        ("high", None),
        ("medium", "4.0"),
        ("low", None),
        ("info", None),
    ]
    assert [
        (row["asset__name"], row["score"], row["critical"], row["high"]) for row in context["assets"]
    ] == [
        ("web-shop", 100, 2, 0),  # (10 + 10) x criticality 5
        ("billing-api", 14, 0, 1),  # (5 + 2) x criticality 2
    ]
    assert context["assets"][0]["asset_id"] == assets["web"].pk
    assert [week["opened"] for week in context["weeks"]][-1] == _first_seen_this_week(org)
    assert sum(week["opened"] for week in context["weeks"]) == 7
    assert [week["closed"] for week in context["weeks"]][-1] == 2
    assert [(job.file_name, job.new, job.updated) for job in context["imports"]] == [("bandit.json", 4, 1)]
    assert context["is_empty"] is False
    assert b"globex" not in response.content


def _first_seen_this_week(org: Organization) -> int:
    """Count the findings first seen since Monday (seed's are up to 5 days old: a week may split them)."""
    today = timezone.now().date()
    monday = datetime.combine(today - timedelta(days=today.weekday()), time.min, tzinfo=UTC)
    return Finding.objects.filter(organization=org, first_seen__gte=monday).count()


def _query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.path == "/findings/"
    return parse_qs(parts.query)


def test_each_number_links_to_the_findings_filter_it_counts(org: Organization) -> None:
    # given
    assets = seed(org)
    owner = factories.member(org, Role.OWNER)
    client = client_for(owner)
    client.post("/organization", {"organization": "acme"})

    # when
    context = client.get("/").context

    # then
    assert _query(context["open_total_url"]) == {"organization": ["acme"], "status": ACTIVE}
    assert _query(context["open_by_severity"][0]["url"]) == {
        "organization": ["acme"],
        "status": ACTIVE,
        "severity": ["critical"],
    }
    assert _query(context["sla_breached_url"]) == {"organization": ["acme"], "sla_breached": ["true"]}
    mttr_query = _query(context["mttr"][2]["url"])
    resolved_before = datetime.fromisoformat(mttr_query.pop("resolved_before")[0])
    assert mttr_query == {"organization": ["acme"], "status": ["resolved"], "severity": ["medium"]}
    assert abs(resolved_before - timezone.now()) <= timedelta(seconds=2)
    assert _query(context["assets"][0]["url"]) == {
        "organization": ["acme"],
        "asset": [str(assets["web"].pk)],
        "status": ACTIVE,
    }
    week = context["weeks"][-1]
    monday = week["starts_on"]
    assert _query(week["opened_url"]) == {
        "organization": ["acme"],
        "first_seen_after": [f"{monday.isoformat()}T00:00:00Z"],
        "first_seen_before": [f"{(monday + timedelta(days=7)).isoformat()}T00:00:00Z"],
    }


def test_the_links_filter_the_api_to_the_same_counts(org: Organization) -> None:
    # given: the findings list will read the API's filters; the API answers them today
    seed(org)
    owner = factories.member(org, Role.OWNER)
    client = client_for(owner)
    client.post("/organization", {"organization": "acme"})
    context = client.get("/").context
    links = [
        (context["open_total_url"], context["open_total"]),
        (context["open_by_severity"][0]["url"], 2),
        (context["sla_breached_url"], context["sla"].breached),
        (context["assets"][1]["url"], 2),
        (context["weeks"][-1]["opened_url"], _first_seen_this_week(org)),
    ]

    # when
    counts = [
        len(client.get("/api/v1/findings?" + urlsplit(url).query + "&page_size=100").json()["results"])
        for url, _ in links
    ]

    # then
    assert counts == [expected for _, expected in links]


def test_a_viewer_sees_the_same_dashboard_as_an_owner(org: Organization) -> None:
    # given
    seed(org)
    owner = factories.member(org, Role.OWNER)
    viewer = factories.member(org, Role.VIEWER)

    # when
    seen = [client_for(user).get("/").context for user in (owner, viewer)]

    # then
    assert [context["open_total"] for context in seen] == [4, 4]
    assert [context["sla"].breached for context in seen] == [1, 1]


def test_all_my_organisations_adds_them_up_and_one_organisation_shows_its_own(org: Organization) -> None:
    # given
    seed(org)
    second = factories.organization("initech")
    factories.finding(factories.asset(second), severity="high")
    user = factories.member(org, Role.ANALYST)
    tenancy_services.set_membership(organization=second, user=user, role=Role.VIEWER)
    client = client_for(user)

    # when
    everywhere = client.get("/").context["open_total"]
    client.post("/organization", {"organization": "initech"})
    initech = client.get("/").context["open_total"]
    refused = client.post("/organization", {"organization": "globex"})
    still_initech = client.get("/").context["open_total"]

    # then
    assert (everywhere, initech, still_initech) == (5, 1, 1)
    assert refused.status_code == 302


def test_an_organisation_without_data_shows_the_import_command(org: Organization) -> None:
    # given
    owner = factories.member(org, Role.OWNER)

    # when
    response = client_for(owner).get("/")

    # then
    assert response.context["is_empty"] is True
    assert "-F organization=acme" in response.context["import_command"]
    assert "http://testserver/scanner/v1/imports" in response.context["import_command"]
    assert response.context["token_command"] == (
        f"BASTION_TOKEN=$(bastion token create --user {owner.email} --org acme)"
    )
    assert b"Import your first report" in response.content


def test_a_visitor_not_signed_in_is_sent_to_sign_in() -> None:
    response = Client().get("/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")


def test_web_pages_carry_the_content_security_policy_and_forbid_framing(org: Organization) -> None:
    owner = factories.member(org, Role.OWNER)

    response = client_for(owner).get("/")

    assert response["Content-Security-Policy"] == STRICT
    assert "script-src 'self';" in STRICT
    assert "unsafe-inline" not in STRICT
    assert response["X-Frame-Options"] == "DENY"


def test_an_unknown_page_answers_the_sites_404(org: Organization) -> None:
    owner = factories.member(org, Role.OWNER)

    response = client_for(owner).get("/nowhere/at/all")

    assert response.status_code == 404
    assert b"This page does not exist" in response.content
    assert b"Skip to content" in response.content


LINKED_COUNT = re.compile(r'<a (?:class="stat__value" )?href="(/findings/\?[^"]*)"[^>]*>(\d+)</a>')
LINKED_MEAN = re.compile(r'<a href="(/findings/\?[^"]*)" aria-label="[^"]* days for (\w+)">([\d.]+)</a>')
FINDING_LINK = re.compile(r'<a href="/findings/(\d+)/" data-finding-link>')


def seed_edges(org: Organization) -> None:
    """``seed`` and findings on the edges of what each figure counts: the SLA window's ends, a week's
    first instant and the one before it, a finding resolved at no recorded time."""
    seed(org)
    now = timezone.now()
    today = now.date()
    monday = datetime.combine(today - timedelta(days=today.weekday()), time.min, tzinfo=UTC)
    edges = factories.asset(org, name="edges", criticality=1)
    for days in (0, 7, 8):  # due today and in 7 days are "within 7 days"; in 8 days is not
        _set(factories.finding(edges, severity="low"), sla_due_on=today + timedelta(days=days))
    for resolved_at, days_open, severity in [
        (monday, 2, "high"),  # this week's first instant
        (monday - timedelta(microseconds=1), 1, "high"),  # last week's last
        (monday - timedelta(days=8), 4, "low"),  # the week before last
    ]:
        _set(
            factories.finding(edges, severity=severity, status="resolved"),
            resolved_at=resolved_at,
            first_seen=resolved_at - timedelta(days=days_open),
            sla_due_on=today + timedelta(days=1),  # not active: never "due soon"
        )
    factories.finding(edges, severity="medium", status="resolved")  # no resolved_at: no time to remediate


def _rows_of(client: Client, url: str) -> list[int]:
    """Return the ids of the findings the list shows at ``url`` (a single page: fewer than 50)."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["next_url"] is None
    return [int(finding_id) for finding_id in FINDING_LINK.findall(response.content.decode())]


@pytest.mark.parametrize("chosen", ["acme", "all"])
def test_every_linked_number_is_the_count_of_the_list_it_opens(
    org: Organization, other_org: Organization, chosen: str
) -> None:
    # given
    seed_edges(org)
    client = client_for(factories.member(org, Role.VIEWER))
    client.post("/organization", {"organization": chosen})

    # when
    response = client.get("/")
    linked = [
        (html.unescape(url), int(number)) for url, number in LINKED_COUNT.findall(response.content.decode())
    ]

    # then: the figures this seed makes, each the row count of its link
    context = response.context
    weeks = context["weeks"]
    assert (context["open_total"], context["sla"].breached, context["sla"].due_soon) == (7, 1, 3)
    assert [(week["closed"]) for week in weeks[-3:]] == [1, 1, 3]
    assert len(linked) == 1 + 5 + 2 + 2 * 12 + 4  # totals, SLA, opened and closed per week, assets' counts
    assert [(url, len(_rows_of(client, url))) for url, _ in linked] == linked


@pytest.mark.parametrize("chosen", ["acme", "all"])
def test_each_mean_time_to_remediate_links_to_the_findings_it_is_the_mean_of(
    org: Organization, other_org: Organization, chosen: str
) -> None:
    # given
    seed_edges(org)
    client = client_for(factories.member(org, Role.VIEWER))
    client.post("/organization", {"organization": chosen})

    # when
    content = client.get("/").content.decode()
    means = {severity: (html.unescape(url), days) for url, severity, days in LINKED_MEAN.findall(content)}

    # then
    assert {severity: days for severity, (_, days) in means.items()} == {
        "high": "1.5",
        "medium": "4.0",
        "low": "4.0",
    }
    for severity, (url, days) in means.items():
        shown = Finding.objects.filter(pk__in=_rows_of(client, url))
        spans = [(finding.resolved_at - finding.first_seen).total_seconds() for finding in shown]
        assert {finding.severity for finding in shown} == {severity}
        assert f"{sum(spans) / len(spans) / 86400:.1f}" == days
    assert [len(_rows_of(client, means[severity][0])) for severity in ("high", "medium", "low")] == [2, 2, 1]


def test_each_asset_links_to_its_open_findings(org: Organization) -> None:
    seed_edges(org)
    client = client_for(factories.member(org, Role.VIEWER))

    assets = client.get("/").context["assets"]

    assert [(asset["asset__name"], len(_rows_of(client, asset["url"]))) for asset in assets] == [
        (asset["asset__name"], sum(count["count"] for count in asset["counts"])) for asset in assets
    ]
    assert [asset["asset__name"] for asset in assets] == ["web-shop", "billing-api", "edges"]


def test_the_new_links_filter_the_api_to_the_same_counts(org: Organization) -> None:
    # given
    seed_edges(org)
    owner = factories.member(org, Role.OWNER)
    client = client_for(owner)
    client.post("/organization", {"organization": "acme"})
    context = client.get("/").context
    links = [
        (context["sla_due_soon_url"], context["sla"].due_soon),
        *((week["closed_url"], week["closed"]) for week in context["weeks"][-3:]),
        (context["mttr"][1]["url"], 2),  # high: resolved this week's first instant and last week's last
    ]

    # when
    counts = [
        len(client.get("/api/v1/findings?" + urlsplit(url).query + "&page_size=100").json()["results"])
        for url, _ in links
    ]

    # then
    assert counts == [expected for _, expected in links] == [3, 1, 1, 3, 2]
