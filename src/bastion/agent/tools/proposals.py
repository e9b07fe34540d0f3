"""Tools that would change findings: they only record a proposal for the user to confirm."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bastion.agent.tools.base import Tool, ToolContext, ToolFailed, ToolResult
from bastion.agent.tools.findings import organization_findings
from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assistant import services
from bastion.core.assistant.choices import ProposalAction
from bastion.core.assistant.models import Conversation
from bastion.core.findings.choices import Status, is_allowed
from bastion.core.findings.services import BULK_LIMIT

PROPOSAL_LIMIT = min(BULK_LIMIT, 500)
ProposedStatus = Literal["confirmed", "in_progress", "resolved", "false_positive", "reopened"]


def _checked(context: ToolContext, finding_ids: list[int]) -> tuple[Conversation, list[int]]:
    role = context.principal.role_in(context.organization_id)
    if role is None or not role.allows(Role.ANALYST):
        raise ToolFailed("changing findings needs the analyst role or higher")
    found = set(organization_findings(context).filter(pk__in=finding_ids).values_list("pk", flat=True))
    missing = [finding_id for finding_id in finding_ids if finding_id not in found]
    if missing:
        raise ToolFailed("no finding " + ", ".join(f"#{i}" for i in missing) + " in this organisation")
    return Conversation.objects.get(pk=context.conversation_id), list(dict.fromkeys(finding_ids))


class StatusArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding_ids: list[int] = Field(min_length=1, max_length=PROPOSAL_LIMIT)
    status: ProposedStatus
    reason: str = Field(default="", max_length=2000)


def propose_status_change(context: ToolContext, arguments: StatusArguments) -> ToolResult:
    """Propose moving findings to a status; nothing changes until the user confirms."""
    conversation, ids = _checked(context, arguments.finding_ids)
    statuses = dict(organization_findings(context).filter(pk__in=ids).values_list("pk", "status"))
    refused = [i for i in ids if not is_allowed(Status(statuses[i]), Status(arguments.status))]
    if refused:
        raise ToolFailed(
            "the workflow does not allow " + ", ".join(f"#{i} ({statuses[i]})" for i in refused)
            + f" to become {arguments.status}"
        )  # fmt: skip
    proposal = services.propose(
        conversation=conversation,
        action=ProposalAction.STATUS,
        finding_ids=ids,
        to_status=arguments.status,
        reason=arguments.reason,
    )
    targets = ", ".join(f"#{i}" for i in ids)
    return ToolResult(
        {
            "proposal_id": str(proposal.pk),
            "action": "status",
            "finding_ids": ids,
            "to_status": arguments.status,
        },
        f"Proposed: set {targets} to {arguments.status}. Nothing has changed yet: confirm it to apply.",
    )


class AssignArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding_ids: list[int] = Field(min_length=1, max_length=PROPOSAL_LIMIT)
    assignee_email: str = Field(max_length=254)


def propose_assignment(context: ToolContext, arguments: AssignArguments) -> ToolResult:
    """Propose assigning findings to a member of the organisation."""
    conversation, ids = _checked(context, arguments.finding_ids)
    assignee = User.objects.filter(
        email__iexact=arguments.assignee_email, memberships__organization_id=context.organization_id
    ).first()
    if assignee is None:
        raise ToolFailed(f"{arguments.assignee_email} is not a member of this organisation")
    proposal = services.propose(
        conversation=conversation, action=ProposalAction.ASSIGN, finding_ids=ids, assignee=assignee
    )
    targets = ", ".join(f"#{i}" for i in ids)
    return ToolResult(
        {"proposal_id": str(proposal.pk), "action": "assign", "finding_ids": ids, "assignee": assignee.email},
        f"Proposed: assign {targets} to {assignee.email}. Nothing has changed yet: confirm it to apply.",
    )


PROPOSE_STATUS = Tool(
    name="propose_status_change",
    description="Propose a status change for findings (the user confirms it separately). Only when the "
    "user asked for a change.",
    arguments=StatusArguments,
    function=propose_status_change,
    changes_data=True,
)
PROPOSE_ASSIGNMENT = Tool(
    name="propose_assignment",
    description="Propose assigning findings to a member (the user confirms it separately). Only when the "
    "user asked for it.",
    arguments=AssignArguments,
    function=propose_assignment,
    changes_data=True,
)
