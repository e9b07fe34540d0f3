"""The dashboard in real Chromium: what a user sees, reaches by keyboard, and what the browser refuses."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.contracts.principal import Role
from bastion.core.tenancy.models import Organization
from tests import factories
from tests.web.conftest import assert_accessible, screenshot
from tests.web.test_dashboard import _first_seen_this_week, seed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def org() -> Organization:
    organization = factories.organization("acme")
    seed(organization)
    other = factories.organization("globex")
    secret = factories.asset(other, name="globex-secret-asset", criticality=5)
    factories.finding(secret, severity="critical", title="Globex secret finding")
    return organization


def _stat(page: Any, label: str) -> str:
    return str(page.get_by_role("link", name=label, exact=False).first.inner_text())


@pytest.mark.parametrize("role", [Role.OWNER, Role.VIEWER])
def test_a_member_sees_the_dashboard_of_their_organisation_only(
    page_for: Any, org: Organization, role: Role
) -> None:
    # given
    user = factories.member(org, role)
    page = page_for(user)

    # when
    response = page.goto("/")

    # then
    assert response.status == 200
    assert page.locator(".stat__value").all_inner_texts() == ["4", "2", "1", "1", "0", "0", "1", "1"]
    assert page.get_by_role("link", name="2 critical open findings").get_attribute("href") == (
        "/findings/?status=open&status=triaged&status=in_progress&status=reopened&severity=critical"
    )
    assert page.get_by_role("link", name="1 past their SLA").get_attribute("href") == (
        "/findings/?sla_breached=true"
    )
    assert page.locator("#assets-table tbody tr td:first-child a").all_inner_texts() == [
        "web-shop",
        "billing-api",
    ]
    assert "globex" not in page.content()
    assert page.console_errors == []


def test_the_trend_chart_is_drawn_and_its_figures_are_in_a_table(page_for: Any, org: Organization) -> None:
    # given
    page = page_for(factories.member(org, Role.ANALYST))

    # when
    page.goto("/")
    page.locator("canvas[data-chart][data-drawn='true']").first.wait_for(state="attached")  # no eval: CSP
    page.get_by_text("Figures").click()

    # then
    rows = page.locator("#trend-table tbody tr")
    assert rows.count() == 12
    assert rows.last.locator("td").all_inner_texts() == [str(_first_seen_this_week(org)), "2"]
    assert page.console_errors == []


def test_the_organisation_switcher_changes_what_the_dashboard_counts(
    page_for: Any, org: Organization
) -> None:
    # given
    user = factories.member(org, Role.OWNER)
    second = factories.organization("initech")
    factories.finding(factories.asset(second), severity="high")
    page = page_for(user)
    page.goto("/")

    # when
    with page.expect_navigation():
        page.get_by_label("Organisation").select_option("acme")

    # then
    assert page.locator(".page__scope").inner_text() == "Organisation acme"
    assert page.get_by_role("link", name="4 open findings").get_attribute("href") == (
        "/findings/?organization=acme&status=open&status=triaged&status=in_progress&status=reopened"
    )


def test_the_dashboard_is_accessible_and_every_link_is_reached_by_keyboard(
    page_for: Any, org: Organization
) -> None:
    # given (a fixed address: the screenshot is committed)
    page = page_for(factories.member(org, Role.OWNER, email="alex@acme.example"))
    page.goto("/")
    page.locator("canvas[data-chart][data-drawn='true']").first.wait_for(state="attached")  # no eval: CSP
    screenshot(page, "dashboard")
    page.get_by_text("Figures").click()  # the weekly table's links too
    links = page.eval_on_selector_all(
        "main a[href], header a[href]", "elements => elements.map(element => element.outerHTML)"
    )

    # when: Tab through the whole page from its start, opening a closed menu with Enter as a user does
    reached = set()
    page.locator("body").focus()
    for _ in range(len(links) + 20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('details:not([open]) > summary')"):
            page.keyboard.press("Enter")
        reached.add(page.evaluate("document.activeElement.outerHTML"))

    # then
    assert [link for link in links if link not in reached] == []
    assert_accessible(page)


def test_the_content_security_policy_blocks_inline_script_and_nothing_of_ours(
    page_for: Any, org: Organization
) -> None:
    # given
    page = page_for(factories.member(org, Role.OWNER))
    response = page.goto("/")

    # when: a script injected into the page (as an XSS would) is refused
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.appendChild(s); }"
    )

    # then
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert page.evaluate("window.injected") is None
    assert len(page.console_errors) == 1
    assert "Content Security Policy" in page.console_errors[0]


def test_an_empty_organisation_shows_how_to_import_a_first_report(page_for: Any) -> None:
    # given
    empty = factories.organization("fresh")
    page = page_for(factories.member(empty, Role.OWNER, email="alex@acme.example"))

    # when
    page.goto("/")

    # then
    command = page.locator("#import-command").inner_text()
    assert "-F organization=fresh" in command
    assert command.rstrip().endswith("/scanner/v1/imports")
    assert_accessible(page)
    screenshot(page, "dashboard-empty")


def test_error_pages_are_in_the_sites_style(page_for: Any, org: Organization) -> None:
    page = page_for(factories.member(org, Role.OWNER))

    response = page.goto("/no/such/page")

    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "This page does not exist"
    assert_accessible(page)
