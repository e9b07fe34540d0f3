"""The scan pages in real Chromium: allow 127.0.0.1, start a host scan of it, watch it queued, cancel it.

No worker runs in the tests: the scan's message is recorded instead of sent, so the scan stays
queued (its log's one line says so) until the dialog cancels it.
"""

from __future__ import annotations

from typing import Any

import pytest

from bastion.contracts.principal import Role
from bastion.core.scans import services
from bastion.core.scans.models import AllowedRange, ScanJob
from bastion.core.tenancy.models import Organization
from tests import factories
from tests.web.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the scans sent to the scans queue (the live server runs in this process)."""
    sent: list[str] = []
    monkeypatch.setattr(services, "queue", lambda scan_id: sent.append(str(scan_id)))
    return sent


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


def test_an_owner_allows_loopback_starts_a_host_scan_and_cancels_it(
    page_for: Any, org: Organization, queued: list[str]
) -> None:
    # given: the allow-list is empty
    page = page_for(factories.member(org, Role.OWNER, email="owner@acme.example"))
    page.goto("/scans/targets/")
    assert page.locator("#no-entries").is_visible()
    assert_accessible(page)

    # when: the owner allows 127.0.0.1
    page.locator("#allow-value").fill("127.0.0.1/32")
    page.locator("#allow-note").fill("the test's own machine")
    with page.expect_navigation():
        page.get_by_role("button", name="Allow", exact=True).click()

    # then
    assert page.locator("#allow-list-table tbody td").first.inner_text() == "127.0.0.1/32"
    assert page.get_by_text("Scans of 127.0.0.1/32 are allowed in acme.").is_visible()
    assert list(AllowedRange.objects.values_list("value", flat=True)) == ["127.0.0.1/32"]

    # when: a host scan of 127.0.0.1 is started from the form (only the host's engines show)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Scans").click()
    assert page.get_by_role("group", name="Engines for a host").is_visible()
    assert page.get_by_role("group", name="Host options").is_visible()
    assert page.locator('fieldset[data-scan-kind="repository"]').count() == 2  # engines, options
    assert page.locator('fieldset[data-scan-kind="repository"]:visible').count() == 0
    assert_accessible(page)
    page.locator("#id_target").fill("127.0.0.1")
    page.locator("#id_ports").fill("1-1024")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the scan").click()

    # then: it is queued, with its one log line, and the page keeps polling its log
    scan = ScanJob.objects.get()
    assert queued == [str(scan.pk)]
    assert page.url.endswith(f"/scans/{scan.pk}/")
    page.wait_for_selector('#scan-log[data-state="queued"]')
    assert page.locator("#scan-state .badge").inner_text() == "Queued"
    assert page.locator("#scan-log-lines tbody tr td:nth-child(2)").all_inner_texts() == ["queued"]
    assert page.locator("#scan-log-lines tbody td").nth(3).inner_text() == "host 127.0.0.1: services"
    assert "127.0.0.1" in page.locator("#scan-facts").inner_text()
    with page.expect_response(lambda response: response.url.endswith(f"/scans/{scan.pk}/log")) as polled:
        pass  # htmx asks for the log again within a second
    assert polled.value.status == 200
    page.wait_for_selector('#scan-log[data-state="queued"]')
    assert_accessible(page)
    screenshot(page, "scans")

    # when: cancelled through the dialog
    page.get_by_role("button", name="Cancel scan").click()
    assert page.get_by_role("dialog").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel the scan").click()

    # then
    page.wait_for_selector('#scan-log[data-state="cancelled"]')
    assert page.locator("#scan-state .badge").inner_text() == "Cancelled"
    assert page.locator("#scan-log-lines tbody tr td:nth-child(2)").all_inner_texts() == ["queued", "done"]
    assert page.get_by_text("cancelled: cancelled before it started").is_visible()
    assert page.get_by_role("button", name="Cancel scan").count() == 0
    scan.refresh_from_db()
    assert scan.state == "cancelled"
    assert page.console_errors == []
