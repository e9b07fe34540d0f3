"""One interface for every language-model provider: stream text, tool calls and usage."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolCall:
    """The model asks for a tool to be run with these arguments."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call: its name, what it does, and its arguments' JSON schema."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class Message:
    """One message of the conversation sent to the model."""

    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text."""

    text: str


@dataclass(frozen=True)
class ToolCallRequested:
    """The model wants a tool run before it goes on."""

    call: ToolCall


@dataclass(frozen=True)
class Usage:
    """Tokens the request used; always the last event of a stream."""

    prompt_tokens: int
    completion_tokens: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Return prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens


ProviderEvent = TextDelta | ToolCallRequested | Usage


class Provider(Protocol):
    """A language model behind one of the supported APIs."""

    name: str
    model: str
    supports_tools: bool

    def stream(
        self, messages: list[Message], *, tools: list[ToolSpec], max_tokens: int
    ) -> AsyncGenerator[ProviderEvent, None]:
        """Stream the answer; raise ``ProviderError`` with a clear message on any failure.

        Cancelling the consuming task stops the generation and the request to the provider.
        """
        ...
