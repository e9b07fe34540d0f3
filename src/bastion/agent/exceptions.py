"""The agent's errors.

AgentError
├── EngineFailed       an analysis engine crashed, timed out or is not installed
├── ProviderError      the language model's provider failed (timeout, HTTP error, bad stream)
├── ChatRefused        a chat request that cannot be served (unknown conversation, no organisation)
└── BudgetExceeded     the organisation's daily token budget is spent
"""

from __future__ import annotations


class AgentError(Exception):
    """Base of the agent's errors; the message is safe to show to the user."""


class EngineFailed(AgentError):
    """An analysis engine did not produce a result."""


class ProviderError(AgentError):
    """The language model's provider failed; the message says how, without secrets."""


class ChatRefused(AgentError):
    """A chat request that cannot be served as asked."""


class BudgetExceeded(AgentError):
    """The organisation has used its token budget for the day."""
