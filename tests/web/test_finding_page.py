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
    assert (
        '<div class="comment__body markdown">'
        "<p>Asked the team.<br>\n&lt;b&gt;Fix&lt;/b&gt; due Friday.</p>\n</div>" in html
    )
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


def test_the_timeline_names_the_import_that_reported_the_finding(org: Organization, finding: Finding) -> None:
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
    job.sightings.create(finding=finding)

    # when
    html = client_for(factories.member(org, Role.VIEWER)).get(url(finding)).content.decode()

    # then
    assert "Reported by the import of semgrep.json" in html
    assert "Completed: 1 new, 0 updated, 0 reopened, 0 resolved, 0 unchanged" in html


def test_the_timeline_lists_every_import_that_saw_the_finding(org: Organization, finding: Finding) -> None:
    # given: two imports saw the finding, one by an analyst; a third import did not
    uploader = factories.member(org, Role.ANALYST, email="ci@acme.test")
    started = timezone.now() - timedelta(days=2)
    first, second, unrelated = (
        ImportJob.objects.create(
            organization=org,
            asset=finding.asset,
            created_by=uploader if name == "monday.sarif" else None,
            file_name=name,
            storage_key="k",
            state="completed",
            finished_at=started + timedelta(days=day),
            new=new,
            unchanged=unchanged,
        )
        for day, name, new, unchanged in ((0, "monday.sarif", 1, 0), (1, "", 0, 1), (2, "other.sarif", 3, 0))
    )
    ImportJob.objects.filter(pk=second.pk).update(format="semgrep")
    for job in (first, second):
        job.sightings.create(finding=finding)

    # when
    html = client_for(factories.member(org, Role.VIEWER)).get(url(finding)).content.decode()

    # then: both, oldest first as the timeline reads, each with its uploader and counts
    assert html.count("Reported by the import of") == 2
    monday = html.index('Reported by the import of monday.sarif</strong> <span class="muted">by ci@acme.test')
    semgrep = html.index("Reported by the import of semgrep</strong>")
    assert monday < semgrep
    assert "Completed: 1 new, 0 updated, 0 reopened, 0 resolved, 0 unchanged" in html
    assert "Completed: 0 new, 0 updated, 0 reopened, 0 resolved, 1 unchanged" in html
    assert "other.sarif" not in html
    assert unrelated.sightings.exists() is False
    assert "earlier import" not in html


def test_the_timeline_lists_the_200_newest_imports_and_counts_the_earlier_ones(
    org: Organization, finding: Finding
) -> None:
    # given: 205 daily imports saw the finding
    first_day = timezone.now() - timedelta(days=300)
    jobs = ImportJob.objects.bulk_create(
        ImportJob(
            organization=org,
            asset=finding.asset,
            file_name=f"scan-{day:03}.json",
            storage_key="k",
            state="completed",
            finished_at=first_day + timedelta(days=day, minutes=5),
        )
        for day in range(205)
    )
    for day, job in enumerate(jobs):
        job.created_at = first_day + timedelta(days=day)
    ImportJob.objects.bulk_update(jobs, ["created_at"])
    sightings = finding.sightings
    sightings.bulk_create(sightings.model(finding=finding, import_job=job) for job in jobs)

    # when
    html = client_for(factories.member(org, Role.VIEWER)).get(url(finding)).content.decode()

    # then: the newest 200 (days 5 to 204), and one line for the 5 before, dated with the first
    assert html.count("Reported by the import of scan-") == 200
    assert "Reported by the import of scan-204.json" in html
    assert "Reported by the import of scan-005.json" in html
    assert "scan-004.json" not in html
    assert "… and 5 earlier imports" in html
    earliest = timezone.localtime(first_day + timedelta(minutes=5)).isoformat()
    earlier = html.index("… and 5 earlier imports")
    assert f'<time datetime="{earliest}"' in html[html.rindex("<li", 0, earlier) : earlier]
    assert earlier < html.index("scan-005.json")
    assert "Only the 200 newest imports are listed." in html


def test_a_markdown_comment_is_rendered_on_the_page_and_in_the_timeline(
    org: Organization, finding: Finding
) -> None:
    # given
    client = client_for(factories.member(org, Role.ANALYST))
    body = (
        "**Fixed** in `v2`:\n\n- patch\n- deploy\n\n[PR](https://git.example.com/pr/1) "
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))"
    )

    # when
    response = client.post(url(finding, "comments"), {"body": body})
    html = client.get(url(finding)).content.decode()

    # then
    assert response.status_code == 302
    rendered = (
        "<p><strong>Fixed</strong> in <code>v2</code>:</p>\n<ul>\n<li>patch</li>\n<li>deploy</li>\n</ul>\n"
        '<p><a href="https://git.example.com/pr/1" rel="noopener noreferrer nofollow">PR</a> '
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; "
        "[x](javascript:alert(3))</p>\n"
    )
    assert f'<div class="comment__body markdown">{rendered}</div>' in html
    assert f'<div class="markdown">{rendered}</div>' in html  # the timeline's comment entry
    assert "<script>alert" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html


def test_the_comment_form_gives_the_markdown_hint(org: Organization, finding: Finding) -> None:
    html = client_for(factories.member(org, Role.ANALYST)).get(url(finding)).content.decode()

    assert '<p class="field__help" id="id_body-help">Markdown: **bold**, `code`, lists, links</p>' in html


def test_a_comment_of_20000_characters_is_kept_and_one_longer_is_refused(
    org: Organization, finding: Finding
) -> None:
    # given
    client = client_for(factories.member(org, Role.ANALYST))
    longest = "word " * 3_999 + "end. "

    # when
    kept = client.post(url(finding, "comments"), {"body": longest})
    refused = client.post(url(finding, "comments"), {"body": longest + "x"})
    html = client.get(url(finding)).content.decode()

    # then
    assert (kept.status_code, refused.status_code) == (302, 400)
    assert "Ensure this value has at most 20000 characters (it has 20001)." in refused.content.decode()
    assert Comment.objects.get().body == longest.strip()
    assert f'<div class="comment__body markdown"><p>{longest.strip()}</p>\n</div>' in html


def test_a_comment_with_a_nul_byte_is_refused(org: Organization, finding: Finding) -> None:
    response = client_for(factories.member(org, Role.ANALYST)).post(
        url(finding, "comments"), {"body": "before\x00after"}
    )

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert Comment.objects.count() == 0


def test_the_assistant_panel_is_offered_to_a_viewer_about_this_finding(
    org: Organization, finding: Finding
) -> None:
    html = client_for(factories.member(org, Role.VIEWER)).get(url(finding)).content.decode()

    assert (
        f'<form id="assistant-form" data-chat-url="/agent/v1/chat/stream" data-max-message="8000" '
        f'data-finding-id="{finding.pk}" data-organization-id="{org.pk}" '
        f'data-page-url="/findings/{finding.pk}/">'
    ) in html
    assert 'id="assistant-conversation" role="log" aria-live="polite"' in html
    assert "as a viewer you cannot confirm changes" in html
    assert '"false_positive": "False positive"' in html  # the status names, as JSON data
    assert '<script src="/static/web/finding/assistant.js" defer></script>' in html
