"""The assistant's chat: the request and the events streamed back (SSE ``data:`` or WebSocket)."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from bastion.contracts.ids import MAX_ROW_ID
from bastion.contracts.text import NulFree

MAX_MESSAGE = 8_000


class ChatRequest(BaseModel):
    """A question, continuing a conversation or starting one (in ``organization``, by id)."""

    model_config = ConfigDict(extra="forbid")

    message: NulFree = Field(min_length=1, max_length=MAX_MESSAGE)
    conversation_id: UUID | None = None
    organization: int | None = Field(default=None, description="needed when you belong to several")
    finding_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ROW_ID,
        description="the finding the question is about (a finding's page): a change or a question "
        "naming no other finding, asset or criterion is about it",
    )


class ConversationStarted(BaseModel):
    type: Literal["conversation"] = "conversation"
    conversation_id: str
    provider: str
    model: str | None


class TextChunk(BaseModel):
    type: Literal["text"] = "text"
    text: str


class ToolCallEvent(BaseModel):
    type: Literal["tool_call"] = "tool_call"
    id: str
    name: str
    arguments: dict[str, Any]


class ToolResultEvent(BaseModel):
    type: Literal["tool_result"] = "tool_result"
    id: str
    name: str
    result: dict[str, Any] | None = None
    error: str | None = None


class ProposalEvent(BaseModel):
    """A change proposed by a tool: it happens only through ``confirm_url`` (a separate request)."""

    type: Literal["proposal"] = "proposal"
    proposal_id: str
    action: str
    finding_ids: list[int]
    summary: str
    confirm_url: str
    reject_url: str


class ErrorEvent(BaseModel):
    """The answer cannot go on as asked: the provider failed, or Bastion refused the request.

    On the WebSocket, a request refused before its answer starts (the HTTP endpoint's 4xx) too.
    """

    type: Literal["error"] = "error"
    message: str


class UsageReport(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class Done(BaseModel):
    """The last event: what the answer cost and whether a model wrote it."""

    type: Literal["done"] = "done"
    message_id: int | None
    usage: UsageReport
    without_model: bool
    cancelled: bool = False


ChatEvent = (
    ConversationStarted | TextChunk | ToolCallEvent | ToolResultEvent | ProposalEvent | ErrorEvent | Done
)


class ConversationSummary(BaseModel):
    id: str
    organization: int
    title: str
    created_at: str
    updated_at: str


class ConversationMessage(BaseModel):
    id: int
    role: str
    content: str
    tool_name: str
    payload: dict[str, Any]
    state: str
    prompt_tokens: int
    completion_tokens: int
    created_at: str


class ConversationDetail(ConversationSummary):
    messages: list[ConversationMessage]


class ProposalOutcome(BaseModel):
    proposal_id: str
    state: str
    changed: int
