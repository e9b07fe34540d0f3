"""/code-analysis/ in real Chromium: the page posts to the agent with the session and CSRF header.

The live server runs the core only, so the browser's request to /agent/v1/analyze is handed, with
its cookies and headers untouched, to the agent (the gateway app, in this process): the agent
authenticates the session and checks the CSRF header exactly as behind the real gateway.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy.models import Organization
from tests import factories
from tests.web.conftest import assert_accessible, screenshot, through_agent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SNIPPET = """import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.get("/run")
def run():
    command = request.args["command"]
    return subprocess.call(command, shell=True)


app.run(debug=True)
"""


@pytest.fixture
def org() -> Organization:
    from django.core.cache import cache

    cache.clear()  # no rate-limit counts left from another test
    return factories.organization("acme")


def test_an_analyst_analyses_python_that_bandit_flags(
    page_for: Any, org: Organization, agent: TestClient
) -> None:
    # given
    page = page_for(factories.member(org, Role.ANALYST, email="ana@acme.example"))
    sent = through_agent(page, agent)
    page.goto("/code-analysis/")

    # when
    page.get_by_label("Language").select_option("python")
    page.get_by_label("Code to analyse").fill(SNIPPET)
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector("#analysis-results:not([hidden])", timeout=30_000)

    # then
    assert "x-csrftoken" in sent[0]["headers"]
    assert "asset" not in sent[0]["body"]
    titles = page.locator("#analysis-vulns .vuln").all_inner_texts()
    assert any("bandit" in title for title in titles)
    marked = page.locator("#analysis-listing .line--marked").evaluate_all("rows => rows.map(r => r.id)")
    assert marked == ["line-11", "line-14"]
    # the command injection shows how the request's value reaches the shell, each step linked to its line
    steps = page.locator("#analysis-vulns .vuln__trace li")
    assert steps.all_inner_texts() == [
        "line 10 enters: request.args",
        "line 10 passes: command",
        "line 11 reaches the sink: command",
    ]
    assert steps.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "#line-10",
        "#line-10",
        "#line-11",
    ]
    assert float(page.locator(".risk__value").inner_text()) > 0
    assert page.locator("#analysis-vulns .badge").first.inner_text() in {
        "Critical",
        "High",
        "Medium",
        "Low",
        "Info",
    }
    assert page.locator("#analysis-recommendations li").count() >= 1
    assert page.console_errors == []
    assert_accessible(page)
    screenshot(page, "code-analysis")


def test_the_results_are_imported_as_an_assets_findings(
    page_for: Any, org: Organization, agent: TestClient
) -> None:
    asset = factories.asset(org, name="payments-api")
    page = page_for(factories.member(org, Role.ANALYST))
    sent = through_agent(page, agent)
    page.goto("/code-analysis/")

    page.get_by_label("Code to analyse").fill(SNIPPET)
    page.get_by_label("Import as an asset's findings").select_option(label="payments-api (acme)")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector("#analysis-import:not([hidden])", timeout=30_000)

    assert sent[0]["body"]["asset"] == asset.pk
    assert ImportJob.objects.filter(asset=asset).count() == 1
    assert "Imported" in page.locator("#analysis-import").inner_text()


def test_without_the_csrf_header_the_agent_refuses(
    page_for: Any, org: Organization, agent: TestClient
) -> None:
    page = page_for(factories.member(org, Role.ANALYST))
    page.goto("/code-analysis/")
    page.evaluate("document.querySelector('#analysis-form [name=csrfmiddlewaretoken]').value = 'forged'")
    through_agent(page, agent)

    page.get_by_label("Code to analyse").fill(SNIPPET)
    page.get_by_role("button", name="Analyse").click()
    page.locator("#analysis-status", has_text="Refused").wait_for()

    assert page.locator("#analysis-results").is_hidden()


def test_an_empty_page_says_what_to_do(page_for: Any, org: Organization) -> None:
    page = page_for(factories.member(org, Role.VIEWER))

    page.goto("/code-analysis/")

    assert "Paste code" in page.locator("#analysis-empty").inner_text()
    assert page.get_by_label("Import as an asset's findings").locator("option").count() == 1
    assert_accessible(page)
