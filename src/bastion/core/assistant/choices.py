"""Choices for the assistant's records."""

from django.db import models


class MessageRole(models.TextChoices):
    """Who wrote a message of a conversation."""

    USER = "user", "User"
    ASSISTANT = "assistant", "Assistant"
    TOOL = "tool", "Tool"


class MessageState(models.TextChoices):
    """How an assistant's answer ended."""

    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled (the client went away)"
    FAILED = "failed", "Failed"


class ProposalAction(models.TextChoices):
    """What a proposed change does."""

    STATUS = "status", "Change status"
    ASSIGN = "assign", "Assign"


class ProposalState(models.TextChoices):
    """Where a proposed change stands."""

    PENDING = "pending", "Pending"
    APPLIED = "applied", "Applied"
    REJECTED = "rejected", "Rejected"
    EXPIRED = "expired", "Expired"
