"""The chat's reads and writes that are not a turn: limits, WebSocket identity, conversations, proposals."""

from __future__ import annotations

from urllib.parse import urlsplit

import orjson
from fastapi import WebSocket
from pydantic import ValidationError

from bastion.agent.chat.flows import Turn
from bastion.config import get_settings
from bastion.contracts.chat import (
    ConversationDetail,
    ConversationMessage,
    ConversationSummary,
    Done,
    ProposalOutcome,
    UsageReport,
)
from bastion.contracts.principal import Principal
from bastion.core.accounts.selectors import user_of
from bastion.core.assistant import selectors, services
from bastion.core.assistant.models import Conversation, Message, Proposal
from bastion.core.tenancy.authentication import authenticate
from bastion.core.tenancy.exceptions import AuthenticationFailed, MfaSetupRequired
from bastion.servicekit.orm import run_orm
from bastion.servicekit.ratelimit import RateLimit


def chat_rate_limit() -> RateLimit:
    """Return the per-user limit on chat messages (``BASTION_CHAT_MESSAGES_PER_MINUTE``)."""
    return RateLimit(scope="chat messages", count=get_settings().chat_messages_per_minute, seconds=60)


def describe(error: ValidationError) -> str:
    """Say in one line what is wrong with a request."""
    return "invalid request: " + "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()[:5]
    )


def is_cancel(message: str) -> bool:
    """Tell whether a WebSocket message asks to stop the answer being written."""
    try:
        payload = orjson.loads(message)
    except orjson.JSONDecodeError:
        return False
    return isinstance(payload, dict) and payload.get("type") == "cancel"


def _websocket_principal(
    authorization: str | None, session_key: str | None, same_origin: bool
) -> Principal | None:
    try:
        principal = authenticate(authorization=authorization, session_key=session_key)
    except (AuthenticationFailed, MfaSetupRequired):
        return None
    # A browser sends the session cookie to any page's WebSocket: accept it only from our own pages.
    if principal is not None and principal.auth_method == "session" and not same_origin:
        return None
    return principal


def _authority(url: str) -> tuple[str, int | None]:
    """Return a URL's host name and explicit port (browsers leave a default port out of Origin)."""
    parts = urlsplit(url)
    try:
        return (parts.hostname or "", parts.port)
    except ValueError:
        return ("", -1)


async def websocket_principal(websocket: WebSocket) -> Principal | None:
    """Authenticate a WebSocket by token header, or by session cookie from the same origin."""
    # The session cookie is Django's: its name is a Django setting, not one of Bastion's
    # (``get_settings()``), read as servicekit's HTTP authentication reads it.
    from django.conf import settings

    origin = websocket.headers.get("origin")
    # Compared by host and explicit port, so that it holds behind a TLS-terminating proxy too.
    same_origin = origin is None or _authority(origin) == _authority(f"//{websocket.headers.get('host', '')}")
    return await run_orm(
        _websocket_principal,
        websocket.headers.get("authorization"),
        websocket.cookies.get(settings.SESSION_COOKIE_NAME),
        same_origin,
    )


def _cancelled_done(turn: Turn) -> Done:
    message = (
        Message.objects.for_principal(turn.principal)
        .filter(conversation_id=turn.conversation_id, role="assistant")
        .order_by("-id")
        .first()
    )
    prompt, completion = (message.prompt_tokens, message.completion_tokens) if message else (0, 0)
    return Done(
        message_id=message.pk if message else None,
        usage=UsageReport(
            prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
        ),
        without_model=message is None or message.provider == "none",
        cancelled=True,
    )


async def cancelled_done(turn: Turn) -> Done:
    """The ``done`` event of a turn the user cancelled: the stored partial answer and its usage."""
    return await run_orm(_cancelled_done, turn)


def _list(principal: Principal) -> list[ConversationSummary]:
    return [
        ConversationSummary(
            id=str(c.pk),
            organization=c.organization_id,
            title=c.title,
            created_at=c.created_at.isoformat(),
            updated_at=c.updated_at.isoformat(),
        )
        for c in selectors.conversations_for(principal=principal)[:200]
    ]


async def list_conversations(principal: Principal) -> list[ConversationSummary]:
    """Return the caller's conversations, newest first (at most 200)."""
    return await run_orm(_list, principal)


def _detail(conversation: Conversation) -> ConversationDetail:
    return ConversationDetail(
        id=str(conversation.pk),
        organization=conversation.organization_id,
        title=conversation.title,
        created_at=conversation.created_at.isoformat(),
        updated_at=conversation.updated_at.isoformat(),
        messages=[
            ConversationMessage(
                id=m.pk,
                role=m.role,
                content=m.content,
                tool_name=m.tool_name,
                payload=m.payload,
                state=m.state,
                prompt_tokens=m.prompt_tokens,
                completion_tokens=m.completion_tokens,
                created_at=m.created_at.isoformat(),
            )
            for m in selectors.messages_of(conversation)
        ],
    )


async def conversation_detail(conversation: Conversation) -> ConversationDetail:
    """Return one of the caller's conversations (see ``deps.CurrentConversation``) with its messages."""
    return await run_orm(_detail, conversation)


def _decide(principal: Principal, proposal: Proposal, confirm: bool) -> ProposalOutcome:
    # A proposal that cannot be decided raises the core's ProposalRefused: 409, in the app's handler.
    if confirm:
        changed = services.confirm(principal=principal, actor=user_of(principal), proposal=proposal)
    else:
        services.reject(proposal=proposal)
        changed = 0
    proposal.refresh_from_db()
    return ProposalOutcome(proposal_id=str(proposal.pk), state=proposal.state, changed=changed)


async def decide(principal: Principal, proposal: Proposal, *, confirm: bool) -> ProposalOutcome:
    """Confirm or reject one of the caller's pending proposals (see ``deps.CurrentProposal``)."""
    return await run_orm(_decide, principal, proposal, confirm)
