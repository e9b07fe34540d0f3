"""The finding page's assistant panel in real Chromium: ask, see the tools and the proposal, decide.

The live server runs the core only, so the browser's requests to /agent/v1/... are handed, with
their cookies and headers untouched, to the agent (the gateway app, in this process): the agent
authenticates the session and checks the CSRF header exactly as behind the real gateway, and
answers without a language model (provider ``none``) from its own tools.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assistant import services as assistant_services
from bastion.core.assistant.models import Conversation, Proposal
from bastion.core.findings.models import Finding, FindingTransition
from bastion.core.tenancy.models import Organization
from tests import factories
from tests.web.conftest import assert_accessible, screenshot, through_agent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# Hands the page the agent's answer a few bytes at a time, slowly, as a network would: events
# and characters are split across reads, and there is time to press Stop in the middle.
SLOW_STREAM = """
(() => {
  const original = window.fetch;
  window.fetch = async function (input, init) {
    const url = typeof input === "string" ? input : input.url;
    if (!url.includes("/agent/v1/chat/stream")) { return original.call(this, input, init); }
    const signal = init && init.signal;
    const response = await original.call(this, input, Object.assign({}, init, { signal: undefined }));
    const bytes = new Uint8Array(await response.arrayBuffer());
    let offset = 0;
    window.streamReads = 0;
    const body = new ReadableStream({
      pull(controller) {
        return new Promise((resolve) => setTimeout(resolve, 25)).then(() => {
          if (signal && signal.aborted) {
            controller.error(new DOMException("The user aborted a request.", "AbortError"));
          } else if (offset >= bytes.length) {
            controller.close();
          } else {
            controller.enqueue(bytes.slice(offset, offset + 7));
            offset += 7;
            window.streamReads += 1;
          }
        });
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
})();
"""


@pytest.fixture
def org(fresh_settings: pytest.MonkeyPatch) -> Organization:
    from django.core.cache import cache

    cache.clear()  # no rate-limit counts left from another test
    fresh_settings.setenv("BASTION_LLM_PROVIDER", "none")
    return factories.organization("acme")


@pytest.fixture
def finding(org: Organization) -> Finding:
    asset = factories.asset(org, name="web-shop")
    return factories.finding(
        asset,
        severity="high",
        title="SQL injection in product search",
        description="User input reaches a SQL query without parameters.",
        tool="semgrep",
        file_path="shop/search.py",
        line_start=42,
        cwe_ids=[89],
    )


def _open(page_for: Any, user: User, finding: Finding, agent: TestClient) -> tuple[Any, list[dict[str, Any]]]:
    page = page_for(user)
    sent = through_agent(page, agent)
    page.goto(f"/findings/{finding.pk}/")
    return page, sent


def _ask(page: Any, question: str) -> None:
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Send").click()


def _wait_answered(page: Any) -> None:
    page.locator("#assistant-status", has_text="Answered.").wait_for(timeout=30_000)


def test_an_analyst_asks_to_mark_the_finding_and_confirms(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    # given
    analyst = factories.member(org, Role.ANALYST, email="ana@acme.example")
    page, sent = _open(page_for, analyst, finding, agent)

    # when
    _ask(page, "Mark it as false positive: the input is an enum")
    page.locator(".assistant__proposal").wait_for(timeout=30_000)
    _wait_answered(page)

    # then: the question went about this finding, with the CSRF header
    assert sent[0]["path"] == "/agent/v1/chat/stream"
    assert sent[0]["body"] == {
        "message": "Mark it as false positive: the input is an enum",
        "finding_id": finding.pk,
        "organization": org.pk,
    }
    assert "x-csrftoken" in sent[0]["headers"]
    tool = page.locator("details.assistant__tool")
    assert tool.count() == 1
    assert tool.locator("summary").inner_text() == (
        f'Tool propose_status_change (finding_ids: [{finding.pk}], status: "false_positive", reason: '
        '"Mark it as false positive: the input is an enum") · done'
    )
    card = page.locator(".assistant__proposal")
    assert card.get_by_role("heading", name="Proposed change").is_visible()
    assert card.locator("li").all_inner_texts() == [f"#{finding.pk} (this finding): Open → False positive"]
    assert "Nothing has changed yet: confirm it to apply." in card.inner_text()
    assert page.locator(".assistant__text").inner_text().startswith("Written without a language model")
    finding.refresh_from_db()
    assert finding.status == "open"
    assert_accessible(page)

    # when
    card.get_by_role("button", name="Confirm").click()
    page.locator("#finding-status", has_text="False positive").wait_for()

    # then
    assert card.locator(".assistant__outcome").inner_text() == "Confirmed: 1 finding changed."
    assert page.locator("#assistant-status").inner_text() == "This finding is now False positive."
    assert "Open → False positive" in page.locator("#timeline-list").inner_text()
    assert page.get_by_label("New status").locator("option").all_inner_texts() == ["Open"]
    assert card.get_by_role("button", name="Confirm").is_disabled()
    assert page.locator(".assistant__question").count() == 1  # the conversation stayed
    finding.refresh_from_db()
    assert finding.status == "false_positive"
    transition = FindingTransition.objects.get(finding=finding)
    assert (transition.actor_id, transition.from_status, transition.to_status) == (
        analyst.pk,
        "open",
        "false_positive",
    )
    assert Proposal.objects.get().state == "applied"
    assert sent[1]["path"] == f"/agent/v1/proposals/{Proposal.objects.get().pk}/confirm"
    assert "x-csrftoken" in sent[1]["headers"]
    assert page.console_errors == []
    assert_accessible(page)
    page.locator("#assistant-title").evaluate("heading => heading.scrollIntoView({block: 'start'})")
    screenshot(page, "finding-assistant")


def test_rejecting_the_proposal_leaves_the_finding_unchanged(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    page, sent = _open(page_for, factories.member(org, Role.ANALYST), finding, agent)
    _ask(page, "close it")
    page.locator(".assistant__proposal").wait_for(timeout=30_000)

    page.get_by_role("button", name="Reject").click()
    page.locator(".assistant__outcome", has_text="Rejected").wait_for()

    assert page.locator(".assistant__outcome").inner_text() == "Rejected: nothing changed."
    assert page.locator("#finding-status").inner_text() == "Open"
    assert sent[-1]["path"] == f"/agent/v1/proposals/{Proposal.objects.get().pk}/reject"
    finding.refresh_from_db()
    assert finding.status == "open"
    assert FindingTransition.objects.count() == 0
    assert Proposal.objects.get().state == "rejected"


def test_a_viewer_may_ask_but_the_agent_proposes_no_change(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    page, _ = _open(page_for, factories.member(org, Role.VIEWER), finding, agent)
    assert "as a viewer you cannot confirm changes" in page.locator("#assistant-intro").inner_text()

    _ask(page, "mark it as false positive")
    _wait_answered(page)

    summary = page.locator("details.assistant__tool summary").inner_text()
    assert summary.endswith(" · refused: changing findings needs the analyst role or higher")
    assert page.locator(".assistant__proposal").count() == 0
    assert page.get_by_role("button", name="Confirm").count() == 0
    assert "propose_status_change could not answer: changing findings needs the analyst role or higher" in (
        page.locator(".assistant__text").inner_text()
    )
    finding.refresh_from_db()
    assert finding.status == "open"
    assert (Proposal.objects.count(), FindingTransition.objects.count()) == (0, 0)
    assert_accessible(page)


def test_a_follow_up_keeps_the_conversation_and_enter_sends(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    # given
    page, sent = _open(page_for, factories.member(org, Role.ANALYST), finding, agent)
    box = page.get_by_label("Your question")

    # when: Shift+Enter starts a new line, Enter sends
    box.focus()
    page.keyboard.type("What is this?")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("In short.")
    assert box.input_value() == "What is this?\nIn short."
    page.keyboard.press("Enter")
    _wait_answered(page)
    page.locator("#assistant-status").evaluate("node => { node.textContent = ''; }")
    box.fill("And how do I fix it?")
    box.press("Enter")
    _wait_answered(page)

    # then
    conversation = Conversation.objects.get()
    assert [request["body"] for request in sent] == [
        {"message": "What is this?\nIn short.", "finding_id": finding.pk, "organization": org.pk},
        {
            "message": "And how do I fix it?",
            "finding_id": finding.pk,
            "conversation_id": str(conversation.pk),
        },
    ]
    assert page.locator(".assistant__question").all_inner_texts() == [
        "You: What is this?\nIn short.",
        "You: And how do I fix it?",
    ]
    assert page.locator("details.assistant__tool .assistant__tool-name").all_inner_texts() == [
        "Tool explain_finding",
        "Tool explain_finding",
    ]
    assert "SQL injection in product search" in page.locator(".assistant__text").first.inner_text()
    assert box.input_value() == ""

    # when: a new conversation
    page.get_by_role("button", name="New conversation").click()
    _ask(page, "explain #" + str(finding.pk))
    _wait_answered(page)

    # then: named its own finding, it goes as written, in a new conversation
    assert sent[2]["body"] == {
        "message": f"explain #{finding.pk}",
        "finding_id": finding.pk,
        "organization": org.pk,
    }
    assert Conversation.objects.count() == 2
    assert page.locator(".assistant__question").count() == 1


def test_the_answer_streams_in_pieces_and_stop_ends_it(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    # given: the answer comes 7 bytes every 25 ms
    page = page_for(factories.member(org, Role.ANALYST))
    page.add_init_script(SLOW_STREAM)
    through_agent(page, agent)
    page.goto(f"/findings/{finding.pk}/")

    # when: a first answer is read to its end
    _ask(page, "What is this?")
    page.locator(".assistant__text").wait_for()
    early = page.locator(".assistant__text").inner_text()
    _wait_answered(page)

    # then: it was drawn while it came, and the whole of it arrived
    complete = page.locator(".assistant__text").inner_text()
    assert early != complete
    assert complete.startswith(early)
    assert "SQL injection in product search" in complete
    assert page.evaluate("window.streamReads") > 50

    # when: a second answer is stopped
    _ask(page, "What is this, again?")
    page.locator(".assistant__text").nth(1).wait_for()
    page.get_by_role("button", name="Stop").click()
    page.locator("#assistant-status", has_text="Stopped.").wait_for()
    stopped = page.locator(".assistant__text").nth(1).inner_text()
    page.wait_for_timeout(400)

    # then: nothing more came, and another question may be sent
    assert page.locator(".assistant__text").nth(1).inner_text() == stopped
    assert len(stopped) < len(complete)
    assert page.locator(".assistant__turn").nth(1).locator(".assistant__note").inner_text() == "Stopped."
    assert page.get_by_role("button", name="Send").is_enabled()
    assert page.get_by_role("button", name="Stop").is_hidden()
    assert page.console_errors == []


def test_a_request_bastion_cannot_carry_out_is_said_plainly(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    page, _ = _open(page_for, factories.member(org, Role.ANALYST), finding, agent)

    _ask(page, "set it to banana")
    _wait_answered(page)

    assert page.locator(".assistant__error").inner_text() == (
        "The assistant could not go on: there is no status “banana”: a finding's status is one of open, "
        "triaged, in_progress, resolved, reopened, false_positive, risk_accepted"
    )
    assert Proposal.objects.count() == 0


def test_an_ended_session_is_said_plainly(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    page, _ = _open(page_for, factories.member(org, Role.ANALYST), finding, agent)
    page.context.clear_cookies()

    _ask(page, "What is this?")
    page.locator(".assistant__error").wait_for()

    assert (
        page.locator(".assistant__error").inner_text()
        == "Your session has ended: sign in again, then ask again."
    )
    assert Conversation.objects.count() == 0


def test_without_the_csrf_header_the_agent_refuses(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    page, _ = _open(page_for, factories.member(org, Role.ANALYST), finding, agent)
    page.evaluate("document.querySelector('#assistant-form [name=csrfmiddlewaretoken]').value = 'forged'")

    _ask(page, "mark it as false positive")
    page.locator(".assistant__error").wait_for()

    assert (
        page.locator(".assistant__error").inner_text()
        == "Refused: CSRF Failed: CSRF token missing or incorrect."
    )
    assert (Conversation.objects.count(), Proposal.objects.count()) == (0, 0)


def test_too_long_and_too_many_questions_are_said_plainly(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient, fresh_settings: pytest.MonkeyPatch
) -> None:
    # given
    fresh_settings.setenv("BASTION_CHAT_MESSAGES_PER_MINUTE", "1")
    page, _ = _open(page_for, factories.member(org, Role.ANALYST), finding, agent)

    # when: past the length limit (the box's own limit set aside)
    page.get_by_label("Your question").evaluate("box => { box.value = 'a'.repeat(8001); }")
    page.get_by_role("button", name="Send").click()
    page.locator(".assistant__error").wait_for()

    # then
    assert page.locator(".assistant__error").inner_text() == (
        "The question could not be sent: message: String should have at most 8000 characters"
    )

    # when: a second question within the minute
    _ask(page, "What is this?")
    _wait_answered(page)
    _ask(page, "And now?")
    page.locator(".assistant__error").nth(1).wait_for()

    # then
    assert (
        page.locator(".assistant__error")
        .nth(1)
        .inner_text()
        .startswith("Too many questions: rate limit: at most 1 chat messages per 60 s; retry in ")
    )
    assert Conversation.objects.count() == 1


def test_a_proposal_decided_elsewhere_is_not_applied(
    page_for: Any, org: Organization, finding: Finding, agent: TestClient
) -> None:
    page, _ = _open(page_for, factories.member(org, Role.ANALYST), finding, agent)
    _ask(page, "mark it as false positive")
    page.locator(".assistant__proposal").wait_for(timeout=30_000)
    assistant_services.reject(proposal=Proposal.objects.get())

    page.get_by_role("button", name="Confirm").click()
    page.locator(".assistant__outcome", has_text="Not applied").wait_for()

    assert page.locator(".assistant__outcome").inner_text() == "Not applied: the proposal is already rejected"
    assert page.get_by_role("button", name="Confirm").is_disabled()
    assert page.locator("#finding-status").inner_text() == "Open"
    finding.refresh_from_db()
    assert finding.status == "open"
    assert FindingTransition.objects.count() == 0
