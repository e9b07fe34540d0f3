"""The imports and assets pages in real Chromium: upload a report, watch it complete, read its counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.principal import Role
from bastion.core.imports import tasks
from bastion.core.tenancy.models import Organization
from tests import factories
from tests.web.conftest import assert_accessible, screenshot
from tests.web.test_imports import BANDIT, BANDIT_FINDINGS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
PAGE_STATIC = Path(__file__).resolve().parents[2] / "src" / "bastion" / "core" / "web" / "imports" / "static"


@pytest.fixture
def org(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Organization:
    # The page's own script is served from its package (to be added to STATICFILES_DIRS: see the report).
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, PAGE_STATIC]
    # No worker in the tests: the import runs in the server's thread when its transaction commits.
    monkeypatch.setattr(tasks.run_import, "delay", lambda job_id: tasks.run_import(job_id))
    return factories.organization("acme")


def test_an_analyst_uploads_a_bandit_report_and_watches_it_complete(page_for: Any, org: Organization) -> None:
    # given
    page = page_for(factories.member(org, Role.ANALYST))
    page.goto("/imports/")
    assert page.get_by_text("No report imported yet.").is_visible()
    assert_accessible(page)
    screenshot(page, "imports")

    # when
    page.locator("#id_file").set_input_files(str(BANDIT))
    page.get_by_label("New asset's identifier").fill("https://git.example.com/acme/dojo")
    page.get_by_label("New asset's kind").select_option("repository")
    page.get_by_role("button", name="Import").click()

    # then
    page.wait_for_selector('#import-progress[data-state="completed"]')
    counts = page.locator("#import-counts tbody td").all_inner_texts()
    assert counts == [str(BANDIT_FINDINGS), str(BANDIT_FINDINGS), "0", "0", "0", "0"]
    assert_accessible(page)
    screenshot(page, "imports-completed")
    page.get_by_role("link", name="All imports").click()
    assert page.locator("#history-table tbody tr td.numeric").first.inner_text() == str(BANDIT_FINDINGS)
    assert page.console_errors == []


def test_the_new_asset_fields_hide_when_an_asset_is_chosen(page_for: Any, org: Organization) -> None:
    factories.asset(org, name="web-shop")
    page = page_for(factories.member(org, Role.ANALYST))
    page.goto("/imports/")

    page.get_by_label("Asset", exact=True).select_option(label="web-shop (acme)")

    assert page.locator("[data-new-asset]").is_hidden()
    assert page.console_errors == []


def test_assets_and_engagements_pages_are_accessible(page_for: Any, org: Organization) -> None:
    # given
    web = factories.asset(org, name="web-shop", criticality=5)
    factories.finding(web, severity="critical", title="SQL injection in login")
    factories.finding(web, severity="medium")
    factories.engagement(web, name="Q3 pentest")
    page = page_for(factories.member(org, Role.ADMIN))

    # when / then
    page.goto("/assets/")
    assert page.get_by_role("link", name="1 open critical findings on web-shop").is_visible()
    assert_accessible(page)
    screenshot(page, "assets")
    page.get_by_role("link", name="web-shop", exact=True).click()
    page.locator("canvas[data-chart][data-drawn='true']").first.wait_for(state="attached")  # no eval: CSP
    assert page.get_by_text("SQL injection in login").is_visible()
    assert_accessible(page)
    screenshot(page, "assets-detail")
    page.get_by_role("link", name="Edit asset").click()
    page.get_by_label("Criticality").fill("9")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Ensure this value is less than or equal to 5.").is_visible()
    assert_accessible(page)
    page.goto("/engagements/")
    assert page.locator("#engagements-table tbody td").first.inner_text().splitlines() == [
        "Q3 pentest",
        "acme",
    ]
    assert_accessible(page)
    screenshot(page, "engagements")
    assert page.console_errors == []
