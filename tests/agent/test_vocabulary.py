"""Issue 10: the assistant speaks the core's vocabulary, statuses and severities, and no other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.agent.tools import TOOLS
from bastion.contracts.finding import Severity
from bastion.core.assistant.models import Message, Proposal
from bastion.core.findings.choices import Status
from bastion.core.findings.models import Finding, FindingTransition
from tests import factories

Chat = Callable[..., list[dict[str, Any]]]
STATUS_NAMES = "open, triaged, in_progress, resolved, reopened, false_positive, risk_accepted"


def test_the_tools_offer_the_model_the_cores_statuses_and_severities() -> None:
    # when
    search = TOOLS["search_findings"].json_schema()
    propose = TOOLS["propose_status_change"].json_schema()
    # then: the values inline (no $ref a small model could miss), in the core's order
    assert search["properties"]["status"]["items"] == {"type": "string", "enum": [s.value for s in Status]}
    assert search["properties"]["severity"]["items"] == {
        "type": "string",
        "enum": ["critical", "high", "medium", "low", "info"],
    }
    assert "$defs" not in search
    # every status the workflow moves a finding to, but risk accepted (it needs an approver and an expiry)
    assert propose["properties"]["status"] == {
        "type": "string",
        "enum": ["open", "triaged", "in_progress", "resolved", "reopened", "false_positive"],
    }


@pytest.mark.parametrize("status", list(Status), ids=lambda status: status.value)
def test_findings_are_found_by_every_status_through_the_assistant(
    chat: Chat, tenants: dict[str, Any], status: Status
) -> None:
    # given: a finding in each status besides the three open ones, and Globex's in the same status
    for each in Status:
        factories.finding(tenants["asset"], severity="medium", title=f"a {each.value} one", status=each)
    factories.finding(tenants["foreign"].asset, severity="high", title="Globex's", status=status)
    expected = set(
        Finding.objects.filter(organization=tenants["acme"], status=status).values_list("pk", flat=True)
    )
    # when
    events = chat(f"Which findings are {status.label.lower()}?")
    # then
    assert events[1] == {
        "type": "tool_call",
        "id": "plan_0",
        "name": "search_findings",
        "arguments": {"status": [status.value]},
    }
    result = events[2]["result"]
    assert events[2]["error"] is None
    assert result["total"] == len(expected) == (4 if status == Status.OPEN else 1)
    assert {row["id"] for row in result["findings"]} == expected
    assert {row["status"] for row in result["findings"]} == {status.value}


@pytest.mark.parametrize("severity", list(Severity), ids=lambda severity: severity.value)
def test_findings_are_found_by_every_severity_through_the_assistant(
    chat: Chat, tenants: dict[str, Any], severity: Severity
) -> None:
    # given: the fixture's critical, high and low, and one of each severity more
    for each in Severity:
        factories.finding(tenants["asset"], severity=each.value, title=f"a {each.value} one")
    expected = set(
        Finding.objects.filter(organization=tenants["acme"], severity=severity).values_list("pk", flat=True)
    )
    # when
    events = chat(f"Which {severity.value} findings do we have?")
    # then
    assert events[1]["arguments"] == {"severity": [severity.value]}
    assert {row["id"] for row in events[2]["result"]["findings"]} == expected


def test_a_finding_can_be_marked_as_triaged(
    chat: Chat, gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    finding = tenants["high"]
    # when
    events = chat(f"mark finding {finding.pk} as triaged")
    # then: the core's status is proposed, and confirming it applies it
    proposal = Proposal.objects.get()
    assert (proposal.action, proposal.to_status, proposal.finding_ids) == ("status", "triaged", [finding.pk])
    assert [e["type"] for e in events] == [
        "conversation",
        "tool_call",
        "tool_result",
        "proposal",
        "text",
        "text",
        "text",
        "done",
    ]
    assert events[1]["arguments"]["status"] == "triaged"
    assert events[3]["summary"] == (
        f"Proposed: set #{finding.pk} to triaged. Nothing has changed yet: confirm it to apply."
    )
    confirmed = gateway_client.post(
        events[3]["confirm_url"], headers={"Authorization": f"Token {tenants['key']}"}
    )
    assert confirmed.json() == {"proposal_id": str(proposal.pk), "state": "applied", "changed": 1}
    finding.refresh_from_db()
    assert finding.status == "triaged"
    move = FindingTransition.objects.get(finding=finding)
    assert (move.from_status, move.to_status) == ("open", "triaged")


def test_a_status_that_does_not_exist_is_refused_with_the_ones_that_do(
    chat: Chat, tenants: dict[str, Any]
) -> None:
    finding = tenants["high"]
    # when: "confirmed" is no status of Bastion's (the assistant once proposed it, and the core failed)
    events = chat(f"mark finding {finding.pk} as confirmed")
    # then: a refusal naming the statuses that exist, then done; nothing proposed, nothing changed
    refusal = f"there is no status “confirmed”: a finding's status is one of {STATUS_NAMES}"
    assert events[1:] == [
        {"type": "error", "message": refusal},
        {
            "type": "done",
            "message_id": events[-1]["message_id"],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "without_model": True,
            "cancelled": False,
        },
    ]
    assert events[0]["type"] == "conversation"
    assert Proposal.objects.count() == 0
    answer = Message.objects.get(pk=events[-1]["message_id"])
    assert (answer.role, answer.content, answer.state) == ("assistant", refusal, "complete")
    assert Message.objects.filter(role="tool").count() == 0
    finding.refresh_from_db()
    assert finding.status == "open"


def test_a_change_that_names_no_status_is_refused_with_the_ones_that_do(
    chat: Chat, tenants: dict[str, Any]
) -> None:
    events = chat(f"please change #{tenants['low'].pk}")
    assert [e["type"] for e in events] == ["conversation", "error", "done"]
    assert events[1]["message"] == f"say which status the findings should have: one of {STATUS_NAMES}"
    assert Proposal.objects.count() == 0


def test_risk_acceptance_is_not_proposed(chat: Chat, tenants: dict[str, Any]) -> None:
    # when: accepting a risk needs a justification, an approver and an expiry, which a proposal lacks
    events = chat(f"mark #{tenants['low'].pk} as risk accepted")
    # then
    assert events[1]["arguments"]["status"] == "risk_accepted"
    assert events[2]["error"] == (
        "invalid arguments: status: Value error, risk_accepted cannot be proposed: accepting a risk "
        "needs a justification, an approver and an expiry date (the findings API takes them)"
    )
    assert Proposal.objects.count() == 0
