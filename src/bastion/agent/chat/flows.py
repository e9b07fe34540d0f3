"""One chat turn: plan tools from the user's words, run them, and let the model (if any) answer.

``prepare`` does everything that may refuse the request (unknown conversation, no
organisation, spent budget) before the response starts, so those become HTTP errors (or
``error`` events on the WebSocket); ``respond`` streams the events. Tools run with the
caller's principal, scoped to the conversation's organisation; tools that change data run
only when the user's own message asked for a change, and even then only record a proposal.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

import anyio
from pydantic import ValidationError

from bastion.agent import prompts
from bastion.agent.chat import intent
from bastion.agent.exceptions import (
    BudgetExceeded,
    ConversationNotFound,
    FindingNotFound,
    OrganizationNotChosen,
    OrganizationNotFound,
    ProviderError,
    ToolFailed,
)
from bastion.agent.llm.base import Message as LlmMessage
from bastion.agent.llm.base import Provider, TextDelta, ToolCall, ToolCallRequested, ToolSpec, Usage
from bastion.agent.tools import TOOLS, ToolContext
from bastion.config import get_settings
from bastion.contracts.chat import (
    ChatEvent,
    ChatRequest,
    ConversationStarted,
    Done,
    ErrorEvent,
    ProposalEvent,
    TextChunk,
    ToolCallEvent,
    ToolResultEvent,
    UsageReport,
)
from bastion.contracts.principal import Principal
from bastion.servicekit.orm import run_orm

HISTORY_MESSAGES = 10
MAX_ROUNDS = 4
WITHOUT_MODEL = "Written without a language model, from Bastion's own tools:\n\n"


@dataclass
class Turn:
    """A chat turn ready to stream."""

    principal: Principal
    conversation_id: str
    organization_id: int
    history: list[LlmMessage]
    message: str
    plan: intent.Plan


def _organization(principal: Principal, requested: int | None) -> int:
    """Return the organisation the caller named, or the only one they belong to."""
    from bastion.core.tenancy.models import Organization

    # Compared in Python: a requested id is never sent to the database (it may be out of its range).
    organizations = Organization.objects.for_principal(principal).order_by("pk")
    reachable = list(organizations.values_list("pk", flat=True))
    if requested is not None:
        if requested not in reachable:
            raise OrganizationNotFound(requested)
        return requested
    if len(reachable) == 1:
        return reachable[0]
    if not reachable:
        raise OrganizationNotChosen("you are not a member of any organisation")
    raise OrganizationNotChosen("you belong to several organisations: name one with 'organization'")


def _subject_organization(principal: Principal, finding_id: int | None) -> int | None:
    """Return the organisation of the finding a question is about; raise when the caller cannot see it."""
    from bastion.core.findings.models import Finding

    if finding_id is None:
        return None
    organization_id = (
        Finding.objects.for_principal(principal)
        .filter(pk=finding_id)
        .values_list("organization_id", flat=True)
    ).first()
    if organization_id is None:
        raise FindingNotFound(finding_id)
    return int(organization_id)


def _prepare(principal: Principal, request: ChatRequest, provider: Provider | None) -> Turn:
    from bastion.core.assets.models import Asset
    from bastion.core.assistant import selectors, services
    from bastion.core.assistant.choices import MessageRole
    from bastion.core.engagements.models import Engagement

    subject_organization = _subject_organization(principal, request.finding_id)
    if request.conversation_id is not None:
        conversation = selectors.conversation_for(
            principal=principal, conversation_id=str(request.conversation_id)
        )
        if conversation is None:
            raise ConversationNotFound(request.conversation_id)
        organization_id = conversation.organization_id
    else:
        conversation = None
        named = request.organization if request.organization is not None else subject_organization
        organization_id = _organization(principal, named)
    if request.finding_id is not None and subject_organization != organization_id:
        raise FindingNotFound(request.finding_id)  # a finding of another of the caller's organisations
    budget = get_settings().llm_tokens_per_day
    if provider is not None and budget:
        used = selectors.tokens_used_today(organization_id=organization_id)
        if used >= budget:
            raise BudgetExceeded(
                f"the organisation has used its {budget} language-model tokens for today "
                "(BASTION_LLM_TOKENS_PER_DAY); the budget renews at 00:00 UTC"
            )
    history: list[LlmMessage] = []
    if conversation is None:
        conversation = services.start_conversation(
            user_id=principal.user_id, organization_id=organization_id, title=request.message
        )
    else:
        earlier = selectors.messages_of(conversation).filter(
            role__in=[MessageRole.USER, MessageRole.ASSISTANT]
        )
        for message in reversed(list(earlier.order_by("-id")[:HISTORY_MESSAGES])):
            history.append(
                LlmMessage("user" if message.role == MessageRole.USER else "assistant", message.content)
            )
    services.add_message(conversation_id=conversation.pk, role=MessageRole.USER, content=request.message)
    assets = list(
        Asset.objects.for_principal(principal)
        .in_organization(organization_id)
        .values_list("name", flat=True)[:1000]
    )
    engagements = list(
        Engagement.objects.for_principal(principal)
        .in_organization(organization_id)
        .values_list("name", flat=True)[:1000]
    )
    return Turn(
        principal=principal,
        conversation_id=str(conversation.pk),
        organization_id=organization_id,
        history=history,
        message=request.message,
        plan=intent.plan(
            request.message,
            asset_names=assets,
            engagement_names=engagements,
            subject_finding_id=request.finding_id,
        ),
    )


async def prepare(principal: Principal, request: ChatRequest, provider: Provider | None) -> Turn:
    """Check and record the user's message; raise the agent's error when it cannot be answered."""
    return await run_orm(_prepare, principal, request, provider)


@dataclass
class ToolOutcome:
    call: ToolCall
    data: dict[str, Any] | None
    text: str
    error: str | None


def _run_tool(turn: Turn, call: ToolCall) -> ToolOutcome:
    from bastion.core.assistant import services
    from bastion.core.assistant.choices import MessageRole

    tool = TOOLS.get(call.name)
    data: dict[str, Any] | None = None
    text, error = "", None
    if tool is None:
        error = f"no tool named {call.name!r}"
    elif tool.changes_data and not turn.plan.asks_for_change:
        error = "not run: the user's message did not ask for a change"
    else:
        try:
            arguments = tool.arguments.model_validate(call.arguments)
            result = tool.function(
                ToolContext(turn.principal, turn.organization_id, turn.conversation_id), arguments
            )
            data, text = result.data, result.text
        except ValidationError as invalid:
            error = "invalid arguments: " + "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in invalid.errors()[:5]
            )
        except ToolFailed as failed:
            error = str(failed)
    # The turn's conversation was checked to be the caller's when the turn was prepared.
    services.add_message(
        conversation_id=turn.conversation_id,
        role=MessageRole.TOOL,
        content=text if error is None else f"error: {error}",
        tool_name=call.name[:64],
        tool_call_id=call.id[:64],
        payload={"arguments": call.arguments, "result": data, "error": error},
    )
    return ToolOutcome(call, data, text, error)


def _tool_events(outcome: ToolOutcome) -> list[ChatEvent]:
    events: list[ChatEvent] = [
        ToolResultEvent(id=outcome.call.id, name=outcome.call.name, result=outcome.data, error=outcome.error)
    ]
    if outcome.data and "proposal_id" in outcome.data:
        proposal_id = outcome.data["proposal_id"]
        events.append(
            ProposalEvent(
                proposal_id=proposal_id,
                action=outcome.data["action"],
                finding_ids=outcome.data["finding_ids"],
                summary=outcome.text,
                confirm_url=f"/agent/v1/proposals/{proposal_id}/confirm",
                reject_url=f"/agent/v1/proposals/{proposal_id}/reject",
            )
        )
    return events


def _finish(turn: Turn, text: str, *, provider: Provider | None, usage: Usage, state: str) -> int:
    from bastion.core.assistant import services
    from bastion.core.assistant.choices import MessageRole, MessageState

    message = services.add_message(
        conversation_id=turn.conversation_id,
        role=MessageRole.ASSISTANT,
        content=text,
        state=MessageState(state),
        provider=provider.name if provider else "none",
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
    )
    services.spend_tokens(organization_id=turn.organization_id, tokens=usage.total)
    return message.pk


def _compose(outcomes: list[ToolOutcome]) -> str:
    parts = [
        outcome.text if outcome.error is None else f"{outcome.call.name} could not answer: {outcome.error}"
        for outcome in outcomes
    ]
    return WITHOUT_MODEL + "\n\n".join(parts) + "\n"


def _tool_specs(turn: Turn) -> list[ToolSpec]:
    return [
        ToolSpec(tool.name, tool.description, tool.json_schema())
        for tool in TOOLS.values()
        if turn.plan.asks_for_change or not tool.changes_data
    ]


async def respond(turn: Turn, provider: Provider | None) -> AsyncGenerator[ChatEvent, None]:
    """Stream one turn's events; a cancelled consumer stops the model and keeps what was said."""
    yield ConversationStarted(
        conversation_id=turn.conversation_id,
        provider=provider.name if provider else "none",
        model=provider.model if provider else None,
    )
    if turn.plan.refusal:
        # Bastion read a request it cannot carry out (a status that does not exist): it says so
        # itself, and neither a tool nor the model runs.
        yield ErrorEvent(message=turn.plan.refusal)
        message_id = await run_orm(
            _finish, turn, turn.plan.refusal, provider=None, usage=Usage(0, 0), state="complete"
        )
        yield Done(
            message_id=message_id,
            usage=UsageReport(prompt_tokens=0, completion_tokens=0, total_tokens=0),
            without_model=True,
        )
        return
    spoken: list[str] = []
    usage = Usage(0, 0)
    state = "complete"
    try:
        outcomes = []
        for index, (name, arguments) in enumerate(turn.plan.calls):
            call = ToolCall(f"plan_{index}", name, arguments)
            yield ToolCallEvent(id=call.id, name=call.name, arguments=call.arguments)
            outcome = await run_orm(_run_tool, turn, call)
            outcomes.append(outcome)
            for event in _tool_events(outcome):
                yield event
        if provider is None:
            text = _compose(outcomes)
            for line in text.splitlines(keepends=True):
                spoken.append(line)
                yield TextChunk(text=line)
        else:
            async with aclosing(_converse(turn, provider, outcomes, spoken)) as conversation:
                async for said in conversation:
                    if isinstance(said, Usage):
                        usage = Usage(
                            usage.prompt_tokens + said.prompt_tokens,
                            usage.completion_tokens + said.completion_tokens,
                        )
                    else:
                        yield said
    except ProviderError as error:
        state = "failed"
        yield ErrorEvent(message=str(error))
    except (asyncio.CancelledError, GeneratorExit):
        # The provider's usage never came: count what was streamed (about a token a chunk).
        partial = Usage(usage.prompt_tokens, usage.completion_tokens or len(spoken))
        with anyio.CancelScope(shield=True):
            await run_orm(_finish, turn, "".join(spoken), provider=provider, usage=partial, state="cancelled")
        raise
    message_id = await run_orm(_finish, turn, "".join(spoken), provider=provider, usage=usage, state=state)
    yield Done(
        message_id=message_id,
        usage=UsageReport(
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            total_tokens=usage.total,
        ),
        without_model=provider is None,
    )


