"""One walk through the product in real Chromium, as its users do it, from a signed-out browser.

Ana, the owner of acme, signs in with her password and her authenticator app's code, imports a
scanner's report and watches it complete, filters the findings, selects two by keyboard and
resolves them in bulk, accepts a finding's risk and comments on it, looks at the assets and
engagements, creates and revokes an API token, invites a member, opens the code analysis page and
signs out. Then Vic, a viewer, signs in and finds no write control anywhere, and another
organisation's finding by URL answers 404. Every page is checked for console errors and by axe;
the database is checked after every write.
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from bastion.contracts.principal import Role
from bastion.core.findings.models import Comment, Finding
from bastion.core.imports import tasks
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy.models import ApiToken, Membership, Organization
from tests import factories
from tests.web.conftest import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCANS = Path(__file__).resolve().parents[1] / "fixtures" / "scans"
REPORT = SCANS / "bandit" / "dd.json"
PASSWORD = "a long test password"  # factories.member's
RESOLVE_REASON = "Fixed in release 4.2"
NOT_FOUND_ERROR = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def expected_findings(report: Path) -> int:
    """Return how many findings EXPECTED.tsv says a fixture report holds."""
    with (SCANS / "EXPECTED.tsv").open(newline="") as table:
        for row in csv.DictReader(table, delimiter="\t"):
            if (row["tool"], row["file"]) == (report.parent.name, report.name):
                return int(row["expected_findings_count"])
    raise LookupError(f"{report} is not in EXPECTED.tsv")


def totp_code(secret: str) -> str:
    """Return the code an authenticator app shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def checked(page: Any) -> None:
    """Check the page as every page is checked: no console error, no serious accessibility violation."""
    assert page.console_errors == []
    assert_accessible(page)


def menu(page: Any, name: str) -> Any:
    """Return the main navigation's link to a page."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


def follow(page: Any, target: Any) -> None:
    """Click what leads to another page and wait until that page has loaded (its scripts bound)."""
    with page.expect_navigation():
        target.click()


def sign_in(page: Any, email: str) -> None:
    """Fill the sign-in form (the page is on it) and send it."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))


@pytest.fixture
def acme(monkeypatch: pytest.MonkeyPatch) -> Organization:
    # No worker in the tests: the import runs in the server's thread when its transaction commits.
    monkeypatch.setattr(tasks.run_import, "delay", lambda job_id: tasks.run_import(job_id))
    cache.clear()  # allauth's rate limits and used TOTP codes live in the cache
    return factories.organization("acme")


