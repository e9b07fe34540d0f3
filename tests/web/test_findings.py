"""The findings list: the API's filters, sorting, cursor pages, columns, bulk triage and CSV, per tenant."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.findings.models import Finding
from bastion.core.tenancy.models import Organization
from bastion.core.web.findings import listing
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


@pytest.fixture
def other_org() -> Organization:
    """Another tenant whose findings must never show."""
    other = factories.organization("globex")
    factories.finding(factories.asset(other, name="globex-asset"), severity="critical", title="Globex secret")
    return other


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def titles(response: Any) -> list[str]:
    return [row["finding"].title for row in response.context["rows"]]


def seed(org: Organization) -> dict[str, Finding]:
    web = factories.asset(org, name="web-shop")
    api = factories.asset(org, name="billing-api", kind="web_application")
    return {
        "sqli": factories.finding(web, severity="critical", title="SQL injection in search", tool="semgrep"),
        "xss": factories.finding(web, severity="high", title="Reflected XSS", status="triaged"),
        "tls": factories.finding(api, severity="medium", title="Weak TLS ciphers", tool="zap"),
        "old": factories.finding(api, severity="low", title="Old jQuery", status="resolved"),
    }


def test_a_visitor_not_signed_in_is_sent_to_sign_in() -> None:
    response = Client().get("/findings/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/findings/")


def test_a_member_sees_their_organisations_findings_only(org: Organization, other_org: Organization) -> None:
    # given
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    # when
    response = client.get("/findings/")

    # then: newest first by default
    assert response.status_code == 200
    assert titles(response) == ["Old jQuery", "Weak TLS ciphers", "Reflected XSS", "SQL injection in search"]
    assert b"Globex secret" not in response.content


@pytest.mark.parametrize(
    "query",
    [
        "severity=critical&severity=high",
        "status=open&status=triaged&status=in_progress&status=reopened",
        "asset_kind=web_application",
        "tool=semgrep",
        "q=injection",
        "organization=acme&severity=low",
        "sla_breached=false",
        "first_seen_after=2000-01-01T00:00:00Z",
        "organization=globex",
    ],
)
def test_the_same_query_string_gives_the_rows_the_api_gives(
    org: Organization, other_org: Organization, query: str
) -> None:
    # given
    seed(org)
    client = client_for(factories.member(org, Role.ANALYST))

    # when
    page = client.get(f"/findings/?{query}")
    api = client.get(f"/api/v1/findings?{query}&page_size=100").json()["results"]

    # then
    assert sorted(row["finding"].pk for row in page.context["rows"]) == sorted(row["id"] for row in api)


def test_the_filter_form_offers_only_the_callers_assets_and_members(
    org: Organization, other_org: Organization
) -> None:
    seed(org)
    factories.member(other_org, Role.OWNER, email="boss@globex.example")
    client = client_for(factories.member(org, Role.ANALYST, email="ana@acme.example"))

    response = client.get("/findings/")

    form = response.context["form"]
    assert [asset.name for asset in form.fields["asset"].queryset] == ["billing-api", "web-shop"]
    assert [user.email for user in form.fields["assignee"].queryset] == ["ana@acme.example"]
    assert b"globex-asset" not in response.content
    assert b"boss@globex.example" not in response.content


def test_an_invalid_filter_is_explained_and_shows_no_rows(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/?severity=catastrophic")

    assert response.context["rows"] == []
    assert b"These filters cannot be applied" in response.content


def test_sorting_by_severity_puts_the_worst_first(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/?ordering=-severity")

    assert titles(response) == ["SQL injection in search", "Reflected XSS", "Weak TLS ciphers", "Old jQuery"]


def test_an_unknown_sort_falls_back_to_newest_first(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/?ordering=title")

    assert response.context["sort"] == "-id"


@pytest.mark.parametrize("sort", [*listing.SORTS, *(f"-{name}" for name in listing.SORTS)])
def test_cursor_pages_walk_every_row_once_in_order(org: Organization, sort: str) -> None:
    # given: ties in every sort value and findings without an SLA date
    asset = factories.asset(org)
    today = timezone.now().date()
    for number in range(7):
        finding = factories.finding(asset, severity=["critical", "low"][number % 2])
        due = None if number % 3 == 0 else today + timedelta(days=number % 2)
        Finding.objects.filter(pk=finding.pk).update(sla_due_on=due, first_seen=timezone.now())
    everything = list(listing.ordered(Finding.objects.all(), sort).values_list("pk", flat=True))

    # when
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        page = listing.page_of(Finding.objects.all(), sort=sort, cursor=cursor, size=3)
        seen.extend(finding.pk for finding in page.rows)
        cursor = page.next_cursor
        if cursor is None:
            break

    # then
    assert seen == everything
    assert len(seen) == 7


def test_a_forged_cursor_shows_the_first_page(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/?cursor=not-base64!!")

    assert response.status_code == 200
    assert len(response.context["rows"]) == 4


def test_a_page_costs_no_count_of_the_table(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    with CaptureQueriesContext(connection) as queries:
        client.get("/findings/?severity=high")

    assert [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()] == []


def test_the_next_page_link_carries_the_filters_and_a_cursor(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    seed(org)
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    client = client_for(factories.member(org, Role.VIEWER))

    # when
    first = client.get("/findings/?ordering=-severity&columns=tool")
    second = client.get("/findings/" + first.context["next_url"])

    # then
    assert titles(first) == ["SQL injection in search", "Reflected XSS"]
    assert titles(second) == ["Weak TLS ciphers", "Old jQuery"]
    assert second.context["next_url"] is None
    assert second.context["column_names"] == ["tool"]


def test_the_chosen_columns_are_the_tables_columns(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/?columns=tool&columns=organization&columns=bogus")

    assert response.context["columns"] == [("organization", "Organisation"), ("tool", "Tool")]
    assert b'<th scope="col">Tool</th>' in response.content
    assert b'<th scope="col">Assignee</th>' not in response.content


def test_titles_are_escaped(org: Organization) -> None:
    factories.finding(factories.asset(org), title='<script>alert(1)</script><a href="javascript:x">y</a>')
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/")

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert b'href="javascript:' not in response.content


def test_without_findings_the_page_says_how_to_get_some(org: Organization) -> None:
    client = client_for(factories.member(org, Role.OWNER))

    empty = client.get("/findings/")
    filtered = client.get("/findings/?severity=critical")

    assert b"No findings yet" in empty.content
    assert b"No finding matches these filters" in filtered.content


def test_the_csv_export_streams_the_current_filter(org: Organization, other_org: Organization) -> None:
    # given
    seed(org)
    factories.finding(factories.asset(org), severity="high", title='=HYPERLINK("http://evil")')
    client = client_for(factories.member(org, Role.VIEWER))

    # when
    response = client.get("/findings/export.csv?severity=high&ordering=id&cursor=ignored")

    # then
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == listing.CSV_HEADER
    assert [row[3] for row in rows[1:]] == ["Reflected XSS", '\'=HYPERLINK("http://evil")']


def test_the_export_link_keeps_the_filters(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/?severity=high&cursor=abc")

    assert response.context["export_url"] == "/findings/export.csv?severity=high"


def test_a_viewer_sees_no_triage_control(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/")

    assert b'id="bulk-form"' not in response.content
    assert b"data-select-row" not in response.content


def test_an_analyst_sees_the_triage_controls(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.get("/findings/")

    assert b'id="bulk-form"' in response.content
    assert response.content.count(b"data-select-row") == 4


def test_a_viewers_forged_bulk_post_is_refused(org: Organization) -> None:
    # given
    findings = seed(org)
    client = client_for(factories.member(org, Role.VIEWER))

    # when
    response = client.post(
        "/findings/bulk",
        {"ids": [findings["sqli"].pk], "action": "transition", "status": "triaged", "reason": "x"},
    )

    # then
    assert response.status_code == 403
    findings["sqli"].refresh_from_db()
    assert findings["sqli"].status == "open"


def test_bulk_transition_moves_the_selected_findings_with_the_reason(org: Organization) -> None:
    # given
    findings = seed(org)
    analyst = factories.member(org, Role.ANALYST)
    client = client_for(analyst)
    back = "/findings/?severity=critical&severity=medium"

    # when
    response = client.post(
        "/findings/bulk",
        {
            "ids": [findings["sqli"].pk, findings["tls"].pk],
            "action": "transition",
            "status": "triaged",
            "reason": "confirmed by hand",
            "next": back,
        },
        follow=True,
    )

    # then
    assert response.redirect_chain == [(back, 302)]
    assert [str(message) for message in response.context["messages"]] == ["2 findings changed."]
    for key in ("sqli", "tls"):
        findings[key].refresh_from_db()
        assert findings[key].status == "triaged"
        move = findings[key].transitions.get()
        assert (move.reason, move.actor_id) == ("confirmed by hand", analyst.pk)
    assert findings["xss"].transitions.count() == 0


def test_bulk_assign_by_member_and_unassign(org: Organization) -> None:
    findings = seed(org)
    client = client_for(factories.member(org, Role.ANALYST))
    colleague = factories.member(org, Role.VIEWER, email="colleague@acme.example")
    ids = [findings["sqli"].pk, findings["xss"].pk]

    client.post("/findings/bulk", {"ids": ids, "action": "assign", "assignee": "colleague@acme.example"})
    assigned = list(Finding.objects.filter(pk__in=ids).values_list("assignee_id", flat=True))
    client.post("/findings/bulk", {"ids": ids, "action": "assign", "assignee": "none"})
    unassigned = list(Finding.objects.filter(pk__in=ids).values_list("assignee_id", flat=True))

    assert assigned == [colleague.pk, colleague.pk]
    assert unassigned == [None, None]


def test_bulk_tag_adds_the_tags(org: Organization) -> None:
    findings = seed(org)
    client = client_for(factories.member(org, Role.ANALYST))

    client.post("/findings/bulk", {"ids": [findings["tls"].pk], "action": "tag", "tags": "pci, q3 "})

    assert sorted(findings["tls"].tags.values_list("name", flat=True)) == ["pci", "q3"]


def test_a_bulk_action_on_another_organisations_finding_changes_nothing(
    org: Organization, other_org: Organization
) -> None:
    # given
    findings = seed(org)
    secret = Finding.objects.get(title="Globex secret")
    client = client_for(factories.member(org, Role.ANALYST))

    # when
    response = client.post(
        "/findings/bulk",
        {"ids": [findings["sqli"].pk, secret.pk], "action": "transition", "status": "triaged"},
        follow=True,
    )

    # then
    assert [str(message) for message in response.context["messages"]] == [
        "Nothing was changed: 1 of the findings were not found."
    ]
    assert set(
        Finding.objects.values_list("status", flat=True).filter(pk__in=[findings["sqli"].pk, secret.pk])
    ) == {"open"}


def test_a_bulk_action_without_a_selection_is_explained(org: Organization) -> None:
    seed(org)
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.post("/findings/bulk", {"action": "transition", "status": "triaged"}, follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "Nothing was changed: select at least one finding"
    ]


def test_a_bulk_post_never_redirects_off_the_findings_list(org: Organization) -> None:
    findings = seed(org)
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.post(
        "/findings/bulk",
        {"ids": [findings["tls"].pk], "action": "tag", "tags": "a", "next": "https://evil.example/findings/"},
    )

    assert response["Location"] == "/findings/"
