"""The findings list in real Chromium: filter, move by keyboard, select, bulk triage with a confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.contracts.principal import Role
from bastion.core.findings.models import Finding
from bastion.core.tenancy.models import Organization
from tests import factories
from tests.web.conftest import assert_accessible, screenshot
from tests.web.test_findings import seed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def org() -> Organization:
    organization = factories.organization("acme")
    seed(organization)
    other = factories.organization("globex")
    factories.finding(factories.asset(other), severity="critical", title="Globex secret finding")
    return organization


def test_an_analyst_filters_selects_by_keyboard_and_triages_in_bulk(page_for: Any, org: Organization) -> None:
    # given
    page = page_for(factories.member(org, Role.ANALYST, email="alex@acme.example"))
    page.goto("/findings/")
    assert "Globex" not in page.content()

    # when: filter to critical and high
    page.get_by_role("group", name="Severity").get_by_label("Critical").check()
    page.get_by_role("group", name="Severity").get_by_label("High").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply", exact=True).click()

    # then
    links = page.locator("[data-finding-link]")
    assert links.all_inner_texts() == ["Reflected XSS", "SQL injection in search"]

    # when: j moves to the first row, j to the second, x selects it, k back up, x selects the first
    page.locator("body").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("k")
    page.keyboard.press("x")

    # then
    assert page.evaluate("document.activeElement.textContent") == "Reflected XSS"
    assert page.locator("[data-bulk-count]").inner_text() == "2 findings selected."

    # when: resolve both through the confirmation dialog
    page.get_by_label("New status").select_option("resolved")
    page.get_by_label("Reason").fill("fixed in release 4.2")
    page.get_by_role("button", name="Apply to selected…").click()
    dialog = page.get_by_role("dialog")
    assert dialog.locator("[data-bulk-summary]").inner_text() == ("Move 2 findings to Resolved. All or none.")
    assert_accessible(page)
    with page.expect_navigation():
        dialog.get_by_role("button", name="Confirm").click()

    # then
    assert page.locator(".toast").inner_text() == "2 findings changed."
    assert sorted(
        Finding.objects.filter(status="resolved", transitions__reason="fixed in release 4.2").values_list(
            "title", flat=True
        )
    ) == [
        "Reflected XSS",
        "SQL injection in search",
    ]
    assert "/findings/?severity=critical&severity=high&ordering=-id&columns=" in page.url
    assert page.console_errors == []


def test_enter_opens_the_finding_under_the_keyboard(page_for: Any, org: Organization) -> None:
    page = page_for(factories.member(org, Role.VIEWER))
    page.goto("/findings/?ordering=-severity")
    newest = Finding.objects.get(title="SQL injection in search")

    page.locator("body").click()
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(f"/findings/{newest.pk}/")


def test_a_viewer_sees_no_triage_control_and_the_page_is_accessible(page_for: Any, org: Organization) -> None:
    page = page_for(factories.member(org, Role.VIEWER, email="alex@acme.example"))

    page.goto("/findings/")

    assert page.locator("#bulk-form").count() == 0
    assert page.locator("[data-select-row]").count() == 0
    assert_accessible(page)
    assert page.console_errors == []


def test_the_list_screenshot(page_for: Any, org: Organization) -> None:
    # given (a fixed address: the screenshot is committed)
    page = page_for(factories.member(org, Role.OWNER, email="alex@acme.example"))

    # when
    page.goto("/findings/?ordering=-severity")
    page.locator("[data-select-row]").first.check()

    # then
    assert_accessible(page)
    screenshot(page, "findings")


def test_the_empty_list_says_what_to_do(page_for: Any) -> None:
    page = page_for(factories.member(factories.organization("fresh"), Role.OWNER, email="alex@acme.example"))

    page.goto("/findings/")

    assert page.get_by_role("heading", name="No findings yet").count() == 1
    assert_accessible(page)
    screenshot(page, "findings-empty")
