"""Chat over SSE and WebSocket, conversations, and confirming the assistant's proposals."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Annotated, Any

import anyio
import orjson
from fastapi import APIRouter, Depends, HTTPException, Path, WebSocket, WebSocketDisconnect, status
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from bastion.agent.chat import flows, service
from bastion.agent.exceptions import BudgetExceeded, ChatRefused
from bastion.agent.llm import get_provider
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
WS_RATE_LIMITED = 4429


def _uuid_or_404(value: str, kind: str) -> uuid.UUID:
    """A malformed id names nothing: 404, as an unknown one does."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no {kind} {value[:64]}") from None


def _conversation_id(
    conversation_id: Annotated[str, Path(json_schema_extra={"format": "uuid"})],
) -> uuid.UUID:
    return _uuid_or_404(conversation_id, "conversation")


def _proposal_id(proposal_id: Annotated[str, Path(json_schema_extra={"format": "uuid"})]) -> uuid.UUID:
    return _uuid_or_404(proposal_id, "proposal")


ConversationId = Annotated[uuid.UUID, Depends(_conversation_id)]
ProposalId = Annotated[uuid.UUID, Depends(_proposal_id)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such conversation or proposal of the caller's (or a malformed id)"}
}


def sse(event: ChatEvent) -> bytes:
    """Encode one event as a server-sent event."""
    return b"data: " + orjson.dumps(event.model_dump(mode="json")) + b"\n\n"


async def _turn(principal: Principal, request: ChatRequest) -> flows.Turn:
    """Check limits and prepare, mapping refusals onto HTTP errors."""
    await service.chat_rate_limit().check(f"user:{principal.user_id}")
    try:
        return await flows.prepare(principal, request, get_provider())
    except BudgetExceeded as error:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail=str(error)) from error
    except ChatRefused as error:
        code = status.HTTP_404_NOT_FOUND if str(error).startswith("no ") else status.HTTP_400_BAD_REQUEST
        raise HTTPException(code, detail=str(error)) from error


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "chat events, one per `data:` line"}
    },
)
async def chat_stream(principal: CurrentPrincipal, request: ChatRequest) -> StreamingResponse:
    """Answer as server-sent events: conversation, tool calls and results, proposals, text, done."""
    turn = await _turn(principal, request)

    async def events() -> AsyncIterator[bytes]:
        async for event in flows.respond(turn, get_provider()):
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
            try:
                turn = await _turn(principal, request)
            except HTTPException as error:
                await websocket.send_text(ErrorEvent(message=str(error.detail)).model_dump_json())
                continue
            await _stream_turn(websocket, turn)
    except WebSocketDisconnect:
        return


async def _stream_turn(websocket: WebSocket, turn: flows.Turn) -> None:
    """Send a turn's events while listening for a cancel message or a disconnect.

    One turn at a time: another request sent meanwhile gets an error event. After a cancel,
    the turn ends with a ``done`` event marked ``cancelled``.
    """
    cancelled = disconnected = False
    async with anyio.create_task_group() as group:

        async def produce() -> None:
            async with aclosing(flows.respond(turn, get_provider())) as events:
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
async def conversation(principal: CurrentPrincipal, conversation_id: ConversationId) -> ConversationDetail:
    """Return one of the caller's conversations with its messages."""
    found = await service.get_conversation(principal, conversation_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no conversation {conversation_id}")
    return found


@router.post("/proposals/{proposal_id}/confirm", response_model=ProposalOutcome, responses=NOT_FOUND)
async def confirm_proposal(principal: CurrentPrincipal, proposal_id: ProposalId) -> ProposalOutcome:
    """Apply a change the assistant proposed, with the caller's own permissions."""
    return await service.decide(principal, proposal_id, confirm=True)


@router.post("/proposals/{proposal_id}/reject", response_model=ProposalOutcome, responses=NOT_FOUND)
async def reject_proposal(principal: CurrentPrincipal, proposal_id: ProposalId) -> ProposalOutcome:
    """Decline a change the assistant proposed."""
    return await service.decide(principal, proposal_id, confirm=False)
