"""How messages are mapped onto each provider's API, and how a provider is chosen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.agent.exceptions import ProviderError
from bastion.agent.llm import get_provider
from bastion.agent.llm.anthropic import AnthropicProvider, to_anthropic
from bastion.agent.llm.base import Message, ToolCall
from bastion.agent.llm.openai import OpenAIProvider, to_openai

CONVERSATION = [
    Message("system", "rules"),
    Message("user", "which findings?"),
    Message("assistant", "", tool_calls=(ToolCall("call_1", "search_findings", {"severity": ["high"]}),)),
    Message("tool", '{"total": 2}', tool_call_id="call_1", name="search_findings"),
    Message("assistant", "Two high findings."),
]


def test_messages_map_onto_chat_completions() -> None:
    assert [to_openai(m) for m in CONVERSATION] == [
        {"role": "system", "content": "rules"},
        {"role": "user", "content": "which findings?"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "search_findings", "arguments": '{"severity": ["high"]}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": '{"total": 2}'},
        {"role": "assistant", "content": "Two high findings."},
    ]


def test_messages_map_onto_the_anthropic_messages_api() -> None:
    system, turns = to_anthropic(CONVERSATION)
    assert system == "rules"
    assert turns == [
        {"role": "user", "content": [{"type": "text", "text": "which findings?"}]},
        {
            "role": "assistant",
            "content": [
                {
                    "type": "tool_use",
                    "id": "call_1",
                    "name": "search_findings",
                    "input": {"severity": ["high"]},
                }
            ],
        },
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "call_1", "content": '{"total": 2}'}],
        },
        {"role": "assistant", "content": [{"type": "text", "text": "Two high findings."}]},
    ]


def test_the_provider_is_chosen_by_the_environment(fresh_settings: pytest.MonkeyPatch) -> None:
    assert get_provider() is None  # the default: no model
    fresh_settings.setenv("BASTION_LLM_PROVIDER", "openai")
    fresh_settings.setenv("BASTION_LLM_MODEL", "qwen")
    fresh_settings.setenv("BASTION_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    from bastion.config import get_settings

    get_settings.cache_clear()
    chosen = get_provider()
    assert isinstance(chosen, OpenAIProvider)
    assert (chosen.model, chosen.base_url) == ("qwen", "http://127.0.0.1:11434/v1")
    fresh_settings.setenv("BASTION_LLM_PROVIDER", "anthropic")
    fresh_settings.setenv("BASTION_LLM_API_KEY", "sk-ant-test")
    get_settings.cache_clear()
    assert isinstance(get_provider(), AnthropicProvider)


def test_the_provider_is_made_once_per_configuration(fresh_settings: pytest.MonkeyPatch) -> None:
    # given
    fresh_settings.setenv("BASTION_LLM_PROVIDER", "openai")
    fresh_settings.setenv("BASTION_LLM_MODEL", "qwen")
    first = get_provider()
    # when: a setting the provider does not read, then one it does
    fresh_settings.setenv("BASTION_LLM_MAX_TOKENS", "64")
    same = get_provider()
    fresh_settings.setenv("BASTION_LLM_MODEL", "gemma")
    changed = get_provider()
    # then: no reset by hand; a new provider when (and only when) its settings change
    assert same is first
    assert isinstance(changed, OpenAIProvider)
    assert changed is not first
    assert changed.model == "gemma"


def test_a_provider_without_what_it_needs_is_refused(fresh_settings: pytest.MonkeyPatch) -> None:
    from bastion.config import get_settings

    fresh_settings.setenv("BASTION_LLM_PROVIDER", "anthropic")
    get_settings.cache_clear()
    with pytest.raises(ProviderError, match="BASTION_LLM_API_KEY must be set for the anthropic provider"):
        get_provider()


def test_a_misconfigured_provider_answers_503(
    fresh_settings: pytest.MonkeyPatch, chat: Callable[..., list[dict[str, Any]]]
) -> None:
    from bastion.config import get_settings

    fresh_settings.setenv("BASTION_LLM_PROVIDER", "openai")  # with no BASTION_LLM_MODEL
    get_settings.cache_clear()
    assert chat("trends", expect=503) == [
        {"detail": "BASTION_LLM_MODEL must name the model for the openai provider"}
    ]


def test_the_agents_openapi_document_lists_its_endpoints(gateway_client: TestClient) -> None:
    document = gateway_client.get("/agent/openapi.json").json()
    assert sorted(document["paths"]) == [
        "/agent/healthz",
        "/agent/readyz",
        "/agent/v1/analyze",
        "/agent/v1/chat/stream",
        "/agent/v1/conversations",
        "/agent/v1/conversations/{conversation_id}",
        "/agent/v1/me",
        "/agent/v1/proposals/{proposal_id}/confirm",
        "/agent/v1/proposals/{proposal_id}/reject",
    ]
    assert (
        "text/event-stream"
        in document["paths"]["/agent/v1/chat/stream"]["post"]["responses"]["200"]["content"]
    )
