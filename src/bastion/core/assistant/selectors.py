"""Reads of conversations and proposals: a user sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from bastion.contracts.principal import Principal
from bastion.core.assistant.models import Conversation, Message, Proposal, TokenUsage


def conversations_for(*, principal: Principal) -> QuerySet[Conversation]:
    """Return the caller's conversations in organisations they still belong to, newest first."""
    return (
        Conversation.objects.for_principal(principal)
        .filter(user_id=principal.user_id)
        .order_by("-updated_at")
    )


def conversation_for(*, principal: Principal, conversation_id: str) -> Conversation | None:
    """Return one of the caller's conversations, or None."""
    try:
        return conversations_for(principal=principal).filter(pk=conversation_id).first()
    except ValueError:  # not a UUID
        return None


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    """Return a conversation's messages in order."""
    return conversation.messages.order_by("id")


def proposal_for(*, principal: Principal, proposal_id: str) -> Proposal | None:
    """Return one of the caller's proposals, or None."""
    try:
        return (
            Proposal.objects.for_principal(principal)
            .filter(pk=proposal_id, user_id=principal.user_id)
            .first()
        )
    except ValueError:
        return None


def tokens_used_today(*, organization_id: int) -> int:
    """Return the tokens an organisation has spent today (UTC)."""
    usage = TokenUsage.objects.filter(organization_id=organization_id, day=timezone.now().date()).first()
    return usage.tokens if usage else 0