async def _converse(
    turn: Turn, provider: Provider, outcomes: list[ToolOutcome], spoken: list[str]
) -> AsyncGenerator[ChatEvent | Usage, None]:
    fence = prompts.new_fence()
    context = "\n\n".join(
        prompts.fenced(
            {"tool": o.call.name, "arguments": o.call.arguments, "result": o.data, "error": o.error},
            fence=fence,
            source=o.call.name,
        )
        for o in outcomes
    )
    question = (
        turn.message if not context else f"{turn.message}\n\nResults of the tools Bastion ran:\n{context}"
    )
    messages = [
        LlmMessage("system", prompts.system_prompt(fence)),
        *turn.history,
        LlmMessage("user", question),
    ]
    tools = _tool_specs(turn) if provider.supports_tools else []
    max_tokens = get_settings().llm_max_tokens
    for _ in range(MAX_ROUNDS):
        requested: list[ToolCall] = []
        said: list[str] = []
        async with aclosing(provider.stream(messages, tools=tools, max_tokens=max_tokens)) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    said.append(event.text)
                    spoken.append(event.text)
                    yield TextChunk(text=event.text)
                elif isinstance(event, ToolCallRequested):
                    requested.append(event.call)
                else:
                    yield event
        if not requested:
            return
        messages.append(LlmMessage("assistant", "".join(said), tool_calls=tuple(requested)))
        for call in requested:
            call = ToolCall(call.id or f"call_{uuid.uuid4().hex[:8]}", call.name, call.arguments)
            yield ToolCallEvent(id=call.id, name=call.name, arguments=call.arguments)
            outcome = await run_orm(_run_tool, turn, call)
            for tool_event in _tool_events(outcome):
                yield tool_event
            payload = {"result": outcome.data, "error": outcome.error}
            messages.append(
                LlmMessage(
                    "tool",
                    prompts.fenced(payload, fence=fence, source=call.name),
                    tool_call_id=call.id,
                    name=call.name,
                )
            )
