"""Chat over SSE and WebSocket, conversations, and confirming the assistant's proposals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import anyio
import orjson
from fastapi import APIRouter, HTTPException, WebSocket, WebSocketDisconnect, status
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from bastion.agent.chat import flows, service
from bastion.agent.deps import CurrentConversation, CurrentProposal, LlmProvider
from bastion.agent.exceptions import AgentError
from bastion.agent.llm import get_provider
from bastion.agent.llm.base import Provider
from bastion.contracts.chat import (
    ChatEvent,
    ChatRequest,
    ConversationDetail,
    ConversationSummary,
    ErrorEvent,
    ProposalOutcome,
)
from bastion.contracts.principal import Principal
from bastion.servicekit.auth import CurrentPrincipal

router = APIRouter(prefix="/v1", tags=["chat"])
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
WS_UNAUTHENTICATED = 4401
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such conversation or proposal of the caller's (or a malformed id)"}
}


def sse(event: ChatEvent) -> bytes:
    """Encode one event as a server-sent event."""
    return b"data: " + orjson.dumps(event.model_dump(mode="json")) + b"\n\n"


async def _turn(principal: Principal, request: ChatRequest, provider: Provider | None) -> flows.Turn:
    """Check the rate limit and prepare the turn; refusals are raised as the agent's errors."""
    await service.chat_rate_limit().check(f"user:{principal.user_id}")
    return await flows.prepare(principal, request, provider)


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "chat events, one per `data:` line"}
    },
)
async def chat_stream(
    principal: CurrentPrincipal, request: ChatRequest, provider: LlmProvider
) -> StreamingResponse:
    """Answer as server-sent events: conversation, tool calls and results, proposals, text, done."""
    turn = await _turn(principal, request, provider)

    async def events() -> AsyncIterator[bytes]:
        async for event in flows.respond(turn, provider):
            yield sse(event)

    return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)


@router.websocket("/chat/ws")
async def chat_ws(websocket: WebSocket) -> None:
    """The same events over a WebSocket: send a ChatRequest, receive events until ``done``.

    ``{"type": "cancel"}`` stops the answer being written; closing the socket does too.
    """
    principal = await service.websocket_principal(websocket)
    if principal is None:
        await websocket.close(code=WS_UNAUTHENTICATED, reason="Authentication credentials were not provided.")
        return
    await websocket.accept()
    try:
        while True:
            payload = await websocket.receive_text()
            try:
                request = ChatRequest.model_validate_json(payload)
            except ValidationError as error:
                await websocket.send_text(ErrorEvent(message=service.describe(error)).model_dump_json())
                continue
            # The provider is read for each turn: a misconfigured one is an error event, not a closed socket.
            try:
                provider = get_provider()
                turn = await _turn(principal, request, provider)
            except AgentError as error:  # the same errors the HTTP handler answers, as events
                await websocket.send_text(ErrorEvent(message=str(error)).model_dump_json())
                continue
            except HTTPException as error:  # the rate limit
                await websocket.send_text(ErrorEvent(message=str(error.detail)).model_dump_json())
                continue
            await _stream_turn(websocket, turn, provider)
    except WebSocketDisconnect:
        return


async def _stream_turn(websocket: WebSocket, turn: flows.Turn, provider: Provider | None) -> None:
    """Send a turn's events while listening for a cancel message or a disconnect.

    One turn at a time: another request sent meanwhile gets an error event. After a cancel,
    the turn ends with a ``done`` event marked ``cancelled``.
    """
    cancelled = disconnected = False
    async with anyio.create_task_group() as group:

        async def produce() -> None:
            async with aclosing(flows.respond(turn, provider)) as events:
                async for event in events:
                    await websocket.send_text(event.model_dump_json())
            group.cancel_scope.cancel()

        async def listen() -> None:
            nonlocal cancelled, disconnected
            while True:
                try:
                    message = await websocket.receive_text()
                except WebSocketDisconnect:  # the client went away: stop the answer
                    disconnected = True
                    group.cancel_scope.cancel()
                    return
                if service.is_cancel(message):
                    cancelled = True
                    group.cancel_scope.cancel()
                    return
                busy = ErrorEvent(message='an answer is being written: send {"type": "cancel"} first')
                await websocket.send_text(busy.model_dump_json())

        group.start_soon(produce)
        group.start_soon(listen)
    if disconnected:
        raise WebSocketDisconnect(status.WS_1000_NORMAL_CLOSURE)
    if cancelled:
        await websocket.send_text((await service.cancelled_done(turn)).model_dump_json())


@router.get("/conversations", response_model=list[ConversationSummary])
async def conversations(principal: CurrentPrincipal) -> list[ConversationSummary]:
    """List the caller's conversations, newest first."""
    return await service.list_conversations(principal)


@router.get("/conversations/{conversation_id}", response_model=ConversationDetail, responses=NOT_FOUND)
async def conversation(conversation: CurrentConversation) -> ConversationDetail:
    """Return one of the caller's conversations with its messages."""
    return await service.conversation_detail(conversation)


@router.post("/proposals/{proposal_id}/confirm", response_model=ProposalOutcome, responses=NOT_FOUND)
async def confirm_proposal(principal: CurrentPrincipal, proposal: CurrentProposal) -> ProposalOutcome:
    """Apply a change the assistant proposed, with the caller's own permissions."""
    return await service.decide(principal, proposal, confirm=True)


@router.post("/proposals/{proposal_id}/reject", response_model=ProposalOutcome, responses=NOT_FOUND)
async def reject_proposal(principal: CurrentPrincipal, proposal: CurrentProposal) -> ProposalOutcome:
    """Decline a change the assistant proposed."""
    return await service.decide(principal, proposal, confirm=False)
