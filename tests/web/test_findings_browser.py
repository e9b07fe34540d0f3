"""The findings list in real Chromium: filter, move by keyboard, select, bulk triage with a confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.contracts.principal import Role
from bastion.core.findings.models import Finding, SavedView
from bastion.core.tenancy.models import Organization
from bastion.core.web.findings import listing
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


def test_a_user_saves_a_view_applies_it_and_deletes_it(page_for: Any, org: Organization) -> None:
    # given
    page = page_for(factories.member(org, Role.VIEWER, email="vera@acme.example"))
    page.goto("/findings/?severity=high&ordering=-severity")

    # when: save the list as it is under a name
    page.get_by_role("button", name="Save view…").click()
    dialog = page.get_by_role("dialog", name="Save this view")
    dialog.get_by_label("Name").fill("High ones")
    assert_accessible(page)
    with page.expect_navigation():
        dialog.get_by_role("button", name="Save", exact=True).click()

    # then
    assert page.locator(".toast").inner_text() == "View “High ones” saved."
    assert page.locator('#saved-views a[aria-current="true"]').inner_text() == "High ones"
    assert list(SavedView.objects.values_list("name", "query")) == [
        ("High ones", "severity=high&ordering=-severity")
    ]

    # when: from the whole list, apply it
    page.goto("/findings/")
    with page.expect_navigation():
        page.get_by_role("link", name="High ones").click()

    # then
    assert page.url.endswith("/findings/?severity=high&ordering=-severity")
    assert page.locator("[data-finding-link]").all_inner_texts() == ["Reflected XSS"]

    # when: delete it through its confirmation
    page.get_by_role("button", name="Delete the view High ones").click()
    with page.expect_navigation():
        page.get_by_role("dialog", name="Delete the view “High ones”?").get_by_role(
            "button", name="Delete"
        ).click()

    # then: back on the same list, the view gone
    assert page.locator(".toast").inner_text() == "View “High ones” deleted."
    assert page.url.endswith("/findings/?severity=high&ordering=-severity")
    assert SavedView.objects.count() == 0
    assert page.get_by_text("No saved view yet").count() == 1
    assert page.console_errors == []


def test_headers_sort_and_j_and_k_cross_the_pages(
    page_for: Any, org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: pages of two findings
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    page = page_for(factories.member(org, Role.VIEWER))
    page.goto("/findings/?ordering=id")

    # when: sort by the severity header, then again
    with page.expect_navigation():
        page.locator("thead a", has_text="Severity").click()
    worst_first = page.locator("[data-finding-link]").all_inner_texts()
    sorted_header = page.locator("th[aria-sort]").get_attribute("aria-sort")
    with page.expect_navigation():
        page.locator("thead a", has_text="Severity").click()

    # then
    assert (worst_first, sorted_header) == (["SQL injection in search", "Reflected XSS"], "descending")
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    assert page.locator("#ordering").input_value() == "severity"
    assert page.locator("[data-finding-link]").all_inner_texts() == ["Old jQuery", "Weak TLS ciphers"]

    # when: j past the last row opens the next page on its first row
    page.locator("body").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("j")

    # then
    assert page.locator("[data-finding-link]").all_inner_texts() == [
        "Reflected XSS",
        "SQL injection in search",
    ]
    assert page.evaluate("document.activeElement.textContent") == "Reflected XSS"
    assert "#" not in page.url

    # when: k before the first row goes back to the previous page, on its last row
    with page.expect_navigation():
        page.keyboard.press("k")

    # then
    assert page.locator("[data-finding-link]").all_inner_texts() == ["Old jQuery", "Weak TLS ciphers"]
    assert page.evaluate("document.activeElement.textContent") == "Weak TLS ciphers"
    assert page.locator("#previous-page").count() == 0
    assert_accessible(page)
    assert page.console_errors == []


def test_a_tampered_page_link_shows_the_first_page_with_a_message(page_for: Any, org: Organization) -> None:
    page = page_for(factories.member(org, Role.VIEWER))

    page.goto("/findings/?cursor=forged")

    assert (
        page.locator(".toast").inner_text()
        == "That page link was changed or is out of date: this is the first page."
    )
    assert page.locator("[data-finding-link]").count() == 4
