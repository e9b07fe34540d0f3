"""The assistant's domain errors.

AssistantError
└── ProposalRefused        the proposal is not the user's, not pending, or no longer applies
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base of the assistant's domain errors; the message is safe to show."""


class ProposalRefused(AssistantError):
    """A proposal that cannot be confirmed or rejected."""
