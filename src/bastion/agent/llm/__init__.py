"""Language-model providers behind one interface, chosen by ``BASTION_LLM_PROVIDER``.

``none`` (the default) means no model: the agent answers from its engines and tools alone.
Endpoints take the provider as a dependency (``bastion.agent.deps.LlmProvider``).
"""

from __future__ import annotations

import threading

from bastion.agent.llm.base import Provider
from bastion.config import Settings, get_settings

#: The settings a provider is made from: when one of them changes, so does the provider.
PROVIDER_SETTINGS = (
    "llm_provider",
    "llm_base_url",
    "llm_model",
    "llm_api_key",
    "llm_model_path",
    "llm_timeout_seconds",
    "llm_temperature",
    "llm_threads",
)

_lock = threading.Lock()
_made: dict[tuple[object, ...], Provider | None] = {}


def provider_from(settings: Settings) -> Provider | None:
    """Create the provider the settings name; None for ``none``; ``ProviderError`` when misconfigured."""
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


def get_provider() -> Provider | None:
    """Return the configured provider, made once per configuration (a local model loads once)."""
    settings = get_settings()
    key = tuple(getattr(settings, name) for name in PROVIDER_SETTINGS)
    with _lock:
        if key not in _made:
            provider = provider_from(settings)
            # One configuration at a time: a provider made for settings since changed is let go.
            _made.clear()
            _made[key] = provider
        return _made[key]
