"""The agent's errors: each class, not its message, decides how the caller is answered.

AgentError                     the message is safe to show to the user
├── EngineFailed               an analysis engine crashed, timed out or is not installed
│                              (reported in the answer's ``engines``, never an HTTP error)
├── ToolFailed                 a tool could not answer (an unknown id, a missing role):
│                              a ``tool_result`` error, told to the model and the user
├── ProviderError              503  the language model's provider is misconfigured or failed
│                                   (during an answer: an ``error`` event, then ``done``)
├── NotFound                   404  names nothing the caller may reach (or is malformed)
│   ├── ConversationNotFound
│   ├── ProposalNotFound
│   ├── OrganizationNotFound
│   └── FindingNotFound
├── OrganizationNotChosen      400  the caller is in several organisations (or none) and named none
└── BudgetExceeded             429  the organisation's daily token budget is spent

``bastion.agent.main`` maps these (and the core's domain errors the agent lets through:
a proposal that cannot be decided, an analysis that cannot be imported) to HTTP statuses in
one handler; the WebSocket sends the same messages as ``error`` events and stays open.
"""

from __future__ import annotations


class AgentError(Exception):
    """Base of the agent's errors; the message is safe to show to the user."""


class EngineFailed(AgentError):
    """An analysis engine did not produce a result."""


class ToolFailed(AgentError):
    """A tool could not answer (unknown id, missing role); the message is shown to the user."""


class ProviderError(AgentError):
    """The language model's provider failed; the message says how, without secrets."""


class NotFound(AgentError):
    """The request names something the caller may not reach, or nothing at all."""


class ConversationNotFound(NotFound):
    """No conversation with that id belongs to the caller."""

    def __init__(self, conversation_id: object) -> None:
        super().__init__(f"no conversation {str(conversation_id)[:64]}")


class ProposalNotFound(NotFound):
    """No proposal with that id belongs to the caller."""

    def __init__(self, proposal_id: object) -> None:
        super().__init__(f"no proposal {str(proposal_id)[:64]}")


class OrganizationNotFound(NotFound):
    """The caller named an organisation they are not a member of."""

    def __init__(self, organization_id: int) -> None:
        super().__init__(f"no organisation {organization_id}")


class FindingNotFound(NotFound):
    """The finding a question is about is not one the caller may see."""

    def __init__(self, finding_id: int) -> None:
        super().__init__(f"no finding {finding_id}")


class OrganizationNotChosen(AgentError):
    """The caller belongs to several organisations (or none) and did not name one."""


class BudgetExceeded(AgentError):
    """The organisation has used its token budget for the day."""
