"""The finding page in real Chromium: read, comment, accept a risk, by an analyst; axe clean."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.findings.models import Finding
from bastion.core.tenancy.models import Organization
from tests import factories
from tests.web.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


@pytest.fixture
def finding(org: Organization) -> Finding:
    asset = factories.asset(org, name="web-shop", criticality=5)
    return factories.finding(
        asset,
        severity="high",
        title="SQL injection in product search",
        description="User input reaches a SQL query without parameters.\n<script>alert(1)</script>",
        tool="semgrep",
        rule_id="python.django.security.injection.sql",
        file_path="shop/search.py",
        line_start=42,
        evidence="cursor.execute(\"SELECT * FROM items WHERE name = '%s'\" % query)",
        cvss_v3_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N",
        advisory_ids=["CVE-2024-12345"],
        cwe_ids=[89],
        references=["javascript:alert(2)", "https://owasp.org/www-community/attacks/SQL_Injection"],
    )


def test_an_analyst_comments_and_accepts_a_risk(page_for: Any, org: Organization, finding: Finding) -> None:
    # given
    factories.member(org, Role.ADMIN, email="boss@example.com")
    page = page_for(factories.member(org, Role.ANALYST, email="ana@example.com"))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # when: the page opens
    response = page.goto(f"/findings/{finding.pk}/")

    # then
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "SQL injection in product search"
    assert page.get_by_role("link", name="CVE-2024-12345").get_attribute("href") == (
        "https://nvd.nist.gov/vuln/detail/CVE-2024-12345"
    )
    assert page.get_by_role("link", name="javascript:alert(2)").count() == 0
    assert_accessible(page)

    # when: a comment
    page.get_by_role("textbox", name="Comment (required)").fill("Asked the shop team.\nFix expected Friday.")
    page.get_by_role("button", name="Add comment").click()

    # then
    assert page.locator(".comment__body").inner_text() == "Asked the shop team.\nFix expected Friday."
    assert page.get_by_role("status").inner_text() == "Comment added."

    # when: a risk acceptance
    page.get_by_label("New status").select_option("risk_accepted")
    page.get_by_label("Reason").fill("Behind the WAF")
    page.get_by_label("Justification").fill("A WAF rule blocks the payloads until the fix ships.")
    page.get_by_label("Approver").select_option(label="boss@example.com")
    page.get_by_label("Accepted until").fill((timezone.now().date() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Change status").click()

    # then
    assert page.locator("#finding-status").inner_text() == "Risk accepted"
    assert "Open → Risk accepted" in page.locator("#timeline-list").inner_text()
    finding.refresh_from_db()
    assert (finding.status, finding.risk_approved_by.email) == ("risk_accepted", "boss@example.com")
    assert dialogs == []
    assert page.console_errors == []
    page.goto(f"/findings/{finding.pk}/")
    assert_accessible(page)
    screenshot(page, "finding")


def test_a_viewer_sees_the_finding_without_write_controls(
    page_for: Any, org: Organization, finding: Finding
) -> None:
    page = page_for(factories.member(org, Role.VIEWER))

    page.goto(f"/findings/{finding.pk}/")

    assert page.locator("form[action^='/findings/']").count() == 0
    assert page.get_by_text("No comment yet.").is_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_a_markdown_comment_renders_formatted_and_runs_nothing(
    page_for: Any, org: Organization, finding: Finding
) -> None:
    # given
    page = page_for(factories.member(org, Role.ANALYST))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/findings/{finding.pk}/")
    assert page.locator("#id_body-help").inner_text() == "Markdown: **bold**, `code`, lists, links"

    # when
    page.get_by_role("textbox", name="Comment (required)").fill(
        "## Plan\n**Patched** in `search.py`:\n\n- parameters\n- a test\n\n"
        "[the PR](https://git.example.com/pr/7) <script>window.pwned = 1; alert(1)</script>\n"
        '<img src=x onerror="window.pwned = 2; alert(2)"> [click](javascript:window.pwned=3)'
    )
    page.get_by_role("button", name="Add comment").click()
    page.get_by_role("status").filter(has_text="Comment added.").wait_for()

    # then: formatted
    body = page.locator(".comment__body")
    assert body.get_by_role("heading", level=4).inner_text() == "Plan"
    assert body.locator("strong").inner_text() == "Patched"
    assert body.locator("code").inner_text() == "search.py"
    assert body.locator("li").all_inner_texts() == ["parameters", "a test"]
    link = body.get_by_role("link", name="the PR")
    assert (link.get_attribute("href"), link.get_attribute("rel")) == (
        "https://git.example.com/pr/7",
        "noopener noreferrer nofollow",
    )
    # then: nothing ran, and nothing was injected, in the comments or the timeline
    assert "<script>window.pwned = 1; alert(1)</script>" in body.inner_text()
    assert page.evaluate("typeof window.pwned") == "undefined"
    injected = page.evaluate(
        "document.querySelectorAll('.markdown script, .markdown img, .markdown [onerror], "
        'a[href^="javascript:" i]\').length'
    )
    assert injected == 0
    assert page.locator(".markdown").count() == 2  # the comment and its timeline entry
    assert body.get_by_role("link", name="click").count() == 0
    assert dialogs == []
    assert page.console_errors == []
    assert_accessible(page)
