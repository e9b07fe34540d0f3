"""Conversations with the assistant, the changes it proposed, and the tokens spent."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from bastion.core.assistant.choices import MessageRole, MessageState, ProposalAction, ProposalState
from bastion.core.findings.choices import Status
from bastion.core.tenancy.models import Organization
from bastion.core.tenancy.querysets import TenantQuerySet


class Conversation(models.Model):
    """A user's conversation with the assistant about one organisation's data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="conversations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["user", "-updated_at"], name="conversation_user_time")]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One message: the user's question, a tool's result, or the assistant's answer."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=16, choices=MessageRole.choices)
    content = models.TextField(blank=True)
    tool_name = models.CharField(max_length=64, blank=True)
    tool_call_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="Tool arguments and results.")
    state = models.CharField(max_length=16, choices=MessageState.choices, default=MessageState.COMPLETE)
    provider = models.CharField(max_length=32, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    organization_path = "conversation__organization"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.role}: {self.content[:40]}"


class Proposal(models.Model):
    """A change the assistant proposed; it happens only when the user confirms it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="proposals")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=16, choices=ProposalAction.choices)
    finding_ids = models.JSONField(default=list)
    to_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=ProposalState.choices, default=ProposalState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} of {len(self.finding_ids)} findings ({self.state})"


class TokenUsage(models.Model):
    """Language-model tokens an organisation spent on one day (UTC)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    tokens = models.BigIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "day"], name="token_usage_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.day}: {self.tokens}"
