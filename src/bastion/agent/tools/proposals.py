"""Tools that would change findings: they only record a proposal for the user to confirm."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from bastion.agent.exceptions import ToolFailed
from bastion.agent.tools.base import RowId, Tool, ToolContext, ToolResult
from bastion.agent.tools.findings import organization_findings
from bastion.contracts.principal import Role
from bastion.core.assistant import services
from bastion.core.assistant.choices import ProposalAction
from bastion.core.assistant.models import Conversation
from bastion.core.findings.choices import TRANSITIONS, Status, is_allowed
from bastion.core.findings.services import BULK_LIMIT
from bastion.core.tenancy.models import Membership, Organization

PROPOSAL_LIMIT = min(BULK_LIMIT, 500)
#: The statuses a proposal may move findings to: every status the core's workflow moves a
#: finding to, except risk accepted, which needs a justification, an approver and an expiry
#: date that a proposal does not carry.
PROPOSABLE_STATUSES = tuple(
    status
    for status in Status
    if status != Status.RISK_ACCEPTED and any(status in targets for targets in TRANSITIONS.values())
)


def _proposable(status: Status) -> Status:
    if status not in PROPOSABLE_STATUSES:
        raise ValueError(
            f"{status.value} cannot be proposed: accepting a risk needs a justification, an approver "
            "and an expiry date (the findings API takes them)"
        )
    return status


ProposedStatus = Annotated[
    Status,
    AfterValidator(_proposable),
    WithJsonSchema({"type": "string", "enum": [status.value for status in PROPOSABLE_STATUSES]}),
]


def _checked(context: ToolContext, finding_ids: list[int]) -> tuple[Conversation, list[int]]:
    analyst_organizations = Organization.objects.for_principal(context.principal, at_least=Role.ANALYST)
    if not analyst_organizations.filter(pk=context.organization_id).exists():
        raise ToolFailed("changing findings needs the analyst role or higher")
    found = set(organization_findings(context).filter(pk__in=finding_ids).values_list("pk", flat=True))
    missing = [finding_id for finding_id in finding_ids if finding_id not in found]
    if missing:
        raise ToolFailed("no finding " + ", ".join(f"#{i}" for i in missing) + " in this organisation")
    conversation = Conversation.objects.for_principal(context.principal).get(pk=context.conversation_id)
    return conversation, list(dict.fromkeys(finding_ids))


class StatusArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding_ids: list[RowId] = Field(min_length=1, max_length=PROPOSAL_LIMIT)
    status: ProposedStatus
    reason: str = Field(default="", max_length=2000)


def propose_status_change(context: ToolContext, arguments: StatusArguments) -> ToolResult:
    """Propose moving findings to a status; nothing changes until the user confirms."""
    conversation, ids = _checked(context, arguments.finding_ids)
    statuses = dict(organization_findings(context).filter(pk__in=ids).values_list("pk", "status"))
    refused = [i for i in ids if not is_allowed(Status(statuses[i]), arguments.status)]
    if refused:
        raise ToolFailed(
            "the workflow does not allow " + ", ".join(f"#{i} ({statuses[i]})" for i in refused)
            + f" to become {arguments.status.value}"
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
            "to_status": arguments.status.value,
        },
        f"Proposed: set {targets} to {arguments.status.value}. Nothing has changed yet: confirm it to apply.",
    )


class AssignArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding_ids: list[RowId] = Field(min_length=1, max_length=PROPOSAL_LIMIT)
    assignee_email: str = Field(max_length=254)


def propose_assignment(context: ToolContext, arguments: AssignArguments) -> ToolResult:
    """Propose assigning findings to a member of the organisation."""
    conversation, ids = _checked(context, arguments.finding_ids)
    membership = (
        Membership.objects.for_principal(context.principal)
        .in_organization(context.organization_id)
        .filter(user__email__iexact=arguments.assignee_email)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ToolFailed(f"{arguments.assignee_email} is not a member of this organisation")
    assignee = membership.user
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
