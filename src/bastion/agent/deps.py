"""The agent's FastAPI dependencies: the language model, and the caller's conversation or proposal.

A path id that is not a UUID names nothing: it answers 404, as an unknown id does.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path

from bastion.agent.exceptions import ConversationNotFound, ProposalNotFound
from bastion.agent.llm import get_provider
from bastion.agent.llm.base import Provider
from bastion.contracts.principal import Principal
from bastion.core.assistant import selectors
from bastion.core.assistant.models import Conversation, Proposal
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm

# Declared as text with a UUID format, so that a malformed id reaches the lookup (and is a 404).
ConversationId = Annotated[str, Path(json_schema_extra={"format": "uuid"})]
ProposalId = Annotated[str, Path(json_schema_extra={"format": "uuid"})]


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _conversation(principal: Principal, conversation_id: str) -> Conversation:
    parsed = _uuid(conversation_id)
    found = selectors.conversation_for(principal=principal, conversation_id=str(parsed)) if parsed else None
    if found is None:
        raise ConversationNotFound(conversation_id)
    return found


async def current_conversation(principal: CurrentPrincipal, conversation_id: ConversationId) -> Conversation:
    """Return the caller's conversation named in the path, or answer 404."""
    return await run_orm(_conversation, principal, conversation_id)


def _proposal(principal: Principal, proposal_id: str) -> Proposal:
    parsed = _uuid(proposal_id)
    found = selectors.proposal_for(principal=principal, proposal_id=str(parsed)) if parsed else None
    if found is None:
        raise ProposalNotFound(proposal_id)
    return found


async def current_proposal(principal: CurrentPrincipal, proposal_id: ProposalId) -> Proposal:
    """Return the caller's proposal named in the path, or answer 404."""
    return await run_orm(_proposal, principal, proposal_id)


LlmProvider = Annotated[Provider | None, Depends(get_provider)]
CurrentConversation = Annotated[Conversation, Depends(current_conversation)]
CurrentProposal = Annotated[Proposal, Depends(current_proposal)]
