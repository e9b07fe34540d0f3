"""Writes of the assistant: conversations, messages, spending, and confirming proposals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bastion.contracts.principal import Principal
from bastion.core.accounts.models import User
from bastion.core.assistant.choices import MessageRole, MessageState, ProposalAction, ProposalState
from bastion.core.assistant.exceptions import ProposalRefused
from bastion.core.assistant.models import Conversation, Message, Proposal, TokenUsage
from bastion.core.findings import services as finding_services
from bastion.core.findings.choices import Status
from bastion.core.findings.exceptions import FindingsNotFound, TransitionNotAllowed

PROPOSAL_LIFETIME = timedelta(hours=1)


def start_conversation(*, user_id: int, organization_id: int, title: str) -> Conversation:
    """Open a conversation titled after its first question."""
    title = " ".join(title.split())[:200] or "Conversation"
    return Conversation.objects.create(user_id=user_id, organization_id=organization_id, title=title)


def add_message(
    *,
    conversation_id: Any,
    role: MessageRole,
    content: str,
    tool_name: str = "",
    tool_call_id: str = "",
    payload: dict[str, Any] | None = None,
    state: MessageState = MessageState.COMPLETE,
    provider: str = "",
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
) -> Message:
    """Append a message and mark the conversation as updated."""
    with transaction.atomic():
        message = Message.objects.create(
            conversation_id=conversation_id,
            role=role,
            content=content,
            tool_name=tool_name,
            tool_call_id=tool_call_id,
            payload=payload or {},
            state=state,
            provider=provider,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
        )
        Conversation.objects.filter(pk=conversation_id).update(updated_at=timezone.now())
    return message


def spend_tokens(*, organization_id: int, tokens: int) -> None:
    """Add tokens to the organisation's spending for today."""
    if tokens <= 0:
        return
    day = timezone.now().date()
    with transaction.atomic():
        usage, created = TokenUsage.objects.select_for_update().get_or_create(
            organization_id=organization_id, day=day, defaults={"tokens": tokens}
        )
        if not created:
            TokenUsage.objects.filter(pk=usage.pk).update(tokens=F("tokens") + tokens)


def propose(
    *,
    conversation: Conversation,
    action: ProposalAction,
    finding_ids: Sequence[int],
    to_status: str = "",
    assignee: User | None = None,
    reason: str = "",
) -> Proposal:
    """Record a change for the user to confirm; nothing changes yet."""
    return Proposal.objects.create(
        conversation=conversation,
        organization_id=conversation.organization_id,
        user_id=conversation.user_id,
        action=action,
        finding_ids=list(dict.fromkeys(finding_ids)),
        to_status=to_status,
        assignee=assignee,
        reason=reason[:2000],
    )


def _pending(proposal: Proposal) -> None:
    if proposal.state != ProposalState.PENDING:
        raise ProposalRefused(f"the proposal is already {proposal.state}")
    if proposal.created_at < timezone.now() - PROPOSAL_LIFETIME:
        Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.EXPIRED, decided_at=timezone.now())
        raise ProposalRefused("the proposal has expired: ask the assistant again")


def confirm(*, principal: Principal, actor: User, proposal: Proposal) -> int:
    """Apply a pending proposal with the confirming user's own permissions; return findings changed."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _pending(proposal)
        try:
            result = finding_services.bulk_action(
                principal=principal,
                actor=actor,
                finding_ids=proposal.finding_ids,
                to_status=Status(proposal.to_status) if proposal.action == ProposalAction.STATUS else None,
                reason=proposal.reason or "confirmed from the assistant",
                assignee=proposal.assignee if proposal.action == ProposalAction.ASSIGN else None,
            )
        except (FindingsNotFound, TransitionNotAllowed) as error:
            raise ProposalRefused(str(error)) from error
        proposal.state = ProposalState.APPLIED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["state", "decided_at"])
    return result.changed


def reject(*, proposal: Proposal) -> None:
    """Decline a pending proposal."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _pending(proposal)
        proposal.state = ProposalState.REJECTED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["state", "decided_at"])
