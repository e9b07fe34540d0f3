"""Any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp's server), streaming with tools."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

import anyio
import openai

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


def to_openai(message: Message) -> dict[str, Any]:
    """Map a message onto the Chat Completions shape."""
    if message.role == "tool":
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
    mapped: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        mapped["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
            for call in message.tool_calls
        ]
    return mapped


def describe(error: openai.OpenAIError) -> str:
    """Say what went wrong without echoing credentials."""
    if isinstance(error, openai.APITimeoutError):
        return "the language model did not answer in time"
    if isinstance(error, openai.APIStatusError):
        return f"the language model's server answered HTTP {error.status_code}"
    if isinstance(error, openai.APIConnectionError):
        return "the language model's server could not be reached"
    return f"the language model's server sent a response that could not be read ({type(error).__name__})"


class OpenAIProvider:
    """A model behind the Chat Completions API."""

    name = "openai"
    supports_tools = True

    def __init__(
        self,
        *,
        base_url: str | None,
        model: str,
        api_key: str | None,
        timeout: float,
        temperature: float = 0.2,
    ) -> None:
        self.model = model
        self.temperature = temperature
        self.base_url = base_url
        self.api_key = api_key or "not-needed"
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIProvider:
        """Build from ``BASTION_LLM_BASE_URL``, ``BASTION_LLM_MODEL`` and ``BASTION_LLM_API_KEY``."""
        if not settings.llm_model:
            raise ProviderError("BASTION_LLM_MODEL must name the model for the openai provider")
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return cls(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=key,
            timeout=settings.llm_timeout_seconds,
            temperature=settings.llm_temperature,
        )

    async def stream(
        self, messages: list[Message], *, tools: list[ToolSpec], max_tokens: int
    ) -> AsyncGenerator[ProviderEvent, None]:
        """Stream a chat completion; tool calls arrive in pieces and are assembled by index."""
        options: dict[str, Any] = {}
        if tools:
            options["tools"] = [
                {
                    "type": "function",
                    "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
                }
                for t in tools
            ]
        calls: dict[int, dict[str, str]] = {}
        usage: Usage | None = None
        completion_chunks = 0
        # A client per answer: its connections close with it, whichever loop or task ran it.
        client = openai.AsyncOpenAI(
            base_url=self.base_url, api_key=self.api_key, timeout=self.timeout, max_retries=0
        )
        try:
            create: Any = client.chat.completions.create  # messages are built as plain dicts
            stream = await create(
                model=self.model,
                messages=[to_openai(m) for m in messages],
                max_tokens=max_tokens,
                temperature=self.temperature,
                stream=True,
                stream_options={"include_usage": True},
                **options,
            )
            try:
                async for chunk in stream:
                    if chunk.usage is not None:
                        usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                    for choice in chunk.choices:
                        delta = choice.delta
                        if delta.content:
                            completion_chunks += 1
                            yield TextDelta(delta.content)
                        for piece in delta.tool_calls or []:
                            call = calls.setdefault(piece.index, {"id": "", "name": "", "arguments": ""})
                            call["id"] = piece.id or call["id"]
                            if piece.function is not None:
                                call["name"] += piece.function.name or ""
                                call["arguments"] += piece.function.arguments or ""
            finally:
                # Closing the response is what tells the server to stop generating: do it even
                # when the consumer was cancelled (a client that went away).
                with anyio.CancelScope(shield=True):
                    await stream.close()
        except openai.OpenAIError as error:
            raise ProviderError(describe(error)) from error
        except (ValueError, KeyError) as error:  # a malformed event in the stream
            raise ProviderError("the language model's server sent a malformed stream") from error
        finally:
            with anyio.CancelScope(shield=True):
                await client.close()
        for index, call in sorted(calls.items()):
            try:
                arguments = json.loads(call["arguments"] or "{}")
            except json.JSONDecodeError:
                arguments = {"_unparsed": call["arguments"][:500]}
            yield ToolCallRequested(ToolCall(call["id"] or f"call_{index}", call["name"], arguments))
        yield usage or Usage(0, completion_chunks)
