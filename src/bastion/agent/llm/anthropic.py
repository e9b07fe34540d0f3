"""The Anthropic Messages API, streaming with tool use."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import anthropic
import anyio

from bastion.agent.exceptions import ProviderError
from bastion.agent.llm.base import (
    Message,
    ProviderEvent,
    TextDelta,
    ToolCall,
    ToolCallRequested,
    ToolSpec,
    Usage,
)
from bastion.config import Settings

DEFAULT_MODEL = "claude-sonnet-4-5"


def to_anthropic(messages: list[Message]) -> tuple[str, list[dict[str, Any]]]:
    """Split out the system prompt and map the rest onto Messages API turns.

    Tool results travel as ``tool_result`` blocks of a user turn; consecutive turns of the
    same role are merged, as the API requires alternating roles.
    """
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system":
            continue
        if message.role == "tool":
            role = "user"
            blocks: list[dict[str, Any]] = [
                {"type": "tool_result", "tool_use_id": message.tool_call_id, "content": message.content}
            ]
        else:
            role = message.role
            blocks = [{"type": "text", "text": message.content}] if message.content else []
            blocks += [
                {"type": "tool_use", "id": call.id, "name": call.name, "input": call.arguments}
                for call in message.tool_calls
            ]
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return system, turns


def describe(error: anthropic.AnthropicError) -> str:
    """Say what went wrong without echoing credentials."""
    if isinstance(error, anthropic.APITimeoutError):
        return "the language model did not answer in time"
    if isinstance(error, anthropic.APIStatusError):
        return f"the language model's server answered HTTP {error.status_code}"
    if isinstance(error, anthropic.APIConnectionError):
        return "the language model's server could not be reached"
    return f"the language model's server sent a response that could not be read ({type(error).__name__})"


class AnthropicProvider:
    """Claude through the Messages API."""

    name = "anthropic"
    supports_tools = True

    def __init__(self, *, base_url: str | None, model: str, api_key: str | None, timeout: float) -> None:
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> AnthropicProvider:
        """Build from ``BASTION_LLM_API_KEY``, ``BASTION_LLM_MODEL`` and ``BASTION_LLM_BASE_URL``."""
        if settings.llm_api_key is None:
            raise ProviderError("BASTION_LLM_API_KEY must be set for the anthropic provider")
        return cls(
            base_url=settings.llm_base_url,
            model=settings.llm_model or DEFAULT_MODEL,
            api_key=settings.llm_api_key.get_secret_value(),
            timeout=settings.llm_timeout_seconds,
        )

    async def stream(
        self, messages: list[Message], *, tools: list[ToolSpec], max_tokens: int
    ) -> AsyncGenerator[ProviderEvent, None]:
        """Stream text deltas; tool uses and usage come from the final message."""
        system, turns = to_anthropic(messages)
        options: dict[str, Any] = {}
        if tools:
            options["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters} for t in tools
            ]
        if system:
            options["system"] = system
        client = anthropic.AsyncAnthropic(
            base_url=self.base_url, api_key=self.api_key, timeout=self.timeout, max_retries=0
        )
        try:
            open_stream: Any = client.messages.stream  # turns are built as plain dicts
            async with open_stream(
                model=self.model, max_tokens=max_tokens, messages=turns, **options
            ) as stream:
                async for event in stream:
                    if event.type == "text":
                        yield TextDelta(event.text)
                final = await stream.get_final_message()
        except anthropic.AnthropicError as error:
            raise ProviderError(describe(error)) from error
        finally:
            with anyio.CancelScope(shield=True):
                await client.close()
        for block in final.content:
            if block.type == "tool_use":
                yield ToolCallRequested(ToolCall(block.id, block.name, dict(block.input)))
        yield Usage(final.usage.input_tokens, final.usage.output_tokens)
