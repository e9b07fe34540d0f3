"""The finding page: what it shows, what it changes (through the services), and who may change it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.findings.models import Comment, Finding, FindingTransition
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy.models import Organization
from bastion.core.web.finding.views import advisory_url
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


@pytest.fixture
def finding(org: Organization) -> Finding:
    asset = factories.asset(org, name="web-shop")
    return factories.finding(
        asset,
        severity="critical",
        title="SQL injection in search",
        tool="semgrep",
        rule_id="python.sqli",
        file_path="shop/search.py",
        line_start=42,
        evidence="cursor.execute(\"SELECT * FROM items WHERE name = '%s'\" % query)",
        cvss_v3_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        advisory_ids=["CVE-2024-12345", "GHSA-abcd-efgh-ijkl", "OSV-2024-1"],
        cwe_ids=[89],
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def url(finding: Finding, action: str = "") -> str:
    return f"/findings/{finding.pk}/{action}"


def test_the_page_shows_everything_the_finding_holds(org: Organization, finding: Finding) -> None:
    # when
    response = client_for(factories.member(org, Role.VIEWER)).get(url(finding))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span class="badge badge--critical">Critical</span>' in html
    assert "<strong>9.8</strong> <code>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</code>" in html
    assert 'href="https://nvd.nist.gov/vuln/detail/CVE-2024-12345"' in html
    assert 'href="https://github.com/advisories/GHSA-abcd-efgh-ijkl"' in html
    assert "OSV-2024-1" in html
    assert 'href="https://cwe.mitre.org/data/definitions/89.html"' in html
    assert "<code>shop/search.py:42</code>" in html
    assert "cursor.execute(&quot;SELECT * FROM items WHERE name = &#x27;%s&#x27;&quot; % query)" in html
    assert "semgrep · <code>python.sqli</code>" in html
    assert "First seen" in html


def test_advisory_links_go_to_public_pages_only_for_known_identifiers() -> None:
    assert advisory_url("cve-2021-44228") == "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"
    assert advisory_url("GHSA-jfh8-c2jp-5v3q") == "https://github.com/advisories/GHSA-jfh8-c2jp-5v3q"
    assert advisory_url("GHSA-jfh8-c2jp-5v3q/../x") is None
    assert advisory_url("javascript:alert(1)") is None


def test_script_and_javascript_links_in_a_finding_render_inert(org: Organization) -> None:
    # given
    asset = factories.asset(org)
    evil = factories.finding(
        asset,
        title="<script>alert('title')</script>",
        description='<a href="javascript:alert(1)">click</a><script>alert("description")</script>',
        references=["javascript:alert(2)", "https://example.com/advisory"],
        evidence="<img src=x onerror=alert(3)>",
    )

    # when
    html = client_for(factories.member(org, Role.VIEWER)).get(url(evil)).content.decode()

    # then
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;" in html
    assert "<li>javascript:alert(2)</li>" in html
    assert '<a href="https://example.com/advisory" rel="noopener noreferrer">' in html


def test_another_organisations_finding_is_404(org: Organization, finding: Finding) -> None:
    # given
    other = factories.organization("globex")
    stranger = factories.member(other, Role.OWNER)

    # when
    page = client_for(stranger).get(url(finding))
    post = client_for(stranger).post(url(finding, "comments"), {"body": "mine now"})

    # then
    assert page.status_code == 404
    assert post.status_code == 404
    assert Comment.objects.count() == 0


def test_a_visitor_is_sent_to_sign_in(finding: Finding) -> None:
    response = Client().get(url(finding))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_viewer_sees_no_write_control_and_a_forged_post_is_refused(
    org: Organization, finding: Finding
) -> None:
    # given
    viewer = client_for(factories.member(org, Role.VIEWER))

    # when
    html = viewer.get(url(finding)).content.decode()
    comment = viewer.post(url(finding, "comments"), {"body": "hello"})
    status = viewer.post(url(finding, "status"), {"to_status": "triaged"})
    assignee = viewer.post(url(finding, "assignee"), {"assignee": ""})

    # then
    assert '<form method="post" action="/findings/' not in html
    assert 'id="triage"' not in html
    assert "No comment yet." in html
    assert [comment.status_code, status.status_code, assignee.status_code] == [403, 403, 403]
    finding.refresh_from_db()
    assert finding.status == "open"
    assert Comment.objects.count() == 0


def test_an_analyst_comments_and_the_comment_is_escaped_with_its_line_breaks(
    org: Organization, finding: Finding
) -> None:
    # given
    analyst = factories.member(org, Role.ANALYST, email="ana@example.com")
    client = client_for(analyst)

    # when
    response = client.post(url(finding, "comments"), {"body": "Asked the team.\n<b>Fix</b> due Friday."})

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/findings/{finding.pk}/#comments"
    comment = Comment.objects.get()
    assert (comment.finding_id, comment.author_id) == (finding.pk, analyst.pk)
    html = client.get(url(finding)).content.decode()
    assert '<p class="comment__body">Asked the team.<br>&lt;b&gt;Fix&lt;/b&gt; due Friday.</p>' in html
    assert "Comment added." in html


def test_an_empty_comment_is_refused_with_a_message(org: Organization, finding: Finding) -> None:
    response = client_for(factories.member(org, Role.ANALYST)).post(url(finding, "comments"), {"body": " "})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Comment.objects.count() == 0


def test_an_analyst_sees_only_the_allowed_transitions_and_makes_one(
    org: Organization, finding: Finding
) -> None:
    # given
    analyst = factories.member(org, Role.ANALYST)
    client = client_for(analyst)

    # when
    html = client.get(url(finding)).content.decode()
    response = client.post(url(finding, "status"), {"to_status": "resolved", "reason": "fixed in 1.2"})

    # then
    assert '<option value="triaged">Triaged</option>' in html
    assert '<option value="reopened">' not in html
    assert '<option value="in_progress">' not in html
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "resolved"
    move = FindingTransition.objects.get(finding=finding)
    assert (move.from_status, move.to_status, move.reason, move.actor_id) == (
        "open",
        "resolved",
        "fixed in 1.2",
        analyst.pk,
    )
    timeline = client.get(url(finding)).content.decode()
    assert "Open → Resolved" in timeline
    assert "fixed in 1.2" in timeline


def test_a_transition_the_workflow_refuses_is_not_made(org: Organization, finding: Finding) -> None:
    response = client_for(factories.member(org, Role.ANALYST)).post(
        url(finding, "status"), {"to_status": "reopened"}
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert FindingTransition.objects.count() == 0


def test_accepting_a_risk_records_justification_approver_and_expiry(
    org: Organization, finding: Finding
) -> None:
    # given
    admin = factories.member(org, Role.ADMIN, email="boss@example.com")
    client = client_for(factories.member(org, Role.ANALYST))
    expires_on = timezone.now().date() + timedelta(days=30)

    # when
    response = client.post(
        url(finding, "status"),
        {
            "to_status": "risk_accepted",
            "reason": "compensating control",
            "justification": "Behind the VPN; fix planned in Q3.",
            "approver": admin.pk,
            "expires_on": expires_on.isoformat(),
        },
    )

    # then
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.risk_approved_by_id, finding.risk_accepted_until) == (
        "risk_accepted",
        admin.pk,
        expires_on,
    )
    assert finding.risk_justification == "Behind the VPN; fix planned in Q3."
    html = client.get(url(finding)).content.decode()
    assert "boss@example.com" in html
    assert "Behind the VPN; fix planned in Q3." in html


def test_a_risk_acceptance_without_justification_is_refused_in_plain_words(
    org: Organization, finding: Finding
) -> None:
    # given
    admin = factories.member(org, Role.ADMIN)
    expires_on = timezone.now().date() + timedelta(days=30)

    # when
    response = client_for(factories.member(org, Role.ANALYST)).post(
        url(finding, "status"),
        {"to_status": "risk_accepted", "approver": admin.pk, "expires_on": expires_on.isoformat()},
    )

    # then
    assert response.status_code == 400
    assert "accepting a risk needs a justification" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "open"


def test_an_analyst_cannot_name_themselves_approver(org: Organization, finding: Finding) -> None:
    analyst = factories.member(org, Role.ANALYST)
    expires_on = timezone.now().date() + timedelta(days=30)

    response = client_for(analyst).post(
        url(finding, "status"),
        {
            "to_status": "risk_accepted",
            "justification": "trust me",
            "approver": analyst.pk,
            "expires_on": expires_on.isoformat(),
        },
    )

    assert response.status_code == 400
    finding.refresh_from_db()
    assert finding.status == "open"


def test_an_analyst_assigns_a_member_and_unassigns(org: Organization, finding: Finding) -> None:
    # given
    colleague = factories.member(org, Role.VIEWER, email="colleague@example.com")
    client = client_for(factories.member(org, Role.ANALYST))

    # when
    assigned = client.post(url(finding, "assignee"), {"assignee": colleague.pk})
    finding.refresh_from_db()
    assignee_after_assign = finding.assignee_id
    unassigned = client.post(url(finding, "assignee"), {"assignee": ""})
    finding.refresh_from_db()

    # then
    assert (assigned.status_code, unassigned.status_code) == (302, 302)
    assert assignee_after_assign == colleague.pk
    assert finding.assignee_id is None


def test_a_non_member_cannot_be_assigned(org: Organization, finding: Finding) -> None:
    outsider = factories.member(factories.organization("globex"), Role.OWNER)

    response = client_for(factories.member(org, Role.ANALYST)).post(
        url(finding, "assignee"), {"assignee": outsider.pk}
    )

    assert response.status_code == 400
    finding.refresh_from_db()
    assert finding.assignee_id is None


def test_the_timeline_names_the_import_that_last_reported_the_finding(
    org: Organization, finding: Finding
) -> None:
    # given
    job = ImportJob.objects.create(
        organization=org,
        asset=finding.asset,
        file_name="semgrep.json",
        storage_key="k",
        state="completed",
        new=1,
    )
    Finding.objects.filter(pk=finding.pk).update(last_import_id=job.pk)

    # when
    html = client_for(factories.member(org, Role.VIEWER)).get(url(finding)).content.decode()

    # then
    assert "Reported by the import of semgrep.json" in html
    assert "Completed: 1 new, 0 updated, 0 reopened, 0 resolved, 0 unchanged" in html
