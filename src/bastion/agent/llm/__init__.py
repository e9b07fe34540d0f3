"""Language-model providers behind one interface, chosen by ``BASTION_LLM_PROVIDER``.

``none`` (the default) means no model: the agent answers from its engines and tools alone.
"""

from __future__ import annotations

from functools import lru_cache

from bastion.agent.llm.base import Provider
from bastion.config import get_settings


@lru_cache(maxsize=1)
def get_provider() -> Provider | None:
    """Return the configured provider, created once per process; None for ``none``."""
    settings = get_settings()
    if settings.llm_provider == "openai":
        from bastion.agent.llm.openai import OpenAIProvider

        return OpenAIProvider.from_settings(settings)
    if settings.llm_provider == "anthropic":
        from bastion.agent.llm.anthropic import AnthropicProvider

        return AnthropicProvider.from_settings(settings)
    if settings.llm_provider == "llamacpp":
        from bastion.agent.llm.llamacpp import LlamaCppProvider

        return LlamaCppProvider.from_settings(settings)
    return None