def test_an_owner_walks_the_product_and_a_viewer_can_change_nothing(
    page_for: Any, acme: Organization
) -> None:
    # given: Ana (owner, with an authenticator app), an admin who approves risks, a viewer, an asset
    # with an engagement, and another organisation's finding
    ana = factories.member(acme, Role.OWNER, email="ana@example.com")
    secret = factories.totp_authenticator(ana)
    factories.member(acme, Role.ADMIN, email="boss@example.com")
    factories.member(acme, Role.VIEWER, email="vic@example.com")
    shop = factories.asset(acme, name="shop")
    factories.engagement(shop, name="Q3 pentest")
    globex_finding = factories.finding(
        factories.asset(factories.organization("globex")), title="Globex secret"
    )
    total = expected_findings(REPORT)
    page = page_for(None)

    # Ana signs in: password, then her authenticator's code
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    checked(page)
    sign_in(page, "ana@example.com")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    checked(page)
    page.get_by_label("Code").fill(totp_code(secret))
    follow(page, page.get_by_role("button", name="Sign In").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert page.url.endswith("/")
    checked(page)

    # She imports the report for the asset and watches it complete
    follow(page, menu(page, "Imports"))
    page.locator("#id_file").set_input_files(str(REPORT))
    page.get_by_label("Asset", exact=True).select_option(label="shop (acme)")
    follow(page, page.get_by_role("button", name="Import"))
    expect(page.locator("#import-progress")).to_have_attribute("data-state", "completed")
    expect(page.locator("#import-state")).to_have_text("Completed")
    expect(page.locator("#import-counts tbody td")).to_have_text([str(total), str(total), "0", "0", "0", "0"])
    checked(page)
    job = ImportJob.objects.get()
    assert (job.state, job.asset_id, job.parsed, job.new, job.created_by_id) == (
        "completed",
        shop.pk,
        total,
        total,
        ana.pk,
    )
    assert Counter(Finding.objects.filter(asset=shop).values_list("severity", "status")) == {
        ("medium", "open"): 36,
        ("low", "open"): 11,
    }

    # She filters the list to the low findings, selects the first two by keyboard, resolves them
    follow(page, menu(page, "Findings"))
    page.get_by_role("group", name="Severity").get_by_label("Low").check()
    follow(page, page.get_by_role("button", name="Apply", exact=True))
    expect(page.locator("[data-finding-row]")).to_have_count(11)
    checked(page)
    page.evaluate("document.activeElement.blur()")
    for key in ("j", "x", "j", "x"):
        page.keyboard.press(key)
    expect(page.locator("[data-bulk-count]")).to_have_text("2 findings selected.")
    chosen = sorted(
        int(box.get_attribute("value")) for box in page.locator("[data-select-row]:checked").all()
    )
    first_two = [int(box.get_attribute("value")) for box in page.locator("[data-select-row]").all()[:2]]
    assert chosen == sorted(first_two)
    page.get_by_label("New status").select_option("resolved")
    page.get_by_label("Reason").fill(RESOLVE_REASON)
    page.get_by_role("button", name="Apply to selected…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("[data-bulk-summary]")).to_have_text("Move 2 findings to Resolved. All or none.")
    checked(page)
    follow(page, dialog.get_by_role("button", name="Confirm"))
    expect(page.locator(".toast")).to_have_text("2 findings changed.")
    checked(page)
    assert sorted(Finding.objects.filter(status="resolved").values_list("pk", flat=True)) == chosen
    assert (
        sorted(Finding.objects.filter(transitions__reason=RESOLVE_REASON).values_list("pk", flat=True))
        == chosen
    )
    statuses = Counter(Finding.objects.filter(asset=shop).values_list("status", flat=True))
    assert statuses == {"open": total - 2, "resolved": 2}

    # She opens the third low finding, accepts its risk, and comments on it
    third = page.locator("[data-finding-link]").nth(2)
    accepted_id = int(third.get_attribute("href").strip("/").split("/")[-1])
    follow(page, third)
    expect(page).to_have_url(re.compile(rf"/findings/{accepted_id}/$"))
    checked(page)
    until = timezone.now().date() + timedelta(days=30)
    page.get_by_label("New status").select_option("risk_accepted")
    page.get_by_label("Reason").fill("Behind the WAF")
    page.get_by_label("Justification").fill("A WAF rule blocks the payloads until the fix ships.")
    page.get_by_label("Approver").select_option(label="boss@example.com")
    page.get_by_label("Accepted until").fill(until.isoformat())
    follow(page, page.get_by_role("button", name="Change status"))
    expect(page.locator("#finding-status")).to_have_text("Risk accepted")
    checked(page)
    accepted = Finding.objects.select_related("risk_approved_by").get(pk=accepted_id)
    assert (accepted.status, accepted.risk_approved_by.email, accepted.risk_accepted_until) == (
        "risk_accepted",
        "boss@example.com",
        until,
    )
    assert accepted.risk_justification == "A WAF rule blocks the payloads until the fix ships."
    page.get_by_role("textbox", name="Comment").fill("Asked the shop team: fix expected Friday.")
    follow(page, page.get_by_role("button", name="Add comment"))
    expect(page.locator(".comment__body")).to_have_text("Asked the shop team: fix expected Friday.")
    checked(page)
    assert list(Comment.objects.values_list("finding_id", "author__email", "body")) == [
        (accepted_id, "ana@example.com", "Asked the shop team: fix expected Friday.")
    ]

    # She looks at the assets and the engagements
    follow(page, menu(page, "Assets"))
    expect(page.get_by_role("link", name="36 open medium findings on shop")).to_be_visible()
    expect(page.get_by_role("link", name="8 open low findings on shop")).to_be_visible()
    checked(page)
    follow(page, page.get_by_role("link", name="shop", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("shop")
    checked(page)
    follow(page, menu(page, "Engagements"))
    expect(page.locator("#engagements-table tbody tr")).to_have_count(1)
    expect(page.locator("#engagements-table tbody td").first).to_contain_text("Q3 pentest")
    checked(page)

    # In acme's settings she creates a token (shown once) and revokes it, and invites a member
    follow(page, menu(page, "Settings"))
    with page.expect_navigation():
        page.locator("#organization-switcher").select_option("acme")
    expect(page.locator("#members-table")).to_be_visible()
    checked(page)
    page.locator("#token-form").get_by_label("Name").fill("ci")
    follow(page, page.get_by_role("button", name="Create token"))
    expect(page.locator("#new-key-value")).to_be_visible()
    key = page.locator("#new-key-value").inner_text()
    token = ApiToken.objects.get()
    assert (key.startswith(token.prefix), token.name, token.user_id, token.revoked_at) == (
        True,
        "ci",
        ana.pk,
        None,
    )
    checked(page)
    page.goto("/settings/")
    expect(page.locator("#new-key-value")).to_have_count(0)
    follow(page, page.get_by_role("button", name=f"Revoke token {token.prefix}"))
    expect(page.locator(".toast")).to_have_text(f"Token {token.prefix}… is revoked.")
    checked(page)
    token.refresh_from_db()
    assert token.revoked_at is not None
    page.locator("#invite-form").get_by_label("E-mail").fill("new@example.com")
    page.locator("#invite-role").select_option("analyst")
    follow(page, page.locator("#invite-form").get_by_role("button", name="Invite"))
    expect(page.locator(".toast")).to_contain_text("new@example.com was invited as analyst")
    checked(page)
    assert Membership.objects.get(organization=acme, user__email="new@example.com").role == "analyst"
    assert [message.to for message in mail.outbox] == [["new@example.com"]]

    # The code analysis page loads; she signs out
    follow(page, menu(page, "Code analysis"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Code analysis")
    checked(page)
    page.locator("details.user-menu > summary").click()
    follow(page, page.get_by_role("button", name="Sign out"))
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/settings/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/settings/$"))

    # Vic, a viewer, signs in (no authenticator) and finds no write control
    sign_in(page, "vic@example.com")
    expect(page).to_have_url(re.compile(r"/settings/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    with page.expect_navigation():
        page.locator("#organization-switcher").select_option("acme")
    expect(page.locator("#members-table")).to_be_visible()
    assert page.locator("main form[method=post]").count() == 0
    checked(page)
    page.goto(f"/findings/{accepted_id}/")
    expect(page.locator("#finding-status")).to_have_text("Risk accepted")
    assert page.locator("form[action^='/findings/']").count() == 0
    checked(page)
    page.goto("/findings/")
    expect(page.locator("[data-finding-row]")).to_have_count(total)
    assert (page.locator("#bulk-form").count(), page.locator("[data-select-row]").count()) == (0, 0)
    checked(page)
    failed: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda answer: failed.append((answer.status, answer.url)) if answer.status >= 400 else None,
    )
    response = page.goto(f"/findings/{globex_finding.pk}/")
    assert response.status == 404
    assert "Globex secret" not in page.content()
    expect(page.get_by_role("heading", level=1)).to_have_text("This page does not exist")
    # The browser reports the page's own 404 as a console error; nothing else failed to load.
    assert failed == [(404, response.url)]
    assert page.console_errors == [NOT_FOUND_ERROR]
    assert_accessible(page)
