"""The settings page in real Chromium: an owner invites, changes a role, creates a token; axe clean."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.contracts.principal import Role
from bastion.core.tenancy.models import Membership, Organization
from tests import factories
from tests.web.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


def _choose(page: Any, slug: str) -> None:
    page.goto("/settings/")
    with page.expect_navigation():
        page.get_by_label("Organisation").first.select_option(slug)


def test_an_owner_manages_members_and_tokens(page_for: Any, org: Organization) -> None:
    # given (fixed addresses: the screenshot is committed)
    owner = factories.member(org, Role.OWNER, email="alex@acme.example")
    factories.member(org, Role.ANALYST, email="sam@acme.example")
    page = page_for(owner)
    _choose(page, "acme")

    # when: invite, then promote the analyst, then create a token
    page.locator("#invite-form").get_by_label("E-mail").fill("new@acme.example")
    with page.expect_navigation():
        page.locator("#invite-form").get_by_role("button", name="Invite").click()
    invited = page.locator(".toast").inner_text()
    page.get_by_label("Role of sam@acme.example").select_option("admin")
    with page.expect_navigation():
        page.get_by_role("button", name="Change role of sam@acme.example").click()
    promoted = page.locator(".toast").inner_text()
    page.locator("#token-form").get_by_label("Name").fill("ci")
    with page.expect_navigation():
        page.get_by_role("button", name="Create token").click()

    # then
    assert "invited as viewer" in invited
    assert promoted == "sam@acme.example is now admin."
    assert Membership.objects.get(user__email="sam@acme.example").role == "admin"
    assert page.locator("#new-key-value").inner_text().startswith("bst_")
    assert page.locator("#members-table tbody tr").count() == 3
    assert page.console_errors == []
    assert_accessible(page)
    screenshot(page, "settings")


def test_removing_the_last_owner_is_refused_with_a_message(page_for: Any, org: Organization) -> None:
    page = page_for(factories.member(org, Role.OWNER, email="alex@acme.example"))
    _choose(page, "acme")

    page.get_by_role("button", name="Remove alex@acme.example").click()
    with page.expect_navigation():
        page.locator("dialog[open]").get_by_role("button", name="Remove").click()

    assert "only owner and cannot be removed" in page.locator(".toast").inner_text()
    assert page.console_errors == []


def test_a_viewer_sees_a_read_only_page(page_for: Any, org: Organization) -> None:
    factories.member(org, Role.OWNER, email="alex@acme.example")
    page = page_for(factories.member(org, Role.VIEWER, email="vic@acme.example"))
    _choose(page, "acme")

    assert page.locator("main form[method=post]").count() == 0
    assert page.locator("#sla-table .badge--critical").inner_text() == "Critical"
    assert_accessible(page)
    screenshot(page, "settings-viewer")
